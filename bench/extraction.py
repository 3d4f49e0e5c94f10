"""Compare our page extraction with trafilatura: speed, paragraphs found, boilerplate leaked.

Usage (from the repository root)::

    python bench/extraction.py                   # the test cases in tests/data/extract/
    python bench/extraction.py --fixturesite 20  # also 20 posts of each fixture site
    python bench/extraction.py DIR [DIR ...]     # also every *.html under DIR (timing only)
    python bench/extraction.py --runs 50         # timed runs per page for ours

For each page, ``spiders.extract.extract_page`` and ``trafilatura.extract`` (2.x API:
``favor_precision=True``, then with ``fast=True`` as well, which skips its fallback
extractors) get the same input: bytes with the HTTP charset, or text, as the page came.
Reader comments are switched off in trafilatura (``include_comments=False``; its default
includes them and we never want them). Times are the median of the timed runs per page after
one warm-up; tables give the median over pages. "decode+parse only" is what ``extract_page``
spends before its own work: the floor under any lxml-based extractor.

Scoring, after normalising text (NFKC, straight quotes, collapsed whitespace, list bullets
dropped, case-folded):

- ``found``: share of expected paragraphs present in the output (as one output unit or
  within the joined output: trafilatura splits at every <br>, we join single <br>s);
- ``exact``: share of expected paragraphs that are exactly one output unit;
- ``noise``: share of output units that are no expected paragraph nor part of one; the
  title and section headings are neutral (trafilatura emits headings as lines, we put them in
  ``Paragraph.section``);
- ``leaked``: share of the page's known boilerplate lines present in the output;
- ``non-article``: output units on pages that hold no article (listings, 404s): should be 0.

Two sources of expectations: the test cases (written together with our rules, so they
flatter us) and the fixture sites of ``tests/fixturesite`` (written independently, with their
own themes and boilerplate: the fairer test). Pages from a directory have no expectations;
for them the table gives timing and how many of our paragraphs trafilatura also found.
No assertions: this prints figures for choosing between hand selectors and a library.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
import unicodedata
import urllib.error
import urllib.request
import warnings
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from spiders.extract import Selectors, _parse_document, extract_page  # noqa: E402

CASES_DIR = ROOT / "tests" / "data" / "extract"
_QUOTES = str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"', "\u00a0": " "})

_MAX_ROWS = 30  # pages beyond which only the summary is printed
Extractor = Callable[[str | bytes, str, dict], list[str]]
PageInput = tuple[str, dict, str | bytes]  # label, case (url, expected, boilerplate...), page
# Listing pages of the fixture sites (tests/fixturesite/README.md); each site has some.
_LISTINGS = ("/", "/page/2/", "/category/weekly-update/", "/?paged=2", "/news/", "/news/?page=2")


def ours(html: str | bytes, url: str, case: dict) -> list[str]:
    """Our extractor: the page's paragraph texts."""
    selectors = Selectors(**case.get("selectors", {}))
    page = extract_page(html, url, selectors=selectors, encoding=case.get("encoding"))
    return [p.text for p in page.paragraphs]


def trafilatura_runner(*, fast: bool) -> Extractor:
    """Return a trafilatura extractor (precision mode, optionally fast) giving output lines."""
    import trafilatura

    def run(html: str | bytes, url: str, case: dict) -> list[str]:
        text = trafilatura.extract(
            html, url=url, favor_precision=True, fast=fast, include_comments=False
        )
        return [line for line in (text or "").splitlines() if line.strip()]

    return run


def parse_only(html: str | bytes, url: str, case: dict) -> list[str]:
    """Only decode and parse the page as ``extract_page`` does."""
    _parse_document(html, case.get("encoding"))
    return []


def normalise(text: str) -> str:
    """Normalise a line for comparison: NFKC, straight quotes, whitespace, no bullet."""
    text = " ".join(unicodedata.normalize("NFKC", text).translate(_QUOTES).split())
    return text.removeprefix("- ").removeprefix("* ").removeprefix("• ").casefold()


@dataclass
class Score:
    """Counts behind one tool's figures, summed over pages."""

    times: list[float] = field(default_factory=list)
    expected: int = 0
    found: int = 0
    exact: int = 0
    units: int = 0
    noise: int = 0
    boilerplate: int = 0
    leaked: int = 0
    non_article_units: int = 0

    def add(self, case: dict, lines: list[str]) -> None:
        """Score one page's output against its case."""
        expected = case["expected"]
        if not expected["body_found"]:
            self.non_article_units += len(lines)
            return
        wanted = [normalise(p["text"]) for p in expected["paragraphs"]]
        neutral = {normalise(p["section"]) for p in expected["paragraphs"] if p["section"]}
        neutral.add(normalise(expected["title"] or ""))
        got = [normalise(line) for line in lines]
        joined = " ".join(got)
        self.expected += len(wanted)
        self.found += sum(w in joined for w in wanted)
        self.exact += sum(w in got for w in wanted)
        counted = [g for g in got if g not in neutral]
        self.units += len(counted)
        self.noise += sum(not any(g in w for w in wanted) for g in counted)
        listed = [normalise(b) for b in case["boilerplate"] if b.strip()]
        self.boilerplate += len(listed)
        self.leaked += sum(b in joined for b in listed)


def timed(
    extract: Extractor, html: str | bytes, url: str, case: dict, runs: int
) -> tuple[list[str], float]:
    """Run an extractor once to warm up, then ``runs`` times; return output and median ms."""
    lines = extract(html, url, case)
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        extract(html, url, case)
        samples.append((time.perf_counter() - start) * 1000)
    return lines, statistics.median(samples)


def runs_for(tool: str, runs: int) -> int:
    """Return how many timed runs a tool gets (trafilatura is ten times slower)."""
    return max(3, runs // 10) if tool.startswith("trafilatura") else runs


def load_cases() -> list[PageInput]:
    """Return (name, case, page) for every test case."""
    cases = []
    for path in sorted(CASES_DIR.glob("*.json")):
        case = json.loads(path.read_text(encoding="utf-8"))
        data = path.with_suffix(".html").read_bytes()
        cases.append((path.stem, case, data if case.get("input") == "bytes" else data.decode()))
    return cases


def fixture_pages(per_site: int) -> Iterator[PageInput]:
    """Yield post pages of the fixture sites, fetched over HTTP, with their ground truth,
    and their listing pages (home, archives), which hold no article."""
    from tests.fixturesite import make_sites

    with make_sites() as sites:
        for site in sites:
            for post in site.posts[:per_site]:
                url = site.url_of(post)
                with urllib.request.urlopen(url) as response:
                    html = response.read()
                    charset = response.headers.get_content_charset()
                case = {
                    "url": url,
                    "encoding": charset,
                    "expected": {
                        "body_found": True,
                        "title": post.title,
                        "paragraphs": [
                            {"section": heading, "text": text}
                            for heading, text in post.paragraphs_with_headings()
                        ],
                    },
                    "boilerplate": site.boilerplate_for(post),
                }
                yield f"{site.name}/{post.id}", case, html
            for path in _LISTINGS:
                try:
                    with urllib.request.urlopen(site.root + path) as response:
                        html = response.read()
                except urllib.error.HTTPError:
                    continue  # this site has no such listing
                case = {"url": site.root + path, "expected": {"body_found": False}}
                yield f"{site.name}{path}", case, html


def pct(part: int, whole: int) -> str:
    """Format a share as a percentage, or '-' when there is nothing to share."""
    return f"{100 * part / whole:5.1f}%" if whole else "    -"


def score_pages(title: str, tools: dict[str, Extractor], pages: list[PageInput], runs: int) -> None:
    """Time and score every tool over pages with expectations, and print the tables."""
    scores = {name: Score() for name in tools}
    print(f"\n== {title}: {len(pages)} pages, median ms per page")
    if len(pages) <= _MAX_ROWS:
        print(f"{'page':28}" + "".join(f"{name:>23}" for name in tools))
    for label, case, html in pages:
        row = f"{label[:27]:28}"
        for tool, extract in tools.items():
            lines, ms = timed(extract, html, case["url"], case, runs_for(tool, runs))
            scores[tool].times.append(ms)
            scores[tool].add(case, lines)
            row += f"{ms:23.3f}"
        if len(pages) <= _MAX_ROWS:
            print(row)
    print()
    header = ("tool", "median ms", "found", "exact", "noise", "leaked", "non-article")
    print("{:22}{:>11}{:>9}{:>9}{:>9}{:>9}{:>13}".format(*header))
    for tool, s in scores.items():
        line = f"{tool:22}{statistics.median(s.times):11.3f}"
        if tool != "decode+parse only":
            line += (
                f"{pct(s.found, s.expected):>9}{pct(s.exact, s.expected):>9}"
                f"{pct(s.noise, s.units):>9}{pct(s.leaked, s.boilerplate):>9}"
                f"{s.non_article_units:>13}"
            )
        print(line)


def bench_directory(tools: dict[str, Extractor], directories: list[Path], runs: int) -> None:
    """Time every tool over pages without expectations, and print how far they agree."""
    pages = sorted(p for d in directories for p in d.rglob("*.htm*") if p.is_file())
    if not pages:
        print(f"\nno *.html files under {', '.join(map(str, directories))}")
        return
    times: dict[str, list[float]] = {name: [] for name in tools}
    agree = {name: [0, 0] for name in tools if name.startswith("trafilatura")}
    empty = dict.fromkeys(tools, 0)
    for path in pages:
        html = path.read_bytes()
        out = {}
        for tool, extract in tools.items():
            lines, ms = timed(extract, html, path.as_uri(), {}, runs_for(tool, runs))
            times[tool].append(ms)
            out[tool] = [normalise(line) for line in lines]
            empty[tool] += not lines
        for tool in agree:
            joined = " ".join(out[tool])
            agree[tool][0] += sum(unit in joined for unit in out["ours"])
            agree[tool][1] += len(out["ours"])
    print(f"\n== {len(pages)} pages from {', '.join(map(str, directories))}")
    print(f"{'tool':22}{'median ms':>11}{'mean ms':>9}{'empty':>7}{'ours found too':>16}")
    for tool in tools:
        share = pct(*agree[tool]) if tool in agree else ""
        nothing = "" if tool == "decode+parse only" else empty[tool]
        print(
            f"{tool:22}{statistics.median(times[tool]):11.3f}{statistics.fmean(times[tool]):9.3f}"
            f"{nothing:>7}{share:>16}"
        )


def main() -> None:
    """Run the benchmark."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("directories", nargs="*", type=Path, help="more pages (*.html) to time")
    parser.add_argument("--runs", type=int, default=50, help="timed runs per page for ours")
    parser.add_argument(
        "--fixturesite", type=int, default=0, metavar="N", help="also N posts per fixture site"
    )
    args = parser.parse_args()
    warnings.simplefilter("ignore")  # trafilatura's date extraction may warn on odd dates
    tools: dict[str, Extractor] = {
        "ours": ours,
        "trafilatura precision": trafilatura_runner(fast=False),
        "trafilatura prec+fast": trafilatura_runner(fast=True),
        "decode+parse only": parse_only,
    }
    score_pages("test cases", tools, load_cases(), args.runs)
    if args.fixturesite:
        pages = list(fixture_pages(args.fixturesite))
        score_pages("fixture sites A, B, C", tools, pages, args.runs)
    if args.directories:
        bench_directory(tools, args.directories, args.runs)
    print(
        "\nfound/exact: expected paragraphs present (anywhere / as one unit); noise: output"
        "\nunits that are no expected paragraph; leaked: known boilerplate present;"
        "\nnon-article: units output on listing/404 pages."
    )


if __name__ == "__main__":
    main()
