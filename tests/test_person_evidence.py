"""A bare surname finds the full-name person of its story from bounded reads of the store."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

import storage.sqlite_store
from bot.app import Newsdesk
from bot.config import Settings, StorageSettings
from bot.models import ArticleDraft
from tests.test_stories import BRIDGE_A

ODILE_ELSEWHERE = [
    "Transport minister Odile Farrant opened the new tram depot in Calder on Monday and said "
    "twelve trams would run there by the summer.",
    "Odile Farrant, the transport minister, told a fishing conference in Port Ellis that "
    "harbour dues would stay frozen for two more years.",
]
MARC_ELSEWHERE = [
    "Marc Farrant, the Rovers goalkeeper, saved two penalties as his side beat Ashby 1-0 in "
    "the cup on Saturday.",
    "The novelist Marc Farrant won the Hallam prize for his third book, a family saga set in "
    "the salt marshes of the east coast.",
]
# A later report of the bridge story that names nobody.
BRIDGE_DETOUR = (
    "Buses detoured through Wexley on Thursday while the Old Mill bridge in Larkford stayed "
    "closed, and divers went back down to measure the cracks in its stone piers."
)
# A wire copy of the first report (so it joins the story as it is stored) that names the
# minister by her surname alone.
BRIDGE_BARE = BRIDGE_A.replace("Transport minister Odile Farrant said", "Ms Farrant said")


def _draft(n: int, text: str) -> ArticleDraft:
    return ArticleDraft(title=" ".join(text.split()[:7]), text=text, source=f"Outlet {n}",
                        url=f"https://outlet{n}.example/{n}",
                        published=datetime(2031, 5, 7 + n % 3, tzinfo=UTC))


@pytest.fixture
def bot(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Newsdesk]:
    # One article of each side is read: both sides must be looked at to find the person.
    monkeypatch.setattr(storage.sqlite_store, "EVIDENCE_ARTICLES", 1)
    desk = Newsdesk(Settings(storage=StorageSettings(path=str(tmp_path / "news.db"))))
    yield desk
    desk.close()


def _ingest(bot: Newsdesk, *texts: str) -> list[int]:
    start = bot.store.count_articles()
    return bot.ingestor.store_drafts([_draft(start + i, t) for i, t in enumerate(texts)]).added


def _people_of(bot: Newsdesk, article_id: int) -> list[str]:
    return [p.name for p in bot.store.people_in([article_id])]


def _story(bot: Newsdesk, article_id: int) -> int:
    return int(bot.store.article(article_id)["story_id"])


def test_the_story_names_her_though_her_latest_article_is_elsewhere(bot: Newsdesk) -> None:
    [first] = _ingest(bot, BRIDGE_A)
    _ingest(bot, *ODILE_ELSEWHERE, *MARC_ELSEWHERE)  # her latest articles: other stories
    [bare] = _ingest(bot, BRIDGE_BARE)
    assert _story(bot, bare) == _story(bot, first)
    assert "Odile Farrant" in _people_of(bot, bare), _people_of(bot, bare)


def test_her_latest_article_is_in_the_story_though_its_latest_is_not(bot: Newsdesk) -> None:
    _ingest(bot, *ODILE_ELSEWHERE, *MARC_ELSEWHERE)
    [first] = _ingest(bot, BRIDGE_A)
    [detour] = _ingest(bot, BRIDGE_DETOUR)  # the story's latest article names nobody
    [bare] = _ingest(bot, BRIDGE_BARE)
    assert _story(bot, bare) == _story(bot, detour) == _story(bot, first)
    assert "Odile Farrant" in _people_of(bot, bare), _people_of(bot, bare)
