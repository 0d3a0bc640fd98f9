"""Text rules shared by the build, the checker and the bot: normalising, refusing, slugs."""

from __future__ import annotations

import re
import unicodedata

from slugify import slugify

SLUG_RULE = re.compile(r"^[a-z0-9-]{1,80}$")

# Characters that reorder how text is displayed (Trojan Source, CVE-2021-42574).
BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")

# C0 and C1 controls, except tab and newlines, which a Markdown body may contain.
ALLOWED_CONTROLS = frozenset("\t\n\r")


def normalise(text: str) -> str:
    """Return ``text`` in Unicode NFC, the one form we store and compare.

    >>> normalise("Poznan\\u0301") == "Pozna\\u0144"
    True
    """
    return unicodedata.normalize("NFC", text)


FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
"""C0/C1 controls (but tab and newlines) and bidi controls, for a search in C speed."""
FORBIDDEN_SINGLE_LINE = re.compile("[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def find_forbidden(text: str, multiline: bool = False) -> tuple[int, str] | None:
    """The 0-based index and a description of the first forbidden character, or None.

    >>> find_forbidden("ab\\u202ec")
    (2, 'a bidirectional control character (U+202E)')
    """
    match = (FORBIDDEN if multiline else FORBIDDEN_SINGLE_LINE).search(text)
    if match is None:
        return None
    char = match.group(0)
    kind = "a bidirectional control character" if char in BIDI_CONTROLS else "a control character"
    return match.start(), f"{kind} (U+{ord(char):04X})"


def forbidden_character(text: str, multiline: bool = False) -> str | None:
    """Describe the first character that content may not contain, or return None.

    >>> forbidden_character("Anna \\u202eKowalska")
    'a bidirectional control character (U+202E) at position 6'
    >>> forbidden_character("line\\nbreak") is not None
    True
    >>> forbidden_character("line\\nbreak", multiline=True) is None
    True
    """
    found = find_forbidden(text, multiline)
    return None if found is None else f"{found[1]} at position {found[0] + 1}"


def make_slug(text: str, max_length: int = 80) -> str:
    """Derive a slug that matches the slug rule from any name or title.

    >>> make_slug("Poznań Jazz Ensemble")
    'poznan-jazz-ensemble'
    >>> make_slug("広島 平和音楽祭")
    'guang-dao-ping-he-yin-le-ji'
    """
    slug = slugify(normalise(text), max_length=max_length, word_boundary=True)
    return slug or "item"


def is_slug(value: str) -> bool:
    """True when ``value`` follows the slug rule ``^[a-z0-9-]{1,80}$``.

    >>> is_slug("anna-kowalska"), is_slug("Anna"), is_slug("a/b")
    (True, False, False)
    """
    return bool(SLUG_RULE.match(value))
