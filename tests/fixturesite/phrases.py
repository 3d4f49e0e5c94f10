"""Word banks and sentence templates for the synthetic Libya security updates.

All of this is invented text written for the fixture, in the register of weekly
security updates and long-form analysis. Templates use British spelling, numbers
glued to "km" and the occasional "as base", so that republished copies have
something to edit. ``{d}`` marks where a date opener ("On 3 March, ") goes; a
template with ``{dm}`` carries its date mid-sentence and gets no opener.
"""

from __future__ import annotations

PLACES = [
    "Sirte",
    "Ubari",
    "Derna",
    "Benghazi",
    "Misrata",
    "Sabratha",
    "Ajdabiya",
    "Sebha",
    "Kufra",
    "Brega",
    "Bani Walid",
    "Zliten",
    "Tobruk",
    "al-Bayda",
    "Ghat",
    "Murzuq",
    "Hun",
    "Waddan",
    "Zillah",
    "Jufra",
    "Zawiya",
    "Gharyan",
    "Tarhuna",
    "al-Marj",
]
SOUTH = ["Ubari", "Sebha", "Ghat", "Murzuq", "Kufra", "Brak al-Shati", "Traghen", "Umm al-Aranib"]
COAST = ["Sabratha", "Zuwara", "Garabulli", "Zawiya", "Khoms", "Zliten", "Tajoura"]
SIRTE_AREA = [
    "Harawa",
    "Abu Hadi",
    "Wadi Jarif",
    "al-Washka",
    "Abu Grein",
    "Bin Jawad",
    "Nawfaliya",
]
SIRTE_DISTRICT = ["Ghiza Bahriya", "Neighbourhood No. 3", "al-Jiza", "Sawawa", "al-Zafran"]
BENGHAZI_AREA = ["Ganfouda", "Qawarsha", "Sabri", "Souq al-Hout", "Bosnaib", "Bu Atni", "Hawari"]
DERNA_AREA = ["al-Fatayeh", "Dahr al-Hamar", "Karsa", "Ain Mara", "Bab Tobruk", "al-Maghar"]
OIL_SITES = ["Ras Lanuf", "Sidra", "Brega", "Zueitina", "the Sharara field", "the Feel field"]
ABROAD = ["Tunis", "Cairo", "Algiers", "Rome", "Valletta", "Skhirat"]
TRIBES = ["Magarha", "Warfalla", "Awlad Suleiman", "Zuwaya", "Awaqir", "Obeidat", "Hasawna"]
DIRECTIONS = ["west", "south", "east", "north", "south-west", "south-east"]
NUMBER_WORDS = ["two", "three", "four", "five", "six", "seven"]
ORDINALS = ["second", "third", "fourth", "fifth", "sixth"]
FOES = ["IS", "Shura Council", "BRSC", "DMSC"]
LNA_UNITS = [
    "155th Battalion",
    "21st Infantry Brigade",
    "Desert Shield Brigade",
    "Benghazi Operations Room",
    "Ajdabiya Operations Room",
    "Saiqa special forces",
]
KUNYAS = [
    "Abu Hamza al-Tunisi",
    "Abu Talha al-Libi",
    "Abu Muadh al-Masri",
    "Abu Bakr al-Sudani",
    "Abu Khalid al-Jazrawi",
    "Abu Yahya al-Barqawi",
    "Abu Suhaib al-Misrati",
]
OFFICIALS = [
    "the head of the Presidential Council",
    "the GNA's interior minister",
    "an LNA spokesman",
    "the HoR's speaker",
    "the mayor of Misrata",
    "a UNSMIL deputy envoy",
]
TARGETS = ["port", "airport", "central prison", "Italian embassy compound", "power station"]
MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]

# Formulaic templates: short, slot-heavy, written twice in one update about two events.
FORMULAS = [
    "{d}the LNA conducted {n} airstrikes against {foe} targets {dir} of {place}.",
    "{d}al-Bunyan al-Marsus forces said they had cleared {n} residential blocks in Sirte's"
    " {sirte_district} district.",
    "{d}the LNA said its aircraft struck {foe} positions in {bgz}, killing {cas} fighters.",
    "{d}the coast guard intercepted {big} migrants off {coast} and returned them to a detention"
    " centre in {place}.",
    "{d}an IED exploded near an LNA checkpoint in {bgz}, wounding {cas} soldiers.",
]

SECTIONS: dict[str, list[str]] = {
    "IS in Action": [
        "{d}the LNA said its aircraft struck a depot used by IS fighters {km}km {dir} of {south}.",
        "{d}al-Bunyan al-Marsus forces reported clashes with IS remnants in Sirte's"
        " {sirte_district} district, saying {cas} of their fighters had been wounded.",
        "{d}an IS suicide car bomb targeted a checkpoint held by Misratan forces near {sirte_area},"
        " killing {cas} people according to medical sources in Misrata.",
        "{d}IS claimed an attack on a pumping station of the Great Man-Made River near {south};"
        " the group's statement called the station 'a lifeline of the apostates'.",
        "{d}residents of {sirte_area} reported a convoy of some {big} IS vehicles moving {dir}"
        " towards {south}.",
        "{d}a US drone strike hit a farm {km}km {dir} of {place} that IS had been using as base for"
        " cells operating along the coastal road.",
        "{d}the Special Deterrence Force (Rada) said it had arrested an IS cell of {cas} men in"
        " Tripoli who were planning an attack on the city's {target}.",
        "{d}IS fighters set up a checkpoint on the road between {sirte_area} and {south}, stopping"
        " lorries and checking the identity papers of drivers.",
        "{d}the LNA's {unit} said it had killed an IS commander known as {kunya} near {place}.",
        "{d}Islamic State militants abducted {cas} truck drivers on the road south of {sirte_area},"
        " and their families later received ransom demands.",
        "Fighting between IS and al-Bunyan al-Marsus resumed in {sirte_area} on {dm} after a"
        " lull of {n} days, with both sides using heavy artillery.",
        "{d}a video published by IS supporters showed fighters training in the desert {km}km"
        " {dir} of {south}, the first such footage from the area since {month_before}.",
    ],
    "Other Jihadi Actors": [
        "{d}the Benghazi Revolutionaries Shura Council (BRSC) shelled LNA positions in {bgz}, and"
        " the LNA responded with {n} airstrikes on Ganfouda.",
        "{d}the Derna Mujahedeen Shura Council (DMSC) said it had repelled an LNA advance at"
        " {derna_area}, on the southern outskirts of Derna.",
        "{d}Benghazi Defence Brigades (BDB) fighters attacked Petroleum Facilities Guard positions"
        " near {oil}, their {ordinal} push towards the oil crescent this year.",
        "{d}a statement attributed to Ansar al-Sharia denied that its leadership had dissolved the"
        ' group, calling the reports "the propaganda of the enemy".',
        "{d}the Ajdabiya Revolutionaries Shura Council claimed an IED attack on an LNA patrol west"
        " of Ajdabiya, which it said had killed {cas} soldiers.",
        "{d}AQIM released a statement praising the defenders of Ganfouda and calling on fighters"
        " in {south} to join them.",
        "{d}clashes broke out in {derna_area} between the DMSC and a group of former IS members"
        " who had returned to Derna's outskirts.",
        "{d}the DMSC executed {cas} men it accused of spying for the LNA, according to a source"
        " in Derna's local council.",
        "{d}the LNA's {unit} said its forces had taken {bgz} from the BRSC after {n} days of"
        " fighting, a claim the Shura Council denied.",
        "The BRSC's media office said on {dm} that {cas} of its fighters had been killed in {bgz},"
        " including a field commander known as {kunya}.",
    ],
    "Political Developments": [
        "{d}the House of Representatives (HoR) in Tobruk again failed to reach a quorum for a vote"
        " on the Government of National Accord (GNA), with only {seats} members present.",
        "{d}UNSMIL convened a meeting in {abroad} between municipal leaders from {place} and"
        " {place2}, the {ordinal} such meeting since {month_before}.",
        "{d}the GNA's Ministry of Defence announced that it would take over the payment of salaries"
        " for {n} brigades from {place}.",
        "{d}the municipal council of {place} declared its support for the LNA, days after a"
        " delegation from {place2} visited the town.",
        "{d}the Central Bank of Libya said it had transferred {seats} million dinars to the"
        " National Oil Corporation to cover overdue wages at {oil}.",
        "{d}a delegation of {tribe} elders met LNA commanders in al-Marj to discuss a prisoner"
        " exchange with forces from {place}.",
        "{d}{official} visited {place} and promised that the town's {target} would reopen within"
        " {n} weeks.",
        "{d}protesters in {place} blocked the main road for the {ordinal} day, demanding cash"
        " at the town's banks and an end to power cuts.",
        "{d}the Presidential Council appointed a new head of the Petroleum Facilities Guard for"
        " the central region, a move the LNA rejected as 'null and void'.",
        "{official} said on {dm} that talks with the {tribe} over the {oil} terminal had reached"
        " 'an advanced stage'.",
    ],
    "Security and Oil": [
        "{d}unidentified gunmen kidnapped {cas} foreign workers on the road between {place} and"
        " {place2}; no group has claimed responsibility.",
        "{d}the Petroleum Facilities Guard said exports from {oil} had resumed after a {n}-day"
        " blockade by guards demanding unpaid salaries.",
        "{d}clashes between Tebu and Tuareg militias in Ubari left {cas} dead, according to the"
        " town's hospital.",
        "{d}a rocket hit the runway of the {place} airport, suspending flights for {n} days.",
        "{d}the LNA closed the road between {place} and {south} after reports that armed men were"
        " using it to move fuel across the border.",
        "{d}gunmen stormed a Red Crescent office in {place} and took {n} vehicles.",
        "{d}a car bomb exploded outside a mosque in {place} after Friday prayers, wounding {cas}"
        " worshippers.",
        "{d}the National Oil Corporation declared force majeure at {oil} after guards shut the"
        " valves on the pipeline.",
        "Gunmen shot dead a prosecutor in {place} on {dm}, the {ordinal} killing of a judicial"
        " official in the town this year.",
    ],
    "Migration and Smuggling": [
        "{d}the bodies of {big} migrants washed ashore near {coast}, the local Red Crescent said.",
        "{d}an armed group in {coast} announced it would stop boats leaving the town's beaches,"
        " a move residents linked to payments from Tripoli.",
        "{d}smugglers moved a convoy of some {big} migrants through {south} towards the coast,"
        " according to residents who said the group paid the local militia to pass.",
        "{d}the Department for Combating Illegal Migration said its detention centre in {place}"
        " held {big} people, more than twice its capacity.",
        "{d}a boat carrying {big} people sank {km}km off {coast}; the coast guard said it had"
        " rescued {cas} survivors.",
        "{d}fighting broke out between two smuggling networks in {south} over control of the"
        " route north to {place}.",
        "Residents of {coast} said on {dm} that departures had resumed at night from beaches east"
        " of the town.",
    ],
}

FOLLOW_UPS = [
    "No group has claimed the attack.",
    "Casualty figures were not released.",
    'A spokesman described the operation as "a decisive blow against the terrorists".',
    "The claim could not be independently verified.",
    "This was the {ordinal} such incident in the area since {month_before}.",
    "Residents said the road had been closed for most of the day.",
    "The LNA's media office published photographs that it said showed the damage.",
    "It's the first time fighting has been reported this far {dir} since {month_before}.",
]
POLITICAL_FOLLOW_UPS = [
    "Officials in {place2} said they had not been consulted.",
    "The LNA has not commented.",
    'A GNA spokesman called the move "a step towards unity".',
    "Critics in {place2} described it as a bid to buy loyalty before the summer.",
    "It's the {ordinal} announcement of its kind since {month_before}.",
]

HEADLINES = [
    "LNA Presses on {bgz} as IS Regroups South of Sirte",
    "IS Cells Resurface Near {south}",
    "Fighting Resumes in {derna_area}",
    "Oil Crescent Under Pressure Again",
    "HoR Fails Again to Vote on the GNA",
    "Airstrikes Intensify Around {bgz}",
    "Kidnappings Rise on the Roads Around {place}",
    "Derna's Shura Council Holds the Line",
    "Al-Bunyan al-Marsus Advances in Sirte",
    "Tribal Talks Stall Over the Oil Terminals",
    "Drone Strikes Hit IS Hideouts Near {south}",
    "Misrata Brigades Dig In Around {sirte_area}",
    "Shura Council Shells LNA Lines in {bgz}",
    "Migrant Boats Leave {coast} Again",
    "Power Cuts and Protests in {place}",
    "Kidnapping Wave on the Southern Roads",
    "Salaries Dispute Closes {oil}",
    "LNA Claims Gains in {bgz}",
]

LONGFORM_TITLES = [
    "Why the Islamic State's Defeat in Sirte Will Not End Its Libyan Project",
    "The Southern Corridor: How {south} Became a Jihadist Hinterland",
    "After Ganfouda: What Comes Next for Benghazi's Jihadists",
    "Misrata, al-Bunyan al-Marsus and the Politics of Victory",
    "Derna's Mujahedeen Between the LNA and the Islamic State",
    "Oil, Salaries and Guns: The Economy of Libya's Militias",
    "The Smuggling Economy of {coast}",
    "Counter-Terrorism Without a State: Drone Strikes in {place}",
]
LONGFORM_HEADINGS = ["Background", "The Southern Corridor", "Local Politics", "What Comes Next"]

ANALYSIS = [
    "The fall of Sirte has not ended the Islamic State's ambitions in Libya; it has changed"
    " their shape.",
    "Fighters who escaped the city have dispersed into the desert south of {place}, where the"
    " group's logistics networks predate its territorial control.",
    "For the LNA, the campaign in Benghazi has been as much about political legitimacy as about"
    " territory.",
    "Misrata's role in al-Bunyan al-Marsus gave the city's brigades a claim on national"
    " leadership that Tobruk is unlikely to accept.",
    "The Derna Mujahedeen Shura Council presents a different problem: a jihadist coalition that"
    " fought IS, and so enjoys a measure of local support.",
    "Western governments have so far preferred counter-terrorism strikes to the slower work of"
    " building a unified security structure.",
    "The south remains the least understood part of the country, and the most important for the"
    " group's survival.",
    "Any settlement that ignores the tribal balance in {place} will not hold for long.",
    "Salaries paid from Tripoli to units loyal to rival governments keep the war affordable for"
    " everyone except the state.",
    "The {tribe} have hedged their bets, sending sons to both camps and waiting to see which side"
    " can pay.",
    "Smuggling routes through {south} have been busier since {month_before}, and the militias"
    " that tax them have grown richer.",
    "IS has learned from Sirte that holding a city invites a siege it cannot win.",
    "The group's remaining cells are small, mobile and, for now, patient.",
    "Analysts in {abroad} have tended to read every lull as a defeat and every attack as a"
    " resurgence; both readings are too simple.",
    "The oil terminals at {oil} matter less for the revenue they produce than for the leverage"
    " they give whoever guards them.",
    "Local councils in {place} and {place2} have negotiated their own truces, often without"
    " telling either government.",
    "Without a national army, every victory on the battlefield becomes a new argument about who"
    " controls the victors.",
    "In Benghazi the war has hardened identities, and families from {place} are still treated"
    " with suspicion at LNA checkpoints.",
    "The GNA's Ministry of Defence exists largely on paper outside Tripoli.",
    "Recruitment has shifted from foreign fighters to young men from {south} who are paid in"
    " cash and promised a share of smuggling income.",
]

ARABIC_NAMES = {"Derna": "درنة", "Sirte": "سرت", "Benghazi": "بنغازي", "Misrata": "مصراتة"}

COMMENT_AUTHORS = ["Ahmed B.", "Sarah K", "libyawatcher", "M. Ferrari", "Tarek", "J. Holloway"]
COMMENTS = [
    "Excellent summary as always. Any news on the situation in Kufra?",
    "Thanks for this. The reports from Derna this week are very worrying.",
    "Is there any confirmation of the strikes near Sirte? Local pages say otherwise.",
    "I would add that the road from Ajdabiya to Brega was closed on Friday as well.",
    "My family in Sebha says the power cuts are the bigger story this week.",
    "Where do you get the casualty figures for Ganfouda? They seem high.",
    "Very useful. Please keep covering the south, nobody else does.",
    "The Misrata brigades will never accept this, mark my words.",
]
