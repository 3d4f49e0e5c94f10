"""Message rendering: titles, bodies in each format, snippets, digests, and hostile scraped text."""

from __future__ import annotations

import html
import re
import unicodedata
from html.parser import HTMLParser

import pytest
from apprise.conversion import markdown_to_html

from alerts.model import AlertItem, Copy, Mention
from alerts.render import (
    EMAIL_SCHEMAS,
    FORMATS,
    MARKDOWN_SCHEMAS,
    format_for_url,
    render_alert,
    render_digest,
    render_test,
    snippet,
)

PARAGRAPH = (
    "On 3 March, the LNA said its aircraft struck a depot used by IS fighters 40km west of Ubari."
)
URL = "https://libya-analysis.example/2016/03/weekly-update-7/"
COPY_URL = "https://republisher.example/?p=812"


def mention(text: str, name: str, watch_id: str, nth: int = 0) -> Mention:
    """A Mention of the nth occurrence of name in text."""
    start = -1
    for _ in range(nth + 1):
        start = text.index(name, start + 1)
    return Mention(watch_id, name, start, start + len(name))


def make_item(**changes) -> AlertItem:
    """A realistic item: three names matched (one labelled), one republished copy."""
    text = changes.pop("text", PARAGRAPH)
    fields = dict(
        item_id=7,
        cluster=7,
        text=text,
        source="libya-analysis",
        url=URL,
        title="Libya weekly update: 1-7 March",
        published="2016-03-07T09:30:00+00:00",
        event_date="2016-03-03",
        section="IS in Action",
        mentions=[
            mention(text, "IS", "isis"),
            mention(text, "LNA", "lna"),
            mention(text, "Ubari", "ubari"),
        ]
        if "mentions" not in changes
        else changes.pop("mentions"),
        watch_labels={"isis": "Islamic State"},
        copies=[Copy("republisher", COPY_URL, "Weekly update, republished")],
    )
    fields.update(changes)
    return AlertItem(**fields)


class Tags(HTMLParser):
    """Every start tag with its attributes, and the text content, of an HTML fragment."""

    def __init__(self, markup: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []
        self.feed(markup)
        self.close()

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def handle_startendtag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data):
        self.text.append(data)

    def hrefs(self) -> list[str | None]:
        return [attrs.get("href") for tag, attrs in self.tags if tag == "a"]

    def content(self) -> str:
        return "".join(self.text)


def unescaped(markdown: str, token: str) -> list[int]:
    """Offsets where ``token`` occurs in Markdown not preceded by a backslash escape."""
    found = []
    for match in re.finditer(re.escape(token), markdown):
        backslashes = len(markdown[: match.start()]) - len(markdown[: match.start()].rstrip("\\"))
        if backslashes % 2 == 0:
            found.append(match.start())
    return found


# --- titles and bodies -------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", FORMATS)
def test_title_names_the_watches_then_the_source(fmt):
    """The title lists the labels (else the matched text) in text order, then the source."""
    title, _ = render_alert(make_item(), fmt)
    assert title == "LNA, Islamic State, Ubari — libya-analysis"


def test_title_deduplicates_names_and_folds_the_rest_into_a_count():
    """Repeated names appear once; beyond three names the title says "+N"; it is one line."""
    text = "Derna and derna, Sirte, Misrata,\nBenghazi and Tripoli."
    names = ["Derna", "derna", "Sirte", "Misrata", "Benghazi", "Tripoli"]
    item = make_item(
        text=text,
        mentions=[mention(text, n, n.casefold()) for n in names],
        watch_labels={"misrata": "Misrata\n(Misurata)"},
    )
    title, _ = render_alert(item, "text")
    assert title == "Derna, Sirte, Misrata (Misurata) +2 — libya-analysis"
    assert "\n" not in render_alert(item, "markdown")[0]


def test_html_body_carries_link_date_source_section_highlights_and_copies():
    """The HTML body links the article, gives its date, source and section, and its copies."""
    _, body = render_alert(make_item(), "html")
    parsed = Tags(body)
    assert parsed.hrefs() == [URL, COPY_URL]
    assert "Libya weekly update: 1-7 March" in parsed.content()
    assert "Date: 2016-03-03" in body
    assert "Source: libya-analysis" in body and "Section: IS in Action" in body
    for name in ("LNA", "IS", "Ubari"):
        assert f"<strong>{name}</strong>" in body
    assert "Also carried by:" in body and "republisher:" in body


def test_markdown_body_carries_link_date_source_section_highlights_and_copies():
    """The Markdown body links the article and the copy and puts the names in bold."""
    _, body = render_alert(make_item(), "markdown")
    assert f"**[Libya weekly update: 1-7 March]({URL})**" in body
    assert "Date: 2016-03-03" in body and "Section: IS in Action" in body
    for name in ("LNA", "IS", "Ubari"):
        assert f"**{name}**" in body
    assert f"- republisher: [Weekly update, republished]({COPY_URL})" in body
    rendered = Tags(markdown_to_html(body))
    assert rendered.hrefs() == [URL, COPY_URL]
    assert ("strong", {}) in rendered.tags


def test_text_body_carries_url_date_source_and_copies_without_markup():
    """The text body names the article, its URL, date, source and copies, names in *stars*."""
    _, body = render_alert(make_item(), "text")
    lines = body.splitlines()
    assert lines[:3] == [
        "Libya weekly update: 1-7 March",
        URL,
        "Date: 2016-03-03 | Source: libya-analysis | Section: IS in Action",
    ]
    assert "the *LNA* said" in body and "by *IS* fighters" in body and "of *Ubari*." in body
    assert lines[-2:] == ["Also carried by:", f"- republisher: {COPY_URL}"]


def test_published_date_stands_in_when_the_paragraph_has_none():
    """Without an event date the article's publication date (date part) is shown."""
    _, body = render_alert(make_item(event_date=None, section=None, copies=[]), "text")
    assert "Published: 2016-03-07 | Source: libya-analysis" in body
    assert "Section" not in body and "Also carried by" not in body


def test_unknown_format_is_refused():
    """A format other than html, markdown or text raises ValueError."""
    with pytest.raises(ValueError, match="unknown message format"):
        render_alert(make_item(), "rtf")


# --- hostile content ---------------------------------------------------------------------------

HOSTILE = {
    "script": "<script>alert(1)</script>",
    "js-link": '<a href="javascript:alert(1)">click</a>',
    "img-onerror": "<img src=x onerror=alert(1)>",
    "entities": "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &#91;x&#93;(javascript:alert(1))",
    "md-link": "[x](javascript:alert(1))",
    "md-image": "![img](http://evil.example/p.png)",
    "md-ref-link": "[x]\n\n[x]: http://evil.example/ref",
    "autolink": "<http://evil.example/auto> and <evil@evil.example>",
    "backticks": "`code` and ```fenced``` and ``two``",
    "emphasis": "*bold* _it_ __under__ **strong** ~~strike~~ ||spoiler||",
    "table": "| a | b |\n|---|---|\n| 1 | 2 |",
    "heading": "\n# Heading\n> quote\n- item\n1. one\n===",
    "mentions": "@here @channel @everyone <!channel> <!here|here> <@U024BE7LH> <@&123>",
    "backslash": "\\[x\\](javascript:alert(1)) \\<script>",
    "controls": "line one\nline two\r\n\x00\x1b[31mred\x7f \u202egnp.exe",
}
HOSTILE_URLS = {
    "javascript:alert(1)": None,
    "JaVaScRiPt:alert(1)": None,
    "data:text/html,<script>alert(1)</script>": None,
    "http://evil.example/a)(b<c>": "http://evil.example/a%29%28b%3Cc%3E",
    'https://ok.example/"><script>alert(1)</script>': (
        "https://ok.example/%22%3E%3Cscript%3Ealert%281%29%3C/script%3E"
    ),
    "https://ok.example/x y": None,
}


def hostile_item(payload: str, bad_url: str) -> AlertItem:
    """Payload in every scraped field, a bad URL for the article and one copy."""
    text = f"{payload} Derna {payload}"
    return make_item(
        text=text,
        title=f"Title {payload}",
        source=f"src {payload}",
        section=payload,
        url=bad_url,
        mentions=[mention(text, "Derna", "derna")],
        watch_labels={"derna": f"Derna {payload}"},
        copies=[Copy(f"copy {payload}", bad_url, payload), Copy("fine", COPY_URL, payload)],
    )


def visible(payload: str) -> str:
    """The payload as a reader must see it: controls turned to spaces, whitespace collapsed."""
    cleaned = "".join(" " if unicodedata.category(c) == "Cc" else c for c in payload)
    return " ".join(cleaned.replace("\u202e", " ").split())


@pytest.mark.parametrize("bad_url", list(HOSTILE_URLS))
@pytest.mark.parametrize("payload", list(HOSTILE.values()), ids=list(HOSTILE))
def test_html_lets_no_markup_or_foreign_link_through(payload, bad_url):
    """In HTML, scraped text shows literally; only expected http(s) URLs become hrefs."""
    _, body = render_alert(hostile_item(payload, bad_url), "html")
    parsed = Tags(body)
    allowed = {"p", "br", "strong", "a", "blockquote", "ul", "li"}
    assert {tag for tag, _ in parsed.tags} <= allowed
    for _, attrs in parsed.tags:
        assert not [name for name in attrs if name.lower().startswith("on")]
    expected = [u for u in (HOSTILE_URLS[bad_url], HOSTILE_URLS[bad_url], COPY_URL) if u]
    assert parsed.hrefs() == expected
    assert visible(payload) in parsed.content()


@pytest.mark.parametrize("bad_url", list(HOSTILE_URLS))
@pytest.mark.parametrize("payload", list(HOSTILE.values()), ids=list(HOSTILE))
def test_markdown_lets_no_markup_link_or_mention_through(payload, bad_url):
    """In Markdown, scraped text is escaped: no link, image, code, HTML or @mention survives."""
    title, body = render_alert(hostile_item(payload, bad_url), "markdown")
    expected = [u for u in (HOSTILE_URLS[bad_url], HOSTILE_URLS[bad_url], COPY_URL) if u]
    for markdown in (title, body):
        assert not unescaped(markdown, "![")
        assert not unescaped(markdown, "`")
        assert not unescaped(markdown, "<")
        assert not re.search(r"@(here|channel|everyone|U024)", markdown)
    destinations = [body[i + 2 : body.index(")", i)] for i in unescaped(body, "](")]
    assert destinations == expected
    assert len(unescaped(body, "[")) == len(expected)
    # Rendered as Apprise renders Markdown to HTML (Matrix, e-mail): the same guarantees.
    for markdown in (title, body):
        parsed = Tags(markdown_to_html(markdown))
        allowed = {"p", "br", "strong", "a", "blockquote", "ul", "li", "hr", "h1"}
        assert {tag for tag, _ in parsed.tags} <= allowed, markdown
    rendered = Tags(markdown_to_html(body))
    assert rendered.hrefs() == expected
    # Python-Markdown decodes "\\&lt;" to "<" (CommonMark keeps "&lt;"): either is literal text.
    shown = visible(payload).replace("@", "@\u200b")
    assert shown in rendered.content() or html.unescape(shown) in rendered.content()


@pytest.mark.parametrize("payload", list(HOSTILE.values()), ids=list(HOSTILE))
def test_markdown_stays_inert_after_apprises_slack_conversion(payload):
    """Apprise's CommonMark-to-Slack conversion yields no mention and only the expected links."""
    import apprise
    from apprise.common import NotifyFormat

    slack = apprise.Apprise.instantiate("slack://T1JJ3T3L2/A1BRTD4JD/TIiajkdnlazkcOXrIdevi7FQ/")
    bad_url = "http://evil.example/a)(b<c>"
    _, body = render_alert(hostile_item(payload, bad_url), "markdown")
    converted = slack.dialect_convert(body, NotifyFormat.MARKDOWN)
    assert not re.search(r"<\s*[!@#]", converted)
    anchors = re.findall(r"<([^<>|]+)(?:\|[^<>]*)?>", converted)
    assert anchors == [HOSTILE_URLS[bad_url], HOSTILE_URLS[bad_url], COPY_URL]


@pytest.mark.parametrize("payload", list(HOSTILE.values()), ids=list(HOSTILE))
def test_text_has_no_control_characters_and_no_injected_lines(payload):
    """In text, controls are gone and scraped newlines cannot start lines of their own."""
    title, body = render_alert(hostile_item(payload, "javascript:alert(1)"), "text")
    assert "\n" not in title
    for rendered in (title, body):
        assert not [c for c in rendered if unicodedata.category(c) == "Cc" and c != "\n"]
        assert "\u202e" not in rendered
    assert len(body.splitlines()) == len(render_alert(make_item(), "text")[1].splitlines()) + 1


def test_a_highlight_never_splits_an_entity():
    """A name right next to characters that need escaping is highlighted and escaped cleanly."""
    text = "Forces of <Derna>&Sirte's council"
    item = make_item(text=text, mentions=[mention(text, "Derna", "d"), mention(text, "Sirte", "s")])
    _, body = render_alert(item, "html")
    assert "&lt;<strong>Derna</strong>&gt;&amp;<strong>Sirte</strong>&#x27;s" in body
    _, body = render_alert(item, "markdown")
    assert "\\<**Derna**\\>&**Sirte**'s" in body


# --- snippets ----------------------------------------------------------------------------------


def test_snippet_of_a_short_text_is_the_whole_text():
    """Text shorter than the width comes back whole, spans unchanged (overlaps merged)."""
    text = "The Derna Mujahedeen Shura Council denied it."
    mentions = [
        mention(text, "Derna Mujahedeen Shura Council", "dmsc"),
        mention(text, "Derna", "d"),
    ]
    assert snippet(text, mentions) == (text, [(4, 34)])


def test_snippet_window_is_cut_at_words_with_ellipses_around_a_late_mention():
    """A mention deep in a long text gets a window around it, cut at spaces, marked with …."""
    text = (
        " ".join(f"word{i}" for i in range(200))
        + " near Sirte "
        + " ".join("x" * 5 for _ in range(80))
    )
    shown, spans = snippet(text, [mention(text, "Sirte", "s")], width=80)
    assert len(shown) <= 80
    assert shown.startswith("…word") and shown.endswith("xxxxx…")
    assert [shown[s:e] for s, e in spans] == ["Sirte"]
    inner = shown[1:-1]
    assert inner in text and text[text.index(inner) - 1] == " "
    assert text[text.index(inner) + len(inner)] == " "


def test_snippet_starts_at_the_opening_when_the_mentions_fit():
    """When the first mentions fit in the window from the start, the opening (the date) stays."""
    text = PARAGRAPH + " " + "More text follows here. " * 20
    item = make_item(text=text)
    shown, spans = snippet(text, item.mentions, width=120)
    assert shown.startswith("On 3 March, the LNA") and shown.endswith("…")
    assert [shown[s:e] for s, e in spans] == ["LNA", "IS", "Ubari"]


def test_snippet_keeps_following_mentions_that_fit_and_drops_the_rest():
    """Mentions after the first are kept while they fit in the window; a far one is left out."""
    filler = "filler " * 60
    text = f"{filler}Derna then Sirte. {filler}Tobruk at the end."
    mentions = [mention(text, n, n) for n in ("Derna", "Sirte", "Tobruk")]
    shown, spans = snippet(text, mentions, width=100)
    assert [shown[s:e] for s, e in spans] == ["Derna", "Sirte"]
    assert shown.startswith("…") and shown.endswith("…") and len(shown) <= 100


def test_snippet_does_not_cut_a_later_name_in_half():
    """A name straddling the window's end is left out whole rather than cut."""
    text = "Derna " + "a " * 60 + "Benghazi " + "b " * 100
    mentions = [mention(text, "Derna", "d"), mention(text, "Benghazi", "b")]
    shown, spans = snippet(text, mentions, width=126)
    assert [shown[s:e] for s, e in spans] == ["Derna"]
    assert "Benghazi" not in shown and "Bengh" not in shown


def test_snippet_of_text_without_spaces_is_cut_hard():
    """With no word boundary to cut at, the window is cut where it falls, still within width."""
    text = "x" * 300 + "Derna" + "y" * 300
    shown, spans = snippet(text, [mention(text, "Derna", "d")], width=50)
    assert len(shown) == 50 and shown[0] == shown[-1] == "…"
    assert [shown[s:e] for s, e in spans] == ["Derna"]


def test_snippet_ignores_mentions_outside_the_text():
    """Spans beyond the text (a stale offset) are ignored, not raised on."""
    assert snippet("Derna", [Mention("d", "Derna", 3, 99), Mention("d", "Derna", 0, 5)]) == (
        "Derna",
        [(0, 5)],
    )


# --- digests and test messages -----------------------------------------------------------------


def digest_items() -> list[AlertItem]:
    """Three items from two sources on three dates, given oldest first."""
    texts = [
        ("On 1 March, IS fighters were seen near Sirte.", "2016-03-01", "a", "IS"),
        ("On 3 March, the LNA struck a depot near Ubari.", "2016-03-03", "b", "LNA"),
        ("On 2 March, clashes broke out in Derna.", "2016-03-02", "a", "Derna"),
    ]
    return [
        make_item(
            item_id=i,
            cluster=i,
            text=text,
            event_date=date,
            source=f"source-{source}",
            url=f"https://{source}.example/{i}",
            title=f"Update {i}",
            mentions=[mention(text, name, name.lower())],
            watch_labels={},
            copies=[],
        )
        for i, (text, date, source, name) in enumerate(texts, 1)
    ]


@pytest.mark.parametrize("fmt", FORMATS)
def test_digest_lists_every_item_newest_first_under_a_counted_title(fmt):
    """A digest of three items has the heading and count as title and each item, newest first."""
    title, body = render_digest(digest_items(), fmt, heading="wirewatch daily digest")
    assert title == "wirewatch daily digest: 3 items"
    positions = [body.index(f"https://{s}.example/{i}") for i, s in ((2, "b"), (3, "a"), (1, "a"))]
    assert positions == sorted(positions)
    for name in ("IS", "LNA", "Derna"):
        assert {"html": f"<strong>{name}</strong>", "markdown": f"**{name}**"}.get(
            fmt, f"*{name}*"
        ) in body
    if fmt == "html":
        assert len(Tags(body).hrefs()) == 3


def test_digest_of_one_item_and_of_none():
    """The count is singular for one item; an empty digest says there is nothing new."""
    assert render_digest(digest_items()[:1], "text", heading="Quiet hours")[0] == (
        "Quiet hours: 1 item"
    )
    assert render_digest([], "text", heading="Quiet hours") == (
        "Quiet hours: 0 items",
        "No new items.",
    )


@pytest.mark.parametrize("fmt", FORMATS)
def test_test_message_names_the_subscriber_escaped(fmt):
    """The notify-test message names the subscriber, escaped like any other text."""
    title, body = render_test("desk <ops>", fmt)
    assert title.startswith("wirewatch test message for desk")
    expected = {"html": "desk &lt;ops&gt;", "markdown": "desk \\<ops\\>", "text": "desk <ops>"}
    assert expected[fmt] in body


# --- choosing a format -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "fmt"),
    [
        ("mailto://127.0.0.1:2525?to=a@example.org", "html"),
        ("mailtos://user:pass@mail.example.org", "html"),
        ("MAILTO://x.example", "html"),
        ("sendgrid://key:from@example.org", "html"),
        ("slack://T1/B1/token", "markdown"),
        ("discord://webhook_id/token", "markdown"),
        ("tgram://bottoken/chatid", "markdown"),
        ("matrixs://user:pass@matrix.example/#room", "markdown"),
        ("mmosts://mattermost.example/token", "markdown"),
        ("https://hooks.slack.com/services/T1/B1/token", "markdown"),
        ("https://discord.com/api/webhooks/1/token", "markdown"),
        ("json://127.0.0.1:8080/hook", "text"),
        ("xml://example.org/hook", "text"),
        ("form://example.org/hook", "text"),
        ("https://example.org/hook", "text"),
        ("ntfy://topic", "text"),
        ("nonsense", "text"),
    ],
)
def test_format_for_url(url, fmt):
    """E-mail gets HTML, chat services Markdown, everything else plain text."""
    assert format_for_url(url) == fmt


def test_format_schemas_are_apprise_schemas():
    """Every schema the format table names is one Apprise 2.x knows (no typos, no removed ones)."""
    from apprise import NotificationManager
    from apprise.common import NotifyFormat

    manager = NotificationManager()
    for schema in EMAIL_SCHEMAS | MARKDOWN_SCHEMAS:
        assert schema in manager, schema
    for schema in EMAIL_SCHEMAS:
        formats = manager[schema].notify_format
        formats = formats if isinstance(formats, tuple) else (formats,)
        assert NotifyFormat.HTML in formats, schema
