"""The watchlist matcher: whole words, case rules, variants, Arabic script, offsets."""

from __future__ import annotations

import random

import pytest

from alerts.matcher import Matcher, _compute_form, normalise
from alerts.model import Mention
from wirewatch.config import DEFAULT_CONFIG, Watch, load_config


def watch(wid: str, names: list[str], acronyms: list[str] | None = None) -> Watch:
    return Watch(wid, "actor", names, acronyms or [], None, None)


WATCHES = [
    watch("isis", ["Islamic State", "Islamic State in Libya", "ISIS", "Daesh", "داعش"], ["IS"]),
    watch("lna", ["Libyan National Army"], ["LNA"]),
    watch("derna", ["Derna", "Darnah", "درنة"]),
    watch("dmsc", ["Derna Mujahedeen Shura Council", "Derna Mujahideen Shura Council"], ["DMSC"]),
    watch("bunyan", ["al-Bunyan al-Marsus"]),
    watch("ansar", ["Ansar al-Sharia"]),
    watch("brsc", ["Benghazi Revolutionaries’ Shura Council"], ["BRSC"]),
    watch("hor", ["House of Representatives"], ["HoR"]),
    watch("jufra", ["al-Jufra", "الجفرة"]),
    watch("zintan", ["Zintan", "زنتان"]),
    watch("ajdabiya", ["Ajdabiya", "أجدابيا"]),
    watch("bani-walid", ["Bani Walid", "بني وليد"]),
    watch("ghadames", ["Ghadames"]),
    watch("haftar", ["حفتر"]),
]

NBSP, NNBSP = "\u00a0", "\u202f"

CASES = [
    # Acronyms: case-sensitive, whole words.
    (
        "On 3 March, the LNA said its aircraft struck a depot used by IS fighters near Derna.",
        {("lna", "LNA"), ("isis", "IS"), ("derna", "Derna")},
    ),
    ("This is a crisis; Is it? THIS WEEK.", set()),
    ("The Lna and the lna denied it.", set()),
    ("LNA2 and XLNA are not the army.", set()),
    ("(LNA) and LNA-led and IS-held areas", {("lna", "LNA"), ("isis", "IS")}),
    ("ISIS fighters", {("isis", "ISIS")}),
    ("The HoR met; the HOR and the hor did not.", {("hor", "HoR")}),
    # Names: case-insensitive, whole words.
    ("the isis cell and DAESH", {("isis", "isis"), ("isis", "DAESH")}),
    ("The crisis in Dernawi street, underneath the bridge.", set()),
    ("Dernah is not listed, Darnah is.", {("derna", "Darnah")}),
    # Possessives.
    ("Derna's port and Derna’s port", {("derna", "Derna")}),
    ("the LNA's offensive and the LNA’s", {("lna", "LNA")}),
    # Line breaks, runs of spaces, tabs, non-breaking spaces inside names.
    ("the Libyan\nNational Army", {("lna", "Libyan\nNational Army")}),
    (f"the Libyan{NBSP}National{NNBSP}Army", {("lna", f"Libyan{NBSP}National{NNBSP}Army")}),
    ("the Libyan \t National\r\n  Army", {("lna", "Libyan \t National\r\n  Army")}),
    # Hyphen and space variants, dropped articles; transliterations are not guessed.
    ("al Bunyan al Marsus forces", {("bunyan", "al Bunyan al Marsus")}),
    ("Al-Bunyan Al-Marsus forces", {("bunyan", "Al-Bunyan Al-Marsus")}),
    ("AL BUNYAN AL-MARSUS", {("bunyan", "AL BUNYAN AL-MARSUS")}),
    ("Bunyan al-Marsus forces", {("bunyan", "Bunyan al-Marsus")}),
    ("Bunyan Marsus forces", {("bunyan", "Bunyan Marsus")}),
    ("al‑Bunyan al–Marsus forces", {("bunyan", "al‑Bunyan al–Marsus")}),
    ("al-Bunyan al-Marsous forces", set()),
    ("Ansar al‐Sharia and Ansar Sharia", {("ansar", "Ansar al‐Sharia"), ("ansar", "Ansar Sharia")}),
    ("in al-Jufra and in Jufra", {("jufra", "al-Jufra"), ("jufra", "Jufra")}),
    # Headlines in capitals: names yes, acronyms only in their case.
    ("ISIS CELLS IN DERNA", {("isis", "ISIS"), ("derna", "DERNA")}),
    (
        "DERNA MUJAHIDEEN SHURA COUNCIL",
        {("dmsc", "DERNA MUJAHIDEEN SHURA COUNCIL"), ("derna", "DERNA")},
    ),
    # An actor's name holding a place: both; one watch keeps its longest mention.
    (
        "the Derna Mujahedeen Shura Council (DMSC) said",
        {("dmsc", "Derna Mujahedeen Shura Council"), ("derna", "Derna"), ("dmsc", "DMSC")},
    ),
    ("the Islamic State in Libya claimed", {("isis", "Islamic State in Libya")}),
    # Quotes, apostrophes and dashes inside names.
    (
        "the Benghazi Revolutionaries' Shura Council (BRSC)",
        {("brsc", "Benghazi Revolutionaries' Shura Council"), ("brsc", "BRSC")},
    ),
    ("the Benghazi Revolutionaries Shura Council", set()),
    # Invisible characters and diacritics.
    ("Der\u00adna and Der\u200bna", {("derna", "Der\u00adna")}),
    ("Der\u00adnawi street, Derna\u0640wi", set()),
    ("Ghadamès and GHADAMES", {("ghadames", "Ghadamès"), ("ghadames", "GHADAMES")}),
    ("Ghadame\u0300s", {("ghadames", "Ghadame\u0300s")}),
    # Arabic script: whole words, normalisation, proclitics and the article.
    ("اشتباكات في درنة، وقتلى", {("derna", "درنة")}),
    ("اشتباكات في درنه", {("derna", "درنه")}),
    ("عناصر داعشية في المدينة", set()),
    ("ودرنة وبدرنة ولدرنة فدرنة كدرنة", {("derna", "درنة")}),
    ("وبدرنة", {("derna", "درنة")}),
    ("مدرنة وتدرنة", set()),
    ("وصلوا إلى دَرْنَةَ أمس", {("derna", "دَرْنَةَ")}),
    ("مدينة درنـة", {("derna", "درنـة")}),
    ("مدينة اجدابيا وإجدابيا", {("ajdabiya", "اجدابيا"), ("ajdabiya", "إجدابيا")}),
    ("قبائل بنى وليد", {("bani-walid", "بنى وليد")}),
    ("قاعدة الجفرة وبالجفرة", {("jufra", "الجفرة")}),
    ("وصل للجفرة", {("jufra", "جفرة")}),
    ("جفرة", set()),
    ("في الزنتان وبالزنتان وزنتان", {("zintan", "زنتان")}),
    ("قوات حفتر ولحفتر", {("haftar", "حفتر")}),
    ("ﺩﺭﻧﺔ", {("derna", "ﺩﺭﻧﺔ")}),
    ("Derna (درنة) and داعش", {("derna", "Derna"), ("derna", "درنة"), ("isis", "داعش")}),
]


@pytest.fixture(scope="module")
def matcher() -> Matcher:
    return Matcher.from_watches(WATCHES)


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_matches(matcher, text, expected):
    """Each text yields exactly the expected (watch, original substring) mentions."""
    found = {(m.watch_id, text[m.start : m.end]) for m in matcher.find(text)}
    assert found == expected


def test_mentions_are_sorted_and_name_the_configured_spelling(matcher):
    """Mentions come sorted by start and carry the configured name, not the variant found."""
    text = "Bunyan Marsus forces reached Derna’s port; the LNA withdrew."
    assert matcher.find(text) == [
        Mention("bunyan", "al-Bunyan al-Marsus", 0, 13),
        Mention("derna", "Derna", 29, 34),
        Mention("lna", "LNA", 47, 50),
    ]


def test_offsets_survive_collapsed_and_removed_characters(matcher):
    """Offsets index the original text after runs of spaces, marks and ligatures shrink it."""
    text = "ﻻ  \u200fـ  شيء   في\n\n\tدَرْنَةَ  the  \u00adLibyan  National\u00a0\u00a0Army"
    spans = {m.watch_id: text[m.start : m.end] for m in matcher.find(text)}
    assert spans == {"derna": "دَرْنَةَ", "lna": "Libyan  National\u00a0\u00a0Army"}


def test_watch_ids(matcher):
    """watch_ids gives the set of watches mentioned."""
    assert matcher.watch_ids("IS and the LNA near Derna") == {"isis", "lna", "derna"}
    assert matcher.watch_ids("nothing to see") == set()


def test_len_counts_distinct_patterns():
    """len() counts distinct patterns once, with generated variants and acronyms."""
    m = Matcher.from_watches([watch("a", ["al-Jufra", "Al Jufra", "Jufra"], ["AJ"])])
    assert len(m) == 3  # "al jufra", "jufra" (configured and generated), "AJ"


def test_empty_matcher_and_empty_text(matcher):
    """A matcher without watches finds nothing, and empty text has no mentions."""
    assert Matcher.from_watches([]).find("IS near Derna") == []
    assert matcher.find("") == []
    assert len(Matcher.from_watches([watch("x", ["  ", "—"])])) == 0


def test_normalised_text_and_offsets_agree():
    """normalise() keeps a one-for-one copy where it can and maps shrunk spans back."""
    assert normalise("Derna’s al-Bunyan") == ("Derna's al Bunyan", None)
    text = "a  \u064eb"
    norm, offsets = normalise(text)
    assert norm == "a b"
    assert offsets is not None
    assert offsets.span(2, 3) == (4, 5) and offsets.span(0, 3) == (0, 5)


def _reference(text: str) -> tuple[str, list[int]]:
    """normalise() the slow way: per character, with the source index of every output char."""
    out: list[str] = []
    source: list[int] = []
    for i, char in enumerate(text):
        for form in _compute_form(char):
            if not (form == " " and out and out[-1] == " "):
                out.append(form)
                source.append(i)
    return "".join(out), source


def test_normalise_agrees_with_a_per_character_reference():
    """On random mixed text, normalise() and its offset map equal a dense per-character map."""
    alphabet = [*"ab Z-\t\n`’‘“\u00a0\u202f\u00ad\u200b\u200fé\u0301ـدَرنةﻻßİ\ufb01١", "  "]
    rng = random.Random(7)
    for _ in range(3000):
        text = "".join(rng.choices(alphabet, k=rng.randint(0, 25)))
        norm, offsets = normalise(text)
        expected, source = _reference(text)
        assert norm == expected, repr(text)
        for start in range(len(norm)):
            for end in range(start + 1, len(norm) + 1):
                span = offsets.span(start, end) if offsets else (start, end)
                assert span == (source[start], source[end - 1] + 1), (repr(text), start, end)


def test_character_forms_keep_length_under_case_folding():
    """Every normalised character folds to one character, so both copies share offsets."""
    for code in range(0xD800):  # the BMP below the surrogates: every script in use here
        form = _compute_form(chr(code))
        assert all(len(c.casefold()) == 1 and _compute_form(c) == c for c in form), hex(code)


DEFAULT_CASES = [
    (
        "On 3 March, the LNA said its aircraft struck a depot used by IS fighters 40km west "
        "of Ubari.",
        {"lna", "isis", "ubari"},
    ),
    (
        "On 6 March, Misratan forces of al-Bunyan al-Marsus advanced on Sirte’s Ouagadougou "
        "conference centre.",
        {"misrata-brigades", "al-bunyan-al-marsus", "sirte"},
    ),
    (
        "The Derna Mujahideen Shura Council (DMSC) shelled LNA positions south of Derna.",
        {"dmsc", "derna", "lna"},
    ),
    (
        "Haftar’s Libyan Arab Armed Forces (LAAF) and the Wagner Group were seen at al-Jufra "
        "airbase; the GNU in Tripoli protested to UNSMIL.",
        {"khalifa-haftar", "lna", "wagner", "jufra", "gnu", "tripoli", "unsmil"},
    ),
    (
        "The Petroleum Facilities Guard closed Es Sider and Ras Lanuf; the NOC declared force "
        "majeure.",
        {"petroleum-facilities-guard", "es-sider", "ras-lanuf", "noc"},
    ),
    ("This is the crisis the council is in.", set()),
    ("أعلن الجيش الوطني الليبي سيطرته على مدينة درنة وطرد عناصر داعش", {"lna", "derna", "isis"}),
    ("وصلت تعزيزات إلى سرت وبنغازي من مصراتة", {"sirte", "benghazi", "misrata"}),
    ("Chadian FACT rebels crossed from Murzuq towards Sabha.", {"fact", "murzuq", "sabha"}),
]


@pytest.fixture(scope="module")
def default_matcher() -> Matcher:
    return Matcher.from_watches(load_config(DEFAULT_CONFIG).watches)


@pytest.mark.parametrize(("text", "expected"), DEFAULT_CASES)
def test_default_watchlist(default_matcher, text, expected):
    """The packaged watchlist finds the actors and places of realistic report sentences."""
    assert default_matcher.watch_ids(text) == expected


def test_default_watchlist_places_have_coordinates():
    """Every place in the packaged watchlist has coordinates inside Libya's bounding box."""
    places = [w for w in load_config(DEFAULT_CONFIG).watches if w.kind == "place"]
    assert len(places) >= 30
    for place in places:
        assert place.lat is not None and place.lon is not None, place.id
        assert 19 < place.lat < 34 and 9 < place.lon < 26, place.id


def test_spans_are_the_mentions_as_tuples() -> None:
    """What a crawl process sends its storing process: the same mentions, as tuples."""
    matcher = Matcher([watch("derna", ["Derna", "Darnah"], ["DMSC"])])
    text = "Clashes in Darnah; the DMSC said Derna's port was shelled."
    spans = matcher.find_spans(text)
    assert [Mention(*span) for span in spans] == matcher.find(text)
    assert [text[start:end] for _, _, start, end in spans] == ["Darnah", "DMSC", "Derna"]
