"""Find a person's name however it is written: hidden characters, entities, formatting, inflection.

``cucon remove`` replaces the plain mentions of a removed name itself (:mod:`cucon.erasure`); this
module finds the rest, for staff to check by hand. Text is compared in a **folded** form
(:func:`fold`): HTML character references decoded (``&shy;``, ``&#x200B;``, ``&nbsp;``), every
invisible format character dropped (soft hyphen, zero-width space, joiners, direction marks, tag
characters …), NFKC, case folded, typographic apostrophes and hyphens made plain. Each folded
character remembers where it came from, so a finding names the text as it is in the file.

A name is found as a whole (its words in order, apart by white space, Markdown emphasis or HTML
tags, or written together), and each word may take an **ending** (:func:`word_forms`):

- every word: the genitive or possessive ``s``, ``'s``, ``'`` (German "Engels", "Kowalskas",
  English "Anna's", "Hans'");
- Latin-script words of three letters or more, by their ending, the Polish declension: ``-a`` →
  ``-y -i -ie -ę -ą -o -iej`` ("Anny", "Kowalskiej", "Kowalską"); ``-ki``/``-gi`` → ``-kiego
  -kiemu -kim -kich`` ("Kowalskiego", "Kowalskim"); other ``-i``/``-y`` → ``-ego -emu -ym -ych -im
  -ich`` ("Czarnego"); a final consonant → ``-a -owi -em -iem -u -ie -owie -ów`` ("Engela",
  "Nowakiem").

The rule is conservative: endings are a fixed list, words must end on a word boundary, so
"Joanna" or "Kowalskaja" is never "Anna" or "Kowalska"; and nothing found here is rewritten, only
listed. Words in scripts without spaces (Chinese, Japanese) are matched as they are.
"""

from __future__ import annotations

import bisect
import html
import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from cucon.text import FORMAT_CHARACTERS

ENTITY = re.compile(r"&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")
"""An HTML character reference, which Markdown turns into its character."""

MARKS = "\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f\u3099\u309a"
"""Combining marks that NFKC may join with the character before them."""

UNIT = re.compile(rf"{ENTITY.pattern}|.[{MARKS}]+|[^\x00-\x7f]", re.DOTALL)
"""What is folded on its own: an entity, a character with its combining marks, any non-ASCII character.
Runs of plain ASCII between them only need lower case."""

PLAIN_PUNCTUATION = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'", "\u2010": "-", "\u2011": "-"})

GAP = r"(?:[\s*_~`\\]|<[^<>]{0,200}>)*"
"""Between the words of a name: white space, Markdown emphasis or HTML tags, or nothing (the words
written together, or apart only by an invisible character such as a zero-width space)."""

FORMATTING = re.compile(r"<[^<>]*>|[*_~`\\]")
"""Markdown emphasis and HTML tags, which a name found across them is split by."""

GENITIVE = r"(?:'s?|s)?"
"""The genitive or possessive ending any word may take (after :data:`PLAIN_PUNCTUATION`)."""

LATIN = re.compile(r"[a-z\u00e0-\u024f'-]{3,}")
"""A folded Latin-script word long enough to be declined."""


def fold_one(unit: str) -> str:
    """One unit in the folded form: entity decoded, invisible characters dropped, NFKC, case folded.

    >>> fold_one("&shy;"), fold_one("\\u00c9"), fold_one("\\u200b"), fold_one("\\ufb01"), fold_one("\\u2019")
    ('', 'é', '', 'fi', "'")
    """
    if unit.startswith("&"):
        unit = html.unescape(unit)
    unit = "".join(c for c in unit if c not in FORMAT_CHARACTERS)
    return unicodedata.normalize("NFKC", unit).casefold().translate(PLAIN_PUNCTUATION)


@dataclass(frozen=True)
class Folded:
    """A text in the folded form, and where in the original each stretch of it came from."""

    text: str
    starts: list[int]
    """The folded offset where each stretch begins."""
    origins: list[tuple[int, int, bool]]
    """Each stretch's original start and end, and whether it is copied one to one (plain ASCII)."""

    def span(self, start: int, end: int) -> tuple[int, int]:
        """The original span of a folded one."""
        first = bisect.bisect_right(self.starts, start) - 1
        begin, _, same = self.origins[first]
        left = begin + (start - self.starts[first]) if same else begin
        last = bisect.bisect_right(self.starts, end - 1) - 1
        begin, finish, same = self.origins[last]
        right = begin + (end - self.starts[last]) if same else finish
        return left, right


def fold(text: str) -> Folded:
    """A text in the folded form, with the way back to the original.

    >>> folded = fold("Anna Kowal&shy;ska\\u2019s")
    >>> folded.text
    "anna kowalska's"
    >>> folded.span(5, 15)
    (5, 20)
    """
    parts: list[str] = []
    starts: list[int] = []
    origins: list[tuple[int, int, bool]] = []
    length = position = 0

    def add(folded: str, begin: int, end: int, same: bool) -> None:
        nonlocal length
        if folded:
            parts.append(folded)
            starts.append(length)
            origins.append((begin, end, same))
            length += len(folded)

    for match in UNIT.finditer(text):
        if match.start() > position:
            add(text[position : match.start()].lower(), position, match.start(), True)
        add(fold_one(match.group(0)), match.start(), match.end(), False)
        position = match.end()
    if position < len(text):
        add(text[position:].lower(), position, len(text), True)
    return Folded("".join(parts), starts, origins)


def word_forms(word: str) -> str:
    """A pattern for a folded word and its endings (see the module's docstring).

    >>> forms = re.compile(word_forms("kowalska"))
    >>> [bool(forms.fullmatch(w)) for w in ("kowalska", "kowalskas", "kowalskiej", "kowalską", "kowalskaja")]
    [True, True, True, True, False]
    >>> [bool(re.fullmatch(word_forms("kowalski"), w)) for w in ("kowalskiego", "kowalskim", "kowalsky")]
    [True, True, False]
    >>> [bool(re.fullmatch(word_forms("czarny"), w)) for w in ("czarnego", "czarnym", "czarnyego")]
    [True, True, False]
    >>> [bool(re.fullmatch(word_forms("engel"), w)) for w in ("engels", "engela", "engelowi", "engelsberg")]
    [True, True, True, False]
    """
    forms = [re.escape(word)]
    if LATIN.fullmatch(word):
        stem, last = re.escape(word[:-1]), word[-1]
        if last == "a":
            forms.append(f"{stem}(?:y|i|ie|ę|ą|o|iej)")
        elif last in "iy":
            endings = "iego|iemu|im|ich" if word[-2] in "kg" else "ego|emu|ym|ych|im|ich"
            forms.append(f"{stem}(?:{endings})")
        elif last not in "eou'-":
            forms.append(f"{re.escape(word)}(?:a|owi|em|iem|u|ie|owie|ów)")
    return f"(?:{'|'.join(forms)}){GENITIVE}"


def _spaced(word: str) -> bool:
    """Whether a word's script separates words with spaces (unlike Chinese or Japanese)."""
    return unicodedata.east_asian_width(word[0]) not in ("W", "F")


def _pattern(names: Iterable[str], inflected: bool) -> re.Pattern | None:
    """One pattern for the folded names, as whole words, their words apart by :data:`GAP`."""
    alternatives = []
    for name in sorted({fold(n).text.strip() for n in names if n and n.strip()}, key=len, reverse=True):
        words = name.split()
        core = GAP.join(word_forms(w) if inflected else re.escape(w) for w in words)
        left = r"(?<!\w)" if _spaced(words[0]) else ""
        right = r"(?!\w)" if _spaced(words[-1]) else ""
        alternatives.append(f"{left}{core}{right}")
    return re.compile("|".join(alternatives)) if alternatives else None


def visible(text: str) -> str:
    """A text on one line with its invisible characters shown as code points.

    >>> visible("Kowal\\u00adska\\nx")
    'Kowal<U+00AD>ska x'
    """
    return "".join(f"<U+{ord(c):04X}>" if c in FORMAT_CHARACTERS else c for c in " ".join(text.split()))


@dataclass(frozen=True)
class Finding:
    """A place where a name may still stand: the original span, the text there, and why it is left."""

    start: int
    end: int
    text: str
    why: str
    part: bool


class Mentions:
    """Finds names, and parts of names, in any spelling the module's docstring describes."""

    def __init__(self, names: Iterable[str], parts: Iterable[str] = ()) -> None:
        names = list(names)
        self.names = _pattern(names, inflected=True)
        self.plain = _pattern(names, inflected=False)
        self.parts = _pattern(parts, inflected=True)
        self.plain_parts = _pattern(parts, inflected=False)

    def find(self, text: str) -> Iterator[Finding]:
        """Every place in a text where one of the names or one of the parts stands, in order.

        A part is only reported where it starts with a capital letter, as names do in running
        text (``anna-kowalska`` in an address is not the person's first name).

        >>> found = Mentions(["Anna Kowalska"], ["Anna", "Kowalska"]).find("Mit Anny Kowal&shy;skiej und anna-k.")
        >>> [(f.text, f.why, f.part) for f in found]
        [('Anny Kowal&shy;skiej', 'an inflected form, written with invisible characters', False)]
        """
        if self.names is None and self.parts is None:
            return
        folded = fold(text)
        taken: list[tuple[int, int]] = []
        found: list[Finding] = []
        for match in self.names.finditer(folded.text) if self.names else ():
            start, end = folded.span(*match.span())
            taken.append((start, end))
            why = self._why(self.plain, match.group(0), text[start:end])
            found.append(Finding(start, end, text[start:end], why, False))
        for match in self.parts.finditer(folded.text) if self.parts else ():
            start, end = folded.span(*match.span())
            letter = next((c for c in text[start:end] if c.isalpha()), "")
            if letter.islower() or any(s < end and start < e for s, e in taken):
                continue
            why = self._why(self.plain_parts, match.group(0), text[start:end])
            found.append(Finding(start, end, text[start:end], why, True))
        yield from sorted(found, key=lambda f: f.start)

    @staticmethod
    def _why(plain: re.Pattern | None, folded: str, original: str) -> str:
        """Why a finding was left for a person: which of the spellings it has."""
        reasons = []
        bare = " ".join(FORMATTING.sub(" ", folded).split())
        if plain is None or not plain.fullmatch(bare):
            reasons.append("an inflected form")
        if FORMATTING.search(folded):
            reasons.append("split by formatting")
        hidden = any(c in FORMAT_CHARACTERS for c in original) or ENTITY.search(original)
        if hidden or unicodedata.normalize("NFKC", original) != original:
            reasons.append("written with invisible characters")
        return ", ".join(reasons) or "not replaced automatically"
