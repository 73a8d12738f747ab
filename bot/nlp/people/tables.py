"""Word lists behind people and organisation extraction: titles, agencies, places, non-names."""

from __future__ import annotations

from bot.nlp.name_words import word_set

# Titles that are stripped from the front of a name and kept as its role.
TITLE_PREFIXES = word_set(
    """
    president vice premier chancellor minister secretary governor gov mayor senator sen
    rep representative congressman congresswoman speaker leader chairman chairwoman
    chief director ambassador envoy general gen admiral adm colonel col major maj captain
    capt lieutenant lt sergeant sgt commander cmdr marshal king queen prince princess
    emperor pope cardinal bishop archbishop rabbi imam pastor reverend rev judge justice
    attorney sheriff inspector detective professor prof dr doctor mr mrs ms miss mme sir
    dame lord lady coach chancellor premier comrade
    """
)

# Well-known news agencies and wire services: organisations, never people.
NEWS_AGENCIES = word_set(
    """
    reuters afp ap upi xinhua tass interfax ria novosti sputnik kyodo jiji
    bloomberg ansa dpa pti ani irna ipa anadolu bernama antara pna aap cna nhk kuna
    wam spa mena bna qna petra sana ina apa ntb tt ctk pap mti bta hina tanjug
    """
) | frozenset(
    {
        "associated press",
        "agence france-presse",
        "agence france presse",
        "press trust of india",
        "asian news international",
        "ria novosti",
        "kyodo news",
        "xinhua news agency",
        "united press international",
        "deutsche presse-agentur",
        "anadolu agency",
        "tass news agency",
    }
)

# Capitals and large cities that the small model often tags as people.
CITIES = word_set(
    """
    washington london paris berlin moscow beijing tokyo
    delhi mumbai kabul tehran baghdad damascus beirut cairo riyadh doha dubai ankara
    istanbul athens rome madrid lisbon dublin brussels amsterdam vienna prague warsaw
    budapest bucharest sofia belgrade kyiv kiev minsk oslo stockholm helsinki copenhagen
    ottawa toronto montreal vancouver havana caracas bogota lima santiago brasilia
    mexico canberra sydney melbourne wellington jakarta manila bangkok
    singapore taipei shanghai islamabad karachi lahore dhaka
    kathmandu colombo nairobi lagos abuja johannesburg pretoria khartoum
    tripoli tunis algiers rabat jerusalem gaza amman sanaa muscat kuwait
    manama tbilisi yerevan baku astana tashkent bishkek dushanbe ulaanbaatar osaka
    chicago boston houston dallas miami atlanta seattle denver phoenix detroit
    philadelphia baltimore cleveland pittsburgh geneva zurich milan munich frankfurt
    hamburg barcelona marseille lyon edinburgh manchester liverpool birmingham
    sochi crimea brooklyn manhattan harlem
    """
) | frozenset({"buenos aires", "kuala lumpur", "hong kong", "addis ababa", "tel aviv", "new york"})

# Abbreviations of countries: places, never organisations or people ("ROK President Moon").
COUNTRY_ABBREVIATIONS = word_set(
    "us usa u.s. u.s.a. uk u.k. uae u.a.e. prc roc rok dprk drc ussr gb ksa frg gdr"
)

# Capitalised words the model tags as names that are page furniture or common nouns.
NOT_NAMES = word_set(
    """
    photo photos advertisement ad read more cover video watch share image images getty
    caption file breaking update editor note source sources related reporting
    subscribe click follow copyright story
    today yesterday tomorrow monday tuesday wednesday thursday friday saturday sunday
    god lord covid state
    """
)

# Words that end an organisation's name ("Green Party", "Press Association").
ORG_HEADS = word_set(
    """
    party committee agency ministry department council association union bank university
    college institute corporation corp inc ltd llc plc company co group commission court
    parliament assembly congress senate army navy force forces guard police service
    office bureau authority federation foundation fund organisation organization league
    club team network news times post journal tribune herald press television tv radio report
    school hospital board cabinet front movement coalition alliance administration
    united fc
    """
)

# Last words of newspapers and news sites ("Chicago Tribune", "Drudge Report"): the model
# sometimes takes the first word for a place and the whole for a building.
MEDIA_HEADS = word_set("tribune times post news journal herald press gazette report chronicle")

# Social platforms: names in a sentence ("posted on Twitter"), page furniture on a line alone.
PLATFORMS = word_set("twitter facebook instagram youtube tiktok")

# Common nouns after a one-word name that make the name an outlet or a company
# ("the Gannett newspaper chain", "the Acme website").
ORG_NOUNS = word_set(
    """
    newspaper newspapers paper magazine website site blog network channel station chain
    company firm corporation group brand outlet tabloid broadcaster publisher airline
    airlines bank store stores shares stock
    """
)

# What only a company has: "Acme's chief executive", "Acme's shares" (a person has a
# spokesman or an adviser too, so those do not count).
COMPANY_POSSESSIONS = word_set(
    "ceo cfo coo cto executive executives chairman chairwoman board shareholders shares "
    "stock employees workers subsidiary subsidiaries unit profit profits revenue earnings"
)

# Last words of company names: the first word alone is the same company ("Acme Tools Co.").
COMPANY_SUFFIXES = word_set("co corp inc ltd llc plc ag sa nv oy spa bv gmbh")

# Place words that end a name the model tags ORG ("Capitol Hill", "Pennsylvania Avenue").
ORG_PLACE_NOUNS = word_set("hill street avenue boulevard road square bridge")

# Words that make a parenthesised expansion a place, not an organisation.
PLACE_HEADS = word_set("republic kingdom states emirates federation islands")

# Nouns that describe someone without being a role ("a 22-year-old man").
NON_ROLE_HEADS = word_set(
    "man woman men women person people child children boy girl kid guy gentleman one "
    "resident residents citizen"
)

# Last words of buildings and places that the model tags as people ("Wembley Stadium").
PLACE_NOUNS = word_set(
    "stadium arena airport hotel museum bridge square street avenue palace cathedral "
    "church mosque temple station harbour harbor island islands mountains river lake"
)
