"""Word lists for quotation attribution: speech verbs, pronouns, titles and role nouns."""

from __future__ import annotations

# Lemmas of verbs that introduce what someone said or wrote.
SPEECH_VERBS = frozenset(
    """
    say tell add write ask answer reply respond note explain continue insist argue declare state
    claim report tweet post recall warn describe call announce acknowledge admit agree assert
    boast charge comment complain concede confirm contend counter cry demand deny emphasize
    emphasise exclaim joke lament maintain muse mutter observe predict proclaim promise quip read
    remark repeat retort reveal say scream shout sing stress suggest testify urge vow whisper yell
    chant pledge allege blast slam praise mock accuse criticize criticise dismiss quote cite
    caution begin interject grumble recount opine reason reiterate affirm tout
    brag thunder snap fire hit decry label dub term brand write reason
    """.split()
)
# Verbs that are speech only in some uses ("called it X" is, "called for" is not); they need a
# quotation right after them or a person subject to count.
WEAK_SPEECH_VERBS = frozenset({"call", "describe", "label", "dub", "term", "brand", "hit", "fire",
                               "read", "begin", "continue"})

MALE_PRONOUNS = frozenset({"he", "him", "his", "himself"})
FEMALE_PRONOUNS = frozenset({"she", "her", "hers", "herself"})
PERSON_PRONOUNS = MALE_PRONOUNS | FEMALE_PRONOUNS
MALE_TITLES = frozenset({"mr", "mr.", "sir", "lord", "king", "prince", "father", "brother"})
FEMALE_TITLES = frozenset({"mrs", "mrs.", "ms", "ms.", "miss", "madam", "dame", "lady", "queen",
                           "princess", "sister", "mother"})

# Abbreviated titles and what role noun they stand for ("Sen. X" is "the senator").
TITLE_ROLES = {
    "sen.": "senator", "sen": "senator", "rep.": "representative", "rep": "representative",
    "gov.": "governor", "gov": "governor", "pres.": "president", "gen.": "general",
    "sec.": "secretary", "lt.": "lieutenant", "col.": "colonel", "adm.": "admiral",
    "dr.": "doctor", "prof.": "professor", "rev.": "reverend", "atty.": "attorney",
    "supt.": "superintendent", "cmdr.": "commander", "sgt.": "sergeant", "capt.": "captain",
}
# Role nouns with the same meaning, so "the congressman" finds "Rep. X".
ROLE_SYNONYMS = {
    "congressman": "representative", "congresswoman": "representative",
    "lawmaker": "representative", "spokeswoman": "spokesman", "spokesperson": "spokesman",
    "chairwoman": "chairman", "chair": "chairman", "chief": "leader", "premier": "minister",
    "candidate": "nominee",
}
# Head nouns of descriptions that refer to a person ("the senator"), not a thing.
PERSON_NOUNS = frozenset(
    """
    president leader minister secretary senator representative governor mayor spokesman
    chairman director nominee candidate official adviser advisor aide ambassador envoy general
    commander king queen prince chancellor premier diplomat lawyer attorney judge justice
    strategist manager pollster economist analyst professor doctor businessman businesswoman
    billionaire mogul founder executive ceo chief officer head member lawmaker congressman
    congresswoman politician activist expert author writer journalist reporter anchor host
    columnist editor critic veteran father mother wife husband son daughter sister brother
    chairwoman spokeswoman spokesperson owner actor actress singer star player coach
    democrat republican incumbent challenger running mate vice sheriff chief commissioner
    prosecutor investigator agent publisher narrator woman man voter supporter friend
    """.split()
)
# Lower-case words that may stand inside a role phrase ("White House press secretary").
ROLE_FILLERS = frozenset({"of", "the", "for", "and", "'s", "’s", "state", "vice", "former",
                          "deputy", "acting", "senior", "top", "chief", "press"})
