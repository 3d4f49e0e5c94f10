"""The watchlist matcher: which watched actors and places a text mentions, and where.

Usage::

    matcher = Matcher.from_watches(config.watches)
    matcher.find("On 3 March, the LNA struck IS positions near Derna's port.")
    # [Mention("lna", "LNA", 16, 19), Mention("isis", "IS", 27, 29),
    #  Mention("derna", "Derna", 45, 50)]

How: one pass of a pyahocorasick automaton over a case-folded, normalised copy of the text
for ``names``, and one over the normalised copy before folding for ``acronyms``. The
automata report every substring hit ("isis" inside "crisis"), so each hit is then checked for
whole words, ``str.isalnum()`` on its neighbours (Unicode-aware, so Arabic script too), and
its offsets are mapped back to the text passed in. The neighbours are read in the normalised
copy, where a soft hyphen, tatweel or harakat beside a name are already gone: "Der\u00adnawi"
is one word, "Derna\u00a0’s" two. Measured
(pitfalls.md): 10,000 names over 325k characters, pyahocorasick 14 ms, one regex
alternation 1.7 s; no per-name regex here.

Normalisation, the same for configured names and for the text, character by character (so
that offsets map back; see :func:`normalise`):

- whitespace of every kind (line breaks, tabs, U+00A0, U+202F, the zero-width space) and every
  dash form are interchangeable, and a run of them is one space: "al-Bunyan" = "al Bunyan",
  "Libyan\\nNational Army" = "Libyan National Army";
- quote, prime and apostrophe forms (and the transliteration marks ʾ ʿ) become ' and ";
- compatibility forms are decomposed (NFKD: ligatures, full-width letters, Arabic
  presentation forms) and combining marks dropped, so "Ghadamès" = "Ghadames" and the Arabic
  harakat (U+064B-U+0652) and dagger alef go; format characters (soft hyphen, joiners,
  direction marks) are removed;
- Arabic: tatweel removed; hamza seats dropped (أ إ آ ٱ → ا, ؤ → و, ئ → ي: the hamza is a
  combining mark once decomposed); ة → ه and ى → ي always (both spellings are common in
  Libyan place names online: درنة/درنه); Persian ی → ي and ک → ك; Arabic-Indic digits → 0-9;
- names only: Unicode case folding. Acronyms keep their case: "IS" never matches "is".

Whole words: the characters either side of a hit must not be letters or digits, except that
an Arabic-script name may carry the one-letter proclitics و ف ب ك ل and the article ال
("ودرنة", "بالجفرة", "للجفرة"); see :data:`_CLITICS`. The reported span is the name itself,
without the proclitics.

Variants generated from each configured name (transliterations are not guessed; list them):
Latin names without any subset of their "al-"/"el-" articles ("al-Bunyan al-Marsus" also
finds "Bunyan al-Marsus", "Bunyan Marsus"); Arabic names starting with ال also without it,
but only where the text puts a clitic article in front ("للجفرة" = "to al-Jufra").

Overlapping mentions of different watches are all reported ("Derna Mujahideen Shura Council"
names the actor and the place Derna); of one watch, the leftmost-longest non-overlapping ones.
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from bisect import bisect_right
from collections.abc import Iterable, Iterator, Sequence
from typing import NamedTuple, Protocol

import ahocorasick

from alerts.model import Mention

__all__ = ["Matcher", "WatchLike", "normalise"]


class WatchLike(Protocol):
    """What the matcher reads from a watch (``wirewatch.config.Watch`` fits)."""

    @property
    def id(self) -> str: ...

    @property
    def names(self) -> Sequence[str]: ...

    @property
    def acronyms(self) -> Sequence[str]: ...


# --- normalisation -------------------------------------------------------------------------

_DASHES = "-‐‑‒–—―−⁃﹘﹣－⸺⸻︱︲"
_SINGLE_QUOTES = "'`‘’‚‛′‵´ʹʻʼʽʾʿ‹›"
_DOUBLE_QUOTES = '"“”„‟″‶«»〝〞'
_EXPLICIT = {
    **dict.fromkeys(_DASHES, " "),
    "\u200b": " ",  # the zero-width space separates words; other format characters go
    **dict.fromkeys(_SINGLE_QUOTES, "'"),
    **dict.fromkeys(_DOUBLE_QUOTES, '"'),
    "\u0640": "",  # tatweel
    "\u0671": "\u0627",  # alef wasla → alef (it has no decomposition)
    "\u0629": "\u0647",  # teh marbuta → heh
    "\u0649": "\u064a",  # alef maqsura → yeh
    "\u06cc": "\u064a",  # Persian yeh → yeh
    "\u06a9": "\u0643",  # Persian keheh → kaf
    **{chr(0x0660 + d): str(d) for d in range(10)},  # Arabic-Indic digits
    **{chr(0x06F0 + d): str(d) for d in range(10)},  # extended Arabic-Indic digits
}
_SEP = "[\\s" + re.escape(_DASHES) + "\u200b]"
# A stretch the per-character loop must see: non-ASCII characters with the separators
# around them, a run of separators, or one ASCII character that changes.
_TOKEN = re.compile(
    f"{_SEP}*(?:[^\\x00-\\x7f]{_SEP}*)+|{_SEP}{{2,}}|[\\t\\n\\r\\x0b\\x0c\\x1c-\\x1f`-]"
)
# ASCII characters that become another single character (the fast path for ASCII text).
_ASCII_CHANGES = tuple((c, _EXPLICIT.get(c, " ")) for c in "-`\t\n\r\x0b\x0c\x1c\x1d\x1e\x1f")
_SPACE_RUN = re.compile(" {2,}")
# Non-ASCII characters common in English reporting that become one ASCII character: replaced
# first with str.replace (C speed), most paragraphs then take the ASCII path.
_COMMON = tuple((c, _EXPLICIT.get(c, " ")) for c in "’‘“”–—\u00a0\u202f\u2010\u2011")
_FORMS: dict[str, str] = {}  # character -> its normal form, filled as characters are seen


def _compute_form(char: str) -> str:
    if char in _EXPLICIT:
        return _EXPLICIT[char]
    if char.isspace():
        return " "
    category = unicodedata.category(char)
    if category == "Cf" or category in ("Mn", "Me"):
        return ""
    decomposed = unicodedata.normalize("NFKD", char)
    if decomposed != char:
        return "".join(_compute_form(d) for d in decomposed)
    folded = char.casefold()
    if len(folded) != 1:
        # "ß" -> "ss" here, so that case folding the normalised text keeps its length.
        return "".join(_compute_form(d) if d != char else d for d in folded)
    return char


def _form(char: str) -> str:
    form = _FORMS.get(char)
    if form is None:
        form = _FORMS[char] = _compute_form(char)
    return form


class _Offsets:
    """Maps spans of a normalised text back to the original.

    The normalised text is cut into runs; an exact run copies characters one for one from
    ``orig[k]`` on, an inexact one (``ends[k] >= 0``) is one character made from the
    original span ``orig[k]:ends[k]`` (e.g. one of the two letters of the ligature ﻻ).
    """

    __slots__ = ("ends", "norm", "orig")

    def __init__(self, runs: list[tuple[int, int, int]]) -> None:
        """Take the runs as (normalised start, original start, original end or -1 if exact)."""
        self.norm = [r[0] for r in runs]
        self.orig = [r[1] for r in runs]
        self.ends = [r[2] for r in runs]

    def span(self, start: int, end: int) -> tuple[int, int]:
        """The original span of the normalised span ``start:end`` (non-empty)."""
        k = bisect_right(self.norm, start) - 1
        ostart = self.orig[k] + (start - self.norm[k]) if self.ends[k] < 0 else self.orig[k]
        last = end - 1
        k = bisect_right(self.norm, last) - 1
        oend = self.orig[k] + (last - self.norm[k]) + 1 if self.ends[k] < 0 else self.ends[k]
        return ostart, oend


def normalise(text: str) -> tuple[str, _Offsets | None]:
    """Return ``text`` normalised for matching (not case-folded) and its offset map.

    The map is None where every character kept its place (most ASCII text).
    """
    if not text.isascii():
        for char, replacement in _COMMON:
            if char in text:
                text = text.replace(char, replacement)
    if text.isascii():
        for char, replacement in _ASCII_CHANGES:
            if char in text:
                text = text.replace(char, replacement)
        if "  " not in text:
            return text, None
        runs = [(0, 0, -1)]
        removed = 0
        for m in _SPACE_RUN.finditer(text):
            removed += m.end() - m.start() - 1
            runs.append((m.end() - removed, m.end(), -1))
        return _SPACE_RUN.sub(" ", text), _Offsets(runs)
    return _normalise_general(text)


def _normalise_general(text: str) -> tuple[str, _Offsets | None]:
    out = _Builder()
    pos = 0
    for m in _TOKEN.finditer(text):
        start = m.start()
        if start > pos:
            out.copy(text[pos:start], pos)
        chunk = m[0]
        forms = list(map(_FORMS.get, chunk))
        if None in forms:
            forms = list(map(_form, chunk))
        joined = "".join(forms)
        one_for_one = len(joined) == len(chunk) and "" not in forms and "  " not in joined
        if one_for_one and not (out.space and joined[0] == " "):
            out.copy(joined, start)  # most Arabic text: nothing removed, nothing to collapse
        else:
            for o, form in enumerate(forms, start):
                out.add(form, o)
        pos = m.end()
    if pos < len(text):
        out.copy(text[pos:], pos)
    if out.runs == [(0, 0, -1)]:
        return "".join(out.parts), None  # one for one throughout
    return "".join(out.parts), _Offsets(out.runs)


class _Builder:
    """A normalised text being written, with its runs (see :class:`_Offsets`)."""

    __slots__ = ("delta", "n", "parts", "runs", "space")

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.runs: list[tuple[int, int, int]] = []
        self.n = 0  # length so far
        self.delta: int | None = None  # original minus normalised offset in an exact run
        self.space = False  # the last character written was a space

    def copy(self, piece: str, o: int) -> None:
        """Write ``piece``, which stands one for one for the original from offset ``o``."""
        if self.delta != o - self.n:
            self.runs.append((self.n, o, -1))
            self.delta = o - self.n
        self.parts.append(piece)
        self.n += len(piece)
        self.space = piece[-1] == " "

    def add(self, form: str, o: int) -> None:
        """Write the form of the original character at ``o``; a space after a space is dropped."""
        if len(form) == 1:
            if not (form == " " and self.space):
                self.copy(form, o)
            return
        for char in form:  # none (a removed mark) or several characters
            if char == " " and self.space:
                continue
            self.runs.append((self.n, o, o + 1))
            self.delta = None
            self.parts.append(char)
            self.n += 1
            self.space = char == " "


def _casefold(norm: str) -> str:
    folded = norm.casefold()
    if len(folded) == len(norm):
        return folded
    # Not reached with the forms above (they keep one character per character when
    # folded), kept so that a Unicode update cannot shift offsets silently.
    return "".join(c.casefold() if len(c.casefold()) == 1 else c for c in norm)


# --- Arabic clitics --------------------------------------------------------------------------

_ARTICLE = "\u0627\u0644"  # ال
_CONJUNCTIONS = ("", "و", "ف")
_PREPOSITIONS = ("", "ب", "ك", "ل")
#: What may stand before an Arabic-script name inside the same word: nothing (a whole word);
#: a conjunction and/or a one-letter preposition; and, before a name that has no article of
#: its own, the article too, which after ل is written لل ("للجفرة" = "to al-Jufra").
_CLITICS = frozenset(c + p for c in _CONJUNCTIONS for p in _PREPOSITIONS)
_CLITIC_ARTICLES = frozenset(
    [c + p + _ARTICLE for c in _CONJUNCTIONS for p in ("", "ب", "ك")]
    + [c + "لل" for c in _CONJUNCTIONS]
)
_WHOLE_WORD = frozenset([""])
_MAX_CLITICS = max(map(len, _CLITIC_ARTICLES))


def _is_arabic(char: str) -> bool:
    return unicodedata.name(char, "").startswith("ARABIC")


def _clitics_for(key: str) -> frozenset[str]:
    """Which in-word prefixes a pattern accepts (see :data:`_CLITICS`)."""
    if not _is_arabic(key[0]):
        return _WHOLE_WORD
    if key.startswith(_ARTICLE):
        return _CLITICS
    return _CLITICS | _CLITIC_ARTICLES


def _variants(key: str) -> Iterator[tuple[str, frozenset[str]]]:
    """Article-dropped variants of a case-folded name, each with the prefixes it accepts."""
    if _is_arabic(key[0]):
        first = key.split(" ", 1)[0]
        if first.startswith(_ARTICLE) and len(first) >= 4:
            yield key[len(_ARTICLE) :], _CLITIC_ARTICLES
        return
    words = key.split(" ")
    articles = [i for i, w in enumerate(words[:-1]) if w in ("al", "el")][:4]
    for size in range(1, len(articles) + 1):
        for dropped in itertools.combinations(articles, size):
            variant = " ".join(w for i, w in enumerate(words) if i not in dropped)
            if len(variant) >= 3:
                yield variant, _WHOLE_WORD


# --- the matcher ------------------------------------------------------------------------------


class _Target(NamedTuple):
    watch_id: str
    name: str  # as configured
    prefixes: frozenset[str]  # see _clitics_for


def _automaton(patterns: dict[str, list[_Target]]) -> ahocorasick.Automaton | None:
    if not patterns:
        return None
    automaton = ahocorasick.Automaton()
    for key, targets in patterns.items():
        arabic = any(t.prefixes != _WHOLE_WORD for t in targets)
        automaton.add_word(key, (len(key), arabic, tuple(targets)))
    automaton.make_automaton()
    return automaton


def _add(patterns: dict[str, list[_Target]], key: str, target: _Target) -> None:
    targets = patterns.setdefault(key, [])
    if not any(t.watch_id == target.watch_id and t.prefixes == target.prefixes for t in targets):
        targets.append(target)


def _prefix(norm: str, start: int) -> str | None:
    """The letters between the word's start and ``start``; None if too many for clitics."""
    i = start
    stop = max(0, start - _MAX_CLITICS)
    while i > stop and norm[i - 1].isalnum():
        i -= 1
    if i > 0 and norm[i - 1].isalnum():
        return None
    return norm[i:start]


class Matcher:
    """Finds mentions of watched names (case-insensitive) and acronyms (case-sensitive)."""

    def __init__(self, watches: Iterable[WatchLike] = ()) -> None:
        """Compile the watches' names, acronyms and generated variants; see the module doc."""
        names: dict[str, list[_Target]] = {}
        acronyms: dict[str, list[_Target]] = {}
        variants: list[tuple[str, _Target]] = []
        for watch in watches:
            for name in watch.names:
                key = _casefold(normalise(name)[0]).strip()
                if key:
                    _add(names, key, _Target(watch.id, name, _clitics_for(key)))
                    variants += [(v, _Target(watch.id, name, p)) for v, p in _variants(key)]
            for acronym in watch.acronyms:
                key = normalise(acronym)[0].strip()
                if key:
                    _add(acronyms, key, _Target(watch.id, acronym, _clitics_for(key)))
        # After every configured name, so that a configured spelling names its own hits.
        for key, target in variants:
            _add(names, key, target)
        self._count = len(names) + len(acronyms)
        self._names = _automaton(names)
        self._acronyms = _automaton(acronyms)

    @classmethod
    def from_watches(cls, watches: Iterable[WatchLike]) -> Matcher:
        """Build a matcher for ``watches`` (e.g. ``config.watches``)."""
        return cls(watches)

    def __len__(self) -> int:
        """The number of distinct patterns: names, their variants and acronyms."""
        return self._count

    def find(self, text: str) -> list[Mention]:
        """Every mention in ``text``, sorted by start; offsets index ``text`` itself."""
        return [Mention(*span) for span in self.find_spans(text)]

    def find_spans(self, text: str) -> list[tuple[str, str, int, int]]:
        """:meth:`find` as plain (watch_id, name, start, end) tuples, for sending to
        another process: 39 mentions pickled and unpickled cost 5 µs as tuples and
        71 µs as :class:`Mention` objects. The tuples are made first, and a Mention
        only for who asks for one: a crawl's routing never does."""
        norm, offsets = normalise(text)
        hits: list[tuple[str, int, int, str]] = []
        if self._names is not None:
            self._scan(self._names, _casefold(norm), norm, hits)
        if self._acronyms is not None:
            self._scan(self._acronyms, norm, norm, hits)
        spans = []
        for watch_id, start, end, name in _longest_per_watch(hits):
            if offsets is not None:
                start, end = offsets.span(start, end)
            while end < len(text) and unicodedata.category(text[end]) in ("Mn", "Me"):
                end += 1  # a mark dropped in normalising still belongs to the last letter
            spans.append((watch_id, name, start, end))
        spans.sort(key=_by_place)
        return spans

    def watch_ids(self, text: str) -> set[str]:
        """The ids of the watches ``text`` mentions."""
        return {m.watch_id for m in self.find(text)}

    @staticmethod
    def _scan(
        automaton: ahocorasick.Automaton,
        haystack: str,
        norm: str,
        hits: list[tuple[str, int, int, str]],
    ) -> None:
        size = len(norm)
        for last, (length, arabic, targets) in automaton.iter(haystack):
            end = last + 1
            if end < size and norm[end].isalnum():
                continue
            start = end - length
            prefix: str | None = ""
            if start > 0 and norm[start - 1].isalnum():
                if not arabic:
                    continue
                prefix = _prefix(norm, start)
                if prefix is None:
                    continue
            for target in targets:
                if prefix in target.prefixes:
                    hits.append((target.watch_id, start, end, target.name))


def _by_place(span: tuple[str, str, int, int]) -> tuple[int, int, str]:
    """A mention's order: by start, then end, then watch."""
    return span[2], span[3], span[0]


def _longest_per_watch(
    hits: list[tuple[str, int, int, str]],
) -> Iterator[tuple[str, int, int, str]]:
    """Per watch, the leftmost-longest hits that do not overlap each other."""
    hits.sort(key=lambda h: (h[0], h[1], h[1] - h[2]))
    for _, group in itertools.groupby(hits, key=lambda h: h[0]):
        reached = -1
        for hit in group:
            if hit[1] >= reached:
                reached = hit[2]
                yield hit
