"""Answers over all of ../shared/dev in one store: corroboration is true, lines are readable.

Real news of many outlets and years (TimeBank, AQUAINT, PolNeAR dev) ingested once per session;
every multi-source entry must be said by each article it cites, whatever the rules behind it.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.app import Newsdesk
from bot.config import Settings, StorageSettings
from bot.corroborate import event_groups, quote_groups
from bot.nlp.name_words import word_set

ROOT = Path(__file__).resolve().parent.parent


def _dev_dir() -> Path | None:
    for candidate in (os.environ.get("NEWSDESK_DEV_DATA"), ROOT.parent / "shared" / "dev",
                      Path("/work/shared/dev")):
        if candidate and any(Path(candidate).glob("timex/*/articles/*.md")):
            return Path(candidate)
    return None


DEV = _dev_dir()
pytestmark = pytest.mark.skipif(
    DEV is None, reason="no dev data: set NEWSDESK_DEV_DATA or put it in ../shared/dev")

_NUMBER = re.compile(r"\d[\d,.]*\d|\d")
_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?")
# Written out here, not imported: the check must not share the rules it checks.
_FUNCTION = word_set("""a an the and or but of to in on at by for from with as is are was were
be been it its that this which who he she they his her their said says""")
_CONNECTIVES = word_set("""and but or nor so yet which who whom whose that when where while whereas
because although though if unless as then also plus however""")


def _numbers(text: str) -> set[str]:
    return {n.replace(",", "").rstrip(".") for n in _NUMBER.findall(text)}


def _content(text: str) -> set[str]:
    return {w.lower() for w in _WORD.findall(text) if w.lower() not in _FUNCTION and len(w) > 1}


def _says(article: str, line: str) -> bool:
    """The line's figures and at least 80% of its content words are in the article."""
    if not _numbers(line) <= _numbers(article):
        return False
    words = _content(line)
    return not words or len(words & _content(article)) / len(words) >= 0.8


def _flat(text: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"[\"“”‘’']", "'", text)).strip().lower()


@pytest.fixture(scope="session")
def dev_bot(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Newsdesk]:
    assert DEV is not None
    paths = sorted(DEV.glob("timex/*/articles/*.md")) + sorted(DEV.glob("quotes/*/DOC.md"))
    bot = Newsdesk(Settings(storage=StorageSettings(
        path=str(tmp_path_factory.mktemp("dev") / "dev.db"))))
    report = bot.ingestor.ingest_paths(paths, n_process=2)
    assert len(report.added) >= 0.95 * len(paths), report.failed[:5]
    bot.ingestor.close()
    yield bot
    bot.close()


def _texts(bot: Newsdesk) -> dict[int, str]:
    return {r[0]: r[1] for r in bot.store.db.execute("select id, text from articles")}


def _all_events(bot: Newsdesk) -> list[dict]:
    ids = [r[0] for r in bot.store.db.execute("select id from articles")]
    return bot.store.events_in(ids, limit=1_000_000)


def test_every_multi_source_timeline_entry_is_said_by_each_article_it_cites(dev_bot):
    texts = _texts(dev_bot)
    groups = event_groups(_all_events(dev_bot))
    multi = [g for g in groups if len(g["article_ids"]) > 1]
    false = [(g["text"], a) for g in multi for a in g["article_ids"]
             if not _says(texts[a], g["text"])]
    assert not false, f"{len(false)} citations of {len(multi)} entries: {false[:3]}"


async def test_when_answers_cite_only_articles_that_say_the_line(dev_bot):
    texts = _texts(dev_bot)
    stories = [r[0] for r in dev_bot.store.db.execute(
        "select story_id from articles group by story_id having count(*) > 1")]
    asked = 0
    for question in ["/when", "/when iraq", "/when trump", "/when clinton",
                     *(f"/when story:{s}" for s in stories)]:
        for entry in (await dev_bot.ask(question)).data:
            cited = [s["id"] for s in entry["sources"]]
            if len(cited) > 1:
                asked += 1
                assert all(_says(texts[a], entry["text"]) for a in cited), (question, entry)
    assert stories, "the dev data has stories of several articles"
    assert asked, "some answers cite several articles for one entry"


def test_every_quote_carried_by_several_outlets_is_in_each_verbatim(dev_bot):
    texts = {a: _flat(t) for a, t in _texts(dev_bot).items()}
    rows = dev_bot.store.quotes_in(None, limit=1_000_000)
    multi = [g for g in quote_groups(rows) if len(g["article_ids"]) > 1]
    false = [(g["text"], a) for g in multi for a in g["article_ids"]
             if _flat(g["text"]) not in texts[a]]
    assert not false, false[:3]


def test_no_timeline_line_is_a_fragment(dev_bot):
    lines = [e["text"] for e in _all_events(dev_bot)]
    assert len(lines) > 500
    short = [t for t in lines if len(t.split()) < 5]
    dangling = [t for t in lines
                if t.split()[0].lower().strip("\"“‘'(,") in _CONNECTIVES]
    assert not short and not dangling, (short[:5], dangling[:5])


def test_no_person_is_both_a_monarch_and_a_president(dev_bot):
    """King Hussein of Jordan and Iraq's President Saddam Hussein stay two people."""
    roles: dict[int, set[str]] = {}
    for person_id, role in dev_bot.store.db.execute(
            "select person_id, lower(role) from article_people where role is not null"):
        roles.setdefault(person_id, set()).add(role)
    both = [person_id for person_id, written in roles.items()
            if any(re.search(r"\b(king|queen)\b", r) for r in written)
            and any(re.search(r"\bpresident\b", r) for r in written)]
    assert not both, dev_bot.store.people_by_ids(both)[:3]


async def test_the_digest_of_a_large_first_load_reads_like_a_front_page(dev_bot):
    reply = await dev_bot.ask("/digest")
    stories = reply.data["stories"]
    assert len(stories) > 100
    outlets = [len(s["outlets"]) for s in stories]
    assert outlets == sorted(outlets, reverse=True), "the most carried stories first"
    titles = {s["title"] for s in stories}
    assert [i.text for i in reply.items if i.text in titles] == [s["title"] for s in stories[:5]]
    assert f"And {len(stories) - 5} more new stories" in reply.footer
    wire_id = re.compile(r"^[A-Za-z_]*\d[\w.-]*$")  # "APW19980807.0261", "wsj_0124"
    assert not [s["title"] for s in stories if wire_id.match(s["title"])]
    assert not [c.title for c in reply.citations if wire_id.match(c.title or "")]


@pytest.mark.parametrize("question", ["/when", "/quote", "/who"])
async def test_answers_without_a_topic_say_how_many_more_there_are(dev_bot, question):
    reply = await dev_bot.ask(question)
    assert len(reply.items) == 15
    assert re.search(r"\d+\+? more", reply.footer), reply.footer
