"""Watchlist matching throughput: ``alerts.matcher.Matcher`` against one regex alternation.

Usage (from the repository root)::

    python bench/matching.py                      # 10,000 names, 50 MB of text
    python bench/matching.py --mb 5 --names 2000  # quicker
    python bench/matching.py --regex-mb 1         # the regex's sample size

Generates ``--names`` synthetic names (multi-word names, "al-" names, single words,
acronyms, some in Arabic script) grouped into watches of one to three, and about ``--mb`` MB
(UTF-8) of paragraphs of about 400 characters: report-like English sentences with names
sprinkled in, curly apostrophes and the odd non-breaking space, and one paragraph in twenty
in Arabic. Then times ``Matcher.find`` over every paragraph against one compiled regex of the
same names and acronyms, ``\\b(?:name|name|...)\\b`` with ``re.IGNORECASE``, run with
``finditer`` per paragraph. The regex is far slower, so it runs on a sample (the first
``--regex-mb`` MB of paragraphs) and the output says so; ours is timed on both. Build times
are the matcher's construction and ``re.compile``. Prints figures only.
"""

from __future__ import annotations

import argparse
import random
import re
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from alerts.matcher import Matcher  # noqa: E402

PARAGRAPH_CHARS = 400
ARABIC_SHARE = 20  # one paragraph in this many is Arabic
SYLLABLES = [
    "ba", "dar", "ra", "zin", "tar", "mis", "kha", "lif", "sah", "bar", "qa", "nal", "ghad",
    "mur", "zu", "jaf", "wal", "sab", "hun", "tab", "rak", "mar", "sid", "lan", "uf", "ya",
    "it", "am", "ous", "ek", "ir", "oum", "sha", "fez",
]  # fmt: skip
ARABIC_LETTERS = "ابتثجحخدذرزسشصضطظعغفقكلمنهويةى"
KINDS_OF_UNIT = ["Brigade", "Council", "Front", "Movement", "Battalion", "Force", "Guard"]
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August"]
VERBS = ["struck", "seized", "shelled", "withdrew from", "reinforced", "patrolled", "raided"]
PLACES = ["the port", "a checkpoint", "the airbase", "the old town", "a depot", "the coast road"]
_FILLER_TEXT = (
    "local sources said the situation remained tense after clashes overnight while residents "
    "reported shortages of fuel and power in several districts and officials denied any role "
    "in the fighting that followed a week of negotiations between rival commanders"
)
_ARABIC_FILLER_TEXT = (
    "قالت مصادر محلية إن الوضع ظل متوترا بعد اشتباكات ليلية في عدة أحياء من المدينة "
    "بينما أفاد السكان بنقص في الوقود والكهرباء ونفى المسؤولون أي دور في القتال"
)
FILLER = _FILLER_TEXT.split()
ARABIC_FILLER = _ARABIC_FILLER_TEXT.split()


@dataclass
class FakeWatch:
    """A watch as the matcher reads it."""

    id: str
    names: list[str] = field(default_factory=list)
    acronyms: list[str] = field(default_factory=list)


def make_names(count: int, rng: random.Random) -> tuple[list[str], list[str]]:
    """Return ``count`` distinct synthetic patterns split into (names, acronyms)."""
    names: set[str] = set()
    acronyms: set[str] = set()

    def word() -> str:
        return "".join(rng.choices(SYLLABLES, k=rng.randint(2, 3))).capitalize()

    while len(names) + len(acronyms) < count:
        roll = rng.random()
        if roll < 0.45:
            words = [word() for _ in range(rng.randint(2, 3))]
            if rng.random() < 0.5:
                words.append(rng.choice(KINDS_OF_UNIT))
            names.add(" ".join(words))
        elif roll < 0.65:
            names.add(rng.choice(["al-{} {}", "{} al-{}", "al-{} al-{}"]).format(word(), word()))
        elif roll < 0.80:
            names.add(word() + rng.choice(SYLLABLES))
        elif roll < 0.90:
            acronyms.add("".join(rng.choices("ABCDEFGHJKLMNPRSTUVWZ", k=rng.randint(3, 5))))
        else:
            arabic = ["".join(rng.choices(ARABIC_LETTERS, k=rng.randint(3, 6))) for _ in "ab"]
            names.add(" ".join(arabic[: rng.randint(1, 2)]))
    return sorted(names), sorted(acronyms)


def make_watches(names: list[str], acronyms: list[str], rng: random.Random) -> list[FakeWatch]:
    """Group the names into watches of one to three; give acronyms to some of them."""
    shuffled = names[:]
    rng.shuffle(shuffled)
    watches = []
    while shuffled:
        size = rng.randint(1, 3)
        watches.append(FakeWatch(f"w{len(watches)}", shuffled[:size]))
        del shuffled[:size]
    for acronym in acronyms:
        rng.choice(watches).acronyms.append(acronym)
    return watches


def make_paragraphs(mb: float, names: list[str], rng: random.Random) -> list[str]:
    """Return paragraphs of about 400 characters, about ``mb`` MB of UTF-8 in all."""
    latin = [n for n in names if n.isascii()]
    arabic = [n for n in names if not n.isascii()]
    paragraphs: list[str] = []
    size = 0
    while size < mb * 1_000_000:
        if len(paragraphs) % ARABIC_SHARE == ARABIC_SHARE - 1 and arabic:
            paragraph = _arabic_paragraph(arabic, rng)
        else:
            paragraph = _english_paragraph(latin, rng)
        paragraphs.append(paragraph)
        size += len(paragraph.encode())
    return paragraphs


def _english_paragraph(names: list[str], rng: random.Random) -> str:
    sentences = []
    length = 0
    while length < PARAGRAPH_CHARS:
        actor = rng.choice(names) if rng.random() < 0.3 else "the army"
        place = rng.choice(names) if rng.random() < 0.3 else rng.choice(PLACES)
        possessive = rng.choice(["’s", "'s", ""])
        gap = "\u00a0" if rng.random() < 0.05 else " "
        sentence = (
            f"On {rng.randint(1, 28)} {rng.choice(MONTHS)}, {actor}{possessive} forces "
            f"{rng.choice(VERBS)} {rng.choice(PLACES)}{gap}{rng.randint(2, 90)}km west of "
            f"{place}; {' '.join(rng.choices(FILLER, k=rng.randint(4, 12)))}."
        )
        sentences.append(sentence)
        length += len(sentence) + 1
    return " ".join(sentences)


def _arabic_paragraph(names: list[str], rng: random.Random) -> str:
    words: list[str] = []
    length = 0
    while length < PARAGRAPH_CHARS:
        word = rng.choice(names) if rng.random() < 0.05 else rng.choice(ARABIC_FILLER)
        if rng.random() < 0.1:
            word = "و" + word
        words.append(word)
        length += len(word) + 1
    return " ".join(words)


def time_matcher(matcher: Matcher, paragraphs: list[str]) -> tuple[float, int]:
    """Seconds to run ``find`` over every paragraph, and the mentions found."""
    found = 0
    start = time.perf_counter()
    for paragraph in paragraphs:
        found += len(matcher.find(paragraph))
    return time.perf_counter() - start, found


def time_regex(pattern: re.Pattern[str], paragraphs: list[str]) -> tuple[float, int]:
    """Seconds to run ``finditer`` over every paragraph, and the matches found."""
    found = 0
    start = time.perf_counter()
    for paragraph in paragraphs:
        found += sum(1 for _ in pattern.finditer(paragraph))
    return time.perf_counter() - start, found


def megabytes(paragraphs: list[str]) -> float:
    return sum(len(p.encode()) for p in paragraphs) / 1_000_000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=float, default=50, help="MB of text (UTF-8) to match")
    parser.add_argument("--names", type=int, default=10_000, help="names and acronyms")
    parser.add_argument("--regex-mb", type=float, default=2, help="MB the regex is timed on")
    parser.add_argument("--seed", type=int, default=1, help="random seed")
    args = parser.parse_args()
    rng = random.Random(args.seed)

    names, acronyms = make_names(args.names, rng)
    watches = make_watches(names, acronyms, rng)
    paragraphs = make_paragraphs(args.mb, names + acronyms, rng)
    total_mb = megabytes(paragraphs)
    arabic = sum(not n.isascii() for n in names)
    print(
        f"{len(names)} names ({arabic} Arabic) + {len(acronyms)} acronyms in {len(watches)} "
        f"watches; {len(paragraphs)} paragraphs, {total_mb:.1f} MB"
    )

    start = time.perf_counter()
    matcher = Matcher.from_watches(watches)
    build = time.perf_counter() - start
    print(f"matcher build  {build * 1000:8.0f} ms  ({len(matcher)} patterns with variants)")
    start = time.perf_counter()
    pattern = re.compile(
        r"\b(?:" + "|".join(map(re.escape, names + acronyms)) + r")\b", re.IGNORECASE
    )
    regex_build = time.perf_counter() - start
    print(f"regex compile  {regex_build * 1000:8.0f} ms")

    seconds, found = time_matcher(matcher, paragraphs)
    ours_mbps = total_mb / seconds
    print(f"matcher, all   {ours_mbps:8.2f} MB/s  {seconds:7.2f} s  {found} mentions")

    sample = paragraphs[: _count_for(paragraphs, args.regex_mb)]
    sample_mb = megabytes(sample)
    seconds, found = time_matcher(matcher, sample)
    sample_ours = sample_mb / seconds
    print(f"matcher, sample{sample_ours:8.2f} MB/s  {seconds:7.2f} s  {found} mentions")
    seconds, found = time_regex(pattern, sample)
    regex_mbps = sample_mb / seconds
    where = "all" if len(sample) == len(paragraphs) else f"first {sample_mb:.1f} MB only"
    print(f"regex, sample  {regex_mbps:8.2f} MB/s  {seconds:7.2f} s  {found} matches ({where})")
    print(f"ratio (ours / regex, same sample): {sample_ours / regex_mbps:.0f}x")


def _count_for(paragraphs: list[str], mb: float) -> int:
    """How many leading paragraphs make up ``mb`` MB."""
    size = 0
    for count, paragraph in enumerate(paragraphs, 1):
        size += len(paragraph.encode())
        if size >= mb * 1_000_000:
            return count
    return len(paragraphs)


if __name__ == "__main__":
    main()
