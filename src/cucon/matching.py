"""Who fits whom, once per build: "calls for you" and "people to work with" on a profile's page, "who
might answer" on a call's page, each entry with a score from 0 to 100 and the facts behind it.

Candidates come from an inverted index (postings of disciplines, languages and the words of
"looking for", summaries and titles in every language), never from a loop over all pairs: each
list visits at most :data:`VISITS` postings, the rarest features first, so the work grows linearly
with the network. A feature's weight is its BM25 inverse document frequency, so a rare discipline
or word counts more than one that half the network shares. Words are Unicode words of three
letters or more; Japanese and Chinese text (no spaces between words) is cut into character
bigrams, so Japanese text matches Japanese text. The controlled lists (disciplines, languages,
cities) carry what words in six languages cannot.
"""

from __future__ import annotations

import math
import re
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from cucon.calls import is_for, reach
from cucon.views import Listings, ShownItem

MAX_MATCHES = 6
"""The longest list a page shows."""

VISITS = 2000
"""The most postings one list visits: what keeps matching linear in the size of the network."""

WEIGHTS = {"disciplines": 55, "words": 25, "languages": 20}
"""The points of each part of a profile's score (a part counts the weighted share of its features that meet)."""

CALL_WEIGHTS = {"disciplines": 50, "words": 20, "languages": 10}
"""The points of each part of a call's score for a profile; :data:`REACH_POINTS` add the rest."""

REACH_POINTS = {"city": 20, "country": 14, "everyone": 8}
"""A call's points for a profile by how narrowly the call is open to the profile's city."""

CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uac00-\ud7af]+")
"""Runs of Japanese, Chinese and Korean script: text without spaces between words."""

WORD = re.compile(r"[^\W\d_]{3,}")
"""A word of three letters or more, in any script that separates words."""


def words(text: str) -> set[str]:
    """The words of a text as matching compares them: casefolded, with CJK runs as character bigrams.

    >>> sorted(words("Sound-Art Residenz; 音響アート"))
    ['art', 'residenz', 'sound', 'アー', 'ート', '音響', '響ア']
    """
    found = {w.casefold() for w in WORD.findall(CJK.sub(" ", text))}
    for run in CJK.findall(text):
        found.update(run[i : i + 2] for i in range(max(len(run) - 1, 1)))
    return found


def idf(postings: int, documents: int) -> float:
    """BM25's inverse document frequency of a feature held by ``postings`` of ``documents`` entries.

    >>> round(idf(1, 100), 2), round(idf(50, 100), 2)
    (4.21, 0.69)
    """
    return math.log(1 + (documents - postings + 0.5) / (postings + 0.5))


@dataclass(frozen=True)
class Match:
    """One entry of a match list: whom or what, its score, and why (the facts a reason line names)."""

    entry: ShownItem
    score: int
    disciplines: tuple[str, ...] = ()
    """The discipline slugs both share."""
    languages: tuple[str, ...] = ()
    """The language codes both use."""
    words: tuple[str, ...] = ()
    """Up to three words that meet, the rarest first."""
    reach: str | None = None
    """For a call shown to a profile: why the profile may apply (``city``, ``country``, ``everyone``)."""


@dataclass
class Features:
    """What one entry brings to matching: its controlled facts and its words."""

    disciplines: frozenset[str]
    languages: frozenset[str]
    cities: frozenset[str]
    offers: frozenset[str]
    """Words of the summaries (and a call's titles): what the entry is or offers."""
    wants: frozenset[str] = frozenset()
    """Words of a profile's "looking for"."""


def _texts(entry: ShownItem, *names: str) -> Iterator[str]:
    """The texts of some fields in every version of an entry."""
    for version in entry.versions():
        for name in names:
            value = getattr(version.meta, name, None)
            if value:
                yield value


def features(entry: ShownItem) -> Features:
    """The features of a profile or a call."""
    versions = entry.versions()
    if entry.type == "profile":
        languages = {*entry.facts.languages, *(v.lang for v in versions)}
        offers = set().union(*(words(t) for t in _texts(entry, "summary")))
        wants = set().union(*(words(t) for t in _texts(entry, "looking_for")))
    else:
        languages = {v.lang for v in versions}
        offers = set().union(*(words(t) for t in _texts(entry, "title", "summary")))
        wants = set()
    return Features(
        disciplines=frozenset(d.slug for d in entry.disciplines),
        languages=frozenset(code.split("-")[0] for code in languages if code),
        cities=frozenset(c.slug for c in entry.cities),
        offers=frozenset(offers),
        wants=frozenset(wants),
    )


@dataclass
class Index:
    """Postings of one kind of entry: for each feature, the slugs that have it (in slug order)."""

    postings: dict[tuple[str, str], list[str]] = field(default_factory=lambda: defaultdict(list))
    size: int = 0

    def add(self, slug: str, keys: Iterable[tuple[str, str]]) -> None:
        """Index one entry (entries are added in slug order)."""
        self.size += 1
        for key in keys:
            self.postings[key].append(slug)

    def weight(self, key: tuple[str, str]) -> float:
        """A feature's weight: its idf among the entries of this index (a feature none has weighs 0)."""
        found = len(self.postings.get(key, ()))
        return idf(found, self.size) if found else 0.0

    def candidates(self, keys: Iterable[tuple[str, str]]) -> list[str]:
        """The slugs found under some features, the rarest features first, within :data:`VISITS`."""
        ordered = sorted(set(keys), key=lambda k: (len(self.postings.get(k, ())), k))
        found: dict[str, None] = {}
        budget = VISITS
        for key in ordered:
            for slug in self.postings.get(key, ())[:budget]:
                found[slug] = None
            budget -= len(self.postings.get(key, ()))
            if budget <= 0:
                break
        return list(found)


def feature_keys(feats: Features, offers: bool = True, wants: bool = False) -> Iterator[tuple[str, str]]:
    yield from (("discipline", d) for d in feats.disciplines)
    yield from (("language", code) for code in feats.languages)
    if offers:
        yield from (("offer", w) for w in feats.offers)
    if wants:
        yield from (("want", w) for w in feats.wants)


def _part(shared: Iterable[tuple[str, str]], own: Iterable[tuple[str, str]], index: Index) -> float:
    """The weighted share of ``own`` features that are among the ``shared`` ones (0 to 1)."""
    own = list(own)
    total = sum(index.weight(k) for k in own)
    return sum(index.weight(k) for k in shared) / total if total else 0.0


def _rarest(keys: Iterable[tuple[str, str]], index: Index) -> tuple[str, ...]:
    """Up to three words of some features, the rarest first."""
    ordered = sorted(keys, key=lambda k: (-index.weight(k), k[1]))
    return tuple(k[1] for k in ordered[:3])


def _best(found: list[Match]) -> tuple[Match, ...]:
    """The best :data:`MAX_MATCHES` of a list: by score, then by slug."""
    return tuple(sorted(found, key=lambda m: (-m.score, m.entry.slug))[:MAX_MATCHES])


@dataclass(frozen=True)
class Matches:
    """Every match list of a build, by the (type, slug) of the page that shows it."""

    calls_for: dict[str, tuple[Match, ...]]
    """A profile's "calls for you", by the profile's slug."""
    eligible: dict[str, tuple[ShownItem, ...]]
    """Every call that is for a profile (:func:`cucon.calls.is_for`), by the profile's slug: its feed and calendar."""
    people_for: dict[str, tuple[Match, ...]]
    """A profile's "people to work with"."""
    answers_for: dict[str, tuple[Match, ...]]
    """A call's "who might answer", by the call's slug."""

    def of(self, entry: ShownItem) -> dict[str, tuple[Match, ...]]:
        """The match lists an entry's page shows (a translation's page shows its original's), by name."""
        slug = (entry.original or entry).slug
        if entry.type == "profile":
            return {
                "calls_for_you": self.calls_for.get(slug, ()),
                "people_for_you": self.people_for.get(slug, ()),
            }
        if entry.type == "call":
            return {"who_might_answer": self.answers_for.get(slug, ())}
        return {}


def home_cities(call: ShownItem) -> frozenset[str]:
    """The cities a call comes from: its organiser's (a profile), else the first of its cities."""
    if call.organiser is not None:
        return frozenset(c.slug for c in call.organiser.cities)
    return frozenset(c.slug for c in call.cities[:1])


def match(listings: Listings) -> Matches:
    """Every match list of the network, from inverted indexes of the profiles and the calls."""
    profiles = {p.slug: p for p in sorted(listings.of("profile"), key=lambda p: p.slug)}
    calls = {c.slug: c for c in sorted(listings.of("call"), key=lambda c: c.slug) if c.status != "closed"}
    feats = {("profile", s): features(p) for s, p in profiles.items()}
    feats |= {("call", s): features(c) for s, c in calls.items()}
    people, offers = Index(), Index()
    for slug in profiles:
        people.add(slug, feature_keys(feats[("profile", slug)], offers=True, wants=True))
    for slug in calls:
        offers.add(slug, feature_keys(feats[("call", slug)]))
    calls_for: dict[str, tuple[Match, ...]] = {}
    eligible: dict[str, tuple[ShownItem, ...]] = {}
    people_for: dict[str, tuple[Match, ...]] = {}
    for slug, profile in profiles.items():
        mine = feats[("profile", slug)]
        found = [calls[s] for s in offers.candidates(("discipline", d) for d in mine.disciplines)]
        fits = [call for call in found if is_for(call, profile)]
        eligible[slug] = tuple(sorted(fits, key=lambda c: (c.deadline, c.slug)))
        calls_for[slug] = _best([_call_match(call, profile, mine, feats, offers) for call in fits])
        people_for[slug] = _people(slug, mine, profiles, feats, people)
    answers_for = {
        slug: _answers(call, feats[("call", slug)], profiles, feats, people) for slug, call in calls.items()
    }
    return Matches(calls_for, eligible, people_for, answers_for)


def _call_match(call: ShownItem, profile: ShownItem, mine: Features, feats: dict, offers: Index) -> Match:
    """How well a call that is for a profile fits it."""
    theirs = feats[("call", call.slug)]
    disciplines = mine.disciplines & theirs.disciplines
    languages = mine.languages & theirs.languages
    met = (mine.wants | mine.offers) & theirs.offers
    why = min(
        (r for r in (reach(call, city) for city in profile.cities) if r),
        key=("city", "country", "everyone").index,
    )
    met_keys = [("offer", w) for w in met]
    score = (
        CALL_WEIGHTS["disciplines"] * _part(_disc(disciplines), _disc(theirs.disciplines), offers)
        + CALL_WEIGHTS["words"] * min(1.0, 2 * _part(met_keys, [("offer", w) for w in theirs.offers], offers))
        + CALL_WEIGHTS["languages"] * bool(languages)
        + REACH_POINTS[why]
    )
    return Match(
        call,
        min(100, round(score)),
        tuple(sorted(disciplines)),
        tuple(sorted(languages)),
        _rarest(met_keys, offers),
        why,
    )


def _disc(disciplines: Iterable[str]) -> list[tuple[str, str]]:
    return [("discipline", d) for d in disciplines]


def fit(mine: Features, theirs: Features, index: Index, asks: bool) -> tuple[int, tuple, tuple, tuple]:
    """The score of a profile for someone (``mine``: a profile or a call) and what meets.

    ``asks``: ``mine`` is a call, whose words are what it asks for; else the words that meet are
    each one's "looking for" against the other's summary.
    """
    disciplines = mine.disciplines & theirs.disciplines
    languages = mine.languages & theirs.languages
    if asks:
        met = [("offer", w) for w in mine.offers & theirs.offers]
        own = [("offer", w) for w in mine.offers]
    else:
        met = [("want", w) for w in mine.offers & theirs.wants]
        met += [("offer", w) for w in mine.wants & theirs.offers]
        own = [("want", w) for w in mine.offers] + [("offer", w) for w in mine.wants]
    score = (
        WEIGHTS["disciplines"] * _part(_disc(disciplines), _disc(mine.disciplines), index)
        + WEIGHTS["languages"]
        * _part([("language", c) for c in languages], [("language", c) for c in mine.languages], index)
        + WEIGHTS["words"] * min(1.0, 2 * _part(met, own, index))
    )
    return min(100, round(score)), tuple(sorted(disciplines)), tuple(sorted(languages)), _rarest(met, index)


def _people(slug: str, mine: Features, profiles: dict, feats: dict, people: Index) -> tuple[Match, ...]:
    """A profile's "people to work with": profiles in other cities sharing disciplines or languages,
    or whose "looking for" meets this profile's summary (or the other way round)."""
    keys = [*feature_keys(mine, offers=False)]
    keys += [("want", w) for w in mine.offers] + [("offer", w) for w in mine.wants]
    found = []
    for other in people.candidates(keys):
        theirs = feats[("profile", other)]
        if other == slug or mine.cities & theirs.cities:
            continue
        score, disciplines, languages, met = fit(mine, theirs, people, asks=False)
        if score:
            found.append(Match(profiles[other], score, disciplines, languages, met))
    return _best(found)


def _answers(
    call: ShownItem, mine: Features, profiles: dict, feats: dict, people: Index
) -> tuple[Match, ...]:
    """A call's "who might answer": profiles outside the call's home cities who share a discipline
    with it and may apply."""
    home = home_cities(call)
    found = []
    for other in people.candidates(("discipline", d) for d in mine.disciplines):
        profile = profiles[other]
        if home & feats[("profile", other)].cities or not is_for(call, profile):
            continue
        score, disciplines, languages, met = fit(mine, feats[("profile", other)], people, asks=True)
        found.append(Match(profile, score, disciplines, languages, met, None))
    return _best(found)
