"""The extra words an entry's search data carries, with the word cache of incremental builds."""

from __future__ import annotations

from collections.abc import Callable

from cucon.incremental import STATE_FOLDER, IncrementalBuild, fingerprint, load_saved, save
from cucon.search import SearchTerms
from cucon.views import Listings, ShownItem

WORDS_FILE = "words.pickle"
"""In the incremental state folder: the words of each entry, by its digest and title."""
WORDS_VERSION = 1


def search_terms(listings: Listings, build: IncrementalBuild) -> Callable[[ShownItem], str]:
    """The search words of an entry, each noted as a dependency of the page being written.

    The words found are kept in the state folder for the next build (only those of live entries).
    """
    path = build.cache / STATE_FOLDER / WORDS_FILE
    words = load_saved(path, WORDS_VERSION).get("words", {}) if build.enabled else {}
    known = len(words)
    terms = SearchTerms(listings.entries.values(), words)
    live = {(e.item.digest, e.title) for e in listings.entries.values()}
    kept = {key: found for key, found in words.items() if key in live}
    if len(words) != known or len(kept) != known:  # some entry's words were new, or are gone
        save(path, {"words": kept}, WORDS_VERSION)
    return _noting_terms(build, terms)


def _noting_terms(build: IncrementalBuild, terms: SearchTerms) -> Callable[[ShownItem], str]:
    """``terms.of`` that notes the entry's search words as a dependency of the page being written.

    The words of an entry depend on the vocabulary of the whole network: while the vocabulary
    is the same as in the last build, they change only with the entry itself.
    """
    vocabulary = fingerprint(sorted(terms.vocabulary))

    def words_key(entry) -> str:
        state = build.begin()
        state.extra["vocabulary"] = vocabulary
        same = state.previous_extra.get("vocabulary") == vocabulary
        key, own = (entry.type, entry.slug), build.keys.entry(entry)
        known = state.previous_extra.get("words", {}).get(key)
        words = known[1] if same and known and known[0] == own else fingerprint(terms.of(entry))
        state.extra.setdefault("words", {})[key] = (own, words)
        return words

    build.keys.search_words_of = words_key

    def search_terms(entry) -> str:
        build.recorder.note(("s", entry.type, entry.slug))
        return terms.of(entry)

    return search_terms
