"""The fixture's content model and a deterministic generator of synthetic updates.

A :class:`Post` holds what a reader sees: sections of paragraphs as Unicode text,
exactly as an extractor should recover it after decoding HTML entities (curly
quotes and non-breaking spaces included). Themes only encode that text; they never
change it, so ``post.paragraph_texts()`` is the ground truth for any page of it.

Everything is drawn from a seeded :class:`random.Random`; no wall clock is read,
so the same seed always yields the same site.
"""

from __future__ import annotations

import html
import random
import re
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, timedelta

from . import phrases as ph

WEEKLY_HEADINGS = ["IS in Action", "Other Jihadi Actors", "Political Developments"]
EXTRA_HEADINGS = ["Security and Oil", "Migration and Smuggling"]
TAG_WORDS = ["Sirte", "Derna", "Benghazi", "Misrata", "Ubari", "LNA", "IS", "BRSC", "DMSC"]


@dataclass(frozen=True)
class Section:
    """A run of paragraphs under one heading (``None`` for an untitled run)."""

    heading: str | None
    paragraphs: list[str]


@dataclass(frozen=True)
class ParaOrigin:
    """Where a republished paragraph came from.

    ``origin_index`` indexes the origin post's ``paragraph_texts()`` (``None``: new text);
    ``same_after_normalisation`` is true when the two differ only by quotes, entities,
    non-breaking spaces, letter case or whitespace (see :func:`reference_normalise`);
    ``edits`` names the edits made (see :mod:`.republish`), for tests that want one kind.
    """

    origin_index: int | None
    same_after_normalisation: bool
    edits: tuple[str, ...] = ()  # what changed, e.g. ("quotes", "acronym", "split")


@dataclass(frozen=True)
class Comment:
    """A reader comment shown below a post: page boilerplate, never article content."""

    author: str
    date: datetime
    text: str


@dataclass
class Post:
    """One article as a site publishes it; treat instances as immutable values."""

    id: int
    slug: str
    title: str | None
    date: datetime
    modified: datetime
    author: str
    categories: list[str]
    tags: list[str]
    sections: list[Section]
    kind: str = "weekly"
    origin: tuple[int, list[ParaOrigin]] | None = None
    formula_pairs: list[tuple[int, int]] = field(default_factory=list)
    comments: list[Comment] = field(default_factory=list)
    footer: str | None = None

    def paragraph_texts(self) -> list[str]:
        """Every body paragraph in order, headings excluded: what must become items."""
        return [p for s in self.sections for p in s.paragraphs]

    def paragraphs_with_headings(self) -> list[tuple[str | None, str]]:
        """``(heading, text)`` for every body paragraph, in order."""
        return [(s.heading, p) for s in self.sections for p in s.paragraphs]

    @property
    def origin_id(self) -> int | None:
        """The id of the post this one republishes, if any."""
        return self.origin[0] if self.origin else None


def reference_normalise(text: str) -> str:
    """Fold away what "same after normalisation" ignores, for ground truth in tests.

    Decodes HTML entities, straightens curly quotes, turns non-breaking spaces into
    spaces, collapses whitespace and case-folds. Deliberately independent of wirewatch.
    """
    text = html.unescape(text).translate(_FOLD)
    return " ".join(text.split()).casefold()


_FOLD = str.maketrans({"‘": "'", "’": "'", "“": '"', "”": '"', "\u00a0": " "})


def texturize(text: str) -> str:
    """Curl quotes and apostrophes the way WordPress's ``wptexturize`` does."""
    if "'" not in text and '"' not in text:
        return text
    return _QUOTE.sub(_curl, text)


_QUOTE = re.compile(r"['\"]")


def _curl(m: re.Match[str]) -> str:
    """Opening after a space, a bracket or at the start; closing (or apostrophe) otherwise."""
    at, text = m.start(), m.string
    opening = at == 0 or text[at - 1] in " (\n\u00a0"
    if m.group() == '"':
        return "“" if opening else "”"
    return "‘" if opening else "’"


def straighten(text: str) -> str:
    """Undo :func:`texturize`: what a republisher's editor pastes as plain quotes."""
    return text.translate(str.maketrans({"‘": "'", "’": "'", "“": '"', "”": '"'}))


def slugify(title: str) -> str:
    """A WordPress-like slug: lower case ASCII words joined by hyphens."""
    words = re.findall(r"[a-z0-9]+", straighten(title).lower().replace("'", ""))
    return "-".join(words)[:190].rstrip("-")


def day_month(day: date, *, american: bool = False) -> str:
    """``3 March`` (or ``March 3`` in the American form) with no year, as updates write."""
    month = ph.MONTHS[day.month - 1]
    return f"{month} {day.day}" if american else f"{day.day} {month}"


def long_date(day: date) -> str:
    """``7 March 2016``."""
    return f"{day.day} {ph.MONTHS[day.month - 1]} {day.year}"


_BANKS = {
    "place": ph.PLACES,
    "south": ph.SOUTH,
    "coast": ph.COAST,
    "sirte_area": ph.SIRTE_AREA,
    "sirte_district": ph.SIRTE_DISTRICT,
    "bgz": ph.BENGHAZI_AREA,
    "derna_area": ph.DERNA_AREA,
    "oil": ph.OIL_SITES,
    "abroad": ph.ABROAD,
    "tribe": ph.TRIBES,
    "dir": ph.DIRECTIONS,
    "n": ph.NUMBER_WORDS,
    "ordinal": ph.ORDINALS,
    "foe": ph.FOES,
    "unit": ph.LNA_UNITS,
    "kunya": ph.KUNYAS,
    "official": ph.OFFICIALS,
    "target": ph.TARGETS,
}


class _Slots(dict):
    """Template slot values, drawn on first use so a template pays only for what it names."""

    def __init__(self, rng: random.Random, post_day: date, event_day: date) -> None:
        super().__init__()
        self.rng, self.post_day, self.event_day = rng, post_day, event_day

    def __missing__(self, key: str) -> str:
        value = self._draw(key)
        self[key] = value
        return value

    def _draw(self, key: str) -> str:
        rng, banks = self.rng, _BANKS
        if key in banks:
            return rng.choice(banks[key])
        if key == "place2":
            return rng.choice([p for p in ph.PLACES if p != self.get("place")])
        if key == "dm":
            return day_month(self.event_day)
        if key == "month_before":
            back = self.post_day - timedelta(days=rng.randint(35, 120))
            return ph.MONTHS[back.month - 1]
        numbers = {"cas": (2, 19), "big": (20, 340), "seats": (61, 98)}
        if key in numbers:
            return str(rng.randint(*numbers[key]))
        if key == "km":
            return str(rng.randrange(10, 95, 5))
        raise KeyError(key)


def _fill(template: str, slots: _Slots) -> str:
    text = template.format_map(slots)
    return text[0].upper() + text[1:]


class Writer:
    """Writes posts from the phrase banks; one per site so paragraphs stay unique in it."""

    def __init__(self, rng: random.Random, *, curly: bool = True) -> None:
        self.rng = rng
        self.curly = curly
        self.seen: set[str] = set()
        self.slugs: set[str] = set()

    def _opener(self, day: date, *, forced: bool = False) -> str:
        r = 0.0 if forced else self.rng.random()
        if r < 0.64:
            return f"On {day_month(day)}, "
        if r < 0.76:
            return f"On {day_month(day, american=True)}, "
        return "Last week, " if r < 0.86 else ""

    def _event_paragraph(
        self, heading: str, post_day: date, forced: date | None, used: set[str]
    ) -> str:
        """One development; ``used`` keeps a template to one use per update."""
        rng = self.rng
        follow_ups = ph.POLITICAL_FOLLOW_UPS if heading.startswith("Political") else ph.FOLLOW_UPS
        fresh = [t for t in ph.SECTIONS[heading] if t not in used and not ("{dm}" in t and forced)]
        for _ in range(30):
            event_day = forced or post_day - timedelta(days=rng.randint(1, 7))
            template = rng.choice(fresh or ph.SECTIONS[heading])
            slots = _Slots(rng, post_day, event_day)
            slots["d"] = "" if "{dm}" in template else self._opener(event_day, forced=bool(forced))
            text = _fill(template, slots)
            if rng.random() < 0.45:
                text += " " + _fill(rng.choice(follow_ups), _Slots(rng, post_day, event_day))
            if self._claim(text):
                used.add(template)
                return text
        return text

    def _claim(self, text: str) -> bool:
        """Record a paragraph; false if the site already has it (so retry)."""
        if text in self.seen:
            return False
        self.seen.add(text)
        return True

    def _formula_pair(self, post_day: date) -> tuple[str, str]:
        """Two events in one template: a different date, and sometimes place or number too."""
        rng = self.rng
        for _ in range(30):
            template = rng.choice(ph.FORMULAS)
            d1, d2 = rng.sample(range(1, 8), 2)
            first = _Slots(rng, post_day, post_day - timedelta(days=d1))
            first["d"] = f"On {day_month(first.event_day)}, "
            text1 = _fill(template, first)
            second = _Slots(rng, post_day, post_day - timedelta(days=d2))
            second.update({k: v for k, v in first.items() if k != "d"})
            second["d"] = f"On {day_month(second.event_day)}, "
            changed = rng.choice(["", "place", "bgz", "coast", "n", "cas", "big", "foe"])
            if changed in second:
                del second[changed]
            text2 = _fill(template, second)
            if text1 != text2 and self._claim(text1) and self._claim(text2):
                return text1, text2
        return text1, text2

    def _new_year_dates(self, post_day: date) -> list[date]:
        """For an update written across New Year, force "On 30 December" and "On 2 January"."""
        wanted = [date(post_day.year - 1, 12, 30), date(post_day.year, 1, 2)]
        window = [post_day - timedelta(days=k) for k in range(1, 8)]
        return wanted if all(d in window for d in wanted) else []

    def weekly(self, post_id: int, when: datetime) -> Post:
        """A weekly update: 3-4 headed sections, dated paragraphs, one formulaic pair."""
        rng, day = self.rng, when.date()
        headings = WEEKLY_HEADINGS + ([rng.choice(EXTRA_HEADINGS)] if rng.random() < 0.5 else [])
        forced = self._new_year_dates(day)
        pair_at = rng.randrange(len(headings))
        sections, pairs, count, used = [], [], 0, set()
        for s_index, heading in enumerate(headings):
            paras = [
                self._event_paragraph(heading, day, forced.pop(0) if forced else None, used)
                for _ in range(rng.randint(1, 4) if s_index == pair_at else rng.randint(3, 6))
            ]
            if s_index == pair_at:
                first, second = self._formula_pair(day)
                i = rng.randint(0, len(paras))
                paras.insert(i, first)
                j = rng.randint(i + 1, len(paras))
                paras.insert(j, second)
                pairs.append((count + i, count + j))
            sections.append(Section(heading, paras))
            count += len(paras)
        headline = _fill(rng.choice(ph.HEADLINES), _Slots(rng, day, day))
        title = f"{headline} – Libya Weekly Update, {long_date(day)}"
        return self._post(post_id, when, title, sections, "weekly", pairs)

    def longform(self, post_id: int, when: datetime) -> Post:
        """A long-form analysis: undated paragraphs, one untitled run or a few headed ones."""
        rng, day = self.rng, when.date()
        n_sections = rng.choice([1, 1, 2, 3])
        headings = [None] if n_sections == 1 else rng.sample(ph.LONGFORM_HEADINGS, n_sections)
        sections = []
        for heading in headings:
            count = rng.randint(6, 9) if heading is None else rng.randint(3, 4)
            sections.append(Section(heading, [self._analysis(day) for _ in range(count)]))
        title = _fill(rng.choice(ph.LONGFORM_TITLES), _Slots(rng, day, day))
        return self._post(post_id, when, title, sections, "longform", [])

    def news(self, post_id: int, when: datetime) -> Post:
        """A news site's own report: one untitled run of dated paragraphs from any section."""
        rng, day = self.rng, when.date()
        used: set[str] = set()
        paras = [
            self._event_paragraph(rng.choice(list(ph.SECTIONS)), day, None, used)
            for _ in range(rng.randint(4, 6))
        ]
        for name, arabic in ph.ARABIC_NAMES.items():
            hits = [k for k, p in enumerate(paras) if name in p]
            if hits:
                k = hits[0]
                paras[k] = paras[k].replace(name, f"{name} ({arabic})", 1)
                break
        title = _fill(rng.choice(ph.HEADLINES), _Slots(rng, day, day))
        if rng.random() < 0.4:
            title = title.upper()
        post = self._post(post_id, when, title, [Section(None, paras)], "news", [])
        return replace(post, categories=["News"], author="Staff reporter", comments=[])

    def _analysis(self, day: date) -> str:
        for _ in range(30):
            sentences = self.rng.sample(ph.ANALYSIS, self.rng.randint(2, 4))
            text = " ".join(_fill(s, _Slots(self.rng, day, day)) for s in sentences)
            if self._claim(text):
                return text
        return text

    def _post(
        self,
        post_id: int,
        when: datetime,
        title: str,
        sections: list[Section],
        kind: str,
        pairs: list[tuple[int, int]],
    ) -> Post:
        rng = self.rng
        if self.curly:
            title = texturize(title)
            sections = [
                Section(s.heading, [self._finish(p) for p in s.paragraphs]) for s in sections
            ]
        slug = slugify(title)
        while slug in self.slugs:
            slug += "-2"
        self.slugs.add(slug)
        text = " ".join(p for s in sections for p in s.paragraphs)
        tags = [t for t in TAG_WORDS if t in text][:5]  # substring is close enough for tags
        modified = when if rng.random() < 0.7 else when + timedelta(hours=rng.randint(1, 40))
        authors = ["Eleanor Whitcombe", "Karim Mansour"] if kind == "weekly" else ["Tom Aldridge"]
        return Post(
            id=post_id,
            slug=slug,
            title=title,
            date=when,
            modified=modified,
            author=rng.choice(authors),
            categories=["Weekly Update"] if kind == "weekly" else ["Analysis"],
            tags=tags,
            sections=sections,
            kind=kind,
            formula_pairs=pairs,
            comments=self._comments(when),
        )

    def _finish(self, text: str) -> str:
        """Texturize, and now and then glue a date or a last word with a non-breaking space."""
        text = texturize(text)
        if self.rng.random() < 0.1:
            m = re.match(r"On \d+ ", text)
            if m:
                return text[: m.end() - 1] + "\u00a0" + text[m.end() :]
            head, _, last = text.rpartition(" ")
            return f"{head}\u00a0{last}" if head else text
        return text

    def _comments(self, when: datetime) -> list[Comment]:
        rng = self.rng
        picks = rng.sample(range(len(ph.COMMENTS)), rng.choice([0, 0, 1, 2, 3]))
        return [
            Comment(
                rng.choice(ph.COMMENT_AUTHORS),
                when + timedelta(hours=3 + 5 * k, minutes=rng.randint(0, 59)),
                texturize(ph.COMMENTS[i]),
            )
            for k, i in enumerate(picks)
        ]


def generate_site_posts(
    n: int,
    seed: int = 1,
    *,
    start: datetime = datetime(2016, 2, 2, tzinfo=UTC),
    spacing_days: float = 7,
    first_id: int = 1042,
    longform_every: int = 12,
    curly: bool = True,
) -> list[Post]:
    """``n`` posts, oldest first: weekly updates every ``spacing_days`` with long-form pieces.

    Every ``longform_every``-th post is a long-form analysis dated between two updates.
    With the defaults, the 49th update is dated 3 January 2017 and reports events of
    30 December and 2 January. Ids grow with gaps, as WordPress ids do.
    """
    rng = random.Random(seed)
    writer = Writer(rng, curly=curly)
    posts: list[Post] = []
    post_id, slot = first_id, start
    spacing = timedelta(days=spacing_days)
    for i in range(n):
        when = _time_of_day(rng, slot)
        if longform_every and i % longform_every == longform_every - 1:
            posts.append(writer.longform(post_id, when - spacing / 2))
        else:
            posts.append(writer.weekly(post_id, when))
            slot += spacing
        post_id += rng.randint(2, 9)
    return posts


def _time_of_day(rng: random.Random, day: datetime) -> datetime:
    """A publishing time in the UTC afternoon, so local and UTC dates agree for nearby zones."""
    base = datetime(day.year, day.month, day.day, tzinfo=UTC)
    return base + timedelta(
        hours=rng.randint(13, 18), minutes=rng.randint(0, 59), seconds=rng.randint(0, 59)
    )
