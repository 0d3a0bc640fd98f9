"""What the search index learns from each page beyond its text: parts of compound words and of CJK text.

Pagefind matches a query against the start of indexed words: "Kultur" finds "Kulturbüro", but
"Büro" does not, and Japanese text on a German or English page (Pagefind segments Japanese only
on pages whose ``<html lang>`` is ``ja``) is one long word that a query matches only at its start.
So each indexed page carries a hidden list of extra words: the parts of its long words that the
network uses as words of their own ("Residenz" in "Sommerresidenz"), and every position of its
CJK runs ("電子音楽" inside "広島市で活動する電子音楽家"). Both are linear in the text.

A UI language indexes one version of each item (its translation into the UI language, else the
original), so the hidden list also carries the words of the item's other versions, with their
parts: every original is found in every UI language, and each item is a result once.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from markupsafe import Markup

WORD = re.compile(r"[^\W\d_]+")
CJK_RUN = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uac00-\ud7af]{2,}")
MIN_PART = 4
"""The shortest part of a compound word worth indexing."""
MIN_COMPOUND = 8
"""The shortest word that is split."""
CJK_SPAN = 8
"""How many characters from each position of a CJK run are indexed: a query's length at most."""


def words(text: str) -> list[str]:
    """The lower-case words of a text, letters only.

    >>> words("Die Chorwerkstatt, 2026: offen!")
    ['die', 'chorwerkstatt', 'offen']
    """
    return [w.lower() for w in WORD.findall(text)]


def compound_parts(word: str, vocabulary: set[str]) -> list[str]:
    """The known words a long word ends with, longest first (a linking "s" needs no rule: the tail after it is tried too).

    >>> compound_parts("sommerresidenz", {"residenz", "sommer"})
    ['residenz']
    >>> compound_parts("arbeitsgruppe", {"gruppe"}), compound_parts("kulturbüro", {"büro"})
    (['gruppe'], ['büro'])
    >>> compound_parts("residenz", {"residenz"})
    []
    """
    if len(word) < MIN_COMPOUND:
        return []
    tails = (word[start:] for start in range(MIN_PART - 1, len(word) - MIN_PART + 1))
    return [tail for tail in tails if tail in vocabulary]


def cjk_fragments(text: str) -> list[str]:
    """Each position of every CJK run, up to CJK_SPAN characters: so a query matches inside.

    The run's start is one too: Pagefind does not split words at Japanese punctuation, so a run
    after "。" or "、" does not start a word of its own ("熊野筆" in "デザイナー。熊野筆の技法").

    >>> cjk_fragments("Sound 広島市で活動")
    ['広島市で活動', '島市で活動', '市で活動', 'で活動', '活動']
    >>> cjk_fragments("職人。熊野筆")
    ['職人', '熊野筆', '野筆']
    """
    found = []
    for run in CJK_RUN.findall(text):
        found += [run[start : start + CJK_SPAN] for start in range(len(run) - 1)]
    return found


def searchable_text(entry) -> str:
    """The text of an entry that its page shows: name or title, summary and body."""
    return " ".join((entry.title, entry.summary, Markup(entry.html).striptags() if entry.html else ""))


class SearchTerms:
    """The extra words of every entry, from one vocabulary of the whole network (built once)."""

    def __init__(self, entries: Iterable, known: dict | None = None) -> None:
        """``known`` maps (digest, title) of an entry to its words from an earlier build; it gains
        the words of every entry read now, so a build can keep it for the next."""
        self.entries = list(entries)
        self.vocabulary: set[str] = set()
        for entry in self.entries:
            key = (entry.item.digest, entry.title) if known is not None else None
            found = known.get(key) if key is not None else None
            if found is None:
                found = tuple(dict.fromkeys(w for w in words(searchable_text(entry)) if len(w) >= MIN_PART))
                if key is not None:
                    known[key] = found
            self.vocabulary.update(found)
        self._cache: dict[int, str] = {}

    def of(self, entry) -> str:
        """The extra words of one entry's page, space-separated, each once, in a stable order: the
        parts of its own words, then the words of its other versions (original, translations) that
        its page lacks, and their parts."""
        key = id(entry)
        if key not in self._cache:
            own = searchable_text(entry)
            extra = dict.fromkeys(self._parts(own))
            shown = set(words(own))
            for version in entry.versions():
                if version is not entry:
                    text = searchable_text(version)
                    extra.update(dict.fromkeys(w for w in words(text) if w not in shown))
                    extra.update(dict.fromkeys(self._parts(text)))
            self._cache[key] = " ".join(extra)
        return self._cache[key]

    def _parts(self, text: str) -> list[str]:
        """The known parts of a text's compound words and the fragments of its CJK runs."""
        found = [part for word in words(text) for part in compound_parts(word, self.vocabulary)]
        return found + cjk_fragments(text)
