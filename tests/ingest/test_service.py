"""The ingest entry point: near-duplicate wire copies join one story, across restarts."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.ingest.service import Ingestor
from bot.models import ArticleDraft
from storage.sqlite_store import SqliteStore

WIRE = (
    "Firefighters contained a wildfire near the town of Greenfield on Tuesday after it "
    "burned more than 2,000 acres of forest, the state forestry agency said. About 300 "
    "residents who were evacuated on Sunday were allowed to return home, officials said, "
    "and no injuries were reported. Investigators are still looking into the cause of "
    "the fire, which started near a campground on Saturday afternoon."
)


def _copy(outlet: str, extra: str = "") -> ArticleDraft:
    return ArticleDraft(
        title=f"Wildfire contained ({outlet})",
        text=WIRE + extra,
        published=datetime(2024, 8, 14, tzinfo=UTC),
        source=outlet,
        url=f"https://{outlet.lower()}.example/wildfire",
    )


def _story(store: SqliteStore, article_id: int) -> int:
    return store.article(article_id)["story_id"]


def test_two_outlets_carrying_one_wire_story_share_a_story(tmp_path):
    store = SqliteStore(tmp_path / "news.db")
    ingestor = Ingestor(store, "en_core_web_sm")
    (first,) = ingestor.store_drafts([_copy("Ledger")]).added
    (second,) = ingestor.store_drafts([_copy("Courier", " Local roads reopened.")]).added
    assert first != second
    assert _story(store, first) == _story(store, second)


def test_a_different_story_gets_a_story_of_its_own(tmp_path):
    store = SqliteStore(tmp_path / "news.db")
    ingestor = Ingestor(store, "en_core_web_sm")
    (first,) = ingestor.store_drafts([_copy("Ledger")]).added
    other = ArticleDraft(
        title="Council approves budget",
        text="The city council approved a new budget on Monday that raises "
        "spending on schools and parks, the mayor said.",
        source="Ledger",
        url="https://ledger.example/budget",
    )
    (second,) = ingestor.store_drafts([other]).added
    assert _story(store, first) != _story(store, second)


def test_a_copy_arriving_after_a_restart_still_joins_its_story(tmp_path):
    path = tmp_path / "news.db"
    store = SqliteStore(path)
    (first,) = Ingestor(store, "en_core_web_sm").store_drafts([_copy("Ledger")]).added
    store.close()
    reopened = SqliteStore(path)
    (second,) = Ingestor(reopened, "en_core_web_sm").store_drafts([_copy("Courier")]).added
    assert _story(reopened, first) == _story(reopened, second)
