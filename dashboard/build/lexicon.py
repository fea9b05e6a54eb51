"""The general lexicon a new story starts from: read from the codebook, where its rule is stated."""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from dashboard.data.audit import section_bullets

CODEBOOK_PATH = Path(__file__).resolve().parents[2] / "docs" / "codebook.md"
HEADING = "### General lexicon"


@lru_cache(maxsize=4)
def _read(path: str) -> tuple[tuple[str, str, tuple[str, ...]], ...]:
    _, bullets = section_bullets(Path(path).read_text(encoding="utf-8").splitlines(), HEADING)
    entries = []
    for bullet in bullets:  # "`term` `variant` … — category"
        m = re.match(r"(.*?)\s+[—–-]\s+(.+?)\s*$", bullet)
        forms = re.findall(r"`([^`]+)`", m.group(1)) if m else []
        if forms:
            entries.append((forms[0], m.group(2), tuple(forms[1:])))
    return tuple(entries)


def general_lexicon(path: str | Path = CODEBOOK_PATH) -> list[dict[str, object]]:
    """The codebook's general lexicon as lexicon entries (term, category, variants)."""
    return [{"term": t, "category": c, "variants": list(v)} for t, c, v in _read(str(path))]
