"""`--db` on what is not a newsdesk store: one clear sentence, and the file is never written."""

from __future__ import annotations

import os
import random
import sqlite3
from pathlib import Path

import pytest

from bot.cli import main
from storage.schema import APPLICATION_ID
from storage.sqlite_store import SqliteStore

DEMO = Path(__file__).resolve().parents[2] / "bot" / "demo_data"


def _copy(summit_db: Path, target: Path) -> Path:
    source, copy = sqlite3.connect(summit_db), sqlite3.connect(target)
    source.backup(copy)
    source.close()
    copy.close()
    return target


def _ask(capsys: pytest.CaptureFixture[str], db: str, line: str = "/who") -> tuple[int, str]:
    code = main(["ask", line, "--db", db])
    out = capsys.readouterr()
    return code, " ".join((out.out + out.err).split())  # rich wraps long lines


def _text_file(path: Path) -> Path:
    path.write_text("Shopping list: bread, milk, eggs.\n")
    return path


def _random_bytes(path: Path) -> Path:
    path.write_bytes(random.Random(7).randbytes(40_000))
    return path


def _truncated(path: Path, summit_db: Path) -> Path:
    data = _copy(summit_db, path).read_bytes()
    path.write_bytes(data[: len(data) // 3])
    return path


def _corrupted(path: Path, summit_db: Path) -> Path:
    data = bytearray(_copy(summit_db, path).read_bytes())
    page = int.from_bytes(data[16:18], "big")
    noise = random.Random(3).randbytes(len(data) - page)
    data[page:] = noise  # everything after the first page (the schema) is garbage
    path.write_bytes(bytes(data))
    return path


@pytest.mark.parametrize("make", ["text", "random", "truncated", "corrupted", "folder"])
def test_a_file_that_is_not_a_store_is_named_and_left_as_it_was(
    make: str, summit_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "thing.db"
    if make == "text":
        _text_file(path)
    elif make == "random":
        _random_bytes(path)
    elif make == "truncated":
        _truncated(path, summit_db)
    elif make == "corrupted":
        _corrupted(path, summit_db)
    else:
        path.mkdir()
    before = path.read_bytes() if path.is_file() else None
    code, said = _ask(capsys, str(path))
    assert code == 1
    assert f"{path} is not a newsdesk store" in said, said
    assert "went wrong" not in said and "Traceback" not in said
    if before is not None:
        assert path.read_bytes() == before
    assert not Path(f"{path}-wal").exists()


def test_dev_null_is_not_a_store(capsys: pytest.CaptureFixture[str]) -> None:
    code, said = _ask(capsys, "/dev/null")
    assert code == 1 and "/dev/null is not a newsdesk store (it is not a regular file)" in said


@pytest.mark.parametrize("has_articles", [False, True])
def test_another_programs_sqlite_file_is_never_written_to(
    has_articles: bool, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "other.sqlite"
    conn = sqlite3.connect(path)
    conn.execute("create table articles (id integer primary key, body text)")
    if not has_articles:
        conn.execute("alter table articles rename to notes")
    conn.execute("insert into %s (body) values ('mine')" % ("articles" if has_articles
                                                            else "notes"))
    conn.commit()
    conn.close()
    before = path.read_bytes()
    code, said = _ask(capsys, str(path))
    assert code == 1 and "is not a newsdesk store (an SQLite file of another program)" in said
    code, said = main(["ingest", str(DEMO), "--db", str(path)]), capsys.readouterr().err
    assert code == 1 and "is not a newsdesk store" in said
    assert path.read_bytes() == before


def test_a_file_marked_by_another_program_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "app.db"
    conn = sqlite3.connect(path)
    conn.execute("pragma application_id = 1234")
    conn.execute("create table t (x)")
    conn.commit()
    conn.close()
    code, said = _ask(capsys, str(path))
    assert code == 1 and "another program (application id 0x4d2)" in said


def test_a_store_of_the_previous_version_is_recognised_and_gets_the_marker(
    summit_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _copy(summit_db, tmp_path / "old.db")
    conn = sqlite3.connect(path)
    conn.execute("pragma application_id = 0")  # as the version before the marker made it
    conn.commit()
    conn.close()
    code, said = _ask(capsys, str(path))
    assert code == 0 and "Vladimir Putin" in said
    conn = sqlite3.connect(path)
    assert conn.execute("pragma application_id").fetchone()[0] == APPLICATION_ID
    conn.close()


def test_a_new_store_carries_the_marker(tmp_path: Path) -> None:
    store = SqliteStore(tmp_path / "new.db")
    store.close()
    conn = sqlite3.connect(tmp_path / "new.db")
    assert conn.execute("pragma application_id").fetchone()[0] == APPLICATION_ID
    conn.close()


def test_an_empty_file_becomes_a_store(tmp_path: Path) -> None:
    path = tmp_path / "touched.db"
    path.touch()
    SqliteStore(path).close()
    assert path.stat().st_size > 0


def test_a_missing_search_index_is_rebuilt(
    summit_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _copy(summit_db, tmp_path / "nofts.db")
    conn = sqlite3.connect(path)
    conn.execute("drop table articles_fts")
    conn.commit()
    conn.close()
    code, said = _ask(capsys, str(path), "/when vladivostok")
    assert code == 0 and "2019-04" in said, said
    story = tmp_path / "ferry.md"
    story.write_text("---\ntitle: Ferry line opens\npublished: 2031-03-02\n---\n"
                     "Harbor City opened a ferry line to Gull Island on Tuesday. Mayor Mara "
                     "Quinlan said the first boats would sail in June.\n")
    assert main(["ingest", str(story), "--db", str(path)]) == 0
    code, said = _ask(capsys, str(path), "/who ferry")
    assert code == 0 and "Mara Quinlan" in said


def _read_only(path: Path) -> str:
    return f"file:{path}?mode=ro"


def test_a_read_only_store_answers_and_refuses_writes_in_one_sentence(
    summit_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _copy(summit_db, tmp_path / "ro.db")
    before = path.read_bytes()
    code, said = _ask(capsys, _read_only(path))
    assert code == 0 and "Vladimir Putin" in said
    code, said = _ask(capsys, _read_only(path), "/alert add putin")
    assert code == 1 and "is read-only" in said and "went wrong" not in said
    story = tmp_path / "ferry.md"
    story.write_text("---\ntitle: Ferry\n---\nHarbor City opened a ferry line on Tuesday, "
                     "Mayor Mara Quinlan said.\n")
    assert main(["ingest", str(story), "--db", _read_only(path)]) == 1
    said = " ".join(capsys.readouterr().err.split())
    assert "is read-only" in said and "went wrong" not in said
    assert path.read_bytes() == before


def test_a_store_in_a_read_only_folder_still_answers(
    summit_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Tests run as root, for whom no folder is read-only: the one thing faked is the answer
    # to "may I write here?", so the store must be opened without its WAL files.
    path = _copy(summit_db, tmp_path / "shelf" / "ro.db") if (tmp_path / "shelf").mkdir() \
        is None else None
    assert path is not None
    real_access = os.access
    monkeypatch.setattr(os, "access", lambda p, mode: False if mode & os.W_OK
                        else real_access(p, mode))
    code, said = _ask(capsys, str(path), "/who putin")
    assert code == 0 and "Vladimir Putin" in said
    assert not Path(f"{path}-wal").exists() and not Path(f"{path}-shm").exists()


@pytest.mark.parametrize("make", ["text", "truncated", "corrupted"])
def test_doctor_and_the_bot_agree_on_what_is_not_a_store(
    make: str, summit_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "thing.db"
    {"text": lambda: _text_file(path), "truncated": lambda: _truncated(path, summit_db),
     "corrupted": lambda: _corrupted(path, summit_db)}[make]()
    from bot.doctor import Checkup, check_store

    checkup = Checkup()
    check_store(checkup, str(path))
    assert checkup.problems and f"{path} is not a newsdesk store" in checkup.problems[0]
    _, said = _ask(capsys, str(path))
    assert f"{path} is not a newsdesk store" in said
