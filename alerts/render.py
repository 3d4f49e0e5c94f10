"""Render alert messages (one item, a digest, a test message) as HTML, Markdown or plain text.

Everything scraped (titles, paragraph text, URLs, source names) is hostile until escaped: it may
carry ``<script>``, ``javascript:`` links, Markdown links and images, Slack/Discord mentions or
newlines. The rules, per format:

- ``html`` (e-mail): every scraped string goes through ``html.escape``; only http(s) URLs are put in
  an ``href``, any other URL is shown as escaped text.
- ``markdown`` (chat services, CommonMark as Apprise 2.x expects and converts per service): every
  character that can start markup is backslash-escaped, ``@name`` mentions are broken with a
  zero-width space, and only http(s) URLs are linked, with the characters that could end the link
  syntax percent-encoded.
- ``text``: control characters removed, whitespace collapsed; no markup other than ``*name*``.

Highlights are placed on the original text's spans and each segment is escaped on its own, so a
highlight can never split an escape sequence or an entity.

Titles are one short line. For ``html`` and ``text`` the title is plain text (e-mail subjects are
never parsed as HTML); for ``markdown`` it is escaped Markdown, because services without a title
field (Telegram, for one) fold it into the body as a Markdown heading.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable
from urllib.parse import quote, urlsplit

from alerts.model import AlertItem, Copy, Mention

FORMATS = ("html", "markdown", "text")

# Apprise schemas whose messages are e-mails (its own e-mail plugin and the e-mail APIs): HTML.
EMAIL_SCHEMAS = frozenset(
    {
        "mailto",
        "mailtos",
        "azure",
        "o365",
        "brevo",
        "groundmail",
        "mailersend",
        "mailgun",
        "postmark",
        "resend",
        "sendgrid",
        "sendpulse",
        "ses",
        "smtp2go",
        "sparkpost",
    }
)
# Apprise schemas of chat services that render Markdown (natively in Apprise, or as passed-through
# text the service itself renders: Mattermost, Zulip, Revolt).
MARKDOWN_SCHEMAS = frozenset(
    {
        "slack",
        "discord",
        "tgram",
        "matrix",
        "matrixs",
        "mmost",
        "mmosts",
        "rocket",
        "rockets",
        "gchat",
        "webex",
        "wxteams",
        "workflow",
        "workflows",
        "zulip",
        "guilded",
        "revolt",
    }
)
# Chat services' own webhook URLs, which Apprise also accepts as they are.
MARKDOWN_HOSTS = frozenset(
    {
        "hooks.slack.com",
        "discord.com",
        "discordapp.com",
        "api.telegram.org",
        "chat.googleapis.com",
    }
)

TITLE_NAMES = 3  # names shown in a title before "+N"
TITLE_MAX = 120  # characters; longer titles are cut with "…"
ELLIPSIS = "…"

# C0/C1 controls, DEL, and the bidi embedding/override characters (used to disguise text).
_CONTROL_RE = re.compile(r"[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\u2028\u2029]")
_SPACE_RE = re.compile(r"\s+")
# CommonMark inline punctuation that can open or close markup anywhere in a line; "!" is covered by
# "[" (an image needs "!["), "." and "-" only matter at a line start (handled below).
_MD_INLINE_RE = re.compile(r"([\\`*_\[\]()<>#|~{}])|&(?=#?[0-9A-Za-z]{1,32};)")
# Block markers that only count at the start of a line: lists, setext/thematic lines, ordered lists.
_MD_LINE_START_RE = re.compile(r"^([-+=]|\d{1,9}(?=[.)]))")
# @mentions (Slack/Discord @here, @channel, @everyone, Mattermost @user): break with U+200B.
_MENTION_RE = re.compile(r"@(?=\S)")
# Characters that could end or confuse a Markdown (or Slack <url|label>) link destination.
_URL_UNSAFE = frozenset(" \"'<>()[]\\`|{}^")
_HOST_OK_RE = re.compile(r"^[\w.\-~%:@\[\]]+$")


# --- choosing a format -------------------------------------------------------------------------


def format_for_url(url: str) -> str:
    """The message format suited to an Apprise URL: html (e-mail), markdown (chat) or text."""
    schema, sep, rest = url.strip().partition("://")
    if not sep:
        schema = url.strip().partition(":")[0]
    schema = schema.lower()
    if schema in EMAIL_SCHEMAS:
        return "html"
    if schema in MARKDOWN_SCHEMAS:
        return "markdown"
    if schema in ("http", "https"):
        host = rest.partition("/")[0].rpartition("@")[2].partition(":")[0].lower()
        if host in MARKDOWN_HOSTS:
            return "markdown"
    return "text"


# --- snippets ----------------------------------------------------------------------------------


def _merged_spans(text: str, mentions: Iterable[Mention]) -> list[tuple[int, int]]:
    """Valid mention spans, sorted, overlapping or touching ones merged."""
    spans = sorted((m.start, m.end) for m in mentions if 0 <= m.start < m.end <= len(text))
    merged: list[tuple[int, int]] = []
    for start, end in spans:
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def _window(text: str, spans: list[tuple[int, int]], room: int) -> tuple[int, int]:
    """A ``room``-wide window over text showing the first span and as many following as fit."""
    if not spans:
        return 0, room
    first = spans[0][0]
    last = spans[0][1]
    for _, end in spans[1:]:
        if end - first > room:
            break
        last = end
    if last <= room:  # the opening of the paragraph (usually its date) fits with the mentions
        return 0, room
    start = max(0, first - (room - (last - first)) // 2)
    start = min(start, len(text) - room)
    return start, start + room


def snippet(
    text: str, mentions: list[Mention], width: int = 280
) -> tuple[str, list[tuple[int, int]]]:
    """A window of ``text`` around the first mention(s), and the highlight spans in it.

    The window is at most ``width`` characters including the "…" marking each cut; cuts fall at
    word boundaries where the text has any, and not inside a highlight unless one is wider than
    the window. Spans (start, end exclusive) are merged where mentions overlap, re-based to the
    snippet and clipped to it. The text comes back as it is, control characters included:
    escaping is the renderer's job.
    """
    spans = _merged_spans(text, mentions)
    if len(text) <= width:
        return text, spans
    start, end = _window(text, spans, max(1, width - 2))
    inside = [e for s, e in spans if start <= s and e <= end]
    straddling = [s for s, e in spans if s < end < e and s > start]
    if straddling:  # a later name cut by the window's end: end before it instead
        end = straddling[0]
    if start > 0:
        limit = spans[0][0] if spans and spans[0][0] >= start else end
        boundary = _next_space(text, start, limit)
        start = start if boundary is None else boundary
    if end < len(text):
        boundary = _previous_space(text, end, max(inside, default=start))
        end = end if boundary is None else boundary
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    prefix = ELLIPSIS if start > 0 else ""
    suffix = ELLIPSIS if end < len(text) else ""
    shift = len(prefix) - start
    clipped = [
        (max(s, start) + shift, min(e, end) + shift) for s, e in spans if s < end and e > start
    ]
    return prefix + text[start:end] + suffix, clipped


def _next_space(text: str, index: int, limit: int) -> int | None:
    """The first word boundary at or after ``index`` and before ``limit``, if any."""
    if text[index - 1].isspace():
        return index
    return next((i for i in range(index, limit) if text[i].isspace()), None)


def _previous_space(text: str, index: int, limit: int) -> int | None:
    """The last word boundary at or before end offset ``index`` and not before ``limit``."""
    if index < len(text) and text[index].isspace():
        return index
    return next((i for i in range(index - 1, limit - 1, -1) if text[i].isspace()), None)


def _segments(text: str, spans: list[tuple[int, int]]) -> list[tuple[str, bool]]:
    """Text cut into (segment, highlighted) pairs at the span edges."""
    out: list[tuple[str, bool]] = []
    pos = 0
    for start, end in spans:
        if start > pos:
            out.append((text[pos:start], False))
        out.append((text[start:end], True))
        pos = end
    if pos < len(text):
        out.append((text[pos:], False))
    return out


# --- escaping ----------------------------------------------------------------------------------


def clean(text: str) -> str:
    """Scraped text made one safe line: controls and bidi overrides gone, whitespace collapsed."""
    return _SPACE_RE.sub(" ", _CONTROL_RE.sub(" ", text))


def _escape_md(text: str, *, line_start: bool = False) -> str:
    """Text that renders literally in CommonMark, with @mentions broken.

    line_start: the text opens a line (or a list item, or a quote), where "-", "+", "=" and "1."
    would start a block.
    """
    out = _MD_INLINE_RE.sub(lambda m: "\\" + (m.group(1) or "&"), clean(text))
    if line_start:
        out = _MD_LINE_START_RE.sub(_escape_block_marker, out.lstrip(), count=1)
    return _MENTION_RE.sub("@\u200b", out)


def _escape_block_marker(match: re.Match[str]) -> str:
    r"""Escape a leading block marker: "-" becomes "\-", and "12." becomes "12\."."""
    marker = match.group(1)
    return "\\" + marker if not marker.isdigit() else marker + "\\"


def _escape(text: str, fmt: str, *, line_start: bool = False) -> str:
    """Scraped text escaped for one format (see the module docstring)."""
    if fmt == "html":
        return html.escape(clean(text), quote=True)
    if fmt == "markdown":
        return _escape_md(text, line_start=line_start)
    return clean(text)


def _safe_url(url: str | None) -> str | None:
    """The URL if it is http(s) and may be linked, with link-breaking characters %-encoded."""
    if not url:
        return None
    url = url.strip()
    if _CONTROL_RE.search(url) or any(c.isspace() for c in url):
        return None
    try:
        parts = urlsplit(url)
    except ValueError:  # e.g. a malformed IPv6 host
        return None
    head = f"{parts.scheme}://{parts.netloc}"
    if (
        parts.scheme.lower() not in ("http", "https")
        or not parts.hostname
        or url[: len(head)].lower() != head.lower()
        or not _HOST_OK_RE.match(parts.netloc)
    ):
        return None
    return head + "".join(quote(c, safe="") if c in _URL_UNSAFE else c for c in url[len(head) :])


def _link(label: str, url: str | None, fmt: str) -> str:
    """A link to url labelled with (escaped) label, or both as text when url may not be linked."""
    target = _safe_url(url)
    shown_url = url if url and url != label else None
    if fmt == "html":
        if target is None:
            shown = f" ({html.escape(clean(shown_url))})" if shown_url else ""
            return f"{html.escape(clean(label))}{shown}"
        return f'<a href="{html.escape(target, quote=True)}">{html.escape(clean(label))}</a>'
    if fmt == "markdown":
        if target is None:
            return _escape_md(label) + (f" \\({_escape_md(shown_url)}\\)" if shown_url else "")
        return f"[{_escape_md(label)}]({target})"
    return f"{clean(label)} <{clean(shown_url)}>" if shown_url else clean(label)


def _highlighted(text: str, spans: list[tuple[int, int]], fmt: str) -> str:
    """Snippet text with its spans highlighted, each segment escaped on its own."""
    parts = []
    for i, (segment, marked) in enumerate(_segments(text, spans)):
        escaped = _escape(segment, fmt, line_start=i == 0)
        if marked and fmt == "html":
            escaped = f"<strong>{escaped}</strong>"
        elif marked and fmt == "markdown":
            escaped = f"**{escaped}**"
        elif marked:
            escaped = f"*{escaped}*"
        parts.append(escaped)
    return "".join(parts)


# --- titles ------------------------------------------------------------------------------------


def watch_names(item: AlertItem) -> list[str]:
    """The matched watches' display names in order of first mention, de-duplicated."""
    names: list[str] = []
    seen: set[str] = set()
    for mention in sorted(item.mentions, key=lambda m: (m.start, m.end)):
        name = item.watch_labels.get(mention.watch_id)
        if not name:
            matched = item.text[mention.start : mention.end] if mention.end > mention.start else ""
            name = matched or mention.name
        name = clean(name).strip()
        if name and name.casefold() not in seen:
            seen.add(name.casefold())
            names.append(name)
    return names


def _one_line(title: str, fmt: str) -> str:
    """A title cleaned, shortened to TITLE_MAX, and escaped for Markdown where needed."""
    title = clean(title).strip()
    if len(title) > TITLE_MAX:
        title = title[: TITLE_MAX - 1].rstrip() + ELLIPSIS
    return _escape_md(title, line_start=True) if fmt == "markdown" else title


def _alert_title(item: AlertItem) -> str:
    """The names (at most TITLE_NAMES, then "+N") and the source: "Derna, IS — libya-analysis"."""
    names = watch_names(item)
    shown = ", ".join(names[:TITLE_NAMES])
    if len(names) > TITLE_NAMES:
        shown += f" +{len(names) - TITLE_NAMES}"
    return f"{shown} — {item.source}" if shown else item.source


# --- bodies ------------------------------------------------------------------------------------


def item_date(item: AlertItem) -> tuple[str, str] | None:
    """("Date", event date) or ("Published", the article's date part), or None if neither."""
    if item.event_date:
        return "Date", item.event_date
    if item.published:
        return "Published", item.published.split("T")[0].split(" ")[0]
    return None


def _facts(item: AlertItem, fmt: str) -> str:
    """The item's date, source and section on one line."""
    facts = []
    dated = item_date(item)
    if dated:
        facts.append(f"{dated[0]}: {_escape(dated[1], fmt)}")
    facts.append(f"Source: {_escape(item.source, fmt)}")
    if item.section:
        facts.append(f"Section: {_escape(item.section, fmt)}")
    return " · ".join(facts) if fmt != "text" else " | ".join(facts)


def _copy_label(copy: Copy, fmt: str) -> str:
    """One "Also carried by" entry: the source, then the copy's title linked (or its URL)."""
    link = _link(copy.title or copy.url, copy.url, fmt)
    return f"{_escape(copy.source, fmt, line_start=True)}: {link}"


def _item_html(item: AlertItem, width: int) -> str:
    """One item as HTML blocks."""
    text, spans = snippet(item.text, item.mentions, width)
    parts = [
        f"<p><strong>{_link(item.title or item.url, item.url, 'html')}</strong><br>",
        f"{_facts(item, 'html')}</p>",
        f"<blockquote>{_highlighted(text, spans, 'html')}</blockquote>",
    ]
    if item.copies:
        rows = "".join(f"<li>{_copy_label(c, 'html')}</li>" for c in item.copies)
        parts.append(f"<p>Also carried by:</p><ul>{rows}</ul>")
    return "\n".join(parts)


def _item_markdown(item: AlertItem, width: int) -> str:
    """One item as Markdown blocks."""
    text, spans = snippet(item.text, item.mentions, width)
    # Blank lines between blocks: a lone newline is only a soft break in CommonMark.
    lines = [
        f"**{_link(item.title or item.url, item.url, 'markdown')}**",
        "",
        _facts(item, "markdown"),
        "",
        f"> {_highlighted(text, spans, 'markdown')}",
    ]
    if item.copies:
        lines += ["", "Also carried by:", *(f"- {_copy_label(c, 'markdown')}" for c in item.copies)]
    return "\n".join(lines)


def _item_text(item: AlertItem, width: int) -> str:
    """One item as plain text."""
    text, spans = snippet(item.text, item.mentions, width)
    lines = [clean(item.title).strip()] if item.title else []
    lines += [clean(item.url), _facts(item, "text"), "", _highlighted(text, spans, "text")]
    if item.copies:
        lines += ["", "Also carried by:"]
        lines += [f"- {clean(c.source)}: {clean(c.url)}" for c in item.copies]
    return "\n".join(lines)


_ITEM_RENDERERS = {"html": _item_html, "markdown": _item_markdown, "text": _item_text}


def _check(fmt: str) -> None:
    if fmt not in FORMATS:
        raise ValueError(f"unknown message format {fmt!r}; expected one of {', '.join(FORMATS)}")


def render_alert(item: AlertItem, fmt: str, *, width: int = 280) -> tuple[str, str]:
    """(title, body) of the alert for one item.

    fmt: "html", "markdown" or "text" (see ``format_for_url``). width: the snippet's width.
    """
    _check(fmt)
    return _one_line(_alert_title(item), fmt), _ITEM_RENDERERS[fmt](item, width)


def _sort_key(item: AlertItem) -> tuple[str, str, int]:
    dated = item_date(item)
    return (dated[1] if dated else "", item.source, item.item_id)


def render_digest(
    items: list[AlertItem], fmt: str, *, heading: str, width: int = 200
) -> tuple[str, str]:
    """(title, body) of one message carrying many items, newest first.

    heading: what the message is, e.g. "wirewatch daily digest"; the title adds the count.
    """
    _check(fmt)
    count = f"{len(items)} item" + ("" if len(items) == 1 else "s")
    title = _one_line(f"{heading}: {count}", fmt)
    ordered = sorted(items, key=_sort_key, reverse=True)
    if not items:
        return title, {"html": "<p>No new items.</p>"}.get(fmt, "No new items.")
    if fmt == "html":
        blocks = [f"<h2>{html.escape(clean(heading))}</h2>"]
        for item in ordered:
            names = ", ".join(watch_names(item)) or item.source
            blocks.append(f"<h3>{html.escape(clean(names))}</h3>")
            blocks.append(_item_html(item, width))
        return title, "\n".join(blocks)
    separator = "\n\n---\n\n" if fmt == "markdown" else "\n\n----\n\n"
    blocks = []
    for item in ordered:
        names = _escape(", ".join(watch_names(item)) or item.source, fmt, line_start=True)
        lead = f"### {names}" if fmt == "markdown" else f"== {names} =="
        blocks.append(f"{lead}\n{_ITEM_RENDERERS[fmt](item, width)}")
    return title, separator.join(blocks)


def render_test(subscriber: str, fmt: str) -> tuple[str, str]:
    """(title, body) of the message ``wirewatch notify-test SUBSCRIBER`` sends."""
    _check(fmt)
    who = _escape(subscriber, fmt)
    body = (
        f"This is a test message from wirewatch for subscriber {who}. "
        "If you can read it, alerts will reach you here."
    )
    if fmt == "html":
        body = f"<p>{body}</p>"
    return _one_line(f"wirewatch test message for {subscriber}", fmt), body
