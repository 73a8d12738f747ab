"""`newsdesk doctor`: what is wrong with this setup, found before the bot starts."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path

from bot import config as config_module
from bot.errors import ConfigError

# Distributions whose versions an operator is asked for first when something breaks.
KEY_PACKAGES = ("spacy", "discord.py", "slack_bolt", "slack_sdk", "APScheduler", "sqlite-utils",
                "feedparser", "trafilatura", "lxml", "lxml_html_clean", "aiohttp")
# Modules that must import for newsdesk to run; the distribution that provides each.
_IMPORTS = {"spacy": "spacy", "discord": "discord.py", "slack_bolt": "slack_bolt",
            "apscheduler": "APScheduler", "sqlite_utils": "sqlite-utils",
            "feedparser": "feedparser", "trafilatura": "trafilatura",
            "lxml.html.clean": "lxml_html_clean", "aiohttp": "aiohttp"}


@dataclass
class Checkup:
    """Lines to show, and the problems among them (one sentence each)."""

    lines: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    def ok(self, line: str) -> None:
        self.lines.append(f"ok       {line}")

    def problem(self, line: str) -> None:
        self.lines.append(f"PROBLEM  {line}")
        self.problems.append(line)

    def note(self, line: str) -> None:
        self.lines.append(f"         {line}")


def _version(dist: str) -> str | None:
    try:
        return metadata.version(dist)
    except metadata.PackageNotFoundError:
        return None


def check_python(c: Checkup) -> None:
    major, minor, micro = tuple(sys.version_info)[:3]
    if (major, minor) < (3, 11):
        c.problem(f"Python {major}.{minor} is too old; newsdesk needs 3.11 or newer.")
    else:
        c.ok(f"Python {major}.{minor}.{micro}")


def check_packages(c: Checkup) -> None:
    versions = ", ".join(f"{d} {_version(d) or 'missing'}" for d in KEY_PACKAGES)
    c.note(f"packages: {versions}")
    import importlib

    for module, dist in _IMPORTS.items():
        try:
            importlib.import_module(module)
        except Exception as exc:  # any failure to import is the finding itself
            c.problem(f"{module} does not import ({type(exc).__name__}); "
                      f"reinstall {dist} (pip install -r requirements.lock).")


def check_model(c: Checkup, name: str) -> None:
    try:
        from bot.nlp.pipeline import load_model

        nlp = load_model(name)
    except ConfigError as exc:
        c.problem(str(exc))
        return
    except Exception as exc:
        c.problem(f"The spaCy pipeline {name!r} is installed but does not load "
                  f"({type(exc).__name__}).")
        return
    meta = nlp.meta
    c.ok(f"spaCy model {meta.get('lang', '?')}_{meta.get('name', '?')} {meta.get('version', '?')}"
         f" (asked for {name!r})")


def check_store(c: Checkup, path: str) -> None:
    """The same checks `newsdesk` makes when it opens the store (storage/opening.py)."""
    from bot.errors import StoreError
    from storage.opening import examine

    if path.startswith(config_module.PG_SCHEMES):
        from storage.pg.check import examine_pg

        try:
            c.ok(examine_pg(path))
        except StoreError as exc:
            c.problem(str(exc))
        return
    file = Path(path)
    try:
        opened = examine(path, thorough=True)
    except StoreError as exc:
        c.problem(str(exc))
        return
    if opened is None:
        folder = file.parent if str(file.parent) else Path(".")
        if folder.is_dir() and os.access(folder, os.W_OK):
            c.ok(f"store {file} does not exist yet; it will be created")
        else:
            c.problem(f"The store {file} does not exist and its folder {folder} is not writable.")
        return
    opened.db.close()
    if opened.read_only:
        c.problem(f"The store {file} is read-only (it and its folder must be writable); "
                  "questions are answered, nothing new is stored.")
        return
    c.ok(f"store {file} opens and is writable")


def check_adapters(c: Checkup, settings: config_module.Settings) -> None:
    enabled = []
    if settings.console.enabled:
        enabled.append("console")
    if settings.discord.enabled:
        enabled.append("discord")
        if not settings.discord.token:
            c.problem("Discord is enabled but DISCORD_TOKEN is not set.")
    if settings.slack.enabled:
        enabled.append(f"slack ({settings.slack.mode} mode)")
        needed = ["SLACK_BOT_TOKEN"]
        needed.append("SLACK_APP_TOKEN" if settings.slack.mode == "socket"
                      else "SLACK_SIGNING_SECRET")
        have = {"SLACK_BOT_TOKEN": settings.slack.bot_token,
                "SLACK_APP_TOKEN": settings.slack.app_token,
                "SLACK_SIGNING_SECRET": settings.slack.signing_secret}
        for var in needed:
            if not have[var]:
                c.problem(f"Slack is enabled but {var} is not set.")
    if enabled:
        c.ok("adapters enabled: " + ", ".join(enabled) + " (secrets are never shown)")
    else:
        c.note("no chat adapter is enabled; `newsdesk run` would only poll and schedule")


def check_fetch(c: Checkup, fetch: config_module.FetchSettings) -> None:
    if fetch.allow_private_networks:
        guard = "private addresses ALLOWED (allow_private_networks = true)"
    elif fetch.allow_networks:
        guard = "private addresses refused except " + ", ".join(fetch.allow_networks)
    else:
        guard = "private addresses refused"
    c.note(f"fetch: {guard}; timeout {fetch.timeout_s:g} s, at most {fetch.max_bytes:,} bytes, "
           f"poll every {fetch.poll_interval_s} s")


def run_checks(config_path: str | None, db: str | None = None,
               load_model: bool = True) -> Checkup:
    """Every check, in the order an operator would fix them."""
    c = Checkup()
    check_python(c)
    check_packages(c)
    try:
        settings = config_module.load(config_path)
    except ConfigError as exc:
        c.problem(str(exc))
        settings = None
    else:
        c.ok("config is valid")
    if settings is None:
        return c
    if db:
        settings = config_module.with_storage_path(settings, db)
    steps: list[Callable[[], None]] = [
        lambda: check_store(c, settings.storage.url or settings.storage.path),
        lambda: check_adapters(c, settings),
        lambda: check_fetch(c, settings.fetch),
    ]
    if load_model:
        steps.insert(0, lambda: check_model(c, settings.nlp.model))
    for step in steps:
        step()
    return c
