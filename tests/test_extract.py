"""Tests for page extraction: spiders.extract, spiders.boilerplate and spiders.dates.

The page cases live in tests/data/extract/: NAME.html (the page, as fetched) and NAME.json
(the URL, how to feed the page, optional selectors, the expected result, and boilerplate lines
that must not reach any paragraph).
"""

from __future__ import annotations

import json
import random
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path

import lxml.html
import pytest

from spiders.boilerplate import RULES, is_boilerplate, match_rule, opens_like_reporting
from spiders.dates import parse_page_date
from spiders.extract import Page, Selectors, extract_body, extract_page
from storage.eventdates import event_date
from storage.model import Paragraph

CASES_DIR = Path(__file__).parent / "data" / "extract"
CASES = sorted(path.stem for path in CASES_DIR.glob("*.json"))


def load_case(name: str) -> tuple[dict, str | bytes]:
    """Return a case's JSON and its page, as bytes or text as the case says."""
    case = json.loads((CASES_DIR / f"{name}.json").read_text(encoding="utf-8"))
    data = (CASES_DIR / f"{name}.html").read_bytes()
    return case, data if case.get("input") == "bytes" else data.decode("utf-8")


def run_case(name: str) -> tuple[dict, Page]:
    """Extract a case's page with the case's URL, selectors and encoding."""
    case, html = load_case(name)
    selectors = Selectors(**case.get("selectors", {}))
    page = extract_page(html, case["url"], selectors=selectors, encoding=case.get("encoding"))
    return case, page


def summarise(page: Page) -> dict:
    """Return a page in the shape of a case's "expected" object."""
    return {
        "title": page.title,
        "published": page.published.isoformat() if page.published else None,
        "modified": page.modified.isoformat() if page.modified else None,
        "author": page.author,
        "categories": page.categories,
        "tags": page.tags,
        "canonical": page.canonical,
        "language": page.language,
        "body_found": page.body_found,
        "paragraphs": [{"section": p.section, "text": p.text} for p in page.paragraphs],
    }


def test_there_are_enough_cases() -> None:
    """The case directory holds at least ten page cases, each with its HTML."""
    assert len(CASES) >= 10
    assert all((CASES_DIR / f"{name}.html").exists() for name in CASES)


@pytest.mark.parametrize("name", CASES)
def test_page_case(name: str) -> None:
    """Each page case extracts to exactly the metadata and paragraphs its JSON expects."""
    case, page = run_case(name)
    assert summarise(page) == case["expected"]


@pytest.mark.parametrize("name", CASES)
def test_case_boilerplate_never_reaches_paragraphs(name: str) -> None:
    """No boilerplate line listed by a case appears inside any extracted paragraph."""
    case, page = run_case(name)
    leaked = [b for b in case["boilerplate"] for p in page.paragraphs if b in p.text]
    assert leaked == []


@pytest.mark.parametrize("name", CASES)
def test_alt_text_and_comments_never_reach_paragraphs(name: str) -> None:
    """Image alt text and reader comments found in a case's HTML appear in no paragraph."""
    root = lxml.html.document_fromstring((CASES_DIR / f"{name}.html").read_bytes())
    alts = [alt.strip() for alt in root.xpath("//img/@alt") if len(alt.strip()) > 3]
    comment_boxes = root.xpath(
        "//*[@id='comments' or contains(@class, 'comment-content') or @class='comment']"
    )
    comments = [" ".join(box.text_content().split())[:40] for box in comment_boxes]
    _, page = run_case(name)
    texts = [p.text for p in page.paragraphs] + [p.section or "" for p in page.paragraphs]
    assert [a for a in alts if any(a in t for t in texts)] == []
    assert [c for c in comments if c and any(c in t for t in texts)] == []


def test_dropped_lines_say_why() -> None:
    """Every line removed from a body is reported with a reason."""
    _, page = run_case("twentysixteen_weekly")
    reasons = dict(page.dropped)
    assert reasons["Tags: , , ,"].startswith("tags-line:")
    assert reasons["Screen Shot 2016-04-20 at 7.44.20 PM"].startswith("image-file:")


# --- boilerplate rules ----------------------------------------------------------------------

BOILERPLATE = [
    ("no-letters", "* * *"),
    ("no-letters", "—"),
    ("ui-label", "Advertisement"),
    ("ui-label", "Loading..."),
    ("ui-label", "Like Loading..."),
    ("ui-label", "Print this article"),
    ("share-button", "Share this:"),
    ("share-button", "Like this:"),
    ("share-button", "Click to share on Twitter (Opens in new window)"),
    ("share-button", "Share on Facebook"),
    ("share-button", "شارك هذا:"),
    (
        "subscribe-cta",
        "A weekly update on Libya's security situation is available by subscribing here.",
    ),
    ("subscribe-cta", "Full reports are available to subscribers by subscribing on our website."),
    ("subscribe-cta", "Please sign up on the subscribe page to receive the full weekly update."),
    ("subscribe-cta", "Subscribe to our newsletter"),
    (
        "subscribe-cta",
        "Enter your email address to subscribe to this blog and receive notifications.",
    ),
    ("subscribe-cta", "Join 4,210 other subscribers"),
    (
        "donate-cta",
        "If you found this update useful, please consider supporting our work with a donation.",
    ),
    ("donate-cta", "Please consider donating to keep this blog independent."),
    ("donate-cta", "You can support us on Patreon."),
    ("donate-cta", "Support our work"),
    ("follow-cta", "Join our Telegram channel for real-time alerts."),
    ("follow-cta", "For real-time alerts, join our Telegram channel."),
    ("follow-cta", "Follow us on X for breaking updates."),
    ("follow-cta", "Like us on Facebook"),
    ("click-here", "To read all four sections of this week's report, click here"),
    ("click-here", "Click here to read the full update."),
    ("click-here", "Are you a regular reader? Click here to support our work."),
    ("click-here", "The full report can be downloaded by clicking here."),
    ("republished", "This article was republished with explicit permission from the author."),
    ("republished", "Republished with permission."),
    ("republished", "This analysis was originally published on Libya Analysis."),
    ("republished", "Originally appeared at libya-analysis.example."),
    ("republished", "Read the original article on the author's blog."),
    ("republished", "The post Weekly update: 3 March 2025 appeared first on Sahel Watch."),
    ("republished", "The post IS in Action appeared first on sahel-watch.example."),
    ("source-credit", "Source: Libya Analysis"),
    (
        "site-bio",
        "Libya Analysis is the most read independent blog on Libyan politics and security.",
    ),
    ("site-bio", "Libya Desk is an independent news website covering North Africa."),
    ("site-bio", "About the author"),
    ("author-bio", "Daniel Reeve is a Senior Fellow at the Foundation for Conflict Research."),
    ("author-bio", "Follow him on Twitter for more updates."),
    ("author-bio", "Follow North Africa Daily on Twitter for the latest news from the region."),
    ("author-bio", "She tweets at @libyadesk about militias."),
    ("disclaimer", "The views expressed in this article are the author's own."),
    ("comments", "Comments are closed."),
    ("comments", "Leave a Reply Cancel reply"),
    ("comments", "3 Comments"),
    ("related", "Related"),
    ("related", "Related posts:"),
    ("related", "Read more: Sirte, the battle ahead"),
    ("related", "You may also like"),
    ("related", "اقرأ أيضاً: التحديث السابق"),
    ("post-meta", "Posted in Weekly Update"),
    ("post-meta", "Filed under: Libya, Security"),
    ("post-meta", "This entry was posted in Libya and tagged IS. Bookmark the permalink."),
    ("posted-on", "Posted on March 7, 2016 by admin"),
    ("tags-line", "Tags: , , ,"),
    ("tags-line", "Tags: Libya, IS, Derna"),
    ("tags-line", "Tagged with: Benghazi"),
    ("image-file", "Screen Shot 2016-04-20 at 7.44.20 PM"),
    ("image-file", "IMG_1234.jpg"),
    ("image-file", "photo-1.png"),
    ("image-file", "DSC01234"),
    ("image-file", "Screenshot_2016-04-20-19-44-20"),
    ("image-file-short", "Map: libya-control.png (click)"),
    ("caption-credit", "Photo: Reuters"),
    ("caption-credit", "Image courtesy of the LNA media office"),
    ("caption-credit", "Featured image: Reuters"),
    ("caption-credit", "Header image: a checkpoint near Sirte (AFP)"),
    ("caption-credit", "Image credit: Libya Observer"),
    ("copyright", "© 2016 Libya Analysis. All rights reserved."),
    ("short-fragment", "Derna"),
    ("short-fragment", "Twitter Facebook"),
]

ARTICLE_SENTENCES = [
    "On 3 March, the LNA said it would subscribe to the ceasefire terms.",
    "On 4 March, IS told supporters to click here to join a new Telegram channel, SITE said.",
    "Residents were told to click here on the ministry's portal, which crashed within hours.",
    "The ministry published the list with the permission of the families, officials said.",
    "The claim was first published on Amaq on 3 March and later deleted.",
    "The report was published on 3 March by the UN Panel of Experts.",
    "Khalifa Haftar is the commander of the Libyan National Army.",
    "Martin Kobler is the UN special envoy for Libya.",
    "Related clashes broke out in Sabratha on 4 March.",
    "Photos posted online showed IS fighters in Sirte.",
    "Posted checkpoints were abandoned overnight.",
    "Fighting continues.",
    "He refused.",
    "IS in Action",
    "Last week, the Misrata brigades said they would sign up to the reconciliation plan"
    " announced on the council's Facebook page.",
    "The LNA denied this, saying its aircraft struck only IS positions, and that the footage"
    " was filmed in 2015.",
    "قال الجيش الوطني الليبي إن طائراته قصفت مستودعاً يستخدمه مقاتلو داعش.",
    "Like this, the militias hope to keep control of the coast road.",
    "Share prices in Tripoli fell after the attack on the oil terminal.",
    "The most-read newspaper in Benghazi reported that the LNA had entered Ganfouda.",
    "Militants posted a video on their Telegram channel claiming the attack on the checkpoint.",
    "IS urged supporters to join its Telegram channel for news of the fighting in Sirte.",
    "The donation of weapons by a Gulf state to the LNA was confirmed by the UN panel.",
    "Officials said you can donate blood at the central hospital in Misrata until Friday.",
    "Analysts said you can expect support from the US to continue through the spring.",
    "Like us, the residents of Derna want the coast road reopened, the mayor told visitors.",
    "The post of defence minister appeared first on the council's agenda, then was dropped.",
    "Featured in the report was a map of the checkpoints around Sirte.",
    "The image posted by the brigade showed a burnt-out vehicle near the port.",
]


@pytest.mark.parametrize(("rule", "text"), BOILERPLATE)
def test_boilerplate_rule_fires(rule: str, text: str) -> None:
    """Each boilerplate rule recognises its examples, and is_boilerplate names it."""
    assert (found := match_rule(text)) is not None
    assert found.name == rule
    assert is_boilerplate(text) == f"{found.name}: {found.reason}"


@pytest.mark.parametrize("text", ARTICLE_SENTENCES)
def test_article_sentences_are_not_boilerplate(text: str) -> None:
    """Real article sentences, even with 'subscribe', 'click here' or 'published' in them, stay."""
    assert is_boilerplate(text) is None


def naive_match(text: str) -> str | None:
    """Try every rule in table order, the slow and obvious way."""
    low, words = text.lower(), len(text.split())
    for rule in RULES:
        applies = words <= rule.max_words and not (rule.prose_guard and opens_like_reporting(text))
        if applies and rule.matches(text, low):
            return rule.name
    return None


@pytest.mark.parametrize("text", [text for _, text in BOILERPLATE] + ARTICLE_SENTENCES)
def test_match_rule_agrees_with_trying_rules_in_order(text: str) -> None:
    """The optimised match_rule picks the same rule as trying the table row by row."""
    found = match_rule(text)
    assert (found.name if found else None) == naive_match(text)


def test_rules_see_collapsed_whitespace() -> None:
    """Line breaks and non-breaking spaces inside a line do not hide boilerplate."""
    assert is_boilerplate("Share\n  this:") is not None
    assert is_boilerplate("Comments\u00a0are closed.") is not None


def test_every_rule_has_examples() -> None:
    """Every rule in the table is exercised by at least one example above."""
    assert {rule.name for rule in RULES} == {name for name, _ in BOILERPLATE}


def test_rules_have_reasons() -> None:
    """Every rule has a unique name and a one-line reason."""
    names = [rule.name for rule in RULES]
    assert len(names) == len(set(names))
    assert all(rule.reason and "\n" not in rule.reason for rule in RULES)


# --- dates ----------------------------------------------------------------------------------

PLUS2 = timezone(timedelta(hours=2))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2016-03-07", date(2016, 3, 7)),
        ("2016-03-07T10:15:22+00:00", datetime(2016, 3, 7, 10, 15, 22, tzinfo=UTC)),
        ("2016-03-07T10:15:22Z", datetime(2016, 3, 7, 10, 15, 22, tzinfo=UTC)),
        ("2016-03-07T10:15:22.123+0200", datetime(2016, 3, 7, 10, 15, 22, tzinfo=PLUS2)),
        ("2016-03-07 10:15", date(2016, 3, 7)),
        ("2016-03-07T10:15:22", date(2016, 3, 7)),
        ("Mon, 07 Mar 2016 10:15:22 +0200", datetime(2016, 3, 7, 10, 15, 22, tzinfo=PLUS2)),
        ("Mon, 07 Mar 2016 10:15:22 GMT", datetime(2016, 3, 7, 10, 15, 22, tzinfo=UTC)),
        ("Mon, 07 Mar 2016 10:15:22 -0000", datetime(2016, 3, 7, 10, 15, 22, tzinfo=UTC)),
        ("Mon, 07 Mar 2016 10:15:22", date(2016, 3, 7)),
        ("7 March 2016", date(2016, 3, 7)),
        ("7th of March, 2016", date(2016, 3, 7)),
        ("March 7, 2016", date(2016, 3, 7)),
        ("Sept. 7, 2016", date(2016, 9, 7)),
        ("Monday, 14 March 2016", date(2016, 3, 14)),
        ("Posted on March 7th, 2016 at 10:15 am by admin", date(2016, 3, 7)),
        ("7 مارس 2016", date(2016, 3, 7)),
        ("٧ مارس ٢٠١٦", date(2016, 3, 7)),
        ("2016/03/07", date(2016, 3, 7)),
        ("07.03.2016", date(2016, 3, 7)),
        ("13/03/2016", date(2016, 3, 13)),
        ("03/13/2016", date(2016, 3, 13)),
        ("07/03/2016", None),
        ("31 February 2016", None),
        ("March 2016", None),
        ("7 March 1850", None),
        ("", None),
        ("yesterday", None),
    ],
)
def test_parse_page_date(text: str, expected: datetime | date | None) -> None:
    """Page and feed dates parse to an aware datetime with a zone, else a date, else None."""
    assert parse_page_date(text) == expected
    if isinstance(expected, datetime):
        assert parse_page_date(text).utcoffset() == expected.utcoffset()


def test_parse_page_date_dayfirst_settles_ambiguous_dates() -> None:
    """An ambiguous 07/03/2016 follows the dayfirst argument."""
    assert parse_page_date("07/03/2016", dayfirst=True) == date(2016, 3, 7)
    assert parse_page_date("07/03/2016", dayfirst=False) == date(2016, 7, 3)


# --- encodings and odd input ----------------------------------------------------------------

DOC = (
    "<html><head>{meta}<title>T</title></head>"
    "<body><div class='entry-content'>{body}</div></body></html>"
)
BODY = "<p>On 3 March, the LNA\u2019s spokesman said the caf\u00e9 in Sebha had been hit.</p>"
TEXT = "On 3 March, the LNA\u2019s spokesman said the caf\u00e9 in Sebha had been hit."


def test_header_charset_wins_over_meta() -> None:
    """The HTTP header's charset is used even when the page's <meta> says otherwise."""
    html = DOC.format(meta='<meta charset="utf-8">', body=BODY).encode("cp1252")
    assert extract_page(html, "http://x.example/", encoding="windows-1252").paragraphs == [
        Paragraph(TEXT)
    ]


def test_meta_charset_is_used_without_a_header() -> None:
    """Without a header charset, <meta charset> decides."""
    html = DOC.format(meta='<meta charset="windows-1252">', body=BODY).encode("cp1252")
    assert extract_page(html, "http://x.example/").paragraphs == [Paragraph(TEXT)]


def test_undeclared_bytes_try_utf8_then_windows_1252() -> None:
    """Undeclared bytes decode as UTF-8 when valid, else as windows-1252."""
    doc = DOC.format(meta="", body=BODY)
    assert extract_page(doc.encode("utf-8"), "http://x.example/").paragraphs == [Paragraph(TEXT)]
    assert extract_page(doc.encode("cp1252"), "http://x.example/").paragraphs == [Paragraph(TEXT)]


def test_bad_bytes_never_crash() -> None:
    """Random bytes, bad encodings, NUL bytes and empty input give a page, not an exception."""
    rng = random.Random(7)
    junk = [bytes(rng.randrange(256) for _ in range(2000)) for _ in range(20)]
    odd = [b"", b"   ", b"\x00\x00", b"<html>\x00<p>x</p>", b"\xff\xfe<\x00p\x00>\x00"]
    for data in junk + odd:
        page = extract_page(data, "http://x.example/", encoding="no-such-charset")
        assert isinstance(page, Page)
    assert extract_page("", "http://x.example/").body_found is False


def test_xml_declaration_in_text_input() -> None:
    """A str page that starts with an XML encoding declaration still parses."""
    html = '<?xml version="1.0" encoding="UTF-8"?>' + DOC.format(meta="", body=BODY)
    assert extract_page(html, "http://x.example/").paragraphs == [Paragraph(TEXT)]


# --- body reading details -------------------------------------------------------------------


def test_extract_body_reads_a_rest_fragment() -> None:
    """A REST content.rendered fragment yields its paragraphs, sections and no boilerplate."""
    fragment = (
        "<p><strong>IS in Action</strong></p>\n"
        "<p>On 3 March,&nbsp;IS claimed an attack near Zliten.</p>\n"
        "<h2>Politics</h2>\n<p>On 4 March, the HoR met in Tobruk.</p>\n"
        "<p>Tags: , , ,</p>\n<div class='sharedaddy'><h3>Share this:</h3></div>"
    )
    assert extract_body(fragment, base_url="https://libya-analysis.example/") == [
        Paragraph("On 3 March, IS claimed an attack near Zliten.", "IS in Action"),
        Paragraph("On 4 March, the HoR met in Tobruk.", "Politics"),
    ]
    assert extract_body("") == []
    assert extract_body("   ") == []


def test_bold_first_line_becomes_the_section() -> None:
    """A bold line ended by one <br> heads the section; the rest of the <p> is the paragraph."""
    fragment = "<p><b>Derna</b><br>On 2 March, the council took Fatayeh.</p>"
    assert extract_body(fragment) == [Paragraph("On 2 March, the council took Fatayeh.", "Derna")]


def test_bold_sentence_is_a_paragraph() -> None:
    """A whole bold sentence (it ends with a full stop) stays a paragraph."""
    fragment = "<p><strong>On 2 March, the council took Fatayeh.</strong></p>"
    assert extract_body(fragment) == [Paragraph("On 2 March, the council took Fatayeh.")]


def test_bold_dated_line_without_full_stop_is_a_paragraph() -> None:
    """A bold line that opens like dated reporting is text, even without a full stop."""
    fragment = "<p><strong>On 5 March, the LNA denied the report</strong></p>"
    assert extract_body(fragment) == [Paragraph("On 5 March, the LNA denied the report")]


def test_text_under_a_chrome_heading_is_dropped() -> None:
    """Lines under a 'Related' or 'About the author' heading are not article text."""
    fragment = (
        "<p>On 2 March, the council took Fatayeh.</p><h3>About the author</h3>"
        "<p>Jane writes about Libya for several outlets and lives in Tunis.</p>"
        "<h3>Derna</h3><p>On 3 March, the council took the port.</p>"
    )
    assert extract_body(fragment) == [
        Paragraph("On 2 March, the council took Fatayeh."),
        Paragraph("On 3 March, the council took the port.", "Derna"),
    ]


def test_page_builder_widgets_are_not_chrome() -> None:
    """Text in Elementor's "elementor-widget-container" blocks is found as the body."""
    paragraphs = [
        "On 3 March, the council said it had taken the port of Derna after heavy fighting.",
        "On 4 March, the LNA said its aircraft struck IS positions south of the city, killing"
        " several fighters.",
        "On 5 March, residents said shops had reopened in the old city for the first time in"
        " weeks, and that schools would follow.",
    ]
    widget = '<div class="elementor-widget elementor-widget-text-editor"><div class="elementor-widget-container">{}</div></div>'  # noqa: E501
    html = "<html><body><div class='elementor'>{}{}</div></body></html>".format(
        widget.format("<h1>Derna update</h1>"),
        widget.format("".join(f"<p>{p}</p>" for p in paragraphs)),
    )
    page = extract_page(html, "http://x.example/")
    assert [p.text for p in page.paragraphs] == paragraphs


def test_configured_body_selector_that_matches_nothing_falls_back() -> None:
    """A configured body selector that no longer matches falls back to detection."""
    html = DOC.format(meta="", body=BODY)
    page = extract_page(html, "http://x.example/", selectors=Selectors(body=".gone"))
    assert page.body_found
    assert page.paragraphs == [Paragraph(TEXT)]


@pytest.mark.parametrize(
    ("body_class", "found"),
    [("single single-post", True), ("blog", True), ("home blog", False), ("archive tag", False)],
)
def test_wordpress_body_classes_mark_listings(body_class: str, found: bool) -> None:
    """WordPress archive and posts-page body classes mean no article; a bare "blog" does not."""
    html = DOC.format(meta="", body=BODY).replace("<body>", f'<body class="{body_class}">')
    assert extract_page(html, "http://x.example/").body_found is found


def test_the_cases_hold_alt_text_and_comments() -> None:
    """The alt-text and comment test above has something to check in the cases."""
    roots = [lxml.html.document_fromstring((CASES_DIR / f"{n}.html").read_bytes()) for n in CASES]
    assert sum(len(root.xpath("//img/@alt")) for root in roots) >= 10
    assert sum(len(root.xpath("//*[contains(@class, 'comment-content')]")) for root in roots) >= 3


def test_invalid_selector_is_a_value_error() -> None:
    """A configured selector that is not valid CSS raises ValueError naming it."""
    with pytest.raises(ValueError, match="p:::"):
        extract_page(
            DOC.format(meta="", body=BODY), "http://x.example/", selectors=Selectors(body="p:::")
        )


def test_a_skipped_block_between_two_texts_parts_them() -> None:
    """An advert's <div> or a <figure> between two sentences is a paragraph break on
    screen, so two items; a <script> between them leaves one line, as on screen."""
    one = "On 3 March, gunmen attacked a post near Sirte, according to local sources."
    two = "On 4 March, a convoy was stopped at a checkpoint west of Misrata."
    for junk in ('<div class="advert">Advertisement</div>', "<figure><img src=a.jpg></figure>"):
        texts = [p.text for p in extract_body(f"<div>{one}{junk}{two}</div>")]
        assert texts == [one, two], junk
    texts = [p.text for p in extract_body(f"<div>{one} <script>x = 1</script>{two}</div>")]
    assert texts == [f"{one} {two}"]


def test_a_weekday_settles_an_ambiguous_numeric_date() -> None:
    """Drupal's "Mon, 02/03/2025": 3 February 2025 was a Monday, 2 March a Sunday."""
    assert parse_page_date("Submitted by Amal on Mon, 02/03/2025 - 10:00") == date(2025, 2, 3)
    assert parse_page_date("Sun, 02/03/2025") == date(2025, 3, 2)
    assert parse_page_date("Tue, 02/03/2025") is None  # neither reading is a Tuesday
    assert parse_page_date("02/03/2025") is None  # no weekday: still not guessed


AUTHOR_PAGE = """<html><head><title>Weekly update</title></head><body><article class="post">
<h1 class="post-title">Weekly update</h1><p class="post-meta">{byline}</p>
<div class="post-content"><p>On 3 March, gunmen attacked a checkpoint near Sirte, local
sources said, and two guards were wounded in the exchange of fire.</p></div></article>
</body></html>"""


@pytest.mark.parametrize(
    ("byline", "author"),
    [
        (  # Jekyll's minima: schema.org microdata around a microformats h-card
            '<span itemprop="author" itemscope itemtype="http://schema.org/Person">'
            '<span class="p-author h-card" itemprop="name">Amal Haddad</span></span>',
            "Amal Haddad",
        ),
        (  # Drupal 7
            'Submitted by <span class="username">Omar Fathi</span> on Mon, 03/02/2025',
            "Omar Fathi",
        ),
        (  # microdata: the Person's name inside its link
            '<span itemprop="author" itemscope><a href="/people/sara/">'
            '<span itemprop="name">Sara Ben Ali</span></a></span>',
            "Sara Ben Ali",
        ),
    ],
)
def test_microdata_microformat_and_drupal_authors(byline: str, author: str) -> None:
    page = extract_page(AUTHOR_PAGE.format(byline=byline).encode(), "http://x.example/a/")
    assert page.author == author


def test_a_table_row_of_plain_cells_is_one_item_and_keeps_its_date() -> None:
    """An incident table: each row one item, its date first; the header row none. A page
    laid out in a table (cells holding paragraphs) is still read paragraph by paragraph."""
    table = """<div><table><thead><tr><th>Date</th><th>Place</th><th>Event</th></tr></thead>
    <tbody><tr><td>26 January</td><td>Kufra</td>
    <td>Smugglers clashed with a border patrol; two were killed.</td></tr>
    <tr><td>28 January</td><td>Sabha</td>
    <td>Gunmen attacked a fuel depot on the city's northern edge.</td></tr></tbody></table></div>"""
    texts = [p.text for p in extract_body(table)]
    assert texts == [
        "26 January — Kufra — Smugglers clashed with a border patrol; two were killed.",
        "28 January — Sabha — Gunmen attacked a fuel depot on the city's northern edge.",
    ]
    assert event_date(texts[0], date(2025, 2, 3)) == date(2025, 1, 26)
    one = "On 3 March, gunmen attacked a checkpoint near Sirte, local sources said."
    two = "On 4 March, a convoy was stopped at a checkpoint west of Misrata, witnesses said."
    layout = f"<table><tr><td><p>{one}</p><p>{two}</p></td><td>Menu</td></tr></table>"
    assert [p.text for p in extract_body(layout)][:2] == [one, two]


def test_a_single_posts_wordpress_id_is_read_from_its_body_class() -> None:
    page = """<html><body class="{classes}"><article><h1 class="entry-title">T</h1>
    <div class="entry-content"><p>On 3 March, gunmen attacked a checkpoint near Sirte,
    local sources said, wounding two guards.</p></div></article></body></html>"""
    single = page.format(classes="post-template-default single single-post postid-123")
    assert extract_page(single.encode(), "http://x.example/a/").post_id == 123
    listing = page.format(classes="home blog postid-123")  # not a single post
    assert extract_page(listing.encode(), "http://x.example/").post_id is None
