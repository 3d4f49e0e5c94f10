"""Text rules for boilerplate lines that survive inside an article's body element.

Structural clean-up (share blocks, related posts, comments, captions) happens in
:mod:`spiders.extract` before text is read; what reaches these rules is one paragraph of
clean text. Each rule is a row of :data:`RULES`: a name, a one-line reason, the longest
paragraph (in words) it may remove, and its patterns, matched against the lower-cased line:

- ``start``: must match at the start of the line (most boilerplate is recognised by how the
  line opens, which keeps "click here" or "subscribe" inside a real sentence safe);
- ``anywhere``: searched in the whole line, but only when one of ``needles`` occurs in it
  (a substring test costs a tenth of a regex search, and this runs on every paragraph);
- ``cased``: matched at the start of the original, case-preserved line.

A rule with ``prose_guard`` stands down for lines that open like dated reporting ("On 3 March,
...", "Last week ..."): that is what this project's sources are made of, and never boilerplate.

:func:`match_rule` answers as if it tried the rules in table order, but for speed (it runs on
every paragraph of every page) it joins the start patterns of the rules that apply to a line's
length into one regular expression, and tries only the rules whose needles occur.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass
from functools import lru_cache

__all__ = ["RULES", "Rule", "is_boilerplate", "match_rule", "opens_like_reporting"]

_MONTHS = (
    "january|february|march|april|may|june|july|august|september|october|november|december"
    "|jan|feb|mar|apr|jun|jul|aug|sept|sep|oct|nov|dec"
)
# "On 3 March, ...", "On March 7 ...", "On Monday ...", "Last week ...": dated reporting.
_PROSE_OPENING = re.compile(
    rf"(?:(?:on|since|by|until|from|between|in|during|early|late)\s+"
    rf"(?:\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?(?:{_MONTHS})\b|(?:{_MONTHS})\.?\s+\d{{1,2}}\b"
    r"|(?:mon|tues|wednes|thurs|fri|satur|sun)day\b)"
    r"|last\s+(?:week|month|weekend|year)\b|earlier\s+this\s+(?:week|month)\b)"
)
_G = r"[^.,;!?]"  # a gap that stays within one clause
# What a call to action asks support for: "our work", "this blog"; or "us".
_OUR_WORK = (
    r"(?:our (?:[\w-]+ ){0,2}(?:work|journalism|reporting|research|project|blog|site|website)"
    r"|this (?:blog|site|website|project))"
)
_US_OR_OUR = rf"(?:us|{_OUR_WORK})"


@dataclass(frozen=True)
class Rule:
    """One kind of boilerplate line and why it is not article text."""

    name: str
    reason: str
    max_words: int
    start: re.Pattern[str] | None = None
    anywhere: tuple[re.Pattern[str], ...] = ()
    needles: tuple[str, ...] = ()
    cased: re.Pattern[str] | None = None
    prose_guard: bool = True

    def matches(self, text: str, low: str) -> bool:
        """Tell whether the line (``text``, lower-cased as ``low``) is this boilerplate."""
        if self.start is not None and self.start.match(low):
            return True
        return self.matches_beyond_start(text, low)

    def matches_beyond_start(self, text: str, low: str) -> bool:
        """Tell whether the ``cased`` or ``anywhere`` patterns match the line."""
        if self.cased is not None and self.cased.match(text):
            return True
        if self.anywhere and any(needle in low for needle in self.needles):
            return any(pattern.search(low) for pattern in self.anywhere)
        return False


def _rule(
    name: str,
    reason: str,
    max_words: int,
    *,
    start: tuple[str, ...] = (),
    anywhere: tuple[str, ...] = (),
    needles: tuple[str, ...] = (),
    cased: str | None = None,
    guard: bool = True,
) -> Rule:
    """Build a :class:`Rule`; ``start`` alternatives are joined into one pattern."""
    if anywhere and not needles:
        raise ValueError(f"rule {name}: anywhere patterns need needles")
    if any(re.compile(p).groups for p in start):
        raise ValueError(f"rule {name}: start patterns must not capture (see _plan)")
    return Rule(
        name,
        reason,
        max_words,
        start=re.compile("|".join(f"(?:{p})" for p in start)) if start else None,
        anywhere=tuple(re.compile(p) for p in anywhere),
        needles=needles,
        cased=re.compile(cased) if cased else None,
        prose_guard=guard,
    )


RULES: tuple[Rule, ...] = (
    _rule(
        "no-letters", "no letters: punctuation, numbers or symbols only", 1_000_000,
        start=(r"[\W\d_]*$",),
        guard=False,
    ),
    _rule(
        "ui-label", "a widget or button label, not prose", 6,
        start=(
            r"(?:advertisements?|advertising|sponsored(?: content)?|report this ad"
            r"|loading(?:\.\.\.|…)?|like\s+loading\W*|print(?: this)?(?: article| page| post)?"
            r"|e-?mail(?: this)?|share|tweet|like|pin it|whatsapp|telegram|facebook|twitter"
            r"|linkedin|reddit|menu|search|skip to(?: main)? content|back to top|top"
            r"|(?:previous|next)(?: post| article| story)?|older posts|newer posts|print friendly"
            r"|(?:download|save)(?: as)? pdf)\W*$",
        ),
        anywhere=(r"\bblogthis!",),
        needles=("blogthis",),
        guard=False,
    ),
    _rule(
        "share-button", "share or like button text", 30,
        start=(
            r"(?:share|like) (?:this|it)\s*(?:[:!]|$)",
            r"share (?:on|via|to|with) \w+",
            r"click to (?:share|e-?mail|print|tweet|post|pin)\b",
            r"(?:شارك|مشاركة)(?:ها)?(?:\s+\S+){0,2}\W*$",
        ),
        anywhere=(r"\(opens in (?:a )?new window\)",),
        needles=("new window",),
    ),
    _rule(
        "subscribe-cta", "call to action to subscribe or sign up", 60,
        start=(r"subscribe\b",),
        anywhere=(
            rf"\bby (?:subscribing|signing up|registering)\b{_G}{{0,40}}(?:[.!]|$)",
            rf"\bsubscrib(?:e|ing)\b{_G}{{0,40}}\b(?:here|below|page|newsletters?|mailing list"
            r"|e-?mail (?:list|alerts|updates)|(?:our|my) (?:\w+ ){0,3}(?:updates?|reports?"
            r"|briefings?|digest|list|service|feed|channel)|this (?:blog|site|website|channel"
            r"|feed)|to receive|for free|today|now)\b",
            rf"\bsign(?:ing)? up\b{_G}{{0,60}}\b(?:subscri\w*|newsletters?|mailing list|here"
            r"|page|free|to receive)\b",
            r"\bjoin \d[\d,]* other (?:subscribers|followers|readers)\b",
            r"\benter your e-?mail(?: address)?\b",
        ),
        needles=("subscrib", "signing", "sign up", "registering", "join ", "enter your"),
    ),
    # Addressed to the reader and about "us": "the donation of weapons" or "urged residents
    # to support the relief effort" in a report is not this ("us" may be the US: lower-cased).
    _rule(
        "donate-cta", "call to action to donate or support the site", 40,
        start=(
            rf"(?:please\s+)?(?:donate|make a donation|buy (?:us|me) a coffee|support {_US_OR_OUR})"
            r"\b(?!-)",
        ),
        anywhere=(
            rf"\b(?:please|you can|you could|help us)\b{_G}{{0,40}}\bsupport(?:ing)? {_US_OR_OUR}"
            r"\b(?!-)",
            rf"\b(?:please|you can|you could)\b{_G}{{0,40}}\b(?:donat(?:e|ing)|contribut(?:e|ing)"
            rf"|make a donation)\b{_G}{{0,40}}\b(?:to us|{_OUR_WORK})\b",
            rf"\bsupport(?:ing)? {_US_OR_OUR}\b{_G}{{0,40}}\b(?:donat\w*|patreon|paypal|ko-?fi)\b",
        ),
        needles=("support", "donat", "contribut"),
    ),
    # Only as the line's opening: "Militants posted a video on their Telegram channel" and
    # "IS urged supporters to join its channel" are reporting.
    _rule(
        "follow-cta", "call to follow or join the site's channel or page", 30,
        start=(
            r"(?:please\s+)?(?:join|follow) (?:us|our (?:[\w-]+ ){0,2}(?:channel|group|page"
            r"|account|community|feed))\b",
            r"(?:find|like) us on\b",  # not "Like us, the residents ..."
            rf"(?:for|to) {_G}{{2,80}},\s*(?:please\s+)?(?:join|follow) (?:us|our)\b",
        ),
    ),
    _rule(
        "click-here", "call to action: click here", 50,
        start=(
            r"(?:please\s+)?click (?:here|on this link|this link|the link below)\b",
            rf"(?:to|for) {_G}{{2,120}},\s*(?:please\s+)?click (?:here|this link)\b",
        ),
        anywhere=(
            r"[.!?]\s+(?:please\s+)?click (?:here|on this link|this link|the link below)\b",
            r"\b(?:click|clicking|tap) here\W*$",
        ),
        needles=("click", "tap here"),
    ),
    _rule(
        "republished", "republishing footer: republished with permission, originally published",
        60,
        start=(
            r"this (?:article|post|piece|report|update|analysis|commentary|story|essay|blog)\b"
            rf"{_G}{{0,40}}\b(?:(?:was|is|has been) )?(?:(?:originally|first) (?:published"
            r"|appeared|posted|ran)|(?:appeared|ran) (?:on|in|at)|written for)\b",
            r"(?:originally|first) (?:published|appeared|posted|ran)\b",
            r"(?:read|see|view) the (?:original|full) (?:article|post|report|story|version)\b",
        ),
        anywhere=(
            r"\b(?:re-?published|reproduced|reprinted|re-?posted|cross-?posted|syndicated)\b"
            rf"{_G}{{0,40}}\bwith (?:the )?(?:[\w'’]+ ){{0,2}}permission\b",
        ),
        needles=("permission",),
        # The WordPress/Yoast feed footer, copied with the post: the site's name ends it.
        cased=r"The post .+ appeared first on (?:[A-Z0-9]|[\w-]+\.[a-z]{2,})\S*(?: \S+){0,7}$",
    ),
    _rule(
        "source-credit", "source or via credit line", 12,
        start=(r"(?:source|sources|via|h/t|hat tip)\s*:",),
    ),
    _rule(
        "site-bio", "bio of the blog or site", 60,
        start=(
            rf"{_G}{{0,60}}\bis (?:a|an|the) (?:[\w'’-]+ ){{0,4}}(?:blog|website|news ?site"
            r"|online (?:magazine|publication|journal|platform)|think[- ]tank"
            r"|research (?:centre|center|consultancy)|consultancy)\b",
            r"about (?:the )?(?:authors?|us|this (?:blog|site))\b",
        ),
        anywhere=(
            rf"\bmost[- ]read\b{_G}{{0,40}}\b(?:blog|site|website|publication|newsletter"
            r"|magazine|platform|outlet|source)\b",
        ),
        needles=("most read", "most-read"),
    ),
    _rule(
        "author-bio", "author bio, contact or follow-us footer", 60,
        start=(
            r"follow (?:[\w@'’.-]+ ){1,4}(?:on|at) (?:twitter|x|facebook|telegram|linkedin"
            r"|instagram|mastodon|bluesky|threads)\b",
        ),
        anywhere=(r"\b(?:tweets|is on twitter|is on x) (?:at|as) @\w+",),
        needles=("@",),
        cased=(
            r"(?:[A-Z][\w'’.-]*\s){1,4}is (?:a|an|the) [^.]{0,80}?\b(?i:fellow|analyst"
            r"|researcher|editor|journalist|writer|correspondent|contributor|consultant|founder"
            r"|co-founder|lecturer|professor|phd candidate|doctoral candidate)\b"
        ),
    ),
    _rule(
        "disclaimer", "editorial disclaimer", 60,
        anywhere=(rf"\bviews expressed\b{_G}{{0,60}}\b(?:author|own|not necessarily|do not)\b",),
        needles=("views expressed",),
    ),
    _rule(
        "comments", "comment form or comment count", 12,
        start=(
            r"(?:comments are closed|comments? (?:are|is) (?:disabled|off)|leave a (?:comment"
            r"|reply)|post a comment|no comments(?: yet)?|be the first to comment"
            r"|add (?:a|your) comment|join the discussion)\b",
            r"(?:\d+ )?(?:comments?|responses?|replies)(?:\s*\(\d+\))?\W*$",
        ),
    ),
    _rule(
        "related", "related-posts heading or read-more link line", 20,
        start=(
            r"(?:related(?: posts| articles| stories| content| reading)?|you (?:may|might) also"
            r" (?:like|enjoy|be interested in)|recommended(?: for you)?|(?:popular|recent) posts"
            r"|most (?:read|popular)|read (?:more|also|next)|see also|further reading"
            r"|continue reading|more on this(?: topic)?)(?:\s*[:\-–—»›→…]|\s*$)",
            r"(?:اقرأ|إقرأ) (?:أيضا|أيضاً|المزيد)",
        ),
    ),
    _rule(
        "post-meta", "post meta line: posted in/by, filed under, categories", 30,
        start=(
            r"(?:posted|filed) (?:in|under|by)\b",
            r"(?:categor(?:y|ies)|labels)\s*:",
            r"this entry was posted\b",
        ),
        anywhere=(r"\bbookmark the permalink\b",),
        needles=("permalink",),
    ),
    _rule(
        "posted-on", "dateline line: posted on <date>", 12,
        start=(r"(?:posted|published|updated)(?: on)?\s*:?\s*(?:\d|[a-z]+\.? \d)",),
        guard=False,
    ),
    _rule(
        "tags-line", "tag list line (often empty: 'Tags: , , ,')", 40,
        start=(r"(?:tags?|tagged(?: with| as| in)?|keywords|topics)\s*:", r"tagged (?:with|as)\b"),
    ),
    _rule(
        "image-file", "image file name leaked as text", 15,
        start=(
            r"[\w ()\-.,@+]{1,100}\.(?:jpe?g|png|gif|webp|svg|bmp|tiff?|heic|avif)$",
            r"(?:img|dsc|dscn|dcim|pxl|photo|image|pic)[_-]?\d{2,}\b",
        ),
        anywhere=(r"\bscreen ?shot[ _-]?\d{4}-\d{2}-\d{2}\b",),
        needles=("shot",),
    ),
    _rule(
        "image-file-short", "short line naming an image file", 6,
        anywhere=(r"\S\.(?:jpe?g|png|gif|webp)\b",),
        needles=(".jp", ".png", ".gif", ".webp"),
    ),
    _rule(
        "caption-credit", "photo caption or credit", 15,
        start=(
            r"\(?(?:(?:featured?|header|cover|top|main|lead|hero|banner|title) )?(?:photo|image"
            r"|picture|photograph|pic|map|graphic|illustration|video)s?(?: credit)?\s*"
            r"(?::|by\b|courtesy\b|via\b|©)",
            r"(?:credit|photo credit|image credit|courtesy of)\s*:",
        ),
    ),
    _rule(
        "copyright", "copyright notice", 30,
        start=(r"(?:©|\(c\)|copyright\b)",),
        anywhere=(r"\ball rights reserved\b",),
        needles=("rights reserved",),
    ),
    _rule(
        "short-fragment", "fewer than three words and not a sentence", 2,
        start=(r"(?!.*[.!?؟…\"”’)\]]$)\S+(?:\s+\S+)?$",),
        guard=False,
    ),
)  # fmt: skip


def match_rule(text: str, *, clean: bool = False) -> Rule | None:
    """Return the first rule that marks ``text`` (one paragraph) as boilerplate.

    ``clean`` says the text's whitespace is already collapsed to single spaces.
    """
    if not clean:
        text = " ".join(text.split())
    low = text.lower()
    prose = _PROSE_OPENING.match(low) is not None
    plan = _plan(bisect_left(_WORD_LIMITS, text.count(" ") + 1), prose)
    first = len(RULES)
    if plan.start is not None and (m := plan.start.match(low)):
        first = int(m.lastgroup[1:])
    candidates = [i for i in plan.cased if i < first]
    if plan.needles is not None:
        for needle in plan.needles.findall(low):
            candidates.extend(i for i in plan.by_needle[needle] if i < first)
    for index in sorted(candidates) if candidates else ():
        if RULES[index].matches_beyond_start(text, low):
            return RULES[index]
    return RULES[first] if first < len(RULES) else None


# The distinct word limits; a line's count falls between two of them and picks a plan.
_WORD_LIMITS = sorted({rule.max_words for rule in RULES})


@dataclass(frozen=True)
class _Plan:
    """The rules that apply to lines of one length band, opening as prose or not."""

    start: re.Pattern[str] | None  # every applicable start pattern, one named group each
    needles: re.Pattern[str] | None  # every needle of the applicable anywhere patterns
    by_needle: dict[str, tuple[int, ...]]  # needle -> rules it may trigger
    cased: tuple[int, ...]  # applicable rules with a cased pattern


@lru_cache(maxsize=64)
def _plan(band: int, prose: bool) -> _Plan:
    """Build the plan for lines of ``band`` (an index into the word limits)."""
    words = _WORD_LIMITS[band] if band < len(_WORD_LIMITS) else _WORD_LIMITS[-1] + 1
    usable = [
        i for i, rule in enumerate(RULES)
        if words <= rule.max_words and not (prose and rule.prose_guard)
    ]  # fmt: skip
    starts = [f"(?P<r{i}>{RULES[i].start.pattern})" for i in usable if RULES[i].start]
    by_needle: dict[str, tuple[int, ...]] = {}
    for i in usable:
        for needle in RULES[i].needles if RULES[i].anywhere else ():
            by_needle[needle] = (*by_needle.get(needle, ()), i)
    needles = "|".join(re.escape(n) for n in sorted(by_needle, key=len, reverse=True))
    return _Plan(
        start=re.compile("|".join(starts)) if starts else None,
        needles=re.compile(needles) if needles else None,
        by_needle=by_needle,
        cased=tuple(i for i in usable if RULES[i].cased),
    )


def opens_like_reporting(text: str) -> bool:
    """Tell whether a line opens like dated reporting: "On 3 March, ...", "Last week ..."."""
    return _PROSE_OPENING.match(text.lower()) is not None


def is_boilerplate(text: str) -> str | None:
    """Return why ``text`` is boilerplate ("rule-name: reason"), or ``None`` for article text."""
    rule = match_rule(text)
    return f"{rule.name}: {rule.reason}" if rule else None
