"""Schema additions for channel state (outbox retries), applied after the main migrations."""

from __future__ import annotations

from sqlite_utils import Database, Migrations

migrations = Migrations("newsdesk-channels")


@migrations()
def m001_outbox_retries(db: Database) -> None:
    # A failing platform must not be hammered, and a post that can never go out must stop
    # being retried at every start: both need to survive restarts, so they live in the row.
    db.table("outbox").add_column("next_attempt_at", str)
    db.table("outbox").add_column("gave_up_at", str)
    db.table("outbox").add_column("last_error", str)
    db.table("outbox").create_index(["edit_of"])
    db.table("alert_hits").create_index(["story_id"])


def migrate(db: Database) -> None:
    """Bring the channel tables up to date (the main schema must already be applied)."""
    migrations.apply(db)
