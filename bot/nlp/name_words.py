"""Word lists that name matching shares with the people extractor: roles, honorifics, particles."""

from __future__ import annotations


def word_set(text: str) -> frozenset[str]:
    """The words of a space-separated list."""
    return frozenset(text.split())


# Words that head a role or title ("President", "governor", "striker"). Lower case; a
# role phrase must contain one of these or be a noun the parser attached to the name.
ROLE_WORDS = word_set(
    """
    president vice-president premier chancellor minister prime secretary governor mayor
    senator sen rep representative congressman congresswoman congressmember lawmaker
    legislator deputy speaker leader chairman chairwoman chair chairperson chief ceo cfo coo
    cto founder co-founder director head commissioner ambassador envoy diplomat consul
    spokesman spokeswoman spokesperson adviser advisor aide official officer general admiral
    colonel major captain lieutenant sergeant commander marshal king queen prince princess
    emperor empress monarch pope cardinal bishop archbishop rabbi imam pastor reverend
    judge justice attorney prosecutor lawyer counsel sheriff inspector detective
    nominee candidate contender challenger incumbent strategist pollster analyst economist
    professor scientist researcher doctor dr editor correspondent reporter journalist
    columnist writer author anchor host commentator producer presenter actor actress
    singer rapper musician artist director coach manager striker midfielder defender
    goalkeeper forward quarterback pitcher player captain champion athlete driver boxer
    golfer cyclist swimmer sprinter runner skier batsman bowler winger
    owner investor billionaire businessman businesswoman entrepreneur executive banker
    president-elect dictator ruler strongman sister brother father mother son daughter wife
    husband widow uncle aunt cousin grandson granddaughter grandfather grandmother nephew
    niece spouse partner successor predecessor colleague friend rival ally opponent
    fellow mate lady laureate winner
    representative delegate negotiator emissary mediator architect engineer
    superintendent administrator treasurer comptroller auditor regulator trustee
    councillor councilor councilman councilwoman alderman whip majority minority
    dean provost principal teacher student activist campaigner organizer organiser
    surgeon physician nurse pilot astronaut veteran soldier officer moderator panelist
    """
)

# Honorifics carry no role of their own.
# Titles of those who reign: "King Hussein" is not the "Saddam Hussein" of the same article.
REIGNING_TITLES = word_set("king queen prince princess emperor empress sultan emir sheikh pope")

HONORIFICS = word_set("mr mrs ms miss mme mister madam sir dame comrade")

# Lower-case particles allowed inside personal names ("Ludwig van Beethoven").
NAME_PARTICLES = word_set("de da del della der den di du la le van von ten ter bin bint al el ibn")

# Words between the capitals of an expanded acronym ("Committee for the ... of the Country").
ACRONYM_FILLERS = word_set("of for the and on in at to de")
