"""Tests for spiders.extract on theme variants: dates and authors stated only in weaker markup.

Each case is a small post page built from one theme layout (classic, Elementor, block theme, or
a plain page with no post element), a byline/dateline header, a body and a URL; the expected
value is what ``extract_page`` must return. Dates in the body, links to other writers in the
body, the modified date and a site header's date must never become the post's own.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from spiders.extract import extract_body, extract_page
from storage.model import Paragraph

URL = "https://sahel-watch.example/weekly-security-update/"
DATED_URL = "https://sahel-watch.example/2025/03/03/weekly-security-update/"

BODY = "".join(
    f"<p>On {day} March, armed men attacked a checkpoint near Sirte, killing {day} people and"
    " wounding eight others, according to local sources.</p>"
    for day in (1, 2, 3)
)

LAYOUTS = {
    "classic": (
        '<div id="primary" class="content-area"><main id="main" class="site-main">'
        '<article id="post-7" class="post-7 post type-post hentry">'
        '<header class="entry-header"><h1 class="entry-title">Weekly security update</h1>'
        '{header}</header><div class="entry-content">{body}</div></article></main></div>'
    ),
    "elementor": (
        '<div data-elementor-type="single-post" class="elementor elementor-location-single'
        ' post-7 post type-post"><div class="elementor-widget-theme-post-title">'
        '<h1 class="elementor-heading-title">Weekly security update</h1></div>'
        '<div class="elementor-widget-post-info"><div class="elementor-widget-container">'
        '{header}</div></div><div class="elementor-widget-theme-post-content">'
        '<div class="elementor-widget-container">{body}</div></div></div>'
    ),
    "block": (
        '<div class="wp-site-blocks"><main class="wp-block-group is-layout-constrained">'
        '<h1 class="wp-block-post-title">Weekly security update</h1>{header}'
        '<div class="wp-block-post-content is-layout-constrained">{body}</div></main></div>'
    ),
    # The byline in the post's footer, after the body (twentysixteen and the like).
    "footer": (
        '<article id="post-7" class="post-7 post type-post hentry">'
        '<h1 class="entry-title">Weekly security update</h1>'
        '<div class="entry-content">{body}</div><footer class="entry-footer">{header}</footer>'
        "</article>"
    ),
    # No post element: the header is taken from the title on, the top bar stays out.
    "plain": (
        '<div id="content"><div class="topbar">Wednesday, 12 March 2025</div>'
        '<div class="main"><h1>Weekly security update</h1>{header}'
        '<div class="entry-content">{body}</div></div></div>'
    ),
}

SIDEBAR = (
    '<aside id="secondary" class="widget-area"><section class="widget widget_recent_entries">'
    '<ul><li><a href="/weekly-update-2/">Weekly update</a> by'
    ' <a href="/author/omar-saleh/">Omar Saleh</a> <time>10 March 2025</time></li></ul>'
    "</section></aside>"
)


def post_page(layout: str, header: str = "", body: str = BODY, head: str = "") -> str:
    """Return a whole post page in ``layout``, with a sidebar naming another post's author."""
    main = LAYOUTS[layout].format(header=header, body=body)
    return (
        f"<html><head><title>Weekly security update – Sahel Watch</title>{head}</head>"
        f'<body class="post-template-default single single-post">{main}{SIDEBAR}</body></html>'
    )


ELEMENTOR_INFO = (
    '<ul class="elementor-inline-items elementor-icon-list-items elementor-post-info">'
    '<li class="elementor-icon-list-item"><a href="/author/jane-doe/">'
    '<span class="elementor-icon-list-text elementor-post-info__item'
    ' elementor-post-info__item--type-author">Jane Doe</span></a></li>'
    '<li class="elementor-icon-list-item"><span class="elementor-icon-list-text'
    ' elementor-post-info__item elementor-post-info__item--type-date">'
    "<time>March 3, 2025</time></span></li></ul>"
)
MODIFIED_META = '<meta property="article:modified_time" content="2025-03-05T10:00:00+00:00">'
EVENT_PARAGRAPH = (
    "<p>On 3 March 2025, gunmen attacked a checkpoint near Sirte, killing four people, the"
    " municipal council said in a statement.</p>"
)

DATE_CASES = [
    pytest.param("elementor", ELEMENTOR_INFO, BODY, URL, date(2025, 3, 3), id="elementor-info"),
    pytest.param(
        "classic",
        '<span class="meta-item"><time>3rd March 2025</time></span>',
        BODY, URL, date(2025, 3, 3), id="time-text-without-datetime",
    ),
    pytest.param(
        "classic",
        '<div class="info-line">Posted on 3rd March 2025 by <a href="/author/jd/">Jane Doe</a>'
        "</div>",
        BODY, URL, date(2025, 3, 3), id="posted-on-in-plain-div",
    ),
    pytest.param(
        "classic", '<span class="td-post-date">3 March 2025</span>',
        BODY, URL, date(2025, 3, 3), id="td-post-date",
    ),
    pytest.param(
        "block", '<div class="wp-block-post-date">3 March 2025</div>',
        BODY, URL, date(2025, 3, 3), id="block-post-date-text",
    ),
    pytest.param(
        "plain", "<div>Amal Haddad · Monday, 3 March 2025</div>",
        BODY, URL, date(2025, 3, 3), id="bare-byline-on-plain-page",
    ),
    pytest.param(
        "classic", '<div class="info-line">Published 3 March 2025 · Updated 5 March 2025</div>',
        BODY, URL, date(2025, 3, 3), id="published-before-updated",
    ),
    pytest.param("classic", "", BODY, DATED_URL, date(2025, 3, 3), id="permalink-date"),
    pytest.param(
        "classic", "",
        BODY, "https://sahel-watch.example/2025/03/weekly-security-update/", None,
        id="permalink-month-has-no-day",
    ),
    pytest.param(
        "classic", '<div class="info-line">Posted on 4 March 2025</div>',
        BODY, DATED_URL, date(2025, 3, 4), id="header-line-before-permalink",
    ),
    pytest.param(
        "footer", '<span class="info-line">Posted on 3 March 2025</span>',
        BODY, URL, date(2025, 3, 3), id="dateline-in-entry-footer",
    ),
    pytest.param(
        "plain", "", BODY, URL, None, id="site-top-bar-date-is-not-the-post-date",
    ),
    pytest.param(
        "classic",
        '<figure><img src="/convoy.jpg" alt=""><figcaption>Sirte, 2 March 2025</figcaption>'
        '</figure><div class="wp-caption-text">Derna, 1 March 2025</div>',
        BODY, URL, None, id="header-photo-caption-date-is-not-published",
    ),
    pytest.param(
        "classic", "", EVENT_PARAGRAPH + BODY, URL, None, id="body-event-date-is-not-published",
    ),
    pytest.param(
        "classic", "",
        "<p>Gunmen attacked a checkpoint near Sirte on <time>3 March 2025</time>, killing four"
        " people, the council said.</p>" + BODY,
        URL, None, id="body-time-is-not-published",
    ),
    pytest.param(
        "classic",
        '<p class="standfirst">Gunmen attacked a checkpoint near Sirte on 3 March 2025, killing'
        " four people.</p>",
        BODY, URL, None, id="standfirst-sentence-is-not-a-dateline",
    ),
    pytest.param(
        "classic", '<p class="kicker">On 3 March 2025: Sirte attacked</p>',
        BODY, URL, None, id="short-dated-reporting-is-not-a-dateline",
    ),
    pytest.param(
        "classic", '<div class="info-line">Updated 5 March 2025</div>',
        BODY, URL, None, id="updated-line-is-not-published",
    ),
    pytest.param(
        "classic", '<span class="meta-item"><time class="updated">5 March 2025</time></span>',
        BODY, URL, None, id="updated-time-is-not-published",
    ),
]  # fmt: skip


@pytest.mark.parametrize(("layout", "header", "body", "url", "expected"), DATE_CASES)
def test_published_date_fallbacks(
    layout: str, header: str, body: str, url: str, expected: date | None
) -> None:
    """A post with no date markup is dated by its header's <time> or dateline, else its URL."""
    page = extract_page(post_page(layout, header, body), url)
    assert page.body_found
    assert page.published == expected


def test_modified_date_is_never_published() -> None:
    """A page stating only its modified time keeps published unknown, modified set."""
    page = extract_page(post_page("classic", head=MODIFIED_META), URL)
    assert (page.published, page.modified) == (None, datetime(2025, 3, 5, 10, tzinfo=UTC))


def test_stated_published_time_wins_over_fallbacks() -> None:
    """article:published_time is used even when a header line and the URL say another day."""
    head = '<meta property="article:published_time" content="2025-03-02T08:00:00+00:00">'
    header = '<div class="info-line">Posted on 4 March 2025</div>'
    page = extract_page(post_page("classic", header, head=head), DATED_URL)
    assert page.published == datetime(2025, 3, 2, 8, tzinfo=UTC)


def test_elementor_page_gives_author_and_date() -> None:
    """Elementor's post-info widget gives the author and the date (both were None before)."""
    page = extract_page(post_page("elementor", ELEMENTOR_INFO), URL)
    assert (page.author, page.published) == ("Jane Doe", date(2025, 3, 3))
    assert [p.text[:8] for p in page.paragraphs] == ["On 1 Mar", "On 2 Mar", "On 3 Mar"]


AUTHOR_CASES = [
    pytest.param("elementor", ELEMENTOR_INFO, BODY, "", "Jane Doe", id="elementor-info"),
    pytest.param(
        "block",
        '<div class="wp-block-post-author-name"><a href="/author/jane-doe/" target="_self"'
        ' class="wp-block-post-author-name__link">Jane Doe</a></div>',
        BODY, "", "Jane Doe", id="block-post-author-name",
    ),
    pytest.param(
        "block", '<div class="wp-block-post-author-name">Jane Doe</div>',
        BODY, "", "Jane Doe", id="block-post-author-name-unlinked",
    ),
    pytest.param(
        "classic", '<div class="info-line">By <a href="/author/jane-doe/">Jane Doe</a></div>',
        BODY, "", "Jane Doe", id="plain-by-line-author-link",
    ),
    pytest.param(
        "plain", '<p>By <a href="https://sahel-watch.example/?author=3">Jane Doe</a></p>',
        BODY, "", "Jane Doe", id="author-query-link",
    ),
    pytest.param(
        "classic", '<div class="info-line">By <a href="/author/omar-saleh/">Omar Saleh</a></div>',
        BODY, '<meta name="author" content="Jane Doe">', "Jane Doe",
        id="meta-author-ranks-above-link",
    ),
    pytest.param(
        "footer", 'Posted by <a href="/author/jane-doe/">Jane Doe</a>',
        BODY, "", "Jane Doe", id="author-link-in-entry-footer",
    ),
    pytest.param(
        "classic", "",
        '<p>On 4 March, <a href="/author/omar-saleh/">Omar Saleh</a> reported that the LNA had'
        " reinforced its positions south of Sirte.</p>" + BODY,
        "", None, id="body-author-link-is-not-the-author",
    ),
    pytest.param(
        "classic", '<div class="info-line"><a href="/author/jane-doe/">View all posts</a></div>',
        BODY, "", None, id="view-all-posts-link-is-no-name",
    ),
]  # fmt: skip


@pytest.mark.parametrize(("layout", "header", "body", "head", "expected"), AUTHOR_CASES)
def test_author_fallbacks(
    layout: str, header: str, body: str, head: str, expected: str | None
) -> None:
    """Theme byline classes and author-archive links in the post's header name the author."""
    page = extract_page(post_page(layout, header, body, head), URL)
    assert page.body_found
    assert page.author == expected


REAL = "On 3 March, armed men attacked a checkpoint near Sirte, killing four people."
BOILERPLATE_LINES = [
    "The post Weekly security update: 3 March 2025 appeared first on Sahel Watch.",
    "If you found this update useful, please consider supporting our work with a donation.",
    "Join our Telegram channel for real-time alerts.",
    "Featured image: Reuters",
    "Photo: a convoy on the coast road near Sirte (AFP)",
    "Image credit: Libya Observer",
    "Header image: the port of Derna",
]
KEPT_LINES = [
    "Militants posted a video on their Telegram channel claiming the attack on the checkpoint.",
    "The donation of weapons by a Gulf state to the LNA was confirmed by the UN panel.",
]


def test_feed_footer_and_calls_to_action_leave_the_body() -> None:
    """Feed footers, donation and channel calls and image credits are dropped; reporting stays."""
    lines = [REAL, *KEPT_LINES, *BOILERPLATE_LINES]
    fragment = "".join(f"<p>{line}</p>" for line in lines)
    assert extract_body(fragment) == [Paragraph(REAL), *map(Paragraph, KEPT_LINES)]


def test_text_under_a_donation_heading_is_dropped() -> None:
    """A "Support our work" heading starts chrome: its appeal below is not article text."""
    fragment = (
        f"<p>{REAL}</p><h3>Support our work</h3>"
        "<p>Every contribution keeps the weekly update free for readers in the region.</p>"
        "<h3>Derna</h3><p>On 4 March, the council reopened the port.</p>"
    )
    assert extract_body(fragment) == [
        Paragraph(REAL),
        Paragraph("On 4 March, the council reopened the port.", "Derna"),
    ]
