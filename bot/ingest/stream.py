"""Drafts from files, folders and .jsonl(.gz) lines one at a time, so memory never holds an archive.

Each input yields Sourced drafts (the draft and where it came from) or Skipped items (where,
and why, in one sentence); nothing here raises for one bad file or line.
"""

from __future__ import annotations

import gzip
import os
import stat
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from bot.errors import UserError
from bot.ingest.files import ARTICLE_SUFFIXES, jsonl_draft, read_file
from bot.models import ArticleDraft

MAX_FILE_BYTES = 64 * 2**20  # one article file (or feed) is read whole: larger ones are refused
MAX_LINE_BYTES = 16 * 2**20  # one .jsonl line; longer lines are skipped without being held
_READ_CHUNK = 2**20


@dataclass(frozen=True)
class Sourced:
    """A draft and where it came from ("archive.jsonl line 12"), for the report."""

    draft: ArticleDraft
    origin: str


@dataclass(frozen=True)
class Skipped:
    """An input that holds no article it could give: where, and why (one sentence)."""

    origin: str
    reason: str

    def sentence(self) -> str:
        return f"{self.origin}: {self.reason}" if self.origin else self.reason


def _is_jsonl(path: Path) -> bool:
    name = path.name.lower()
    return name.endswith(".jsonl") or name.endswith(".jsonl.gz")


def _wanted(name: str) -> bool:
    lower = name.lower()
    return lower.endswith(".jsonl.gz") or Path(lower).suffix in ARTICLE_SUFFIXES


def not_regular(path: Path, mode: int,
                hint: str = "give an article file or a folder") -> str | None:
    """Why a path that exists cannot be read as an article file, or None for a regular file."""
    if stat.S_ISREG(mode):
        return None
    kind = ("a named pipe" if stat.S_ISFIFO(mode) else "a socket" if stat.S_ISSOCK(mode)
            else "a device" if stat.S_ISCHR(mode) or stat.S_ISBLK(mode) else "not a file")
    return f"{path} is not a regular file (it is {kind}); {hint}."


def walk(folder: Path) -> Iterator[Path]:
    """The article files under a folder, in name order, one directory listing at a time;
    hidden names, pipes, devices and links to folders are passed over."""
    try:
        with os.scandir(folder) as listing:
            entries = sorted(listing, key=lambda e: e.name)
    except OSError:
        return
    for entry in entries:
        if entry.name.startswith("."):
            continue
        try:
            if entry.is_dir(follow_symlinks=False):
                yield from walk(Path(entry.path))
            elif entry.is_file() and _wanted(entry.name):
                yield Path(entry.path)
        except OSError:
            continue


def iter_items(items: Iterable[str | Path]) -> Iterator[Sourced | Skipped]:
    """Every article the inputs hold, lazily; a bad input or line is a Skipped, never an error."""
    for item in items:
        text = str(item)
        if not text.strip():
            yield Skipped("", "An empty path was given; name a file or a folder.")
            continue
        path = Path(text)
        try:
            mode = path.stat().st_mode
        except FileNotFoundError:
            yield Skipped("", f"{item} does not exist.")
            continue
        except OSError:
            yield Skipped("", f"{item} cannot be read.")
            continue
        if stat.S_ISDIR(mode):
            found = False
            for file in walk(path):
                found = True
                yield from iter_file(file)
            if not found:
                yield Skipped("", f"{item} holds no article files "
                                  f"(.md, .txt, .jsonl, .jsonl.gz, .html or feeds).")
            continue
        problem = not_regular(path, mode)
        if problem:
            yield Skipped("", problem)
            continue
        yield from iter_file(path)


def iter_file(path: Path) -> Iterator[Sourced | Skipped]:
    """The articles of one file: .jsonl(.gz) line by line, any other file read whole (capped)."""
    name = str(path)
    try:
        info = path.stat()
    except OSError:
        yield Skipped(name, "cannot be read.")
        return
    problem = not_regular(path, info.st_mode)
    if problem:
        yield Skipped("", problem)
        return
    if _is_jsonl(path):
        yield from iter_jsonl(path)
        return
    if info.st_size > MAX_FILE_BYTES:
        yield Skipped(name, f"is too large ({info.st_size / 2**20:.0f} MB; the limit for one "
                            f"article file is {MAX_FILE_BYTES // 2**20} MB).")
        return
    try:
        drafts = read_file(path)
    except UserError as exc:
        yield Skipped(name, str(exc))
        return
    except Exception as exc:  # noqa: BLE001 - one unreadable file never stops the others
        from bot.ingest.workers import describe_failure

        yield Skipped(name, describe_failure(exc, "read"))
        return
    for draft in drafts:
        yield Sourced(draft, name)


def _open(path: Path) -> IO[bytes]:
    if path.name.lower().endswith(".gz"):
        return gzip.open(path, "rb")
    return open(path, "rb")  # noqa: SIM115 - closed by the caller's with


def _lines(stream: IO[bytes]) -> Iterator[tuple[int, bytes | None]]:
    """(line number, line) with None for a line over MAX_LINE_BYTES, which is read past in
    chunks and never held whole."""
    number = 0
    while True:
        line = stream.readline(MAX_LINE_BYTES + 1)
        if not line:
            return
        number += 1
        if len(line) > MAX_LINE_BYTES and not line.endswith(b"\n"):
            while True:
                rest = stream.readline(_READ_CHUNK)
                if not rest or rest.endswith(b"\n"):
                    break
            yield number, None
        else:
            yield number, line


def iter_jsonl(path: Path) -> Iterator[Sourced | Skipped]:
    """One article per line: {"title", "text", "published", "source", "url", "author"}."""
    name = str(path)
    any_line = False
    try:
        with _open(path) as stream:
            for number, line in _lines(stream):
                where = f"{name} line {number}"
                if line is None:
                    any_line = True
                    yield Skipped(where, f"is longer than {MAX_LINE_BYTES // 2**20} MB.")
                    continue
                if not line.strip():
                    continue
                any_line = True
                yield _record(line, where)
    except (OSError, EOFError, gzip.BadGzipFile):
        yield Skipped(name, "cannot be read to its end (a damaged or truncated file).")
        return
    if not any_line:
        yield Skipped(name, "holds no articles.")


def _record(line: bytes, where: str) -> Sourced | Skipped:
    """One line as an article, through the same reader as a whole .jsonl file (caps, clean
    text, the language check), or why it is not one."""
    try:
        raw = line.decode("utf-8-sig")
    except UnicodeDecodeError:
        raw = line.decode("latin-1")
    try:
        return Sourced(jsonl_draft(raw, where), where)
    except UserError as exc:
        reason = str(exc)  # the reader names the line; the report names it once
        return Skipped(where, reason[len(where):].lstrip(": ") if reason.startswith(where)
                       else reason)


def estimate_total(items: Iterable[str | Path]) -> int | None:
    """How many articles the inputs hold, for the progress bar and "stored N of M"; None when
    that cannot be known cheaply (feeds, .gz archives, URLs)."""
    total = 0
    for item in items:
        path = Path(str(item))
        try:
            files = walk(path) if path.is_dir() else iter([path])
            for file in files:
                lower = file.name.lower()
                if lower.endswith(".gz") or Path(lower).suffix in {".xml", ".rss", ".atom",
                                                                    ".rdf"}:
                    return None
                if not file.is_file():
                    total += 1
                elif lower.endswith(".jsonl"):
                    total += _count_lines(file)
                else:
                    total += 1
        except OSError:
            total += 1
    return total


def _count_lines(path: Path) -> int:
    count, last = 0, b"\n"
    with open(path, "rb") as stream:
        while chunk := stream.read(_READ_CHUNK):
            count += chunk.count(b"\n")
            last = chunk[-1:]
    return count + (last != b"\n")
