"""The NLP pass in worker processes we control: each article's failure is its own, never a hang.

spaCy's own `nlp.pipe(n_process=...)` hangs the caller when an error occurs while its workers
are still writing to their pipes, and a spaCy process grows with every new word it sees (the
StringStore never shrinks). So the pass runs here in a ProcessPoolExecutor whose workers catch
every error per article and send back a sentence, and the whole pool is replaced after a number
of articles, which drops what the workers' vocabularies grew.
"""

from __future__ import annotations

import ctypes
import gc
import logging
import multiprocessing
import os
import signal
import threading
import time
from collections.abc import Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from bot.errors import ConfigError, UserError

if TYPE_CHECKING:
    from spacy.language import Language

    from bot.models import Analysis

log = logging.getLogger(__name__)

TASK_ARTICLES = 32  # articles per task: big enough for spaCy's batching, small for in-flight RAM
RECYCLE_ARTICLES = 1000  # the [nlp] worker_recycle_articles default


@dataclass(frozen=True)
class Work:
    """One article to analyse: only what the NLP pass needs crosses the process boundary."""

    key: int
    text: str
    published: datetime | None


@dataclass(frozen=True)
class Outcome:
    """What the pass made of one article: an analysis and its fingerprint, or why it failed."""

    key: int
    analysis: Analysis | None = None
    fingerprint: bytes | None = None
    error: str | None = None
    worker: int = 0  # the process id that analysed it (recycling shows as a new one)


def describe_failure(exc: BaseException, doing: str = "analysed") -> str:
    """One sentence for why an article could not be read, analysed or stored (never its text)."""
    if isinstance(exc, UserError):
        return str(exc)
    if isinstance(exc, UnicodeError):
        return "its text holds characters that are not valid Unicode (e.g. lone surrogates)."
    if isinstance(exc, RecursionError):
        return "it is nested too deeply to read."
    if isinstance(exc, MemoryError):
        return f"it is too large to be {doing}."
    if isinstance(exc, ValueError) and "[E088]" in str(exc):
        return "its text is too long to analyse (over spaCy's limit of 1,000,000 characters)."
    if isinstance(exc, ValueError | OverflowError) and "offset" in str(exc):
        return "its publication date has an impossible time zone offset."
    return f"it could not be {doing} ({type(exc).__name__})."


def analyze_work(nlp: Language, items: Sequence[Work]) -> list[Outcome]:
    """Analyse the articles in order; one that fails gets its reason, the others go on."""
    from bot.ingest.dedup import fingerprint, fingerprint_bytes
    from bot.nlp.pipeline import analyze_drafts_isolated

    outcomes, pid = [], os.getpid()
    for index, result in analyze_drafts_isolated(nlp, [(w.text, w.published) for w in items]):
        work = items[index]
        if isinstance(result, BaseException):
            outcomes.append(Outcome(work.key, error=describe_failure(result), worker=pid))
            continue
        try:
            signature = fingerprint_bytes(fingerprint(work.text))
        except Exception as exc:  # noqa: BLE001 - one article's failure is reported, not raised
            outcomes.append(Outcome(work.key, error=describe_failure(exc), worker=pid))
            continue
        outcomes.append(Outcome(work.key, result, signature, worker=pid))
    return outcomes


def check_model(model: str) -> None:
    """ConfigError unless the pipeline is installed, said here rather than by a dying worker."""
    import spacy.util

    from bot.nlp.pipeline import _FALLBACKS

    for name in (model, _FALLBACKS.get(model)):
        if name and (spacy.util.is_package(name) or Path(name).is_dir()):
            return
    raise ConfigError(f"Config key nlp.model: the spaCy pipeline {model!r} is not installed "
                      f"(pip install it, or use en_core_web_sm).")


# ------------------------------------------------------------ inside a worker process

_NLP: Language | None = None


def _start_worker(model: str, main: int) -> None:
    """Load the model once per worker; Ctrl-C is the main process's to handle, not ours."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    threading.Thread(target=_exit_with_main, args=(main,), daemon=True).start()
    from bot.nlp.pipeline import load_model

    global _NLP
    _NLP = load_model(model)
    # The model's objects live as long as the worker: out of the collector's sight, a full
    # collection walks only what the articles made, not the whole pipeline again.
    gc.freeze()


def _exit_with_main(main: int) -> None:
    """A main process killed with -9 cannot stop its workers: they notice and exit. (Their
    parent is the forkserver, which itself waits for them, so the main process is watched;
    a killed one may linger as a zombie until its own parent reaps it.)"""
    while _alive(main):
        time.sleep(1.0)
    os._exit(1)


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat", "rb") as stat_file:
            # "pid (name) state ...": the state follows the last ')'.
            return stat_file.read().rpartition(b")")[2].split()[0] not in (b"Z", b"X")
    except FileNotFoundError:
        return False
    except OSError:
        pass  # no /proc here: ask the kernel whether the pid exists
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return False  # the pid now belongs to another user's process: ours is gone
    return True


def _ready() -> int:
    """A task that returns once this worker has loaded its model (the initializer ran)."""
    time.sleep(0.05)  # long enough for the next task to go to another idle worker
    return os.getpid()


def _run(items: Sequence[Work]) -> list[Outcome]:
    assert _NLP is not None, "the worker initializer loads the model"
    outcomes = analyze_work(_NLP, items)
    _give_back_freed_memory()
    return outcomes


def _give_back_freed_memory() -> None:
    """Return the heap pages a task freed to the system (glibc only; elsewhere nothing).

    A task's Docs are freed when it ends, but glibc keeps the pages for reuse, so the worker's
    RSS swung between 200 and 253 MB from one task to the next over 1,000 soak articles; trimmed
    after each task it stayed between 170 and 182 MB. It costs 0.8 ms (median) of a 2 s task.
    """
    if _LIBC is not None:
        _LIBC.malloc_trim(0)


def _glibc() -> ctypes.CDLL | None:
    try:
        libc = ctypes.CDLL("libc.so.6")
        libc.malloc_trim  # noqa: B018 - only glibc has it (musl, macOS do not)
    except (OSError, AttributeError):
        return None
    return libc


_LIBC = _glibc()


# ------------------------------------------------------------ the pool, in the main process


class NlpPool:
    """N worker processes with the model loaded; replaced as a whole every N articles each.

    concurrent.futures' own max_tasks_per_child deadlocks on Python 3.11-3.13
    (cpython#115634), so recycling is ours: once the workers have analysed their share, the
    executor is shut down when idle and a fresh one starts on the next submit.
    """

    def __init__(self, model: str, processes: int, recycle_articles: int = RECYCLE_ARTICLES):
        self.model = model
        self.processes = max(1, processes)
        self.recycle_articles = max(1, recycle_articles)
        self._executor: ProcessPoolExecutor | None = None
        self._generation = 0
        self._analysed = 0  # articles sent to the current executor
        self._lock = threading.Lock()  # the async path submits from the event loop and threads

    def _new_executor(self) -> ProcessPoolExecutor:
        check_model(self.model)
        # forkserver: the workers fork from a clean single-threaded server (spaCy imported
        # once there), never from this process with its threads and open store.
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload(["bot.nlp.pipeline", "bot.ingest.dedup"])
        return ProcessPoolExecutor(self.processes, mp_context=context,
                                   initializer=_start_worker, initargs=(self.model, os.getpid()))

    def start(self, timeout_s: float = 300.0) -> float:
        """Start the workers now and wait until each has its model loaded (rather than on the
        first articles); seconds it took. Counts no article towards recycling."""
        began = time.monotonic()
        ready: set[int] = set()
        while len(ready) < self.processes and time.monotonic() - began < timeout_s:
            with self._lock:
                if self._executor is None:
                    self._executor = self._new_executor()
                futures = [self._executor.submit(_ready) for _ in range(self.processes)]
            ready.update(f.result(timeout=timeout_s) for f in futures)
        return time.monotonic() - began

    @property
    def due_for_recycling(self) -> bool:
        return self._analysed >= self.recycle_articles * self.processes

    def recycle(self) -> None:
        """Replace the workers now (their grown vocabularies go with them); tasks already
        queued still finish in the old workers."""
        with self._lock:
            self._shutdown(wait=True, cancel=False)

    def _shutdown(self, *, wait: bool, cancel: bool) -> None:
        if self._executor is not None:
            self._executor.shutdown(wait=wait, cancel_futures=cancel)
            self._executor = None
            self._generation += 1
            self._analysed = 0

    def submit(self, items: Sequence[Work]) -> tuple[Future[list[Outcome]], int]:
        """Queue a task; returns its future and the pool generation it runs in."""
        with self._lock:
            if self._executor is None:
                self._executor = self._new_executor()
            self._analysed += len(items)
            return self._executor.submit(_run, list(items)), self._generation

    def broken(self, generation: int) -> None:
        """A worker died (killed, out of memory): start afresh unless that was done already."""
        with self._lock:
            if generation == self._generation and self._executor is not None:
                self._shutdown(wait=False, cancel=True)

    def run(self, items: Sequence[Work]) -> list[Outcome]:
        """Analyse items and wait for them (recycling the workers first when they are due)."""
        if self.due_for_recycling:
            self.recycle()
        return self.wait(*self.submit(items), items)

    def wait(self, future: Future[list[Outcome]], generation: int,
             items: Sequence[Work]) -> list[Outcome]:
        """A task's outcomes; a task that kills its worker is retried article by article, so
        only the article that kills a worker is reported as failed."""
        try:
            return future.result()
        except BrokenProcessPool:
            self.broken(generation)
        return self.one_by_one(items)

    def one_by_one(self, items: Sequence[Work]) -> list[Outcome]:
        outcomes = []
        for item in items:
            future, generation = self.submit([item])
            try:
                outcomes.extend(future.result())
            except BrokenProcessPool:
                self.broken(generation)
                outcomes.append(Outcome(item.key, error="the NLP worker process stopped while "
                                                        "reading it (out of memory?)."))
        return outcomes

    def close(self) -> None:
        with self._lock:
            self._shutdown(wait=True, cancel=True)


_SHARED: dict[tuple[str, int, int], NlpPool] = {}
_SHARED_LOCK = threading.Lock()


def shared_pool(model: str, processes: int, recycle_articles: int) -> NlpPool:
    """One pool per (model, processes, recycling) in this process, so every Ingestor of a
    running bot (and of a test session) shares its workers instead of loading spaCy again."""
    key = (model, processes, recycle_articles)
    with _SHARED_LOCK:
        if key not in _SHARED:
            _SHARED[key] = NlpPool(model, processes, recycle_articles)
        return _SHARED[key]


def close_shared_pools() -> None:
    with _SHARED_LOCK:
        pools = list(_SHARED.values())
        _SHARED.clear()
    for pool in pools:
        pool.close()
