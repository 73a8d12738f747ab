"""Unicode direction controls taken out of article text before any platform shows it."""

from __future__ import annotations

import re

# Embeddings, overrides and isolates (U+202A-U+202E, U+2066-U+2069) reorder everything after
# them on the line until a matching pop that hostile text never sends: "Trojan source" titles
# that show one address or name and hold another, or spill into the bot's own words after them.
# Arabic and Hebrew text shows right-to-left without them (the implicit marks U+200E/U+200F,
# which reorder nothing beyond a character, are kept).
_DIRECTION_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069]")


def without_direction_controls(text: str) -> str:
    """Text with every bidi embedding, override and isolate removed."""
    return _DIRECTION_CONTROLS.sub("", text) if _DIRECTION_CONTROLS.search(text) else text
