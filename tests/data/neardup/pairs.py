"""The labelled near-duplicate set: republished copies (positives) and formula twins (negatives).

All text is invented for wirewatch in the register of weekly Libya security updates (see
``docs/domain.md`` of the shared notes); none of it is copied from a real article.

A :class:`Pair` is one labelled judgement ``is_near_duplicate(copy, original)``:

``kind``
    Positives: ``edit`` (a republisher's small edits: acronyms, spelling, transliteration,
    units, tense, a light rewording, an attribution or sentence added), ``typography`` (only
    quotes, entities, spaces or capitals differ: the same item after normalisation),
    ``split`` (the copy is one or two sentences of a longer original paragraph) and
    ``joined`` (the copy is two consecutive original paragraphs run together).
    Negatives name what differs: ``date``, ``number``, ``place``, ``actor``, ``name``,
    ``mixed`` (two of those at once), ``partial`` (a split-like piece of the original whose
    number changed, or whose date, place and number are recombined from two events in it),
    ``joined-unseen`` (the original with a new event appended) and ``unrelated`` (the easy
    ones).
``original``
    The stored paragraph. For ``joined`` pairs it is the FIRST of the two original
    paragraphs (``parts[0]``).
``copy``
    The paragraph as the other site carries it.
``note``
    What was edited, or what differs; unique, used as the test id.
``parts``
    Only for ``joined`` pairs: the original paragraphs, each stored as its own item, in
    order. The label means "with all the parts stored, the joined copy is found as a
    near-duplicate of one of them and joins its cluster". A joined copy is not judged
    against ``parts[0]`` alone: a paragraph that is ``parts[0]`` plus an event the store has
    never seen must NOT merge (see the ``joined-unseen`` negatives), and one pairwise call
    cannot tell the two apart.

Time anchors and directions count as facts: a paragraph that says "Last week" where the
other says "On 5 October" (or says nothing), or "west" where the other says "north" of the
same town, is labelled a different item. Left out as ambiguous: additions that bring new
names or dates with them.
"""

from __future__ import annotations

from collections import namedtuple

Pair = namedtuple("Pair", "kind original copy note parts", defaults=((),))


def _joined(parts: tuple[str, str], copy: str, note: str) -> Pair:
    return Pair("joined", parts[0], copy, note, parts)


# --- Positives -----------------------------------------------------------------------------

_EDITS = [
    Pair(
        "edit",
        "On 3 March, the LNA said its aircraft struck an ammunition depot used by IS fighters"
        " 40km west of Ubari.",
        "On 3 March, the LNA said its aircraft had struck an ammunition depot used by ISIS"
        " fighters 40 km west of Ubari.",
        "IS to ISIS, struck to had struck, 40km to 40 km",
    ),
    Pair(
        "edit",
        "On 7 March, the GNA’s Ministry of Defence said it would take over the payment of salaries"
        " for five brigades from Zliten.",
        "On 7 March, the GNA's Ministry of Defense said it would take over the payment of salaries"
        " for five brigades from Zliten.",
        "defence to defense, straight apostrophe",
    ),
    Pair(
        "edit",
        "On 11 March, the UNDP said its stabilisation programme in Benghazi had reopened 14"
        " schools in Sabri and Souq al-Hout since January.",
        "On 11 March, the UNDP said its stabilization program in Benghazi had reopened 14"
        " schools in Sabri and Souq al-Hout since January.",
        "stabilisation programme to stabilization program",
    ),
    Pair(
        "edit",
        "On 14 March, residents of Bin Jawad said IS fighters had organised a checkpoint on the"
        " coastal road, using an abandoned petrol station as base.",
        "On 14 March, residents of Bin Jawad said IS fighters had organized a checkpoint on the"
        " coastal road, using an abandoned petrol station as a base.",
        "organised to organized, as base to as a base",
    ),
    Pair(
        "edit",
        "On 16 March, a US drone strike hit a farm 25km south of Sabratha that IS had been using"
        " as base for cells operating along the coast; AFRICOM called it “a precision strike”.",
        "On 16 March, a US drone strike hit a farm 25 km south of Sabratha that IS had been using"
        ' as a base for cells operating along the coast; AFRICOM called it "a precision strike".',
        "25km to 25 km, as a base, straight double quotes",
    ),
    Pair(
        "edit",
        "On 19 March, the LNA’s 155th Battalion said it had killed an IS commander known as"
        " Abu Talha al-Libi near Sebha.",
        "On 19 March, the LNA&#8217;s 155th Battalion said it had killed an ISIS commander known"
        " as Abu Talha al-Libi near Sebha.",
        "numeric entity for the apostrophe, IS to ISIS",
    ),
    Pair(
        "edit",
        "On 21 March, the Petroleum Facilities Guard & local elders agreed to reopen the Zueitina"
        " terminal after a 12-day blockade over unpaid salaries.",
        "On 21 March, the Petroleum Facilities Guard &amp; local elders agreed to reopen the"
        " Zueitina terminal after a 12-day blockade over unpaid salaries, according to local"
        " sources.",
        "amp entity, trailing attribution added",
    ),
    Pair(
        "edit",
        "On 23 March, an IS suicide car bomb hit a checkpoint held by Misratan forces near Abu"
        " Grein, killing 14 people according to medical sources in Misrata.",
        "On\u00a023 March, an ISIS suicide car bomb hit a checkpoint held by Misratan forces near"
        " Abu Grein, killing 14 people according to medical sources in Misurata.",
        "non-breaking space after On, IS to ISIS, Misrata to Misurata",
    ),
    Pair(
        "edit",
        "On 25 March, the Derna Mujahedeen Shura Council (DMSC) said it had repelled an LNA"
        " advance at al-Fatayeh, on the southern outskirts of Derna.",
        "On 25 March, the Darnah Mujahideen Shura Council (DMSC) said it had repelled an LNA"
        " advance at al-Fatayih, on the southern outskirts of Darnah.",
        "Derna to Darnah, Mujahedeen to Mujahideen, Fatayeh to Fatayih",
    ),
    Pair(
        "edit",
        "On 27 March, al-Bunyan al-Marsus forces said they had cleared four residential blocks"
        " in Sirte’s Ghiza Bahriya district.",
        "On 27 March, al-Bunyan al-Marsus forces said they had cleared four residential blocks"
        " in Surt's Ghiza Bahriya district.",
        "Sirte to Surt with a possessive",
    ),
    Pair(
        "edit",
        "On 29 March, al-Bunyan al-Marsus commanders said 11 of their fighters had been wounded"
        " in clashes with IS remnants in the al-Jiza district.",
        "On 29 March, Al Bunyan Al Marsus commanders said 11 of their fighters had been wounded"
        " in clashes with IS remnants in the Jiza district.",
        "al- hyphens to spaces, al- dropped from Jiza",
    ),
    Pair(
        "edit",
        "On 2 April, al-Bunyan al-Marsus (BM) said its artillery had shelled IS positions in"
        " Sawawa; BM officers said the group still held about 40 buildings.",
        "On 2 April, al-Bunyan al-Marsus (BM) said its artillery had shelled ISIS positions in"
        " Sawawa; al-Bunyan al-Marsus officers said the group still held about 40 buildings.",
        "BM spelled out where the paragraph defines it, IS to ISIS",
    ),
    Pair(
        "edit",
        "On 4 April, the Benghazi Revolutionaries Shura Council (BRSC) shelled LNA positions in"
        " Qawarsha, and the LNA responded with three airstrikes on Ganfouda.",
        "On 4 April, the Benghazi Revolutionaries Shura Council (BRSC) shelled LNA positions in"
        " Qawarsha, and the LNA responded with three airstrikes on Ganfouda, according to local"
        " sources.",
        "trailing according to local sources",
    ),
    Pair(
        "edit",
        "On 6 April, unidentified gunmen kidnapped three Egyptian workers on the road between"
        " Ghat and Ubari; no group has claimed responsibility.",
        "On 6 April, unidentified gunmen kidnapped three Egyptian workers on the road between"
        " Ghat and Ubari. No group has yet claimed responsibility for the kidnapping.",
        "last clause reworded into its own sentence",
    ),
    Pair(
        "edit",
        "On 8 April, the House of Representatives in Tobruk again failed to reach a quorum for a"
        " vote on the Government of National Accord, with only 74 members present.",
        "On 8 April, the House of representatives in Tobruk again failed to reach a quorum for a"
        " vote on the Government of National Accord, with only 74 members present. Libyan media"
        " carried the news the same day.",
        "lower-cased representatives, a sentence added",
    ),
    Pair(
        "edit",
        "On 10 April, the coast guard intercepted 214 migrants off Sabratha and returned them to"
        " a detention centre in Tripoli.",
        "On April 10, the coast guard intercepted 214 migrants off Sabratha and returned them to"
        " a detention center in Tripoli.",
        "American date order, centre to center",
    ),
    Pair(
        "edit",
        "On 12 April, the Department for Combating Illegal Migration said its detention centre in"
        " Gharyan held 1,200 people, more than twice its capacity.",
        "On 12 April, the Department for Combating Illegal Migration said its detention center in"
        " Gharyan held 1200 people, more than twice its capacity.",
        "1,200 to 1200, centre to center",
    ),
    Pair(
        "edit",
        "On 14 April, a boat carrying 120 people sank 8km off Garabulli; the coast guard said it"
        " had rescued 31 survivors.",
        "On 14 April, a boat carrying 120 people sank 8 kilometres off Garabulli; the coast guard"
        " said it had rescued 31 survivors.",
        "8km to 8 kilometres",
    ),
    Pair(
        "edit",
        "On 16 April, clashes broke out in al-Fatayeh between the DMSC and a group of former IS"
        " members who had returned to Derna’s outskirts.",
        "On 16 April, clashes broke out in al-Fatayih between the DMSC and a group of former ISIS"
        " members who had returned to Derna's outskirts.",
        "Fatayeh to Fatayih, IS to ISIS, straight apostrophe",
    ),
    Pair(
        "edit",
        "On 18 April, Islamic State militants abducted seven truck drivers on the road south of"
        " Harawa, and their families later received ransom demands.",
        "On 18 April, IS militants abducted seven truck drivers on the road south of Harawa, and"
        " their families later received ransom demands.",
        "Islamic State to IS",
    ),
    Pair(
        "edit",
        "On 20 April, smugglers moved a convoy of some 300 migrants through Sebha towards the"
        " coast, according to residents who said the group paid the local militia to pass.",
        "On 20 April, smugglers moved a convoy of some 300 migrants through Sabha towards the"
        " coast, according to residents who said the group had paid the local militia to pass.",
        "Sebha to Sabha, paid to had paid",
    ),
    Pair(
        "edit",
        "On 22 April, the Ajdabiya Revolutionaries Shura Council claimed an IED attack on an LNA"
        " patrol west of Ajdabiya, which it said had killed four soldiers.",
        "On 22 April, the Ajdabiyah Revolutionaries Shura Council claimed an IED attack on an LNA"
        " patrol west of Ajdabiyah, which it said killed four soldiers.",
        "Ajdabiya to Ajdabiyah, had killed to killed",
    ),
    Pair(
        "edit",
        "On 24 April, clashes between Tebu and Tuareg militias in Ubari left nine dead, according"
        " to the town's hospital.",
        "On 24 April, clashes between Tebu and Tuareg militias in Awbari left nine dead, according"
        " to the town’s hospital.",
        "Ubari to Awbari, curly apostrophe",
    ),
    Pair(
        "edit",
        "On 26 April, AFRICOM said two US airstrikes had hit an IS training camp 30km south-east"
        " of Sabratha, and the GNA's defence ministry confirmed the strikes.",
        "On 26 April, AFRICOM said two US airstrikes hit an ISIS training camp 30 km south-east"
        " of Sabratha, and the GNA's defense ministry confirmed the strikes.",
        "three at once: IS to ISIS, defence to defense, 30km to 30 km, had hit to hit",
    ),
    Pair(
        "edit",
        "On 28 April, a rocket hit the runway of Mitiga airport, suspending flights for three"
        " days.",
        "On 28 April, a rocket struck the runway at Mitiga airport, suspending flights for three"
        " days.",
        "short paragraph, hit the runway of to struck the runway at",
    ),
    Pair(
        "edit",
        "On 30 April, the HoR's speaker said talks with the Magarha over the Ras Lanuf terminal"
        " had reached 'an advanced stage'.",
        "On 30 April, the HoR’s speaker said that talks with the Magarha over the Ras Lanuf"
        " terminal had reached “an advanced stage”.",
        "curly quotes, that added",
    ),
    Pair(
        "edit",
        "On 2 May, the Central Bank of Libya said it had transferred 87 million dinars to the"
        " National Oil Corporation to cover overdue wages at Brega.",
        "On 2 May, the Central bank of Libya said it had transferred 87 million dinars to the"
        " National Oil Corporation to cover overdue salaries at Brega.",
        "lower-cased bank, wages to salaries",
    ),
    Pair(
        "edit",
        "On 4 May, Misrata's municipal council said it would send 200 more fighters to support"
        " al-Bunyan al-Marsus in Sirte.",
        "On 4 May, Misurata's municipal council said it would send 200 more fighters to support"
        " al-Bunyan\u00a0al-Marsus in Surt.",
        "Misrata to Misurata, Sirte to Surt, non-breaking space inside BM",
    ),
    Pair(
        "edit",
        "On 6 May, a delegation of Warfalla elders met LNA commanders in al-Marj to discuss a"
        " prisoner exchange with forces from Misrata.",
        "On 6 May, a delegation of Warfalla elders met with LNA commanders in al-Marj to discuss"
        " a prisoner exchange with forces from Misurata.",
        "met to met with, Misrata to Misurata",
    ),
    Pair(
        "edit",
        "On 8 May, a statement attributed to Ansar al-Sharia denied that its leadership had"
        " dissolved the group, calling the reports “the propaganda of the enemy”.",
        "On 8 May, a statement attributed to Ansar al Sharia denied that its leadership had"
        " dissolved the group, calling the reports 'the propaganda of the enemy'.",
        "al-Sharia to al Sharia, double to single quotes",
    ),
    Pair(
        "edit",
        "Last week, the National Oil Corporation declared force majeure at the Sharara field"
        " after guards shut the valves on the pipeline to Zawiya.",
        "Last week, the National Oil Corporation (NOC) declared force majeure at the Sharara"
        " field after guards shut the valves on the pipeline to Zawiya.",
        "Last week opener, acronym NOC added in brackets",
    ),
    Pair(
        "edit",
        "On 12 May, a car bomb exploded outside a mosque in Benghazi's Salmani district after"
        " Friday prayers, wounding 23 worshippers.",
        "On 12 May, a car bomb exploded outside a mosque in the Salmani district of Benghazi"
        " after Friday prayers, wounding 23 worshippers.",
        "possessive place reworded as district of Benghazi",
    ),
    Pair(
        "edit",
        "On 14 May, Benghazi Defence Brigades (BDB) fighters attacked Petroleum Facilities Guard"
        " positions near Ras Lanuf, their second push towards the oil crescent this year.",
        "On 14 May, Benghazi Defense Brigades (BDB) fighters attacked Petroleum Facilities Guard"
        " (PFG) positions near Ras Lanuf, their second push towards the oil crescent this year.",
        "Defence to Defense inside a name, PFG added",
    ),
    Pair(
        "edit",
        "On 16 May, UNSMIL convened a meeting in Tunis between municipal leaders from Misrata and"
        " Zintan, the third such meeting since January.",
        "On 16 May, UNSMIL convened a meeting in Tunis between municipal leaders from Misurata"
        " and Zintan, the third such meeting since January.",
        "Misrata to Misurata in a list of towns",
    ),
    Pair(
        "edit",
        "On 18 May, protesters in Zawiya blocked the coastal road for the fifth day, demanding"
        " cash at the town’s banks and an end to power cuts.",
        "On 18 May, protesters in Zawiya blocked the coastal road for the fifth day, demanding"
        " cash at the town's banks and an end to power cuts, local media reported.",
        "trailing local media reported",
    ),
    Pair(
        "edit",
        "On 20 May, the Special Deterrence Force (Rada) said it had arrested an IS cell of five"
        " men in Tripoli who were planning an attack on the city's port.",
        "On 20 May, the Special Deterrence Force (RADA) said it arrested an ISIS cell of five men"
        " in Tripoli who were planning an attack on the city’s port.",
        "Rada to RADA, had arrested to arrested, IS to ISIS",
    ),
    Pair(
        "edit",
        "On 22 May, a video published by IS supporters showed fighters training in the desert"
        " 60km south of Ubari, the first such footage from the area since February.",
        "On 22 May, a video released by IS supporters showed fighters training in the desert"
        " 60 km south of Ubari, the first such footage from the area since February.",
        "published to released, 60km to 60 km",
    ),
    Pair(
        "edit",
        "On 24 May, the DMSC executed three men it accused of spying for the LNA, according to a"
        " source in Derna's local council.",
        "On 24 May, the DMSC executed three men it had accused of spying for the LNA, according"
        " to a source in Darnah's local council.",
        "accused to had accused, Derna to Darnah",
    ),
    Pair(
        "edit",
        "On 26 May, the LNA's 21st Infantry Brigade said its forces had taken Bu Atni from the"
        " BRSC after six days of fighting, a claim the Shura Council denied.",
        "On 26 May, the LNA's 21st Infantry Brigade said its forces took Bu Atni from the BRSC"
        " after six days of fighting, a claim the Shura council denied.",
        "had taken to took, lower-cased council",
    ),
    Pair(
        "edit",
        "On 28 May, the LNA conducted two airstrikes against IS targets south of Sirte.",
        "On 28 May, the LNA carried out two airstrikes against ISIS targets south of Sirte.",
        "short formula sentence, conducted to carried out, IS to ISIS",
    ),
    Pair(
        "edit",
        "On 5 June, Tebu fighters in Murzuq said they had captured two vehicles belonging to a"
        " Chadian armed group near the border.",
        "On 5 June, Tubu fighters in Murzuq said they had captured two vehicles belonging to a"
        " Chadian armed group near the border.",
        "Tebu to Tubu",
    ),
    Pair(
        "edit",
        "On 7 June, forces from Zintan and the LNA's Desert Shield Brigade took control of the"
        " al-Watiya air base after brief clashes.",
        "On 7 June, forces from Zintan and the LNA’s Desert Shield Brigade took control of"
        " al-Watiya airbase after brief clashes.",
        "the dropped, air base to airbase",
    ),
    Pair(
        "edit",
        "On 9 June, the LNA conducted three airstrikes against Shura Council targets south of"
        " Derna.",
        "On 9 June, the LNA conducted three airstrikes against Shura Council targets south of"
        " Darnah, according to local sources.",
        "formula sentence, Derna to Darnah and an attribution",
    ),
    Pair(
        "edit",
        "The Derna Mujahedeen Shura Council fought IS out of the city in 2015 and has since"
        " enjoyed a measure of local support that the LNA has struggled to erode.",
        "The Derna Mujahideen Shura Council fought ISIS out of the city in 2015 and has since"
        " enjoyed a measure of local support which the LNA has struggled to erode.",
        "undated analysis, Mujahideen, ISIS, that to which",
    ),
    Pair(
        "edit",
        "Smuggling routes through Ubari and Murzuq have been busier since April, and the militias"
        " that tax them are estimated to earn 30 million dinars a month.",
        "Smuggling routes through Awbari and Murzuq have been busier since April, and the"
        " militias that tax them are estimated to earn 30 million dinars per month.",
        "undated analysis, Awbari, a month to per month",
    ),
    Pair(
        "edit",
        "On 11 June, the NOC said output had fallen by 40 per cent after the closure of the Feel"
        " field, to about 220,000 barrels a day.",
        "On 11 June, the NOC said output had fallen by 40 percent after the closure of the Feel"
        " field, to about 220,000 barrels per day.",
        "per cent to percent, a day to per day",
    ),
    Pair(
        "edit",
        "On 13 June, AFRICOM confirmed that a US drone strike near Abu Hadi had killed a senior"
        " IS logistics official.",
        "On 13 June, AFRICOM confirmed that a US drone strike near Abu Hadi killed a senior ISIS"
        " logistics official.",
        "had killed to killed, IS to ISIS, short",
    ),
    Pair(
        "edit",
        "On 19 March, IS fighters set up a checkpoint on the road between Abu Grein and Bani"
        " Walid, stopping lorries and checking the identity papers of drivers.",
        "On 19 March, ISIS fighters set up a checkpoint on the road between Abu Grein and Bani"
        " Walid, stopping trucks and checking the identity papers of drivers. The report could"
        " not be independently confirmed.",
        "lorries to trucks, IS to ISIS, a sentence added",
    ),
    Pair(
        "edit",
        "On 2 June, the LNA's Saiqa special forces said they had seized a weapons cache in"
        " Ganfouda, including 12 anti-aircraft guns.",
        "On 2 June, the LNA's Saiqa Special Forces said they had seized a weapons cache in"
        " Qanfouda, including 12 anti-aircraft guns.",
        "Ganfouda to Qanfouda, capitalised Special Forces",
    ),
    Pair(
        "edit",
        "On 12 June, a car bomb exploded outside a checkpoint at the western gate of Ajdabiya;"
        " nobody was hurt, the municipality said.",
        "On 12 June a car bomb exploded outside a checkpoint at the western gate of Ajdabiya;"
        " no one was hurt, the municipality said.",
        "nobody to no one, a comma dropped",
    ),
]

_TYPOGRAPHY = [
    Pair(
        "typography",
        "On 30 May, the Presidential Council appointed a new head of the Petroleum Facilities"
        " Guard for the central region, a move the LNA rejected as ‘null and void’.",
        "On 30 May, the Presidential Council appointed a new head of the Petroleum Facilities"
        " Guard for the central region, a move the LNA rejected as &#8216;null and void&#8217;.",
        "quotes as numeric entities only",
    ),
    Pair(
        "typography",
        "On 1 June, gunmen stormed a Red Crescent office in Kufra and took two vehicles.",
        "ON 1 June, gunmen stormed a Red Crescent office in Kufra and took two vehicles.",
        "shouted opening word only",
    ),
    Pair(
        "typography",
        "On 3 June, the bodies of 27 migrants washed ashore near Zuwara, the local Red Crescent"
        " said.",
        "On 3 June,  the bodies of 27\u00a0migrants washed ashore near Zuwara, the local Red"
        " Crescent said. ",
        "double space, non-breaking space and a trailing space only",
    ),
    Pair(
        "typography",
        "On 9 June, a rocket landed near the Italian embassy compound in Tripoli’s Dahra"
        " district; there were no casualties.",
        "On 9 June, a rocket landed near the Italian embassy compound in Tripoli's Dahra\n"
        "district; there were no casualties.",
        "straight apostrophe and a line break only",
    ),
]

# A paragraph and the pieces a republisher split it into (or kept of it).
_S_GANFOUDA = (
    "On 15 June, the LNA said its aircraft struck IS positions in Ganfouda, killing 12 fighters."
    " A spokesman added that two of the dead were foreign nationals from Tunisia and Sudan."
)
_S_QAWARSHA = (
    "On 17 June, an IED exploded near an LNA checkpoint in Qawarsha, wounding six soldiers. It"
    " was the third such attack on the western approaches to Benghazi since May, and no group"
    " has claimed it."
)
_S_ZAFRAN = (
    "On 19 June, al-Bunyan al-Marsus forces advanced into the al-Zafran district of Sirte after"
    " a week of heavy shelling. Field commanders said IS still held about 300 buildings near the"
    " sea. Hospitals in Misrata received 37 wounded fighters over the weekend."
)
_S_SIDRA = (
    "On 21 June, the Petroleum Facilities Guard said exports from Sidra had resumed after a"
    " nine-day blockade by guards demanding unpaid salaries. A first tanker was expected to load"
    " 600,000 barrels at the terminal by the end of the week."
)
_S_SABRATHA = (
    "On 23 June, the municipal council of Sabratha declared its support for the GNA, days after"
    " a delegation from Zawiya visited the town. The council also called on armed groups in the"
    " town’s western districts to hand their heavy weapons to the police."
)
_S_PROSECUTOR = (
    "On 25 June, gunmen shot dead a prosecutor in Ajdabiya, the second killing of a judicial"
    " official in the town this year. The prosecutor had been investigating the smuggling of fuel"
    " through the port of Zueitina. Colleagues said he had received threats by telephone for"
    " several weeks."
)
_S_FAMILIES = (
    "On 27 June, UN agencies said 2,400 families had fled the fighting in Ganfouda since March."
    " Most were sheltering in schools in the eastern districts of Benghazi, where water and"
    " medicines were scarce."
)
_S_DMSC = (
    "On 29 June, the Derna Mujahedeen Shura Council announced that it had dissolved itself and"
    " would become the Derna Protection Force. The announcement followed weeks of negotiations"
    " with local elders, who had asked the council to end its confrontation with the LNA."
)
_S_BOAT = (
    "On 1 July, a boat carrying 140 people sank 5km off Zuwara. The coast guard said it had"
    " rescued 28 survivors and recovered 19 bodies, and that the rest were missing."
)

_SPLITS = [
    Pair(
        "split",
        _S_GANFOUDA,
        "On 15 June, the LNA said its aircraft struck IS positions in Ganfouda, killing 12"
        " fighters.",
        "split, first sentence of two",
    ),
    Pair(
        "split",
        _S_GANFOUDA,
        "A spokesman added that two of the dead were foreign nationals from Tunisia and Sudan.",
        "split, second sentence of two, no date",
    ),
    Pair(
        "split",
        _S_QAWARSHA,
        "On June 17, an IED exploded near an LNA checkpoint in Qawarsha, wounding six soldiers.",
        "split, first sentence with American date order",
    ),
    Pair(
        "split",
        _S_QAWARSHA,
        "It was the third such attack on the western approaches to Benghazi since May, and no"
        " group has claimed it.",
        "split, second sentence with an ordinal and a month",
    ),
    Pair(
        "split",
        _S_ZAFRAN,
        "On 19 June, al-Bunyan al-Marsus forces advanced into the al-Zafran district of Sirte"
        " after a week of heavy shelling. Field commanders said ISIS still held about 300"
        " buildings near the sea.",
        "split, first two sentences of three, IS to ISIS",
    ),
    Pair(
        "split",
        _S_ZAFRAN,
        "Hospitals in Misurata received 37 wounded fighters over the weekend.",
        "split, last sentence of three, Misurata",
    ),
    Pair(
        "split",
        _S_SIDRA,
        "A first tanker was expected to load 600,000 barrels at the terminal by the end of the"
        " week.",
        "split, second sentence with a large number",
    ),
    Pair(
        "split",
        _S_SABRATHA,
        "On 23 June, the municipal council of Sabratha declared its support for the GNA, days"
        " after a delegation from Zawiya visited the town.",
        "split, first sentence of a political paragraph",
    ),
    Pair(
        "split",
        _S_SABRATHA,
        "The council also called on armed groups in the town's western districts to hand their"
        " heavy weapons to the police.",
        "split, second sentence, straight apostrophe",
    ),
    Pair(
        "split",
        _S_PROSECUTOR,
        "The prosecutor had been investigating the smuggling of fuel through the port of Zueitina.",
        "split, middle sentence of three",
    ),
    Pair(
        "split",
        _S_FAMILIES,
        "Most were sheltering in schools in the eastern districts of Benghazi, where water and"
        " medicines were scarce.",
        "split, second sentence without numbers",
    ),
    Pair(
        "split",
        _S_DMSC,
        "On 29 June, the Derna Mujahideen Shura Council announced that it had dissolved itself"
        " and would become the Derna Protection Force.",
        "split, first sentence with Mujahideen",
    ),
    Pair(
        "split",
        _S_BOAT,
        "The coast guard said it had rescued 28 survivors and recovered 19 bodies, and that the"
        " rest were missing.",
        "split, second sentence with two numbers",
    ),
]

_JOINED = [
    _joined(
        (
            "On 3 July, the LNA's Saiqa special forces said they had taken the cement factory in"
            " Hawari from the BRSC.",
            "On 4 July, the BRSC said it had retaken the factory and killed seven LNA soldiers, a"
            " claim the LNA denied.",
        ),
        "On 3 July, the LNA's Saiqa special forces said they had taken the cement factory in"
        " Hawari from the BRSC. On 4 July, the BRSC said it had retaken the factory and killed"
        " seven LNA soldiers, a claim the LNA denied.",
        "joined, two dated paragraphs run together",
    ),
    _joined(
        (
            "On 6 July, residents of Nawfaliya reported a convoy of some 40 IS vehicles moving"
            " south towards Jufra.",
            "Local officials in Hun said they had asked the LNA for reinforcements after the"
            " convoy was seen near Waddan.",
        ),
        "On 6 July, residents of Nawfaliya reported a convoy of some 40 ISIS vehicles moving"
        " south towards Jufra. Local officials in Hun said they had asked the LNA for"
        " reinforcements after the convoy was seen near Waddan.",
        "joined, with IS to ISIS",
    ),
    _joined(
        (
            "On 8 July, the GNA's interior minister visited Zliten and promised that the town's"
            " power station would reopen within three weeks.",
            "Residents said power cuts had lasted up to 14 hours a day since the start of the"
            " summer.",
        ),
        "On 8 July, the GNA’s interior minister visited Zliten and promised that the town’s"
        " power station would reopen within three weeks. Residents said power cuts had lasted"
        " up to 14 hours a day since the start of the summer.",
        "joined, with curly apostrophes",
    ),
    _joined(
        (
            "On 10 July, the coast guard intercepted 96 migrants off Zawiya and returned them to"
            " a detention centre in Tripoli.",
            "On 11 July, a further 130 migrants were intercepted off Khoms.",
        ),
        "On 10 July, the coast guard intercepted 96 migrants off Zawiya and returned them to a"
        " detention center in Tripoli. On 11 July, a further 130 migrants were intercepted off"
        " Khoms.",
        "joined, with centre to center",
    ),
    _joined(
        (
            "On 12 July, Tebu and Tuareg elders signed a ceasefire in Ubari brokered by Qatari"
            " mediators.",
            "The agreement provides for the withdrawal of fighters from the town's hospital and"
            " the reopening of the road to Sebha.",
        ),
        "On 12 July, Tebu and Tuareg elders signed a ceasefire in Ubari brokered by Qatari"
        " mediators. The agreement provides for the withdrawal of fighters from the town's"
        " hospital and the reopening of the road to Sebha.",
        "joined, second paragraph undated",
    ),
    _joined(
        (
            "Last week, IS claimed an attack on a pumping station of the Great Man-Made River near"
            " Brak al-Shati.",
            "The group's statement called the station 'a lifeline of the apostates' and promised"
            " further attacks on water infrastructure.",
        ),
        "Last week, ISIS claimed an attack on a pumping station of the Great Man-Made River near"
        " Brak al-Shati. The group’s statement called the station “a lifeline of the apostates”"
        " and promised further attacks on water infrastructure.",
        "joined, Last week opener, ISIS and curly quotes",
    ),
    _joined(
        (
            "On 15 July, the Derna Mujahedeen Shura Council shelled LNA positions at Dahr"
            " al-Hamar.",
            "The LNA said three of its soldiers had been wounded and responded with airstrikes on"
            " the city's western districts.",
        ),
        "On 15 July, the Derna Mujahideen Shura Council shelled LNA positions at Dahr al-Hamar."
        " The LNA said three of its soldiers had been wounded and responded with airstrikes on"
        " the city's western districts.",
        "joined, Mujahedeen to Mujahideen",
    ),
    _joined(
        (
            "On 17 July, the HoR voted to suspend its participation in the political dialogue,"
            " with 65 members present.",
            "The GNA's Presidential Council called the decision 'a setback for all Libyans'.",
        ),
        "On 17 July, the HoR voted to suspend its participation in the political dialogue, with"
        " 65 members present. The GNA's Presidential Council called the decision “a setback for"
        " all Libyans”.",
        "joined, political, curly quotes",
    ),
]

# Written after the rule's second version had passed the pairs above, to check that it
# generalises rather than fits them.
_LATER = [
    Pair(
        "edit",
        "On 6 August, fighting resumed in Tobruk's port district after gunmen attacked a customs"
        " post, killing two officers.",
        "On 6 August, fighting resumed in Tubruq's port district after gunmen attacked a customs"
        " post, killing 2 officers.",
        "Tobruk to Tubruq, two to 2",
    ),
    Pair(
        "edit",
        "On 8 August, the LNA said it had carried out three airstrikes near Bani Walid against IS"
        " fighters fleeing Sirte.",
        "On August 8th, the LNA said it had carried out three air strikes near Beni Walid"
        " against IS fighters fleeing Sirte.",
        "August 8th, air strikes, Bani to Beni Walid",
    ),
    Pair(
        "edit",
        "On 10 August, the Zawiya Martyrs Brigade clashed with a rival group over the control of"
        " the Zawiya refinery, leaving five dead.",
        "On 10 August, the Zawiyah Martyrs Brigade clashed with a rival group over control of the"
        " Zawiyah refinery, leaving five people dead.",
        "Zawiya to Zawiyah, small rewording",
    ),
    Pair(
        "edit",
        "On 12 August, residents of Ghadames said Tuareg and Tebu notables had agreed a truce"
        " after a week of clashes over a smuggling route.",
        "On 12 August, residents of Ghadamis said Tuareg and Toubou notables had agreed to a"
        " truce after a week of clashes over a smuggling route.",
        "Ghadames to Ghadamis, Tebu to Toubou, agreed to",
    ),
    Pair(
        "edit",
        "On 14 August, a commander known as Abu Hamza al-Tunisi was arrested at a checkpoint near"
        " Sabratha.",
        "On 14 August, a commander known as Abu Hamzah al-Tounsi was arrested at a checkpoint"
        " near Sabratha.",
        "kunya transliterated, Hamzah al-Tounsi",
    ),
    Pair(
        "edit",
        "On 16 August, the Misratan Third Force withdrew from Tamanhint air base after a deal"
        " brokered by elders from Sebha.",
        "On 16 August, Misrata's Third Force withdrew from Tamenhint air base after a deal"
        " brokered by elders from Sabha.",
        "Misratan to Misrata's, Tamanhint to Tamenhint, Sebha to Sabha",
    ),
    Pair(
        "edit",
        "On 18 August, the LNA said it had shot down a drone over al-Jufra airbase; it did not"
        " say who had launched it.",
        "On 18 August, the LNA said it had shot down a drone over the Jufra air base, without"
        " saying who had launched it.",
        "al-Jufra airbase to the Jufra air base, clause reworded",
    ),
    Pair(
        "edit",
        "On 22 August, the Central Bank in al-Bayda said it would print 4 billion dinars in Russia"
        " to ease the cash shortage.",
        "On 22 August, the Central Bank in Bayda said it would print 4bn dinars in Russia to ease"
        " the cash shortage.",
        "al-Bayda to Bayda, 4 billion to 4bn",
    ),
    Pair(
        "split",
        "On 20 August, an explosion at an arms depot in Qasr Bin Ghashir killed eight people."
        " Local officials blamed the heat, but residents said they had heard a drone shortly"
        " before.",
        "Local officials blamed the heat, but residents said they had heard a drone shortly"
        " before.",
        "split, second sentence of an explosion report",
    ),
]

# A republisher running an update as a wire story: a dateline says where and when the copy
# was filed, not where or when the event was.
_DATELINES = [
    Pair(
        "edit",
        "On 4 March, unidentified gunmen kidnapped two engineers outside Ubari, local sources"
        " said.",
        "TRIPOLI (Libya Wire) — On 4 March, unidentified gunmen kidnapped two engineers outside"
        " Ubari, local sources said.",
        "wire dateline, city in capitals and agency",
    ),
    Pair(
        "edit",
        "On 5 March, a car bomb exploded near a police station in Benghazi's Sabri district,"
        " wounding three.",
        "BENGHAZI, Libya - On 5 March, a car bomb exploded near a police station in Benghazi's"
        " Sabri district, wounding three.",
        "wire dateline, city and country",
    ),
    Pair(
        "edit",
        "On 7 March, militias loyal to the GNU clashed with a rival brigade near Gharyan, leaving"
        " four dead.",
        "Gharyan, 8 March (LW): On 7 March, militias loyal to the GNU clashed with a rival"
        " brigade near Gharyan, leaving four dead.",
        "wire dateline with its own filing date",
    ),
]

POSITIVES: list[Pair] = _EDITS + _TYPOGRAPHY + _SPLITS + _JOINED + _LATER + _DATELINES

# --- Negatives -----------------------------------------------------------------------------

NEGATIVES: list[Pair] = [
    # A wire dateline does not make another event the same one.
    Pair(
        "date",
        "On 4 March, unidentified gunmen kidnapped two engineers outside Ubari, local sources"
        " said.",
        "TRIPOLI (Libya Wire) — On 6 March, unidentified gunmen kidnapped two engineers outside"
        " Ubari, local sources said.",
        "wire dateline, 4 March vs 6 March",
    ),
    Pair(
        "place",
        "On 5 March, a car bomb exploded near a police station in Benghazi's Sabri district,"
        " wounding three.",
        "BENGHAZI, Libya - On 5 March, a car bomb exploded near a police station in Derna's"
        " Sahel district, wounding three.",
        "wire dateline, Benghazi's Sabri vs Derna's Sahel",
    ),
    # LNA airstrikes formula
    Pair(
        "date",
        "On 28 May, the LNA conducted two airstrikes against IS targets south of Sirte.",
        "On 31 May, the LNA conducted two airstrikes against IS targets south of Sirte.",
        "airstrikes formula, 28 May vs 31 May",
    ),
    Pair(
        "number",
        "On 2 March, the LNA conducted two airstrikes against IS targets south of Sirte.",
        "On 2 March, the LNA conducted three airstrikes against IS targets south of Sirte.",
        "airstrikes formula, two vs three airstrikes",
    ),
    Pair(
        "mixed",
        "On 3 March, the LNA conducted two airstrikes against IS targets south of Sirte.",
        "On 6 March, the LNA conducted two airstrikes against Shura Council targets south of"
        " Derna.",
        "airstrikes formula, date, actor and place (the domain example)",
    ),
    Pair(
        "place",
        "On 5 March, the LNA conducted four airstrikes against IS targets south of Ubari.",
        "On 5 March, the LNA conducted four airstrikes against IS targets south of Ghat.",
        "airstrikes formula, south of Ubari vs south of Ghat",
    ),
    Pair(
        "actor",
        "On 8 March, LNA aircraft struck an IS convoy on the road between Jufra and Waddan.",
        "On 8 March, GNA aircraft struck an IS convoy on the road between Jufra and Waddan.",
        "convoy strike, LNA vs GNA aircraft",
    ),
    # Depot strike formula
    Pair(
        "number",
        "On 9 March, the LNA said its aircraft struck an ammunition depot used by IS fighters"
        " 40km west of Ubari.",
        "On 9 March, the LNA said its aircraft struck an ammunition depot used by IS fighters"
        " 60km west of Ubari.",
        "depot strike, 40km vs 60km",
    ),
    Pair(
        "date",
        "On 3 March, the LNA said its aircraft struck an ammunition depot used by IS fighters"
        " 40km west of Ubari.",
        "On 13 March, the LNA said its aircraft struck an ammunition depot used by IS fighters"
        " 40km west of Ubari.",
        "depot strike, 3 March vs 13 March",
    ),
    # al-Bunyan al-Marsus clearing formula
    Pair(
        "number",
        "On 10 March, al-Bunyan al-Marsus forces said they had cleared four residential blocks in"
        " Sirte's al-Jiza district.",
        "On 10 March, al-Bunyan al-Marsus forces said they had cleared five residential blocks in"
        " Sirte's al-Jiza district.",
        "BM clearing, four vs five blocks",
    ),
    Pair(
        "place",
        "On 12 March, al-Bunyan al-Marsus forces said they had cleared six residential blocks in"
        " Sirte's Sawawa district.",
        "On 12 March, al-Bunyan al-Marsus forces said they had cleared six residential blocks in"
        " Sirte's al-Zafran district.",
        "BM clearing, Sawawa vs al-Zafran district",
    ),
    Pair(
        "actor",
        "On 15 March, al-Bunyan al-Marsus forces said they had cleared two residential blocks in"
        " Ganfouda.",
        "On 15 March, LNA forces said they had cleared two residential blocks in Ganfouda.",
        "clearing, BM vs LNA forces",
    ),
    # Coast guard interception formula
    Pair(
        "number",
        "On 17 March, the coast guard intercepted 214 migrants off Sabratha and returned them to a"
        " detention centre in Tripoli.",
        "On 17 March, the coast guard intercepted 241 migrants off Sabratha and returned them to a"
        " detention centre in Tripoli.",
        "interception, 214 vs 241 migrants",
    ),
    Pair(
        "place",
        "On 19 March, the coast guard intercepted 160 migrants off Zawiya and returned them to a"
        " detention centre in Tripoli.",
        "On 19 March, the coast guard intercepted 160 migrants off Zuwara and returned them to a"
        " detention centre in Tripoli.",
        "interception, off Zawiya vs off Zuwara",
    ),
    # IED at checkpoint formula
    Pair(
        "number",
        "On 21 March, an IED exploded near an LNA checkpoint in Qawarsha, wounding six soldiers.",
        "On 21 March, an IED exploded near an LNA checkpoint in Qawarsha, wounding seven soldiers.",
        "IED, six vs seven soldiers",
    ),
    Pair(
        "place",
        "On 24 March, an IED exploded near an LNA checkpoint in Bosnaib, wounding three soldiers.",
        "On 24 March, an IED exploded near an LNA checkpoint in Hawari, wounding three soldiers.",
        "IED, Bosnaib vs Hawari",
    ),
    # Suicide car bomb formula
    Pair(
        "number",
        "On 26 March, an IS suicide car bomb targeted a checkpoint held by Misratan forces near"
        " Harawa, killing 14 people according to medical sources in Misrata.",
        "On 26 March, an IS suicide car bomb targeted a checkpoint held by Misratan forces near"
        " Harawa, killing 41 people according to medical sources in Misrata.",
        "car bomb, 14 vs 41 killed",
    ),
    Pair(
        "place",
        "On 31 March, an IS suicide car bomb targeted a checkpoint held by Misratan forces near"
        " Abu Grein, killing nine people according to medical sources in Misrata.",
        "On 31 March, an IS suicide car bomb targeted a checkpoint held by Misratan forces near"
        " al-Washka, killing nine people according to medical sources in Misrata.",
        "car bomb, near Abu Grein vs near al-Washka",
    ),
    # AFRICOM formula
    Pair(
        "date",
        "On 1 April, AFRICOM said a US airstrike hit an IS camp 30km south of Sirte, killing 17"
        " militants.",
        "On 8 April, AFRICOM said a US airstrike hit an IS camp 30km south of Sirte, killing 17"
        " militants.",
        "AFRICOM strike reported a week apart, 1 April vs 8 April",
    ),
    Pair(
        "number",
        "On 3 April, AFRICOM said a US airstrike hit an IS camp 45km south of Sirte, killing 17"
        " militants.",
        "On 3 April, AFRICOM said a US airstrike hit an IS camp 45km south of Sirte, killing 71"
        " militants.",
        "AFRICOM strike, 17 vs 71 militants",
    ),
    # DMSC repelled formula
    Pair(
        "place",
        "On 5 April, the Derna Mujahedeen Shura Council said it had repelled an LNA advance at"
        " Karsa, west of Derna.",
        "On 5 April, the Derna Mujahedeen Shura Council said it had repelled an LNA advance at"
        " Ain Mara, west of Derna.",
        "DMSC repelled, Karsa vs Ain Mara",
    ),
    Pair(
        "actor",
        "On 7 April, the DMSC said it had repelled an LNA advance at al-Maghar.",
        "On 7 April, IS said it had repelled an LNA advance at al-Maghar.",
        "repelled advance, DMSC vs IS",
    ),
    # HoR quorum formula
    Pair(
        "number",
        "On 9 April, the House of Representatives in Tobruk again failed to reach a quorum for a"
        " vote on the GNA, with only 74 members present.",
        "On 9 April, the House of Representatives in Tobruk again failed to reach a quorum for a"
        " vote on the GNA, with only 47 members present.",
        "HoR quorum, 74 vs 47 members",
    ),
    Pair(
        "date",
        "On 11 April, the House of Representatives in Tobruk again failed to reach a quorum for a"
        " vote on the GNA, with only 82 members present.",
        "On 18 April, the House of Representatives in Tobruk again failed to reach a quorum for a"
        " vote on the GNA, with only 82 members present.",
        "HoR quorum reported a week apart, 11 vs 18 April",
    ),
    # Central Bank transfer formula
    Pair(
        "number",
        "On 13 April, the Central Bank of Libya said it had transferred 61 million dinars to the"
        " National Oil Corporation to cover overdue wages at Ras Lanuf.",
        "On 13 April, the Central Bank of Libya said it had transferred 16 million dinars to the"
        " National Oil Corporation to cover overdue wages at Ras Lanuf.",
        "Central Bank, 61 vs 16 million dinars",
    ),
    Pair(
        "place",
        "On 15 April, the Central Bank of Libya said it had transferred 90 million dinars to the"
        " National Oil Corporation to cover overdue wages at Brega.",
        "On 15 April, the Central Bank of Libya said it had transferred 90 million dinars to the"
        " National Oil Corporation to cover overdue wages at Zueitina.",
        "Central Bank, wages at Brega vs Zueitina",
    ),
    # Kidnapping formula
    Pair(
        "place",
        "On 17 April, unidentified gunmen kidnapped two Turkish engineers on the road between"
        " Ubari and Ghat.",
        "On 17 April, unidentified gunmen kidnapped two Turkish engineers on the road between"
        " Ubari and Sebha.",
        "kidnapping, road to Ghat vs road to Sebha",
    ),
    Pair(
        "number",
        "On 19 April, unidentified gunmen kidnapped four Filipino workers on the road between"
        " Brega and Ajdabiya.",
        "On 19 April, unidentified gunmen kidnapped five Filipino workers on the road between"
        " Brega and Ajdabiya.",
        "kidnapping, four vs five workers",
    ),
    # Oil blockade formula
    Pair(
        "number",
        "On 21 April, the Petroleum Facilities Guard said exports from Zueitina had resumed after"
        " a 12-day blockade.",
        "On 21 April, the Petroleum Facilities Guard said exports from Zueitina had resumed after"
        " a 21-day blockade.",
        "blockade, 12-day vs 21-day",
    ),
    Pair(
        "place",
        "On 23 April, the Petroleum Facilities Guard said exports from Ras Lanuf had resumed after"
        " a nine-day blockade.",
        "On 23 April, the Petroleum Facilities Guard said exports from Sidra had resumed after a"
        " nine-day blockade.",
        "blockade, Ras Lanuf vs Sidra",
    ),
    # Tebu-Tuareg formula
    Pair(
        "number",
        "On 25 April, clashes between Tebu and Tuareg militias in Ubari left nine dead, according"
        " to the town's hospital.",
        "On 25 April, clashes between Tebu and Tuareg militias in Ubari left 19 dead, according to"
        " the town's hospital.",
        "Tebu-Tuareg clashes, nine vs 19 dead",
    ),
    Pair(
        "place",
        "On 27 April, clashes between Tebu and Tuareg militias in Murzuq left six dead, according"
        " to the town's hospital.",
        "On 27 April, clashes between Tebu and Tuareg militias in Sebha left six dead, according"
        " to the town's hospital.",
        "Tebu-Tuareg clashes, Murzuq vs Sebha",
    ),
    # Airport rocket formula
    Pair(
        "place",
        "On 29 April, a rocket hit the runway of Mitiga airport, suspending flights for three"
        " days.",
        "On 29 April, a rocket hit the runway of Misrata airport, suspending flights for three"
        " days.",
        "airport rocket, Mitiga vs Misrata airport",
    ),
    Pair(
        "number",
        "On 1 May, a rocket hit the runway of Benina airport, suspending flights for two days.",
        "On 1 May, a rocket hit the runway of Benina airport, suspending flights for four days.",
        "airport rocket, two vs four days",
    ),
    # Bodies ashore formula
    Pair(
        "number",
        "On 3 May, the bodies of 27 migrants washed ashore near Zuwara, the local Red Crescent"
        " said.",
        "On 3 May, the bodies of 72 migrants washed ashore near Zuwara, the local Red Crescent"
        " said.",
        "bodies ashore, 27 vs 72",
    ),
    Pair(
        "date",
        "On 5 May, the bodies of 31 migrants washed ashore near Sabratha, the local Red Crescent"
        " said.",
        "On 5 June, the bodies of 31 migrants washed ashore near Sabratha, the local Red Crescent"
        " said.",
        "bodies ashore, 5 May vs 5 June (month only)",
    ),
    # Boat sank formula
    Pair(
        "number",
        "On 7 May, a boat carrying 120 people sank 8km off Garabulli; the coast guard said it had"
        " rescued 31 survivors.",
        "On 7 May, a boat carrying 120 people sank 18km off Garabulli; the coast guard said it had"
        " rescued 31 survivors.",
        "boat sank, 8km vs 18km",
    ),
    Pair(
        "number",
        "On 9 May, a boat carrying 85 people sank 6km off Khoms; the coast guard said it had"
        " rescued 40 survivors.",
        "On 9 May, a boat carrying 85 people sank 6km off Khoms; the coast guard said it had"
        " rescued 14 survivors.",
        "boat sank, 40 vs 14 survivors",
    ),
    # Commander killed formula
    Pair(
        "name",
        "On 11 May, the LNA's 155th Battalion said it had killed an IS commander known as Abu"
        " Talha al-Libi near Sebha.",
        "On 11 May, the LNA's 155th Battalion said it had killed an IS commander known as Abu"
        " Hamza al-Tunisi near Sebha.",
        "commander killed, Abu Talha al-Libi vs Abu Hamza al-Tunisi",
    ),
    Pair(
        "number",
        "On 13 May, the LNA's 155th Battalion said it had killed an IS commander known as Abu"
        " Muadh al-Masri near Hun.",
        "On 13 May, the LNA's 116th Battalion said it had killed an IS commander known as Abu"
        " Muadh al-Masri near Hun.",
        "commander killed, 155th vs 116th Battalion",
    ),
    Pair(
        "name",
        "On 20 May, the LNA's Saiqa special forces said they had killed an IS commander known as"
        " Abu Yahya al-Barqawi in Ganfouda.",
        "On 20 May, the LNA's Saiqa special forces said they had killed an IS commander known as"
        " Abu Yahya al-Misrati in Ganfouda.",
        "commander killed, al-Barqawi vs al-Misrati",
    ),
    # BRSC losses formula
    Pair(
        "place",
        "On 15 May, the BRSC's media office said 11 of its fighters had been killed in Ganfouda,"
        " including a field commander known as Abu Khalid al-Jazrawi.",
        "On 15 May, the BRSC's media office said 11 of its fighters had been killed in Qawarsha,"
        " including a field commander known as Abu Khalid al-Jazrawi.",
        "BRSC losses, Ganfouda vs Qawarsha",
    ),
    Pair(
        "number",
        "On 17 May, the BRSC's media office said 11 of its fighters had been killed in Sabri,"
        " including a field commander known as Abu Bakr al-Sudani.",
        "On 17 May, the BRSC's media office said 12 of its fighters had been killed in Sabri,"
        " including a field commander known as Abu Bakr al-Sudani.",
        "BRSC losses, 11 vs 12 fighters",
    ),
    # Rada arrests formula
    Pair(
        "number",
        "On 19 May, the Special Deterrence Force (Rada) said it had arrested an IS cell of five"
        " men in Tripoli who were planning an attack on the city's port.",
        "On 19 May, the Special Deterrence Force (Rada) said it had arrested an IS cell of six men"
        " in Tripoli who were planning an attack on the city's port.",
        "Rada arrests, five vs six men",
    ),
    Pair(
        "actor",
        "On 21 May, the Special Deterrence Force (Rada) said it had arrested an IS cell of four"
        " men in Tripoli who were planning an attack on the city's airport.",
        "On 21 May, the Nawasi Brigade said it had arrested an IS cell of four men in Tripoli who"
        " were planning an attack on the city's airport.",
        "arrests, Rada vs Nawasi Brigade",
    ),
    # UNSMIL meeting formula
    Pair(
        "place",
        "On 23 May, UNSMIL convened a meeting in Tunis between municipal leaders from Misrata and"
        " Tawergha, the third such meeting since January.",
        "On 23 May, UNSMIL convened a meeting in Tunis between municipal leaders from Misrata and"
        " Zintan, the third such meeting since January.",
        "UNSMIL meeting, Tawergha vs Zintan",
    ),
    Pair(
        "number",
        "On 25 May, UNSMIL convened a meeting in Tunis between municipal leaders from Zawiya and"
        " Zuwara, the second such meeting since March.",
        "On 25 May, UNSMIL convened a meeting in Tunis between municipal leaders from Zawiya and"
        " Zuwara, the fourth such meeting since March.",
        "UNSMIL meeting, second vs fourth such meeting",
    ),
    Pair(
        "place",
        "On 27 May, UNSMIL convened a meeting in Tunis between municipal leaders from Gharyan and"
        " Tarhuna.",
        "On 27 May, UNSMIL convened a meeting in Cairo between municipal leaders from Gharyan and"
        " Tarhuna.",
        "UNSMIL meeting, in Tunis vs in Cairo",
    ),
    # Protest formula
    Pair(
        "number",
        "On 29 May, protesters in Zawiya blocked the coastal road for the second day, demanding"
        " cash at the town's banks.",
        "On 29 May, protesters in Zawiya blocked the coastal road for the third day, demanding"
        " cash at the town's banks.",
        "protest, second vs third day",
    ),
    Pair(
        "place",
        "On 31 May, protesters in Gharyan blocked the main road to Tripoli, demanding an end to"
        " power cuts.",
        "On 31 May, protesters in Tarhuna blocked the main road to Tripoli, demanding an end to"
        " power cuts.",
        "protest, Gharyan vs Tarhuna",
    ),
    # Ajdabiya IED claim formula
    Pair(
        "actor",
        "On 2 June, the Ajdabiya Revolutionaries Shura Council claimed an IED attack on an LNA"
        " patrol west of Ajdabiya, which it said had killed four soldiers.",
        "On 2 June, IS claimed an IED attack on an LNA patrol west of Ajdabiya, which it said had"
        " killed four soldiers.",
        "IED claim, Ajdabiya Shura Council vs IS",
    ),
    Pair(
        "date",
        "On 4 June, the Ajdabiya Revolutionaries Shura Council claimed an IED attack on an LNA"
        " patrol east of Ajdabiya, which it said had killed two soldiers.",
        "On 14 June, the Ajdabiya Revolutionaries Shura Council claimed an IED attack on an LNA"
        " patrol east of Ajdabiya, which it said had killed two soldiers.",
        "IED claim, 4 June vs 14 June",
    ),
    # BDB push formula
    Pair(
        "number",
        "On 6 June, Benghazi Defence Brigades fighters attacked Petroleum Facilities Guard"
        " positions near Sidra, their second push towards the oil crescent this year.",
        "On 6 June, Benghazi Defence Brigades fighters attacked Petroleum Facilities Guard"
        " positions near Sidra, their third push towards the oil crescent this year.",
        "BDB push, second vs third push",
    ),
    Pair(
        "place",
        "On 8 June, Benghazi Defence Brigades fighters attacked Petroleum Facilities Guard"
        " positions near Ras Lanuf.",
        "On 8 June, Benghazi Defence Brigades fighters attacked Petroleum Facilities Guard"
        " positions near Brega.",
        "BDB attack, near Ras Lanuf vs near Brega",
    ),
    # Executions, convoy, force majeure, mosque bomb, elders
    Pair(
        "number",
        "On 10 June, the DMSC executed three men it accused of spying for the LNA, according to a"
        " source in Derna's local council.",
        "On 10 June, the DMSC executed two men it accused of spying for the LNA, according to a"
        " source in Derna's local council.",
        "executions, three vs two men",
    ),
    Pair(
        "number",
        "On 12 June, residents of Harawa reported a convoy of some 40 IS vehicles moving south"
        " towards Jufra.",
        "On 12 June, residents of Harawa reported a convoy of some 14 IS vehicles moving south"
        " towards Jufra.",
        "convoy, 40 vs 14 vehicles",
    ),
    Pair(
        "place",
        "On 14 June, the National Oil Corporation declared force majeure at the Sharara field"
        " after guards shut the valves on the pipeline.",
        "On 14 June, the National Oil Corporation declared force majeure at the Feel field after"
        " guards shut the valves on the pipeline.",
        "force majeure, Sharara vs Feel field",
    ),
    Pair(
        "date",
        "On 16 June, the National Oil Corporation declared force majeure at Zueitina after guards"
        " shut the valves on the pipeline.",
        "On 19 June, the National Oil Corporation declared force majeure at Zueitina after guards"
        " shut the valves on the pipeline.",
        "force majeure, 16 vs 19 June",
    ),
    Pair(
        "number",
        "On 18 June, a car bomb exploded outside a mosque in Benghazi's Salmani district after"
        " Friday prayers, wounding 23 worshippers.",
        "On 18 June, a car bomb exploded outside a mosque in Benghazi's Salmani district after"
        " Friday prayers, wounding 32 worshippers.",
        "mosque bomb, 23 vs 32 wounded",
    ),
    Pair(
        "place",
        "On 20 June, a car bomb exploded outside a mosque in Sabri after evening prayers, killing"
        " two people.",
        "On 20 June, a car bomb exploded outside a mosque in al-Bayda after evening prayers,"
        " killing two people.",
        "mosque bomb, Sabri vs al-Bayda",
    ),
    Pair(
        "actor",
        "On 22 June, a delegation of Warfalla elders met LNA commanders in al-Marj to discuss a"
        " prisoner exchange with forces from Misrata.",
        "On 22 June, a delegation of Magarha elders met LNA commanders in al-Marj to discuss a"
        " prisoner exchange with forces from Misrata.",
        "elders, Warfalla vs Magarha",
    ),
    Pair(
        "place",
        "On 24 June, a delegation of Zuwaya elders met LNA commanders in al-Marj to discuss a"
        " prisoner exchange with forces from Misrata.",
        "On 24 June, a delegation of Zuwaya elders met LNA commanders in al-Marj to discuss a"
        " prisoner exchange with forces from Zintan.",
        "elders, forces from Misrata vs Zintan",
    ),
    Pair(
        "date",
        "On 30 December, the LNA's Saiqa special forces said they had taken the last BRSC"
        " positions in Ganfouda.",
        "On 2 January, the LNA's Saiqa special forces said they had taken the last BRSC positions"
        " in Ganfouda.",
        "across New Year, 30 December vs 2 January",
    ),
    Pair(
        "date",
        "On March 3, IS fighters set up a checkpoint on the road between Harawa and Jufra,"
        " stopping lorries and checking drivers' papers.",
        "On March 30, IS fighters set up a checkpoint on the road between Harawa and Jufra,"
        " stopping lorries and checking drivers' papers.",
        "American dates, March 3 vs March 30",
    ),
    Pair(
        "actor",
        "On 26 June, the Presidential Council appointed a new commander of the Petroleum"
        " Facilities Guard for the central region.",
        "On 26 June, the House of Representatives appointed a new commander of the Petroleum"
        " Facilities Guard for the central region.",
        "appointment, Presidential Council vs House of Representatives",
    ),
    Pair(
        "partial",
        _S_GANFOUDA,
        "On 15 June, the LNA said its aircraft struck IS positions in Ganfouda, killing 21"
        " fighters.",
        "first sentence of a split with 12 vs 21 fighters",
    ),
    Pair(
        "partial",
        _S_BOAT,
        "The coast guard said it had rescued 28 survivors and recovered 91 bodies, and that the"
        " rest were missing.",
        "second sentence of a split with 19 vs 91 bodies",
    ),
    Pair(
        "actor",
        "On 2 July, the LNA announced that it had taken full control of the Sharara field and"
        " that production would resume within days, a claim denied by the field's guards.",
        "On 2 July, the GNA announced that it had taken full control of the Sharara field and"
        " that production would resume within days, a claim denied by the field's guards.",
        "long paragraph, LNA vs GNA announced",
    ),
    Pair(
        "place",
        "On 4 July, a car bomb at a police training centre in Zliten killed 47 recruits.",
        "On 4 July, a car bomb at a police training centre in Zintan killed 47 recruits.",
        "training centre bomb, Zliten vs Zintan",
    ),
    Pair(
        "mixed",
        "On 6 July, the interim government in al-Bayda announced a curfew after two nights of"
        " clashes.",
        "On 6 July, the municipal council in al-Marj announced a curfew after two nights of"
        " clashes.",
        "curfew, interim government in al-Bayda vs council in al-Marj",
    ),
    Pair(
        "mixed",
        "On 8 July, IS fighters briefly set up a checkpoint on the road south of Bani Walid, the"
        " second such incident since May.",
        "On 15 July, IS fighters briefly set up a checkpoint on the road south of Bani Walid, the"
        " third such incident since May.",
        "checkpoint reported a week apart with the next ordinal",
    ),
    Pair(
        "mixed",
        "On 10 July, the coast guard intercepted 96 migrants off Zawiya and returned them to a"
        " detention centre in Tripoli.",
        "On 13 July, the coast guard intercepted 69 migrants off Zawiya and returned them to a"
        " detention centre in Tripoli.",
        "interception, date and 96 vs 69 migrants",
    ),
    Pair(
        "mixed",
        "On 17 March, the LNA said its aircraft struck an ammunition depot used by IS fighters"
        " 25km south of Murzuq.",
        "On 20 March, the LNA said its aircraft struck an ammunition depot used by IS fighters"
        " 25km south of Traghen.",
        "depot strike, date and Murzuq vs Traghen",
    ),
    Pair(
        "number",
        "On 22 March, the LNA said its aircraft had struck IS positions in Ganfouda for the"
        " fifth consecutive day.",
        "On 22 March, the LNA said its aircraft had struck IS positions in Ganfouda for the"
        " sixth consecutive day.",
        "consecutive day, fifth vs sixth",
    ),
    Pair(
        "name",
        "On 24 March, gunmen shot dead a prosecutor in Sabha; colleagues named him as Abdelsalam"
        " al-Hassi.",
        "On 24 March, gunmen shot dead a prosecutor in Sabha; colleagues named him as Abdelsalam"
        " al-Mahdawi.",
        "victim named, al-Hassi vs al-Mahdawi",
    ),
    # Names one or two letters apart that are different places, tribes or people
    Pair(
        "place",
        "On 26 July, clashes between rival brigades in Sabri left three fighters dead and closed"
        " the district's main market.",
        "On 26 July, clashes between rival brigades in Sabha left three fighters dead and closed"
        " the district's main market.",
        "rival brigades, Sabri (Benghazi) vs Sabha",
    ),
    Pair(
        "actor",
        "On 28 July, a delegation of Zuwaya elders met GNA officials in Tripoli to discuss the"
        " release of 11 detainees.",
        "On 28 July, a delegation of Zuwara elders met GNA officials in Tripoli to discuss the"
        " release of 11 detainees.",
        "elders, Zuwaya (tribe) vs Zuwara (town)",
    ),
    Pair(
        "name",
        "On 30 July, the Rada force said it had captured an IS recruiter known as Abu Talha"
        " al-Libi at a checkpoint in Tajoura.",
        "On 30 July, the Rada force said it had captured an IS recruiter known as Abu Talal"
        " al-Libi at a checkpoint in Tajoura.",
        "recruiter captured, Abu Talha vs Abu Talal",
    ),
    # A new event built from the pieces of a stored two-event paragraph
    Pair(
        "partial",
        "On 3 August, the LNA said its aircraft struck IS positions in Ganfouda, killing 12"
        " fighters. On 6 August, its aircraft struck IS positions in Qawarsha, killing nine"
        " fighters.",
        "On 6 August, the LNA said its aircraft struck IS positions in Ganfouda, killing 12"
        " fighters.",
        "recombined, the second date with the first place and number",
    ),
    # The original with an event appended that the store has never seen
    Pair(
        "joined-unseen",
        "On 20 July, the LNA's Saiqa special forces said they had taken a warehouse in Bu Atni"
        " from the BRSC.",
        "On 20 July, the LNA's Saiqa special forces said they had taken a warehouse in Bu Atni"
        " from the BRSC. On 21 July, the BRSC said it had killed nine LNA soldiers in a"
        " counter-attack on the warehouse.",
        "stored paragraph plus an unseen 21 July counter-attack",
    ),
    Pair(
        "joined-unseen",
        "Last week, gunmen stormed a Red Crescent office in Ajdabiya and took three vehicles.",
        "Last week, gunmen stormed a Red Crescent office in Ajdabiya and took three vehicles."
        " Two days later, another of the organisation's offices was attacked in Brega, where"
        " a guard was wounded.",
        "stored paragraph plus an unseen attack in Brega",
    ),
    # Written after the rule's second version had passed the pairs above
    Pair(
        "place",
        "On 24 August, armed men attacked a water pumping station in Jufra, cutting supplies to"
        " three towns.",
        "On 24 August, armed men attacked a water pumping station in Jafara, cutting supplies to"
        " three towns.",
        "pumping station, Jufra vs Jafara (same consonants)",
    ),
    Pair(
        "actor",
        "On 26 August, elders from Zawiya mediated a prisoner exchange between two militias in"
        " Kufra.",
        "On 26 August, elders from the Zuwaya mediated a prisoner exchange between two militias"
        " in Kufra.",
        "elders, Zawiya (town) vs the Zuwaya (tribe)",
    ),
    Pair(
        "name",
        "On 28 August, gunmen in Benghazi assassinated a judge named Ahmed al-Warfalli outside his"
        " home in Hawari.",
        "On 28 August, gunmen in Benghazi assassinated a judge named Hamid al-Warfalli outside his"
        " home in Hawari.",
        "judge assassinated, Ahmed vs Hamid",
    ),
    Pair(
        "name",
        "On 30 August, the GNA appointed Omar al-Zintani as commander of the western military"
        " zone.",
        "On 30 August, the GNA appointed Amr al-Zintani as commander of the western military zone.",
        "appointment, Omar vs Amr",
    ),
    Pair(
        "number",
        "On 1 September, the LNA said it had captured 2 IS fighters near Sirte.",
        "On 1 September, the LNA said it had captured 20 IS fighters near Sirte.",
        "captured, 2 vs 20 fighters",
    ),
    Pair(
        "date",
        "On 3 Sept., the coast guard towed a disabled fishing boat carrying 54 migrants into"
        " Zuwara.",
        "On 3 Oct., the coast guard towed a disabled fishing boat carrying 54 migrants into"
        " Zuwara.",
        "abbreviated months, Sept. vs Oct.",
    ),
    Pair(
        "actor",
        "On 5 September, a GNC delegation met UNSMIL officials in Tunis.",
        "On 5 September, a GNA delegation met UNSMIL officials in Tunis.",
        "delegation, GNC vs GNA",
    ),
    Pair(
        "actor",
        "On 7 September, AQIM released a statement calling on Libyan fighters to join its"
        " branches in the Sahel.",
        "On 7 September, AQAP released a statement calling on Libyan fighters to join its"
        " branches in the Sahel.",
        "statement, AQIM vs AQAP",
    ),
    Pair(
        "number",
        "On 9 September, the 166th Brigade said it had secured the road between Sirte and Abu"
        " Grein.",
        "On 9 September, the 116th Brigade said it had secured the road between Sirte and Abu"
        " Grein.",
        "brigade number, 166th vs 116th",
    ),
    # Easy negatives
    Pair(
        "unrelated",
        "On 9 July, the Central Bank of Libya announced new limits on cash withdrawals in Tripoli.",
        "On 9 July, Tebu fighters captured a Chadian rebel commander near Qatrun.",
        "unrelated, same date",
    ),
    Pair(
        "unrelated",
        "The south remains the part of the country that outside observers understand least, and"
        " it matters most for the jihadists' survival.",
        "Every battlefield victory without a national army opens a new quarrel over who commands"
        " the victors.",
        "unrelated analysis sentences",
    ),
    Pair(
        "unrelated",
        "On 11 July, a fire broke out at a fuel depot in Tripoli's port; firefighters contained"
        " it by the evening.",
        "On 12 July, the HoR approved a new budget with 88 members present.",
        "unrelated, port fire vs budget vote",
    ),
    Pair(
        "unrelated",
        "Last week, schools in Sabratha reopened after a month's closure.",
        "Last week, AFRICOM said it had conducted 12 airstrikes in Libya since the start of the"
        " year.",
        "unrelated, Last week openers",
    ),
    Pair(
        "unrelated",
        "On 14 July, the LNA said its aircraft struck IS positions in Sirte's Sawawa district.",
        "On 14 July, protesters in Tobruk demanded the release of detained journalists.",
        "unrelated, same date and opener",
    ),
    Pair(
        "date",
        "On 5 October, a video published by IS supporters showed fighters training in the desert"
        " 90km west of Ubari, the first such footage from the area since August.",
        "Last week, a video published by IS supporters showed fighters training in the desert"
        " 90km west of Ubari, the first such footage from the area since August.",
        "a dated event against the same formula anchored to last week",
    ),
    Pair(
        "date",
        "On 19 August, the municipal council of Waddan declared its support for the LNA, days"
        " after a delegation from Jufra visited the town.",
        "The municipal council of Waddan declared its support for the LNA, days after a"
        " delegation from Jufra visited the town.",
        "a dated event against the same sentence with no anchor at all",
    ),
    Pair(
        "place",
        "On 5 October, a video published by IS supporters showed fighters training in the desert"
        " 90km west of Ubari.",
        "On 5 October, a video published by IS supporters showed fighters training in the desert"
        " 90km north of Ubari.",
        "west to north of the same town",
    ),
    Pair(
        "date",
        "Residents of Tazirbu said IS fighters had been seen near the town's water wells, the"
        " first sighting there since November.",
        "Residents of Tazirbu said IS fighters had been seen near the town's water wells, the"
        " first sighting there since March.",
        "since November to since March, no day given",
    ),
]
