"""`newsdesk doctor`: exit 0 on a good setup, else 1 with one line naming each problem."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from bot import doctor
from bot.cli import main

SECRETS = ("DISCORD_TOKEN", "SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET", "SLACK_APP_TOKEN")


@pytest.fixture(autouse=True)
def _no_secrets(monkeypatch: pytest.MonkeyPatch) -> None:
    for var in SECRETS:
        monkeypatch.delenv(var, raising=False)
    monkeypatch.delenv("NEWSDESK_CONFIG", raising=False)


def _doctor(capsys: pytest.CaptureFixture[str], tmp_path: Path, config: str = "",
            db: str | None = None) -> tuple[int, str]:
    cfg = tmp_path / "config.toml"
    cfg.write_text(config, encoding="utf-8")
    argv = ["--config", str(cfg), "doctor", "--db", db or str(tmp_path / "store.db")]
    code = main(argv)
    return code, capsys.readouterr().out


def test_good_setup_says_all_is_well_from_the_shell(tmp_path: Path) -> None:
    cfg = tmp_path / "config.toml"
    cfg.write_text('[storage]\npath = "%s"\n' % (tmp_path / "n.db"), encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "bot.cli", "--config", str(cfg), "doctor"],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "All is well." in done.stdout
    assert "spaCy model" in done.stdout and "spacy 3." in done.stdout
    assert "Traceback" not in done.stderr


def test_an_existing_store_is_checked(capsys, tmp_path) -> None:
    from bot.app import Newsdesk
    from bot.config import Settings, StorageSettings

    path = tmp_path / "real.db"
    Newsdesk(Settings(storage=StorageSettings(path=str(path)))).close()
    code, out = _doctor(capsys, tmp_path, db=str(path))
    assert code == 0, out
    assert "opens and is writable" in out


def test_unknown_config_key_is_named(capsys, tmp_path) -> None:
    code, out = _doctor(capsys, tmp_path, "[fetch]\ntimeout = 3\n")
    assert code == 1
    assert "fetch.timeout" in out and "1 problem found." in out


def test_missing_model_is_named(capsys, tmp_path) -> None:
    code, out = _doctor(capsys, tmp_path, '[nlp]\nmodel = "xx_no_such_pipeline"\n')
    assert code == 1
    assert "'xx_no_such_pipeline' is not installed" in out


def test_secrets_missing_for_enabled_adapters_are_named_and_never_printed(
        capsys, tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxb-very-secret-value")
    code, out = _doctor(capsys, tmp_path, "[discord]\nenabled = true\n[slack]\nenabled = true\n")
    assert code == 1
    assert "DISCORD_TOKEN is not set" in out
    assert "SLACK_SIGNING_SECRET is not set" in out
    assert "SLACK_BOT_TOKEN is not set" not in out
    assert "xoxb-very-secret-value" not in out
    assert out.count("PROBLEM") == 2


def test_socket_mode_needs_the_app_token(capsys, tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxb-1")
    code, out = _doctor(capsys, tmp_path, '[slack]\nenabled = true\nmode = "socket"\n')
    assert code == 1 and "SLACK_APP_TOKEN is not set" in out


def test_a_file_that_is_not_a_store(capsys, tmp_path) -> None:
    text = tmp_path / "notes.txt"
    text.write_text("hello " * 1000, encoding="utf-8")
    code, out = _doctor(capsys, tmp_path, db=str(text))
    assert code == 1 and "is not a newsdesk store" in out


def test_another_programs_sqlite_file(capsys, tmp_path) -> None:
    other = tmp_path / "other.db"
    conn = sqlite3.connect(other)
    conn.execute("CREATE TABLE invoices (id INTEGER)")
    conn.commit()
    conn.close()
    code, out = _doctor(capsys, tmp_path, db=str(other))
    assert code == 1 and "another program" in out


def test_store_in_a_missing_folder(capsys, tmp_path) -> None:
    code, out = _doctor(capsys, tmp_path, db=str(tmp_path / "no" / "such" / "dir" / "n.db"))
    assert code == 1 and "folder" in out and "not writable" in out


def test_a_module_that_does_not_import_is_named(capsys, tmp_path, monkeypatch) -> None:
    monkeypatch.setitem(doctor._IMPORTS, "lxml_no_such_module_xyz", "lxml_html_clean")
    code, out = _doctor(capsys, tmp_path)
    assert code == 1
    assert "lxml_no_such_module_xyz does not import" in out and "lxml_html_clean" in out


def test_fetch_policy_is_shown(capsys, tmp_path) -> None:
    code, out = _doctor(capsys, tmp_path, '[fetch]\nallow_networks = ["10.1.0.0/16"]\n')
    assert code == 0, out
    assert "refused except 10.1.0.0/16" in out


def test_old_python_is_a_problem(monkeypatch) -> None:
    checkup = doctor.Checkup()
    monkeypatch.setattr(sys, "version_info", (3, 10, 4, "final", 0))
    doctor.check_python(checkup)
    assert checkup.problems == ["Python 3.10 is too old; newsdesk needs 3.11 or newer."]
