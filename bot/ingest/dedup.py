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
    """Maps texts to stories: a text about 60%+ shingle-similar to a known one joins its story."""

    def __init__(self, threshold: float = THRESHOLD) -> None:
        from datasketch import MinHashLSH

        self.threshold = threshold
        self._lsh = MinHashLSH(threshold=threshold, num_perm=NUM_PERM)
        self._signatures: dict[str, MinHash] = {}
        self._story_of_key: dict[str, Hashable] = {}
        self._count = 0

    def __len__(self) -> int:
        return len(self._signatures)

    def story_of(self, text: str | MinHash) -> Hashable | None:
        """The story id of the most similar indexed text above the threshold, or None."""
        signature = fingerprint(text) if isinstance(text, str) else text
        if not self._signatures or signature.is_empty():
            return None
        best_key, best_score = None, self.threshold
        # LSH gives candidates; the estimated Jaccard decides, so borderline hits are checked.
        for key in self._lsh.query(signature):
            score = signature.jaccard(self._signatures[key])
            if score >= best_score:
                best_key, best_score = key, score
        return None if best_key is None else self._story_of_key[best_key]

    def add(self, story_id: Hashable, text: str) -> None:
        """Index one more text (an article) as part of a story."""
        self.add_fingerprint(story_id, fingerprint(text))

    def add_fingerprint(self, story_id: Hashable, signature: MinHash) -> None:
        if signature.is_empty():
            return  # a text without words matches nothing and should match nothing
        self._count += 1
        key = f"{self._count}"
        self._lsh.insert(key, signature)
        self._signatures[key] = signature
        self._story_of_key[key] = story_id
