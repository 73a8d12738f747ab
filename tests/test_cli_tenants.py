"""`--tenant` on the command line: files ingested for one tenant are read by that tenant only."""

from __future__ import annotations

import json

import pytest

from bot.cli import main
from tests.conftest import DEMO_DIR


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str]:
    code = main(list(argv))
    out, _ = capsys.readouterr()
    return code, out


def test_files_ingested_for_a_tenant_are_invisible_to_another(capsys, tmp_path):
    db = str(tmp_path / "t.db")
    code, _ = _run(capsys, "ingest", str(DEMO_DIR), "--tenant", "a", "--db", db,
                   "--processes", "1")
    assert code == 0
    code, out = _run(capsys, "ask", "/who", "--json", "--tenant", "b", "--db", db)
    assert code == 0 and json.loads(out) == []
    code, out = _run(capsys, "ask", "/stories", "--json", "--tenant", "b", "--db", db)
    assert json.loads(out) == []
    code, out = _run(capsys, "ask", "/who", "--json", "--tenant", "a", "--db", db)
    names = {p["name"] for p in json.loads(out)}
    assert {"Kim Jong-un", "Vladimir Putin"} <= names
    # The console's own tenant ("default", what every command used before) sees none of it
    # either: the files were ingested for "a".
    code, out = _run(capsys, "ask", "/quote putin", "--json", "--db", db)
    assert json.loads(out) == []
    # Files have no feed: the tenant's source list stays empty.
    code, out = _run(capsys, "sources", "list", "--tenant", "a", "--db", db)
    assert "No sources yet" in out
