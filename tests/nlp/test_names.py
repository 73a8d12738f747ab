"""Cross-article identity: name keys, merging entries of several articles, /who look-ups."""

from __future__ import annotations

from bot.models import PersonMention
from bot.nlp.names import merge_entities, name_key, resolve_name, same_entity


def person(name: str, *aliases: str, role: str | None = None, count: int = 1) -> PersonMention:
    return PersonMention(name, "person", aliases, role, tuple((i, i + 1) for i in range(count)))


def org(name: str, *aliases: str) -> PersonMention:
    return PersonMention(name, "org", aliases, None, ((0, 1),))


def test_spelling_variants_share_a_key():
    assert name_key("Kim Jong-un") == name_key("Kim Jong Un") == name_key("KIM JONG UN")
    assert name_key("José Martí") == name_key("Jose Marti")
    assert name_key("Mr. Putin's") == name_key("Putin")


def test_different_people_with_one_surname_have_different_keys():
    assert name_key("Kim Jong-un") != name_key("Kim Jong-il")


def test_two_full_names_sharing_a_surname_are_never_the_same_person():
    assert not same_entity(person("Bill Clinton"), person("Hillary Clinton"))
    assert not same_entity(person("Kim Jong-un", "Kim"), person("Kim Jong-il", "Kim"))


def test_middle_initial_is_the_same_person():
    assert same_entity(person("Donald J. Trump"), person("Donald Trump"))


def test_person_and_organisation_never_merge():
    assert not same_entity(person("Ford"), org("Ford"))


def test_variants_across_articles_merge_with_one_canonical_name_and_all_aliases():
    merged = merge_entities(
        [
            person("Xi Jinping", "Xi", role="President", count=4),
            person("Xi Jin-ping", "Xi", role="Chinese President", count=2),
            person("Xi Jinping", count=1),
        ]
    )
    assert len(merged) == 1
    xi = merged[0]
    assert xi.name == "Xi Jinping"
    assert set(xi.aliases) == {"Xi", "Xi Jin-ping"}
    assert xi.role == "Chinese President"
    assert len(xi.mentions) == 7


def test_canonical_name_does_not_depend_on_article_order():
    a = person("Kim Jong-un", "Kim", count=3)
    b = person("Kim Jong Un", "Kim", count=3)
    assert merge_entities([a, b])[0].name == merge_entities([b, a])[0].name


def test_surname_only_entry_joins_the_one_full_named_person():
    merged = merge_entities([person("Olaf Scholz", count=2), person("Scholz", count=5)])
    assert [e.name for e in merged] == ["Olaf Scholz"]
    assert len(merged[0].mentions) == 7


def test_surname_matching_two_full_names_stays_apart():
    merged = merge_entities(
        [person("Serena Williams"), person("Venus Williams"), person("Williams", count=3)]
    )
    assert sorted(e.name for e in merged) == ["Serena Williams", "Venus Williams", "Williams"]


def test_acronym_fitting_two_organisations_stays_apart():
    merged = merge_entities(
        [org("International Monetary Fund"), org("IMF"), org("Imperial Mining Federation")]
    )
    assert sorted(e.name for e in merged) == [
        "IMF",
        "Imperial Mining Federation",
        "International Monetary Fund",
    ]  # "IMF" could be either: it is kept apart rather than guessed


def test_acronym_entry_merges_with_the_one_organisation_it_spells():
    merged = merge_entities([org("International Monetary Fund"), org("IMF")])
    assert len(merged) == 1
    fund = next(e for e in merged if e.name == "International Monetary Fund")
    assert "IMF" in fund.aliases


def test_long_names_with_the_same_initials_stay_apart():
    merged = merge_entities([org("World Health Organization"), org("Western Hockey Organization")])
    assert len(merged) == 2


def test_resolve_name_finds_a_person_by_lower_case_surname():
    entries = [
        person("Vladimir Putin", "Putin", count=9),
        person("Dmitry Medvedev", count=2),
        org("Kremlin Press Service"),
    ]
    found = resolve_name("putin", entries)
    assert found is not None and found.name == "Vladimir Putin"


def test_resolve_name_matches_any_spelling_and_acronyms():
    entries = [person("Kim Jong-un", "Kim", count=9), org("Korean Central News Agency")]
    assert resolve_name("kim jong un", entries).name == "Kim Jong-un"  # type: ignore[union-attr]
    assert resolve_name("KCNA", entries).name == "Korean Central News Agency"  # type: ignore[union-attr]


def test_resolve_name_returns_none_for_nobody():
    assert resolve_name("zelensky", [person("Vladimir Putin")]) is None
    assert resolve_name("  ", [person("Vladimir Putin")]) is None
