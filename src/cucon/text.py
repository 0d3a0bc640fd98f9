"""Text rules shared by the build, the checker and the bot: normalising, refusing, slugs."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

from slugify import slugify

SLUG_RULE = re.compile(r"^[a-z0-9-]{1,80}$")

# Characters that reorder how text is displayed (Trojan Source, CVE-2021-42574).
BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")

# C0 and C1 controls, except tab and newlines, which a Markdown body may contain.
ALLOWED_CONTROLS = frozenset("\t\n\r")

FORMAT_PLANES = (range(0x00000, 0x20000), range(0xE0000, 0xF0000))
"""The planes that hold format characters: the basic and supplementary multilingual planes, and the
special-purpose plane of the tag characters (planes 2-13 hold ideographs or nothing, 15-16 private use)."""

FORMAT_CHARACTERS = frozenset(
    chr(c) for plane in FORMAT_PLANES for c in plane if unicodedata.category(chr(c)) == "Cf"
)
"""Unicode's invisible format characters (category Cf): zero-width space, joiners, direction marks,
soft hyphen, word joiner, byte order mark, tag characters … (bidi controls are Cf too)."""

FILLERS = frozenset("\u115f\u1160\u3164\uffa0\u2800")
"""Characters that draw nothing but count as letters or symbols: the Hangul fillers, the Braille blank."""

JOINERS = frozenset("\u200c\u200d")
"""Zero-width non-joiner and joiner: needed inside words of Persian, Arabic and Indic scripts, and ZWJ in emoji."""

JOINING_SCRIPTS = (
    (0x0600, 0x08FF),
    (0x0900, 0x0DFF),
    (0x0F00, 0x109F),
    (0x1780, 0x17FF),
    (0xA8E0, 0xA8FF),
    (0xFB50, 0xFDFF),
    (0xFE70, 0xFEFC),
)
"""Code point ranges of scripts whose words use ZWNJ/ZWJ: Arabic, Syriac, Thaana, NKo, the Indic scripts
(Devanagari … Sinhala), Tibetan, Myanmar, Khmer, the Arabic presentation forms."""


def _pattern(chars: Iterable[str]) -> re.Pattern:
    """A regex class of the characters, for a search in C speed."""
    return re.compile("[" + "".join(re.escape(c) for c in sorted(chars)) + "]")


CONTROLS = frozenset(chr(c) for c in (*range(0x00, 0x20), *range(0x7F, 0xA0)))
FORBIDDEN = _pattern((CONTROLS - ALLOWED_CONTROLS) | BIDI_CONTROLS)
"""What no text may hold, bodies and multi-line texts included: controls (but tab and newlines), bidi controls."""
FORBIDDEN_SINGLE_LINE = _pattern(CONTROLS | FORMAT_CHARACTERS | FILLERS | {"\u2028", "\u2029"})
"""What a one-line text (a name, a title, an alt text …) may not hold either: every format character
(but ZWNJ/ZWJ where a script or an emoji needs them, see :func:`_needed_joiner`), the line and
paragraph separators, and the invisible fillers."""


def _kind(char: str) -> str:
    """The code of a forbidden character's problem (:data:`cucon.codes.ENGLISH`): what it is.

    >>> _kind("\\u200b"), _kind("\\U000e0041"), _kind("\\u3164")
    ('format-character', 'tag-character', 'filler-character')
    """
    if char in BIDI_CONTROLS:
        return "bidi-control"
    if char in CONTROLS:
        return "control-character"
    if char in ("\u2028", "\u2029"):
        return "line-separator"
    if char in FILLERS:
        return "filler-character"
    if 0xE0000 <= ord(char) <= 0xE007F:
        return "tag-character"
    if char == "\u00ad":
        return "soft-hyphen"
    return "format-character"


def _in_joining_script(char: str) -> bool:
    """Whether a character belongs to a script whose words use ZWNJ/ZWJ."""
    return any(start <= ord(char) <= end for start, end in JOINING_SCRIPTS)


def _needed_joiner(text: str, index: int) -> bool:
    """Whether the ZWNJ/ZWJ at ``index`` stands where a script or an emoji sequence needs it.

    >>> _needed_joiner("\\u0645\\u06cc\\u200c\\u062e", 2), _needed_joiner("An\\u200dna", 2)
    (True, False)
    >>> _needed_joiner("\\U0001f469\\u200d\\U0001f3a4", 1), _needed_joiner("\\u200d", 0)
    (True, False)
    """
    if index == 0 or index + 1 >= len(text):
        return False
    before, after = text[index - 1], text[index + 1]
    if _in_joining_script(before) and _in_joining_script(after):
        return True
    emoji = ("So", "Sk")
    return (
        text[index] == "\u200d"
        and (unicodedata.category(before) in emoji or before == "\ufe0f")
        and unicodedata.category(after) == "So"
    )


def normalise(text: str) -> str:
    """Return ``text`` in Unicode NFC, the one form we store and compare.

    >>> normalise("Poznan\\u0301") == "Pozna\\u0144"
    True
    """
    return unicodedata.normalize("NFC", text)


def find_forbidden(text: str, multiline: bool = False) -> tuple[int, str, str] | None:
    """The 0-based index, the kind (a problem code) and the code point of the first forbidden character, or None.

    Multi-line texts (bodies, descriptions) refuse controls and bidi controls; one-line texts
    refuse every invisible character too (see :data:`FORBIDDEN_SINGLE_LINE`).

    >>> find_forbidden("ab\\u202ec")
    (2, 'bidi-control', 'U+202E')
    >>> find_forbidden("Anna\\u200bKowalska"), find_forbidden("Anna\\u200bKowalska", multiline=True)
    ((4, 'format-character', 'U+200B'), None)
    """
    for match in (FORBIDDEN if multiline else FORBIDDEN_SINGLE_LINE).finditer(text):
        char = match.group(0)
        if char in JOINERS and _needed_joiner(text, match.start()):
            continue
        return match.start(), _kind(char), f"U+{ord(char):04X}"
    return None


ASCII_ALNUM = re.compile("[A-Za-z0-9]")


def has_visible_letter(text: str) -> bool:
    """Whether a text has a letter or digit that shows: not only spaces, fillers or symbols.

    >>> has_visible_letter("Anna"), has_visible_letter("2026"), has_visible_letter("\\u3164 \\u2800"), has_visible_letter("…")
    (True, True, False, False)
    """
    if ASCII_ALNUM.search(text):  # the usual case, in C speed
        return True
    return any(unicodedata.category(c)[0] in "LN" and c not in FILLERS for c in text)


WINDOWS_DEVICE_NAMES = frozenset(
    ["con", "prn", "aux", "nul", "conin$", "conout$"]
    + [f"{port}{n}" for port in ("com", "lpt") for n in "0123456789\u00b9\u00b2\u00b3"]
)
"""Names Windows keeps for devices, in any case and with any extension: Git for Windows cannot check out
``aux.md`` or ``con.jpg``, so no content file and no slug may take them."""


def windows_device_name(file_name: str) -> str | None:
    """The Windows device a file or folder name would open (``AUX`` for ``aux.md``), or None.

    Windows ignores the case, everything from the first dot, and trailing dots and spaces.

    >>> windows_device_name("aux.md"), windows_device_name("Con. "), windows_device_name("com\u00b9.jpg")
    ('AUX', 'CON', 'COM\u00b9')
    >>> windows_device_name("console.md"), windows_device_name("com10.md"), windows_device_name("aux-1.md")
    (None, None, None)
    """
    base = file_name.split(".", 1)[0].rstrip(" .")
    return base.upper() if base.lower() in WINDOWS_DEVICE_NAMES else None


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


LATIN_SCRIPTS = ("LATIN", "DIGIT")
"""Scripts the A–Z letters cover: a name starting so is filed by its own letters."""


def script_of(text: str) -> str:
    """The Unicode script word of a text's first letter or digit ("" for none).

    >>> script_of("Żuraw"), script_of("劇団かきつばた"), script_of("かきつばた"), script_of("4 hands"), script_of("Ωmega")
    ('LATIN', 'CJK', 'HIRAGANA', 'DIGIT', 'GREEK')
    """
    first = next((char for char in text if char.isalnum()), "")
    return unicodedata.name(first, "").split(" ", 1)[0] if first else ""
