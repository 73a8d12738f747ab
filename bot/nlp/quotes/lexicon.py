"""Word lists for quotation attribution: speech verbs, pronouns, titles and role nouns."""

from __future__ import annotations


def _words(text: str) -> list[str]:
    return text.split()


# Lemmas of verbs that introduce what someone said or wrote.
SPEECH_VERBS = frozenset(
    _words(
        """
        say tell add write ask answer reply respond note explain continue insist argue declare state
        claim report tweet post recall warn describe call announce acknowledge admit agree assert
        boast charge comment complain concede confirm contend counter cry demand deny emphasize
        emphasise exclaim joke lament maintain muse mutter observe predict proclaim promise quip
        read remark repeat retort reveal say scream shout sing stress suggest testify urge vow
        whisper yell chant pledge allege blast slam praise mock accuse criticize criticise dismiss
        quote cite caution begin interject grumble recount opine reason reiterate affirm tout brag
        exhort thunder snap fire hit decry label dub term brand write reason
        """
    )
)
# Verbs that are speech only in some uses ("called it X" is, "called for" is not); they need a
# quotation right after them or a person subject to count.
WEAK_SPEECH_VERBS = frozenset(
    {
        "call",
        "describe",
        "label",
        "dub",
        "term",
        "brand",
        "hit",
        "fire",
        "read",
        "begin",
        "continue",
    }
)

# Verbs of stance: a speaker characterises something in their own words, so even a one- or
# two-word quotation they govern ("blamed Washington's "unilateral" attitude") is a quotation of
# the clause's subject. Bare scare quotes, governed by no such verb, stay out.
STANCE_VERBS = frozenset(
    _words(
        """
        blame accuse call describe urge dismiss praise warn vow promise insist deny criticize
        criticise condemn denounce reject welcome hail slam blast decry label dub term brand
        applaud commend attack question deride ridicule lambast lambaste castigate chide rebuke
        scold mock fault complain lament bemoan pledge threaten demand challenge defend tout
        characterize characterise portray cite caution credit thank congratulate fear
        """
    )
)
# Head nouns of an organisation's name or description ("the ministry", "Clinton's campaign"):
# such a subject speaks for the organisation, and "it" or "they" can stand for it.
ORG_NOUNS = frozenset(
    _words(
        """
        ministry government administration campaign committee council department agency office
        company corporation firm bank party commission court union association federation league
        board authority authorities police army military navy force forces group organization
        organisation institute foundation network newspaper paper magazine outlet channel station
        embassy parliament congress senate assembly cabinet kremlin service bureau team club
        university school hospital coalition alliance movement side delegation regime secretariat
        watchdog regulator
        """
    )
)
# Plural nouns for groups of people that "they" can stand for ("officials said").
GROUP_NOUNS = frozenset(
    _words(
        """
        officials members leaders lawmakers diplomats experts analysts aides advisers advisors
        protesters activists residents voters supporters critics democrats republicans organizers
        organisers investigators prosecutors authorities police officers workers employees
        executives researchers scientists economists observers witnesses people parents students
        negotiators delegates ministers spokesmen representatives senators governors mayors
        """
    )
)

# Nouns for works and things with names ("her 2003 book, Living History,"): a name in
# apposition to one is a title, not a person.
WORK_NOUNS = frozenset(
    {"book", "memoir", "novel", "autobiography", "biography", "film", "movie", "documentary",
     "album", "song", "single", "show", "series", "play", "musical", "poem", "essay", "column",
     "podcast", "painting", "opera", "report", "bill", "law", "act", "ship", "yacht", "horse"}
)
MALE_PRONOUNS = frozenset({"he", "him", "his", "himself"})
FEMALE_PRONOUNS = frozenset({"she", "her", "hers", "herself"})
PERSON_PRONOUNS = MALE_PRONOUNS | FEMALE_PRONOUNS
MALE_TITLES = frozenset({"mr", "mr.", "sir", "lord", "king", "prince", "father", "brother"})
FEMALE_TITLES = frozenset(
    {
        "mrs",
        "mrs.",
        "ms",
        "ms.",
        "miss",
        "madam",
        "dame",
        "lady",
        "queen",
        "princess",
        "sister",
        "mother",
    }
)

# Abbreviated titles and what role noun they stand for ("Sen. X" is "the senator").
TITLE_ROLES = {
    "sen.": "senator",
    "sen": "senator",
    "rep.": "representative",
    "rep": "representative",
    "gov.": "governor",
    "gov": "governor",
    "pres.": "president",
    "gen.": "general",
    "sec.": "secretary",
    "lt.": "lieutenant",
    "col.": "colonel",
    "adm.": "admiral",
    "dr.": "doctor",
    "prof.": "professor",
    "rev.": "reverend",
    "atty.": "attorney",
    "supt.": "superintendent",
    "cmdr.": "commander",
    "sgt.": "sergeant",
    "capt.": "captain",
}
# Role nouns with the same meaning, so "the congressman" finds "Rep. X".
ROLE_SYNONYMS = {
    "congressman": "representative",
    "congresswoman": "representative",
    "lawmaker": "representative",
    "spokeswoman": "spokesman",
    "spokesperson": "spokesman",
    "chairwoman": "chairman",
    "chair": "chairman",
    "chief": "leader",
    "premier": "minister",
    "candidate": "nominee",
}
# Head nouns of descriptions that refer to a person ("the senator"), not a thing.
PERSON_NOUNS = frozenset(
    _words(
        """
        president leader minister secretary senator representative governor mayor spokesman chairman
        director nominee candidate official adviser advisor aide ambassador envoy general commander
        king queen prince chancellor premier diplomat lawyer attorney judge justice strategist
        manager pollster economist analyst professor doctor businessman businesswoman billionaire
        mogul founder executive ceo chief officer head member lawmaker congressman congresswoman
        politician activist expert author writer journalist reporter anchor host columnist editor
        critic veteran father mother wife husband son daughter sister brother chairwoman spokeswoman
        spokesperson owner actor actress singer star player coach democrat republican incumbent
        challenger running mate vice sheriff chief commissioner prosecutor investigator agent
        publisher narrator woman man voter supporter friend
        striker defender midfielder goalkeeper forward quarterback pitcher batter bowler captain
        skipper teammate trainer driver rider champion athlete jockey cyclist boxer runner
        detective inspector constable sergeant lieutenant colonel firefighter nurse surgeon
        physician scientist researcher engineer teacher principal bishop priest imam rabbi pastor
        councillor councilman councilwoman alderman treasurer economist banker investor trader
        """
    )
)
# Lower-case words that may stand inside a role phrase ("White House press secretary").
ROLE_FILLERS = frozenset(
    {"of", "state", "vice", "former", "deputy", "acting", "senior", "top", "chief", "press"}
)
# Role words that tell a person's gender ("spokeswoman Jane Doe").
FEMALE_ROLE_WORDS = frozenset(
    {
        "spokeswoman",
        "congresswoman",
        "chairwoman",
        "businesswoman",
        "actress",
        "mother",
        "wife",
        "daughter",
        "sister",
        "queen",
        "princess",
        "woman",
        "girl",
        "grandmother",
        "mrs.",
        "ms.",
    }
)
MALE_ROLE_WORDS = frozenset(
    {
        "spokesman",
        "congressman",
        "businessman",
        "actor",
        "father",
        "husband",
        "son",
        "brother",
        "king",
        "prince",
        "man",
        "boy",
        "grandfather",
        "mr.",
    }
)
# Common English given names, for the cheapest gender clue there is.
MALE_FIRST_NAMES = frozenset(
    _words(
        """
        james john robert michael william david richard joseph thomas charles christopher daniel
        matthew anthony mark donald steven paul andrew joshua kenneth kevin brian george timothy
        ronald edward jason jeffrey ryan jacob gary nicholas eric jonathan stephen larry justin
        scott brandon benjamin samuel gregory alexander frank patrick raymond jack dennis jerry
        tyler aaron jose adam nathan henry douglas zachary peter kyle ethan walter noah jeremy
        christian keith roger terry gerald harold sean austin carl arthur lawrence dylan jesse
        jordan bryan billy joe bruce gabriel logan albert willie alan juan wayne elijah randy roy
        vincent ralph eugene russell bobby mason philip louis harry howard fred mike bill jim tom
        bob dan tim ted chris mitch newt bernie rudy marco rand ben al barack vladimir boris
        emmanuel xi shinzo francis hugh ivan igor sergei dmitry ahmed mohammed muhammad ali omar
        craig todd shawn marcus luis carlos antonio manuel victor martin curtis glenn tony
        """
    )
)
FEMALE_FIRST_NAMES = frozenset(
    _words(
        """
        mary patricia jennifer linda elizabeth barbara susan jessica sarah karen lisa nancy betty
        margaret sandra ashley kimberly emily donna michelle carol amanda dorothy melissa deborah
        stephanie rebecca sharon laura cynthia kathleen amy angela shirley anna brenda pamela emma
        nicole helen samantha katherine christine debra rachel carolyn janet catherine maria heather
        diane ruth julie olivia joyce virginia victoria kelly lauren christina joan evelyn judith
        megan andrea cheryl hannah jacqueline martha gloria teresa ann sara madison frances kathryn
        janice jean abigail alice judy sophia grace denise amber doris marilyn danielle beverly
        isabella theresa diana natalie brittany charlotte marie kayla alexis lori hillary michelle
        melania ivanka chelsea nikki elizabeth kellyanne hope huma loretta theresa angela marine
        hilary nancy susana jill tulsi kamala sonia ruth elena ellen
        melanie tiffany crystal vanessa monica erica jasmine allison rose kristen
        tina wendy valerie carla claire claudia irene paula sylvia yvonne
        """
    )
)
