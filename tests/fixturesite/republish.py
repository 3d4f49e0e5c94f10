"""Republished copies: the same update days later, with the small edits real copies carry.

Article-wide style edits (IS to ISIS, American spelling, "40 km") and per-paragraph
ones (a split, a sentence added, "as a base", a tense change) make a paragraph *not*
the same after normalisation; straightened quotes, non-breaking spaces, letter case
and stray whitespace leave it the same. Each copied paragraph records which origin
paragraph it came from and which of the two it is, computed with
:func:`reference_normalise` rather than asserted, so the annotation cannot lie.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass
from datetime import timedelta

from .content import ParaOrigin, Post, Section, reference_normalise, slugify, straighten

SPELLING = [
    ("Defence", "Defense"),
    ("defence", "defense"),
    ("centre", "center"),
    ("Neighbourhood", "Neighborhood"),
    ("organised", "organized"),
]
TRANSLITERATIONS = [
    ("Misrata", "Misurata"),
    ("Derna", "Darnah"),
    ("Mujahedeen", "Mujahideen"),
    ("Fatayeh", "Fatayih"),
    ("Sirte", "Surt"),
]
CASE_TARGETS = [
    "Shura Council",
    "Presidential Council",
    "House of Representatives",
    "Great Man-Made River",
    "Red Crescent",
    "Central Bank",
    "Special Deterrence Force",
    "Operations Room",
    "Petroleum Facilities Guard",
    "Ministry of Defence",
]
ADDED_SENTENCES = [
    "The report could not be independently confirmed.",
    "Libyan media carried the news the same day.",
    "No casualty figures were given.",
    "Witnesses described heavy gunfire that lasted into the evening.",
]
LOCAL_PARAGRAPHS = [
    "Separately, residents of Tobruk reported long queues at petrol stations after a delivery"
    " from Brega was delayed by several days.",
    "Separately, the municipal council of Sabratha said schools would reopen after a month's"
    " closure because of fighting on the town's southern edge.",
    "Separately, a fire broke out at a warehouse in Misrata's port; officials said it was an"
    " accident.",
]


@dataclass(frozen=True)
class Style:
    """How a republisher edits: which article-wide changes it makes."""

    straight_quotes: bool = True
    respell: bool = False  # transliterations: Misurata, Darnah, Mujahideen
    local_paragraph: bool = False  # may add a paragraph of its own (origin ``None``)


def republish(
    post: Post,
    new_id: int,
    seed: int,
    *,
    style: Style = Style(),
    categories: list[str] | None = None,
    origin_site: str = "Libya Security Monitor",
) -> Post:
    """A copy of ``post`` published 1-5 days later under ``new_id``, with annotated edits.

    The author footer (``"<author> is a senior analyst at <origin_site>."``) goes in
    ``footer``: themes render it as in-body boilerplate, never as a paragraph.
    """
    rng = random.Random(seed * 7919 + post.id)
    wide = _article_wide_edits(rng, style)
    starts = {
        id(s): sum(len(t.paragraphs) for t in post.sections[:k])
        for k, s in enumerate(post.sections)
    }
    new_sections, origins = [], []
    for section in _keep_sections(rng, post.sections):
        paras: list[str] = []
        for offset, text in enumerate(section.paragraphs):
            for piece, edits in _edit_paragraph(rng, text, wide, style):
                same = reference_normalise(piece) == reference_normalise(text)
                paras.append(piece)
                origins.append(ParaOrigin(starts[id(section)] + offset, same, edits))
        if style.local_paragraph and rng.random() < 0.3:
            paras.append(rng.choice(LOCAL_PARAGRAPHS))
            origins.append(ParaOrigin(None, False, ("local",)))
        heading = _apply_wide(section.heading, wide)[0] if section.heading else None
        new_sections.append(Section(heading, paras))
    title = _new_title(rng, post, style)
    when = post.date + timedelta(days=rng.randint(1, 5), hours=rng.randint(-3, 3))
    return Post(
        id=new_id,
        slug=slugify(title or f"post {new_id}"),
        title=title,
        date=when,
        modified=when,
        author=post.author,
        categories=categories or ["Libya"],
        tags=list(post.tags) if rng.random() < 0.5 else [],
        sections=new_sections,
        kind=post.kind,
        origin=(post.id, origins),
        footer=f"{post.author} is a senior analyst at {origin_site}.",
    )


def _article_wide_edits(rng: random.Random, style: Style) -> list[tuple[str, str, str]]:
    """(name, pattern, replacement): what a republisher's house style changes everywhere."""
    edits: list[tuple[str, str, str]] = []
    if rng.random() < 0.6:
        edits.append(("acronym", r"\bIS\b", "ISIS"))
    if rng.random() < 0.6:
        edits += [("spelling", rf"\b{a}\b", b) for a, b in SPELLING]
    if rng.random() < 0.6:
        edits.append(("units", r"\b(\d+)km\b", r"\1 km"))
    if style.respell:
        edits += [("transliteration", rf"\b{a}\b", b) for a, b in rng.sample(TRANSLITERATIONS, 2)]
    return edits


def _apply_wide(text: str, wide: list[tuple[str, str, str]]) -> tuple[str, list[str]]:
    applied = []
    for name, pattern, repl in wide:
        text, n = re.subn(pattern, repl, text)
        if n and name not in applied:
            applied.append(name)
    return text, applied


def _keep_sections(rng: random.Random, sections: list[Section]) -> list[Section]:
    """Sometimes leave out one section (never the first)."""
    if len(sections) >= 3 and rng.random() < 0.35:
        dropped = rng.randrange(1, len(sections))
        return [s for k, s in enumerate(sections) if k != dropped]
    return list(sections)


def _edit_paragraph(
    rng: random.Random, text: str, wide: list[tuple[str, str, str]], style: Style
) -> list[tuple[str, tuple[str, ...]]]:
    """One origin paragraph becomes one or two copy paragraphs, each with its edits' names.

    Names: quotes, acronym, spelling, units, transliteration, split, sentence, article,
    tense (substantive unless noted) and nbsp, case, whitespace, newline (cosmetic).
    """
    edits: list[str] = []
    if style.straight_quotes and straighten(text) != text:
        text = straighten(text)
        edits.append("quotes")
    text, applied = _apply_wide(text, wide)
    edits += applied
    r = rng.random()
    if r < 0.12 and (m := re.search(r"[.!?] (?=[A-Z])", text)):
        done = (*edits, "split")
        return [(text[: m.start() + 1], done), (text[m.end() :], done)]
    if r < 0.22:
        text = f"{text} {rng.choice(ADDED_SENTENCES)}"
        edits.append("sentence")
    elif r < 0.32:
        for name, old, new in (
            ("article", " as base ", " as a base "),
            ("tense", "aircraft struck", "aircraft had struck"),
        ):
            if old in text:
                text = text.replace(old, new)
                edits.append(name)
    if rng.random() < 0.3:
        cosmetic = rng.choice([_nbsp, _case, _whitespace, _newline])
        changed = cosmetic(rng, text)
        if changed != text:
            text = changed
            edits.append(cosmetic.__name__.lstrip("_"))
    return [(text, tuple(edits))]


def _spaces(text: str) -> list[int]:
    return [m.start() for m in re.finditer(" ", text)]


def _nbsp(rng: random.Random, text: str) -> str:
    at = rng.choice(_spaces(text) or [0])
    return text[:at] + "\u00a0" + text[at + 1 :] if text[at : at + 1] == " " else text


def _newline(rng: random.Random, text: str) -> str:
    at = rng.choice(_spaces(text) or [0])
    return text[:at] + "\n" + text[at + 1 :] if text[at : at + 1] == " " else text


def _whitespace(rng: random.Random, text: str) -> str:
    at = rng.choice(_spaces(text) or [0])
    return rng.choice([f" {text}", f"{text} ", text[:at] + "  " + text[at + 1 :]])


def _case(rng: random.Random, text: str) -> str:
    """Lower-case part of a multi-word name, or shout the opening word, as editors do."""
    for name in CASE_TARGETS:
        if name in text:
            head, _, tail = name.partition(" ")
            return text.replace(name, f"{head} {tail.lower()}", 1)
    first, _, rest = text.partition(" ")
    return f"{first.upper()} {rest}" if rest else text


def _new_title(rng: random.Random, post: Post, style: Style) -> str | None:
    """The same title (in the copy's quotes), a new one, or none at all."""
    title = post.title or ""
    if style.straight_quotes:
        title = straighten(title)
    r = rng.random()
    if r < 0.55:
        return title
    if r < 0.9:
        headline = title.split(" – ")[0]
        return rng.choice([f"Libya: {headline}", f"Libya Security Roundup: {headline}"])
    return None
