"""Duplicate detection: exact content hashes and MinHash near-duplicates (wire copies)."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Hashable
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # datasketch pulls in scipy: imported when a fingerprint is first needed
    from datasketch import MinHash

SHINGLE_WORDS = 5
THRESHOLD = 0.6
NUM_PERM = 128
# The bands MinHashLSH(threshold=THRESHOLD, num_perm=NUM_PERM) chooses: 18 bands of 7 values.
LSH_BANDS, LSH_ROWS = 18, 7
SCHEME = "affine32"  # datasketch 2's default, named so stored fingerprints stay comparable
_WORD = re.compile(r"\w+", re.UNICODE)


def _words(text: str) -> list[str]:
    folded = unicodedata.normalize("NFKC", text).casefold()
    return _WORD.findall(folded)


def content_hash(title: str, text: str) -> str:
    """A hex digest equal for texts that differ only in case, spacing and punctuation."""
    normal = " ".join(_words(title)) + "\n" + " ".join(_words(text))
    return hashlib.sha256(normal.encode("utf-8")).hexdigest()


def shingles(text: str, size: int = SHINGLE_WORDS) -> set[str]:
    """Overlapping runs of `size` words; a shorter text is one shingle."""
    words = _words(text)
    if len(words) <= size:
        return {" ".join(words)} if words else set()
    return {" ".join(words[i : i + size]) for i in range(len(words) - size + 1)}


def fingerprint(text: str) -> MinHash:
    """The MinHash signature of a text's word shingles."""
    from datasketch import MinHash

    signature = MinHash(num_perm=NUM_PERM, scheme=SCHEME)
    signature.update_batch([s.encode("utf-8") for s in shingles(text)])
    return signature


def fingerprint_bytes(signature: MinHash) -> bytes:
    """A signature as bytes, for a store to keep and hand back to StoryIndex.add_fingerprint."""
    import numpy as np

    header = f"{signature.scheme}|{signature.hashvalues.dtype.str}|".encode("ascii")
    return header + np.ascontiguousarray(signature.hashvalues).tobytes()


def fingerprint_from_bytes(data: bytes) -> MinHash:
    """The signature fingerprint_bytes wrote; raise ValueError for anything else."""
    import numpy as np
    from datasketch import MinHash

    try:
        scheme, dtype, values = data.split(b"|", 2)
        hashvalues = np.frombuffer(values, dtype=np.dtype(dtype.decode("ascii")))
        return MinHash(num_perm=len(hashvalues), hashvalues=hashvalues, scheme=scheme.decode())
    except (TypeError, UnicodeDecodeError, ValueError) as exc:
        raise ValueError("not a MinHash fingerprint written by fingerprint_bytes") from exc


class StoryIndex:
    """Maps texts to stories: a text about 60%+ shingle-similar to a known one joins its story.

    Holds the signatures of the last `capacity` texts only (wire copies of a story arrive within
    days), as rows of one fixed numpy array that is overwritten oldest first, so its memory is
    bounded by design (512 bytes a text, 5 MB at the default 10,000) however long the bot runs.
    Candidates are found as datasketch's MinHashLSH finds them (b bands of r values, a candidate
    shares one band exactly), by comparing the bands of every row at once, and the estimated
    Jaccard then decides, so the stories are the ones an LSH index would give.
    """

    def __init__(self, threshold: float = THRESHOLD, capacity: int = 10_000) -> None:
        import numpy as np

        self.threshold = threshold
        self.capacity = max(1, capacity)
        # np.zeros is lazily backed: pages are resident only once rows are written.
        self._values = np.zeros((self.capacity, NUM_PERM), dtype=np.uint32)
        self._stories: list[Hashable] = [None] * self.capacity
        self._count = 0  # texts added so far; the next one goes to row _count % capacity

    def __len__(self) -> int:
        return min(self._count, self.capacity)

    def _usable(self, signature: MinHash) -> bool:
        values = signature.hashvalues
        return (signature.scheme == SCHEME and len(values) == NUM_PERM
                and values.dtype.itemsize <= 4 and not signature.is_empty())

    def story_of(self, text: str | MinHash) -> Hashable | None:
        """The story id of the most similar indexed text above the threshold, or None."""
        import numpy as np

        signature = fingerprint(text) if isinstance(text, str) else text
        if not len(self) or not self._usable(signature):
            return None
        query = signature.hashvalues.astype(np.uint32)
        rows = self._values[: len(self)]
        # An LSH candidate shares all r values of at least one of the b bands.
        same = rows[:, :LSH_BANDS * LSH_ROWS] == query[:LSH_BANDS * LSH_ROWS]
        candidates = np.flatnonzero(
            same.reshape(len(rows), LSH_BANDS, LSH_ROWS).all(axis=2).any(axis=1))
        if not candidates.size:
            return None
        scores = np.count_nonzero(rows[candidates] == query, axis=1) / NUM_PERM
        best = float(scores.max())
        if best < self.threshold:
            return None
        # Ties go to the most recently added text.
        tied = candidates[scores == best]
        return self._stories[max(tied, key=lambda row: (row - self._count) % self.capacity)]

    def add(self, story_id: Hashable, text: str) -> None:
        """Index one more text (an article) as part of a story."""
        self.add_fingerprint(story_id, fingerprint(text))

    def add_fingerprint(self, story_id: Hashable, signature: MinHash) -> None:
        if not self._usable(signature):
            return  # a text without words matches nothing and should match nothing
        row = self._count % self.capacity
        self._values[row] = signature.hashvalues
        self._stories[row] = story_id
        self._count += 1
