"""One canonical person only on evidence; an admin merges and splits people."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.app import Newsdesk
from bot.config import Settings, StorageSettings
from bot.models import ArticleDraft, PersonMention, StoredPerson
from bot.people_rules import admissible, middles_conflict, roles_conflict


def _draft(n: int, title: str, text: str) -> ArticleDraft:
    return ArticleDraft(title=title, source=f"Outlet {n}", url=f"https://o{n}.example/{n}",
                        published=datetime(1990, 8, n, tzinfo=UTC), text=text)


IRAQ = _draft(1, "Iraq masses troops on the border", (
    "Iraqi President Saddam Hussein ordered more troops to the Kuwaiti border on Tuesday, "
    "diplomats in Baghdad said.\nSaddam Hussein has ignored every appeal from the Arab "
    "League.\nThe United Nations Security Council will meet again on Friday.\n"))
JORDAN = _draft(2, "Jordan's king flies to Washington for talks", (
    "King Hussein of Jordan flew to Washington on Wednesday for talks at the White House, "
    "officials in Amman said.\nKing Hussein has tried for weeks to mediate between Baghdad "
    "and the Gulf states.\nThe king will meet members of Congress on Thursday.\n"))
BARE = _draft(3, "Fishing quotas cut again in the North Sea", (
    "The European Commission cut fishing quotas in the North Sea for the third year.\n"
    "Hussein, a trawler captain in Grimsby, said the cut would close his business by spring.\n"
    "Fishermen plan to protest in Brussels next month.\n"))


@pytest.fixture
def bot(tmp_path) -> Newsdesk:
    bot = Newsdesk(Settings(storage=StorageSettings(path=str(tmp_path / "news.db"))))
    assert len(bot.ingestor.store_drafts([IRAQ, JORDAN, BARE]).added) == 3
    yield bot
    bot.close()


async def _people(bot: Newsdesk) -> dict[str, dict]:
    return {p["name"]: p for p in (await bot.ask("/who")).data if p["kind"] == "person"}


async def test_a_shared_surname_or_title_does_not_make_one_person(bot):
    people = await _people(bot)
    husseins = [p for name, p in people.items() if "Hussein" in name]
    assert len(husseins) >= 2, people.keys()
    saddam = people["Saddam Hussein"]
    assert all("King" not in a for a in saddam["aliases"]), saddam
    assert [s["url"] for s in saddam["sources"]] == [IRAQ.url]


async def test_an_admin_merges_two_entries_and_splits_a_spelling_off_again(bot):
    people = await _people(bot)
    other = next(name for name in people if "Hussein" in name and name != "Saddam Hussein"
                 and any(s["url"] == JORDAN.url for s in people[name]["sources"]))
    merged = await bot.ask(f"/person merge Saddam Hussein | {other}")
    assert "now part of Saddam Hussein" in merged.title
    card = (await bot.ask("/who Saddam Hussein")).data[0]
    assert {s["url"] for s in card["sources"]} >= {IRAQ.url, JORDAN.url}
    assert other not in await _people(bot)

    split = await bot.ask(f"/person split Saddam Hussein | {other}")
    assert "person of their own" in split.title, split.title
    people = await _people(bot)
    assert [s["url"] for s in people["Saddam Hussein"]["sources"]] == [IRAQ.url]
    assert any(s["url"] == JORDAN.url for s in people[other]["sources"])


@pytest.mark.parametrize("line, says", [
    ("/person merge Saddam Hussein", "separated by |"),
    ("/person merge Saddam Hussein | Nobody Here", "No person called 'Nobody Here'"),
    ("/person split Saddam Hussein | Saddam Hussein", "own name"),
    ("/person split Saddam Hussein | Jane Doe", "No article writes"),
    ("/person merge " + "x" * 300 + " | y", "separated by |"),
])
async def test_bad_merge_or_split_gets_one_sentence_and_changes_nothing(bot, line, says):
    before = await _people(bot)
    reply = await bot.ask(line)
    assert reply.error and says in reply.title and "went wrong" not in reply.title
    assert await _people(bot) == before


async def test_merge_and_split_are_for_admins(bot):
    reply = await bot.ask("/person merge Saddam Hussein | Hussein", is_admin=False)
    assert "admins only" in reply.title


# ------------------------------------------------------------ the evidence rules themselves



def _stored(id_: int, name: str, *aliases: str, role: str | None = None) -> StoredPerson:
    return StoredPerson(id_, name, "person", role, 10, (name, *aliases))


def test_a_bare_surname_joins_a_full_name_only_on_evidence():
    george_w = _stored(1, "George W. Bush", "Bush")
    jeb = _stored(2, "Jeb Bush", "Bush")
    bare = PersonMention("Bush", "person", role="President")
    both = [george_w, jeb]
    assert admissible(bare, both, in_story={2}, near={}) == [jeb], "the one of its story"
    assert admissible(bare, both, in_story=(), near={}) == [], "nobody of that name then"
    assert admissible(bare, both, in_story=(), near={1: 40, 2: 12}) == [], "two in the news"
    assert admissible(bare, both, in_story=(), near={1: 60, 2: 3}) == [george_w]
    unresolved = _stored(3, "Bush")
    assert admissible(bare, [*both, unresolved], in_story=(), near={}) == [unresolved]


def test_titles_and_middle_names_that_differ_are_different_people():
    assert roles_conflict("King", "President") and not roles_conflict("Senator", "President")
    assert middles_conflict("George H. W. Bush", "George W. Bush")
    assert not middles_conflict("Donald J. Trump", "Donald Trump")
    saddam = _stored(1, "Saddam Hussein", "Hussein", role="President")
    king = PersonMention("Hussein", "person", role="King")
    assert admissible(king, [saddam], in_story={1}, near={1: 50}) == []
    full = PersonMention("George W. Bush", "person")
    assert admissible(full, [_stored(4, "George H. W. Bush")], in_story=(), near={}) == []
