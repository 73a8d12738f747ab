"""The `newsdesk` command: demo, ingest, ask, analyze, run, sources, digest, db, doctor."""

from __future__ import annotations

import argparse
import asyncio
import errno
import json
import logging
import os
import shutil
import sys
import tempfile
from collections.abc import Sequence
from importlib import resources
from pathlib import Path
from typing import Any

from bot import config as config_module
from bot.errors import UserError

log = logging.getLogger("newsdesk")
DEFAULT_DB = "newsdesk.db"


def _setup_logging(args: argparse.Namespace) -> None:
    """Text or JSON lines as [log] format says; a bad config is reported by the command."""
    from bot.ops import logs

    try:
        fmt = config_module.load(args.config).log.format
    except UserError:
        fmt = "text"
    logs.setup(args.verbose, fmt)


def _settings(args: argparse.Namespace) -> config_module.Settings:
    settings = config_module.load(args.config)
    db = getattr(args, "db", None)
    if db:
        settings = config_module.with_storage_path(settings, db)
    return settings


def _tenant(args: argparse.Namespace) -> str:
    from bot.tenancy import tenant_id

    return tenant_id(getattr(args, "tenant", None))


def demo_data_dir() -> Path:
    """The bundled demo coverage shipped inside the package."""
    return Path(str(resources.files("bot") / "demo_data"))


def _positive_int(value: str) -> int:
    try:
        number = int(value)
    except ValueError:
        number = 0
    if not 0 < number <= 256:
        raise argparse.ArgumentTypeError("give a whole number from 1 to 256")
    return number


def _show(reply: Any, *, as_json: bool) -> int:
    """Print a reply as JSON (its data) or as text; the exit status says whether it failed."""
    if as_json:
        print(json.dumps(reply.data, ensure_ascii=False, indent=2))
    else:
        from rich.console import Console

        from adapters.console import render_reply

        Console().print(render_reply(reply))
    return 1 if reply.error else 0


# ------------------------------------------------------------------- commands


def _ingest_progress(total: int | None) -> Any:
    """A bar with count, rate and ETA on a terminal; nothing otherwise (a summary line ends)."""
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        ProgressColumn,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )
    from rich.text import Text

    class Rate(ProgressColumn):
        def render(self, task: Any) -> Text:
            return Text(f"{task.speed or 0:.1f} articles/s")

    return Progress(TextColumn("Ingesting"), BarColumn(), MofNCompleteColumn(), Rate(),
                    TimeRemainingColumn(), TimeElapsedColumn(), transient=True,
                    disable=not sys.stderr.isatty())


class _StopOnCtrlC:
    """The first Ctrl-C asks the import to stop after the current batch; a second one stops
    at once (what is stored stays stored either way)."""

    def __init__(self) -> None:
        self.asked = False
        self._previous: Any = None

    def __enter__(self) -> _StopOnCtrlC:
        import signal

        self._previous = signal.signal(signal.SIGINT, self._handle)
        return self

    def _handle(self, signum: int, frame: Any) -> None:
        import signal

        self.asked = True
        signal.signal(signal.SIGINT, signal.default_int_handler)
        print("Stopping after the current batch (Ctrl-C again to stop at once)...",
              file=sys.stderr)

    def __exit__(self, *exc: object) -> None:
        import signal

        signal.signal(signal.SIGINT, self._previous)


def cmd_ingest(args: argparse.Namespace) -> int:
    import time
    from itertools import chain

    from bot.app import Newsdesk
    from bot.ingest.service import IngestReport
    from bot.ingest.stream import Sourced, estimate_total, iter_items
    from bot.ingest.workers import TASK_ARTICLES

    started = time.monotonic()
    bot = Newsdesk(_settings(args))
    try:
        urls = [i for i in args.inputs if i.startswith(("http://", "https://"))]
        paths = [i for i in args.inputs if i not in urls]
        report = IngestReport()
        fetched = asyncio.run(bot.fetch_urls(urls, report)) if urls else []
        total = estimate_total(paths)
        total = None if total is None else total + len(fetched)
        processes = args.processes
        if processes is None:
            # Worker processes pay for their start only when there is enough to read.
            small = total is not None and total <= TASK_ARTICLES
            processes = 0 if small else (os.cpu_count() or 1)
        items = chain(iter_items(paths), (Sourced(d, d.url) for d in fetched))
        # Files have no feed: for a tenant they are stored under its own "files" source, so
        # only that tenant reads them ("default" keeps them without a source, as before).
        files_source = bot.tenants.files_source(_tenant(args))
        with _ingest_progress(total) as progress, _StopOnCtrlC() as ctrl_c:
            task = progress.add_task("ingest", total=total)
            bot.ingestor.store_items(
                items, report, n_process=processes, should_stop=lambda: ctrl_c.asked,
                progress=lambda n: progress.advance(task, n), source_id=files_source)
        seconds = time.monotonic() - started
        stored = len(report.added) + len(report.updated) + report.duplicates
        if args.json:
            print(json.dumps({**report.to_json(), "total": total,
                              "seconds": round(seconds, 1)}, ensure_ascii=False, indent=2))
        else:
            for failure in report.failed:
                print(f"skipped: {failure}", file=sys.stderr)
            rate = f" in {seconds:.0f} s ({report.handled / seconds:.1f} articles/s)" \
                if report.handled >= 100 and seconds > 0 else ""
            print(report.summary()[:-1] + rate + ".")
        if report.interrupted:
            of = f"{stored:,} of {total:,}" if total is not None else f"{stored:,} so far"
            print(f"Stopped: stored {of}; run the same command to go on.", file=sys.stderr)
            return 130
        return 1 if report.failed and not stored else 0
    finally:
        bot.close()


def cmd_ask(args: argparse.Namespace) -> int:
    from bot.app import Newsdesk

    bot = Newsdesk(_settings(args))
    try:
        # --json answers in full: /stories --json lists every story and article.
        reply = asyncio.run(bot.ask(args.command, is_admin=True, full=args.json,
                                    tenant=_tenant(args)))
    finally:
        bot.close()
    return _show(reply, as_json=args.json)


def cmd_analyze(args: argparse.Namespace) -> int:
    from bot.analyze import analyze_input

    settings = config_module.load(args.config)
    result = analyze_input(args.input, settings)
    if args.json:
        print(json.dumps(result, ensure_ascii=False))
    else:
        from bot.analyze import print_analysis

        print_analysis(result)
    return 0


def cmd_demo(args: argparse.Namespace) -> int:
    from rich.console import Console

    from adapters.console import render_reply, run_repl
    from bot.app import Newsdesk

    settings = config_module.load(args.config)
    tmp = tempfile.mkdtemp(prefix="newsdesk-demo-")
    try:
        settings = config_module.with_storage_path(settings, str(Path(tmp) / "demo.db"))
        bot = Newsdesk(settings)
        console = Console()
        with console.status("Reading the demo coverage (the 2019 Vladivostok summit)..."):
            report = bot.ingestor.ingest_paths([demo_data_dir()])
        if args.ask:
            for line in args.ask:
                console.print(render_reply(asyncio.run(bot.ask(line, is_admin=True))))
            return 0
        from bot.ops.heap import freeze_startup_heap

        freeze_startup_heap()  # the model and store are loaded: see bot/ops/heap.py
        asyncio.run(run_repl(lambda line: bot.ask(line, is_admin=True), console,
                             banner=f"newsdesk demo: {report.summary()}"))
        bot.close()
        return 0
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def cmd_run(args: argparse.Namespace) -> int:
    from bot.runner import run

    return asyncio.run(run(_settings(args), args.role))


def cmd_sources(args: argparse.Namespace) -> int:
    from bot.app import Newsdesk

    bot = Newsdesk(_settings(args))
    try:
        if args.action == "export":
            text = bot.sources.export_opml(_tenant(args))
            if args.file:
                _write_text(Path(args.file), text)
            else:
                print(text)
            return 0
        line = f"/source {args.action} {' '.join(args.rest)}".strip()
        reply = asyncio.run(bot.ask(line, is_admin=True, platform="cli", tenant=_tenant(args)))
    finally:
        bot.close()
    return _show(reply, as_json=False)


def _write_text(path: Path, text: str) -> None:
    """Write a file the user named, or say in one sentence why it cannot be written."""
    try:
        path.write_text(text, encoding="utf-8")
    except FileNotFoundError:
        raise UserError(f"Cannot write {path}: the folder {path.parent} does not exist.") \
            from None
    except IsADirectoryError:
        raise UserError(f"Cannot write {path}: it is a folder; give a file name.") from None
    except PermissionError:
        raise UserError(f"Cannot write {path}: permission denied.") from None
    except OSError as exc:
        why = "the disk is full" if exc.errno == errno.ENOSPC else (exc.strerror or "failed")
        raise UserError(f"Cannot write {path}: {why}.") from None


def _digest_platform(bot: Any, channel: str, given: str | None) -> str:
    """The platform a channel is on: as given, else from its digest schedule or alerts."""
    if given:
        return str(given)
    if channel == "console":
        return "console"
    store = bot.outbox.store
    known = {row["platform"] for row in store.all_schedules() + store.all_alerts()
             if row["channel"] == channel}
    if len(known) == 1:
        return known.pop()
    if known:
        raise UserError(f"Channel {channel} has digests or alerts on {' and '.join(sorted(known))}"
                        f": say which with --platform.")
    raise UserError(f"No schedule or alert names channel {channel}, so its platform is not "
                    f"known: add --platform discord or --platform slack.")


def cmd_digest(args: argparse.Namespace) -> int:
    from bot.app import Newsdesk

    bot = Newsdesk(_settings(args))
    try:
        platform = _digest_platform(bot, args.channel, args.platform)
        line = "/digest" + (f" {args.action}" if args.action else "")
        reply = asyncio.run(bot.ask(line, is_admin=True, channel=args.channel,
                                    platform=platform, tenant=_tenant(args)))
    finally:
        bot.close()
    # Say where: the reply itself speaks as if it were in the channel ("posted here").
    print(f"Digest of {platform} channel {args.channel}:", file=sys.stderr)
    return _show(reply, as_json=args.json)


def cmd_db_copy(args: argparse.Namespace) -> int:
    """`db copy --to URL` / `--from URL`: every row of one store into another, counts compared."""
    from storage.backend import open_configured
    from storage.copy import copy_store

    here = _settings(args).storage
    here_target = here.url or here.path
    if bool(args.to) == bool(args.source):
        raise UserError("Say where to copy: db copy --to URL_OR_FILE (from this store) or "
                        "db copy --from URL_OR_FILE (into this store).")
    source_name, target_name = (here_target, args.to) if args.to else (args.source, here_target)
    if source_name == target_name:
        raise UserError("The copy's source and target are the same store.")
    source = open_configured(source_name)
    try:
        target = open_configured(target_name)
        try:
            report = copy_store(source, target)
        finally:
            target.close()
        print(f"Copied {report.line()} from {source.path} to {target.path}; every table's "
              f"row count matches ({sum(report.counts.values()):,} rows in "
              f"{len(report.counts)} tables).")
    finally:
        source.close()
    return 0


def cmd_db(args: argparse.Namespace) -> int:
    from storage.backup import backup

    if args.action == "copy":
        return cmd_db_copy(args)
    if not args.file:
        raise UserError("Say where the backup goes: db backup FILE.")
    if _settings(args).storage.url:
        raise UserError("db backup copies an SQLite store; back up a PostgreSQL store with "
                        "pg_dump, or copy it into a file with db copy --to FILE.")

    path = _settings(args).storage.path
    done = backup(path, args.file, force=args.force)
    print(f"Backed up {done.articles:,} articles from {path} to {done.path} "
          f"({done.size / 1_000_000:.1f} MB). To restore: stop the bot, copy it over the store.")
    return 0


def cmd_doctor(args: argparse.Namespace) -> int:
    from bot.doctor import run_checks

    checkup = run_checks(args.config, getattr(args, "db", None))
    for line in checkup.lines:
        print(line)
    if checkup.problems:
        n = len(checkup.problems)
        print(f"{n} problem{'s' if n > 1 else ''} found.")
        return 1
    print("All is well.")
    return 0


# --------------------------------------------------------------------- parser


def _tenant_option(p: argparse.ArgumentParser) -> None:
    p.add_argument("--tenant", default="default", metavar="ID",
                   help='act for this tenant: a Discord server id, a Slack team id, or '
                        '"default" (the console\'s; the default)')


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="newsdesk",
        description="A news-alert bot for Discord and Slack that knows who said what, when.")
    parser.add_argument("--config", help="config file (default: $NEWSDESK_CONFIG, ./config.toml)")
    parser.add_argument("-v", "--verbose", action="store_true", help="log more")
    sub = parser.add_subparsers(dest="cmd", required=True, metavar="COMMAND")

    def add(name: str, help_text: str, func: Any, db: bool = True) -> argparse.ArgumentParser:
        p = sub.add_parser(name, help=help_text, description=help_text)
        p.add_argument("--config", help=argparse.SUPPRESS, default=argparse.SUPPRESS)
        if db:
            p.add_argument("--db", help=f"the store (default: config storage.path, ./{DEFAULT_DB})")
        p.set_defaults(func=func)
        return p

    p = add("demo", "Load the bundled summit coverage and open the console.", cmd_demo, db=False)
    p.add_argument("--ask", action="append", metavar="COMMAND",
                   help='answer one command and exit, e.g. --ask "/who" (repeatable)')
    p = add("ingest", "Ingest files, folders, .jsonl(.gz) archives, feeds or URLs into the "
            "store; run again after an interruption to go on.", cmd_ingest)
    p.add_argument("inputs", nargs="+", metavar="PATH_OR_URL")
    _tenant_option(p)
    p.add_argument("--processes", type=_positive_int, metavar="N",
                   help="NLP worker processes (default: all cores; 32 articles or fewer are "
                        "read in this process)")
    p.add_argument("--json", action="store_true",
                   help="print the report as JSON (stored, skipped as copies, skipped)")
    p = add("ask", 'Answer one command against the store, e.g. "/when hanoi".', cmd_ask)
    p.add_argument("command", metavar="COMMAND")
    p.add_argument("--json", action="store_true", help="print the answer as JSON")
    _tenant_option(p)
    p = add("analyze", "Show what the extractors find in one article (file or URL).",
            cmd_analyze, db=False)
    p.add_argument("input", metavar="FILE_OR_URL")
    p.add_argument("--json", action="store_true", help="print the analysis as JSON")
    p = add("run", "Start the configured adapters and the scheduler.", cmd_run)
    # Checked by the runner, not by `choices`: a wrong role gets one sentence, not a usage dump.
    p.add_argument("--role", default="all", metavar="ROLE",
                   help="bot: chat adapters and answers only; worker: polling, NLP, digests, "
                        "alerts and posting, no chat connection; all: both (default)")
    p = add("sources", "Manage sources locally: add URL [NAME], list, remove ID, check ID, "
            "enable ID, import FILE_OR_URL, export [FILE], route|unroute ID, filter ID RULE.",
            cmd_sources)
    p.add_argument("action", choices=["add", "list", "remove", "check", "enable", "import",
                                      "export", "route", "unroute", "filter"])
    p.add_argument("rest", nargs="*", metavar="ARG")
    p.add_argument("--file", help="export: write the OPML here")
    _tenant_option(p)
    add("doctor", "Check versions, the spaCy model, the store, the config and secrets.",
        cmd_doctor)
    p = add("db", "Back up the store while the bot runs: db backup FILE; copy every row to "
            "another store (SQLite or PostgreSQL): db copy --to URL, db copy --from URL.",
            cmd_db)
    p.add_argument("action", choices=["backup", "copy"])
    p.add_argument("file", metavar="FILE", nargs="?", help="backup: where the copy goes")
    p.add_argument("--to", metavar="URL_OR_FILE", help="copy: the (empty) store to copy into")
    p.add_argument("--from", dest="source", metavar="URL_OR_FILE",
                   help="copy: the store to copy from, into this one (--db)")
    p.add_argument("--force", action="store_true", help="replace FILE if it exists")
    p = add("digest", "Show (or post) a channel's digest locally.", cmd_digest)
    p.add_argument("action", nargs="?", choices=["why", "post"])
    p.add_argument("--channel", default="console", help="channel id (default: console)")
    p.add_argument("--platform", choices=["console", "discord", "slack"],
                   help="the channel's platform (default: from its schedule or alerts)")
    p.add_argument("--json", action="store_true", help="print the digest as JSON")
    _tenant_option(p)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not hasattr(args, "config"):
        args.config = None
    _setup_logging(args)
    try:
        return int(args.func(args) or 0)
    except UserError as exc:
        print(f"newsdesk: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    except Exception as exc:
        import secrets

        from bot.errors import store_error

        if (known := store_error(exc)) is not None:
            print(f"newsdesk: {known}", file=sys.stderr)
            return 1

        ref = secrets.token_hex(3)
        log.exception("unexpected failure ref=%s", ref)
        print(f"newsdesk: something went wrong on our side (ref {ref}); "
              f"NEWSDESK_DEBUG=1 shows details.", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
