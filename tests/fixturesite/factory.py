"""Build the standard trio of sites (origin blog, republisher, news site) and a bench site.

Site A is the origin WordPress blog (theme A, pretty permalinks, open REST API,
core sitemaps, UTC-5). Site B republishes some of A's weekly updates (theme B,
plain permalinks, REST API closed, Yoast sitemaps). Site C is a plain news site
that carries a few of A's updates too. B and C are always built from A's posts,
so every copy's ``origin`` names a post that A serves.
"""

from __future__ import annotations

import dataclasses
import random
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from types import TracebackType

from .content import Post, Writer, generate_site_posts, slugify, straighten, texturize
from .newssite import NewsApp
from .republish import Style, republish
from .server import FixtureSite
from .wordpress import Chrome, WordPressApp, WordPressConfig

ORIGIN_NAME = "Libya Security Monitor"
_BIO = (
    "Libya Security Monitor is the most read independent blog on Libya's armed groups and their"
    " politics."
)

CHROME_A = Chrome(
    name=ORIGIN_NAME,
    tagline=texturize("Independent analysis of Libya's armed groups"),
    sidebar=texturize(
        "Libya Security Monitor has followed the armed groups of Libya from Derna to"
        " Sebha every week since 2014. Sign up on the subscribe page to receive each"
        " update by e-mail."
    ),
    calls_to_action=(
        texturize("A weekly update on Libya's armed groups is available by subscribing here."),
        texturize("To read all four sections of this week's report, click here."),
        "Sign up on the subscribe page to receive the full report every Monday.",
    ),
    bio=texturize(_BIO),
    footer="© 2016. Proudly powered by WordPress",
    about=(texturize(_BIO), "Our analysts are based in Tunis and London."),
    private=(
        texturize(
            "Subscriber briefing: sources in Derna report that the DMSC has begun recruiting"
            " in the city's eastern districts."
        ),
        "This briefing is for subscribers only and must not be republished.",
    ),
)
CHROME_B = Chrome(
    name="Mediterranean Affairs Review",
    tagline="News and analysis from around the Mediterranean",
    sidebar="Mediterranean Affairs Review publishes independent analysis of North Africa and the"
    " Levant.",
    bio=f"{_BIO} Subscribe to its weekly update for the full report.",
    footer="© 2016 Mediterranean Affairs Review - All rights reserved",
    republished_notice="This article was republished with explicit permission from the author.",
    about=("Mediterranean Affairs Review is an independent online magazine.",),
)


@dataclass
class Sites:
    """The standard trio; start and stop them together (also a context manager)."""

    a: FixtureSite
    b: FixtureSite
    c: FixtureSite

    def __iter__(self) -> Iterator[FixtureSite]:
        return iter((self.a, self.b, self.c))

    def start(self) -> Sites:
        for site in self:
            site.start()
        return self

    def stop(self) -> None:
        for site in self:
            site.stop()

    def __enter__(self) -> Sites:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()


def make_site_a(
    posts: list[Post],
    *,
    html_validators: bool = False,
    sitemap_page_size: int = 2000,
    rest_open: bool = True,
    private_page: bool = True,
    port: int = 0,
    name: str = "a",
    announce_api: bool = True,
    wp_json_path: bool = True,
    quirks: frozenset[str] = frozenset(),
) -> FixtureSite:
    """The origin blog serving ``posts`` (theme A, pretty permalinks, REST API, UTC-5)."""
    config = WordPressConfig(
        theme="a",
        pretty_permalinks=True,
        rest_open=rest_open,
        sitemap="core",
        utc_offset=-5,
        categories={"Uncategorized": 1, "Weekly Update": 3, "Analysis": 5},
        sitemap_page_size=sitemap_page_size,
        private_page=private_page,
        announce_api=announce_api,
        wp_json_path=wp_json_path,
        quirks=quirks,
    )
    return FixtureSite(
        name,
        posts,
        lambda s: WordPressApp(s, CHROME_A, config),
        server_header="nginx/1.10.3",
        html_validators=html_validators,
        port=port,
    )


def make_site_b(origin: list[Post], seed: int = 1, *, html_validators: bool = False) -> FixtureSite:
    """The republisher: ~15 of the origin's weekly updates, edited, plus 3 posts of its own."""
    weekly = [p for p in origin if p.kind == "weekly"]
    picks = [p for k, p in enumerate(weekly) if k % 3 == 1][:15]
    picks += [p for p in weekly if _new_year(p) and p not in picks]
    posts = [
        republish(p, 20000 + 11 * k, seed, categories=["Libya"], origin_site=ORIGIN_NAME)
        for k, p in enumerate(picks)
    ]
    writer = Writer(random.Random(seed + 100), curly=False)
    dates = [origin[len(origin) * k // 3].date + timedelta(days=2) for k in range(3)]
    own = [writer.longform(25000 + 13 * k, when) for k, when in enumerate(dates)]
    posts += [dataclasses.replace(p, author="Marco Bellini", comments=[]) for p in own]
    config = WordPressConfig(
        theme="b",
        pretty_permalinks=False,
        rest_open=False,
        sitemap="yoast",
        utc_offset=1,
        categories={"Uncategorized": 1, "Libya": 3, "Analysis": 7},
    )
    return FixtureSite(
        "b",
        posts,
        lambda s: WordPressApp(s, CHROME_B, config),
        server_header="Apache/2.4.18 (Ubuntu)",
        html_validators=html_validators,
        curly=False,
    )


def make_site_c(origin: list[Post], seed: int = 1) -> FixtureSite:
    """The news site: 12 articles, 4 of them edited copies of the origin's weekly updates."""
    rng = random.Random(seed + 200)
    weekly = [p for p in origin if p.kind == "weekly"]
    style = Style(straight_quotes=False, respell=True, local_paragraph=True)
    copies = []
    for k, p in enumerate(weekly[4 :: max(1, len(weekly) // 4)][:4]):
        copy = republish(
            p, 1 + k, seed + 1, style=style, categories=["News"], origin_site=ORIGIN_NAME
        )
        headline = (p.title or "").split(" – ")[0]
        title = copy.title or headline.upper()
        copies.append(dataclasses.replace(copy, title=title, slug=slugify(title)))
    writer = Writer(rng)
    start = origin[0].date + timedelta(days=10)
    own = [writer.news(10 + k, start + timedelta(days=29 * k, hours=k)) for k in range(8)]
    return FixtureSite("c", _unique_slugs(copies + own), NewsApp, server_header="Microsoft-IIS/8.5")


def make_sites(
    seed: int = 1,
    *,
    a_posts: int = 58,
    html_validators: bool = False,
    sitemap_page_size: int = 2000,
) -> Sites:
    """Sites A (``a_posts`` posts), B and C, built together so B and C republish A (not started)."""
    origin = generate_site_posts(a_posts, seed)
    return Sites(
        make_site_a(origin, html_validators=html_validators, sitemap_page_size=sitemap_page_size),
        make_site_b(origin, seed, html_validators=html_validators),
        make_site_c(origin, seed),
    )


def make_bench_site(
    n_posts: int = 5000, rest_api: bool = False, *, seed: int = 1, port: int = 0
) -> FixtureSite:
    """A large theme-A site for benchmarks: a post a day since 2003, listings, feed, sitemap.

    With ``rest_api=False`` the REST API answers 401 (closed by a security plugin) while
    the page still announces it, so a crawler must fall back to feed, sitemap or listings.
    """
    posts = generate_site_posts(
        n_posts, seed, start=datetime(2003, 1, 7, tzinfo=UTC), spacing_days=1
    )
    return make_site_a(posts, rest_open=rest_api, private_page=False, port=port, name="bench")


def _unique_slugs(posts: list[Post]) -> list[Post]:
    """Suffix repeated slugs with -2, -3 ... as WordPress and most CMSs do."""
    seen: set[str] = set()
    out = []
    for post in posts:
        slug, n = post.slug, 1
        while slug in seen:
            n += 1
            slug = f"{post.slug}-{n}"
        seen.add(slug)
        out.append(dataclasses.replace(post, slug=slug))
    return out


def _new_year(post: Post) -> bool:
    """The update written across New Year (it reports 30 December and 2 January)."""
    texts = [straighten(t) for t in post.paragraph_texts()]
    return any(t.startswith("On 30 December") for t in texts) and post.date.month == 1
