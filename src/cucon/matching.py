"""Who fits whom, once per build: "calls for you" and "people to work with" on a profile's page, "who
might answer" on a call's page, each entry with a score from 0 to 100 and the facts behind it.

Candidates come from an inverted index (postings of disciplines, languages and the words of
"looking for", summaries and titles in every language), never from a loop over all pairs: each
list visits at most :data:`VISITS` postings, the rarest features first, so the work grows linearly
with the network. A feature's weight is its BM25 inverse document frequency, so a rare discipline
or word counts more than one that half the network shares. Words are Unicode words of three
letters or more; Japanese and Chinese text (no spaces between words) is cut into character
bigrams, so Japanese text matches Japanese text. The controlled lists (disciplines, languages,
cities, and what people offer and seek: :data:`cucon.schema.OFFERS`) carry what words in six
languages cannot.

A profile's calls come from postings of the calls by (discipline, where their people may come
from), each kept in three orders once per build: the newest first (the profile's feed), the nearest
deadline first (its calendar) and the most fitting first ("calls for you"). A profile reads only
the heads of its few postings, so its lists cost the same in a network of 100 calls or 100,000.
"""

from __future__ import annotations

import heapq
import math
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from itertools import islice
from operator import itemgetter

from cucon.subscriptions import published_order
from cucon.views import Listings, ShownItem

MAX_MATCHES = 6
"""The longest list a page shows."""

VISITS = 500
"""The most postings one list visits: what keeps matching linear in the size of the network."""

COMMON = 0.15
"""A word in more than this share of all profiles and calls ("and", "the", "eine") is left out:
it meets everywhere and explains nothing (scikit-learn calls this max_df)."""

COMMON_FLOOR = 4
"""A word in this many entries or fewer is never common, however small the network."""

SHORTLIST = 30
"""How many of the people (or calls) a list's postings found best are scored exactly for it."""

ALERTS = 20
"""The most calls a profile's feed and calendar hold (``CUCON_ALERTS_LIMIT``): a feed read daily
brings every new call while fewer than this many come a day, and each file stays small, though
there are as many as profiles times UI languages."""

WEIGHTS = {"disciplines": 45, "terms": 20, "words": 20, "languages": 15}
"""The points of each part of a profile's score (a part counts the weighted share of its features that meet)."""

CALL_WEIGHTS = {"disciplines": 40, "terms": 15, "words": 15, "languages": 10}
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
    terms: tuple[tuple[str, str], ...] = ()
    """The controlled terms that meet, as (``give``, slug): the entry shown offers what the page's
    entry seeks, or (``need``, slug): it seeks what the page's entry offers."""


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
    gives: frozenset[str] = frozenset()
    """The controlled terms a profile or a call offers (``offers``)."""
    needs: frozenset[str] = frozenset()
    """The controlled terms a profile seeks (``seeks``)."""


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
        gives=frozenset(entry.facts.offers),
        needs=frozenset(getattr(entry.facts, "seeks", ())),
    )


@dataclass
class Index:
    """Postings of one kind of entry: for each feature, the slugs that have it (in slug order), and
    each feature's weight once :meth:`finish` has counted them."""

    postings: dict[tuple[str, str], list[str]] = field(default_factory=lambda: defaultdict(list))
    size: int = 0
    weights: dict[tuple[str, str], float] = field(default_factory=dict)

    def add(self, slug: str, keys: Iterable[tuple[str, str]]) -> None:
        """Index one entry (entries are added in slug order)."""
        self.size += 1
        for key in keys:
            self.postings[key].append(slug)

    def finish(self) -> Index:
        """Weigh every feature by its idf among the entries of this index."""
        self.weights = {key: idf(len(found), self.size) for key, found in self.postings.items()}
        return self

    def weight(self, key: tuple[str, str]) -> float:
        """A feature's weight (a feature no entry has weighs 0)."""
        return self.weights.get(key, 0.0)

    def total(self, kind: str, values: Iterable[str]) -> float:
        """The summed weight of some features of one kind."""
        if not values:
            return 0.0
        weights = self.weights
        return sum([weights.get((kind, value), 0.0) for value in values])

    def visit(self, keys: Iterable[tuple[str, str]]) -> Iterator[tuple[tuple[str, str], list[str]]]:
        """(feature, slugs that have it) for some features, the rarest first, within :data:`VISITS` slugs."""
        postings = self.postings
        ordered = sorted((k for k in set(keys) if k in postings), key=lambda k: (len(postings[k]), k))
        budget = VISITS
        for key in ordered:
            yield key, postings[key][:budget]
            budget -= len(postings[key])
            if budget <= 0:
                break

    def candidates(self, keys: Iterable[tuple[str, str]]) -> list[str]:
        """The slugs found under some features (see :meth:`visit`), each once."""
        found: dict[str, None] = {}
        for _key, slugs in self.visit(keys):
            found.update(dict.fromkeys(slugs))
        return list(found)


def feature_keys(feats: Features, offers: bool = True, wants: bool = False) -> Iterator[tuple[str, str]]:
    """The features of an entry as index keys: its disciplines and languages, and what it offers
    (words and terms) and wants (words and terms)."""
    yield from (("discipline", d) for d in feats.disciplines)
    yield from (("language", code) for code in feats.languages)
    if offers:
        yield from (("offer", w) for w in feats.offers)
        yield from (("give", t) for t in feats.gives)
    if wants:
        yield from (("want", w) for w in feats.wants)
        yield from (("need", t) for t in feats.needs)


def wanted_terms(feats: Features) -> list[tuple[str, str]]:
    """The term keys under which a profile finds the people it fits: those who offer what it seeks
    and those who seek what it offers.

    >>> wanted_terms(Features(frozenset(), frozenset(), frozenset(), frozenset(), gives=frozenset({"venue"}),
    ...                       needs=frozenset({"residency"})))
    [('give', 'residency'), ('need', 'venue')]
    """
    return [("give", t) for t in sorted(feats.needs)] + [("need", t) for t in sorted(feats.gives)]


def _rarest(keys: Iterable[tuple[str, str]], index: Index) -> tuple[str, ...]:
    """Up to three words of some features, the rarest first."""
    ordered = sorted(keys, key=lambda k: (-index.weight(k), k[1]))
    return tuple(k[1] for k in ordered[:3])


def _share(part: float, whole: float) -> float:
    """``part`` of ``whole``, 0 when there is no whole.

    >>> _share(1.0, 4.0), _share(1.0, 0.0)
    (0.25, 0.0)
    """
    return part / whole if whole else 0.0


@dataclass(frozen=True)
class Matches:
    """Every match list of a build, by the (type, slug) of the page that shows it."""

    calls_for: dict[str, tuple[Match, ...]]
    """A profile's "calls for you", by the profile's slug."""
    feed_for: dict[str, tuple[ShownItem, ...]]
    """The newest calls that are for a profile (:func:`cucon.calls.is_for`), newest first: its feed."""
    deadlines_for: dict[str, tuple[ShownItem, ...]]
    """The calls for a profile with the nearest deadlines, the nearest first: its calendar."""
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


def drop_common_words(feats: dict) -> None:
    """Leave out of every entry's words those in more than :data:`COMMON` of all entries (and more
    than :data:`COMMON_FLOOR`)."""
    counts = Counter(w for f in feats.values() for w in f.offers | f.wants)
    common = {w for w, n in counts.items() if n > max(COMMON * len(feats), COMMON_FLOOR)}
    for f in feats.values():
        f.offers, f.wants = f.offers - common, f.wants - common


def _reach_keys(call: ShownItem) -> Iterator[tuple[str, str]]:
    """Where a call finds the people who may apply: the cities and countries it names, or everyone."""
    open_to = call.facts.open_to
    yield from (("city", c) for c in open_to.cities)
    yield from (("country", c) for c in open_to.countries)
    if open_to.everyone:
        yield ("everyone", "")


@dataclass(frozen=True)
class OpenTo:
    """Whom a call is open to, as sets: what deciding a profile's reason costs once the call is found."""

    cities: frozenset[str]
    countries: frozenset[str]
    everyone: bool

    def reason(self, cities: frozenset[str], countries: frozenset[str]) -> str | None:
        """Why people from some cities (in some countries) may apply, the narrowest reason first:
        :func:`cucon.calls.reach` for sets of cities.

        >>> call = OpenTo(frozenset({"poznan"}), frozenset({"DE"}), True)
        >>> [call.reason(frozenset(c), frozenset(k)) for c, k in ((["poznan"], ["PL"]), ([], ["DE"]), ([], []))]
        ['city', 'country', 'everyone']
        """
        if not self.cities.isdisjoint(cities):
            return "city"
        if not self.countries.isdisjoint(countries):
            return "country"
        return "everyone" if self.everyone else None


@dataclass(frozen=True)
class Heads:
    """The first calls of one posting of :class:`CallPostings` in each order a profile reads it,
    each call as a tuple that ends with its rank in :attr:`CallPostings.newest` or :attr:`CallPostings.soonest`."""

    newest: tuple[tuple[int], ...]
    """(rank by publication,) of the newest calls."""
    soonest: tuple[tuple[int], ...]
    """(rank by deadline,) of the calls with the nearest deadlines."""
    fittest: tuple[tuple[float, int], ...]
    """(minus the points of the discipline and the reach, rank by deadline) of the best fitting calls."""


def first(streams: Iterable[Iterable[tuple]], limit: int) -> list[int]:
    """The last items of the first ``limit`` distinct tuples of some sorted streams, merged.

    >>> first([[(1,), (3,), (5,)], [(1,), (2,), (6,)]], 3)
    [1, 2, 3]
    >>> first([[(-20.0, 4), (-8.0, 1)], [(-14.0, 1)]], 5)
    [4, 1]
    """
    found: dict[int, None] = {}
    for item in heapq.merge(*streams):
        found[item[-1]] = None
        if len(found) == limit:
            break
    return list(found)


class CallPostings:
    """The calls not closed by (discipline, reach key): a call is in the posting of each of its
    disciplines and each place it is open to (``("city", slug)``, ``("country", code)``,
    ``("everyone", "")``), so every call in a profile's postings is for the profile.

    Each posting keeps only its heads (:class:`Heads`), sorted once per build: the ``limit`` newest,
    the ``limit`` with the nearest deadlines, and the :data:`SHORTLIST` that the discipline and the
    reach alone score best (a call about the discipline alone before one that names five), the
    nearest deadline first. A profile merges the heads of its few postings, never a whole posting.
    """

    def __init__(self, calls: dict[str, ShownItem], feats: dict, offers: Index, limit: int) -> None:
        self.newest = sorted(calls, key=lambda s: published_order(calls[s]), reverse=True)
        """The slugs of the calls, the newest first."""
        self.soonest = sorted(calls, key=lambda s: (calls[s].deadline, s))
        """The slugs of the calls, the nearest deadline first."""
        due = {slug: n for n, slug in enumerate(self.soonest)}
        postings: dict[tuple[str, tuple[str, str]], list[int]] = defaultdict(list)
        for n, slug in enumerate(self.newest):
            for reach in _reach_keys(calls[slug]):
                for discipline in feats[("call", slug)].disciplines:
                    postings[(discipline, reach)].append(n)
        disciplines = {slug: offers.total("discipline", feats[("call", slug)].disciplines) for slug in calls}
        self.heads: dict[tuple[str, tuple[str, str]], Heads] = {}
        for (discipline, reach), ranks in postings.items():
            points = CALL_WEIGHTS["disciplines"] * offers.weight(("discipline", discipline))
            slugs = [self.newest[n] for n in ranks]
            self.heads[(discipline, reach)] = Heads(
                tuple((n,) for n in ranks[:limit]),
                tuple((n,) for n in heapq.nsmallest(limit, (due[s] for s in slugs))),
                tuple(
                    heapq.nsmallest(
                        SHORTLIST,
                        ((-_share(points, disciplines[s]) - REACH_POINTS[reach[0]], due[s]) for s in slugs),
                    )
                ),
            )

    def of(self, profile: ShownItem, mine: Features) -> list[Heads]:
        """The heads of the postings a profile is in: its disciplines at its cities, their countries and everyone."""
        places = [("city", c.slug) for c in profile.cities] + [
            ("country", c.meta.country) for c in profile.cities
        ]
        return [
            self.heads[key]
            for place in (*places, ("everyone", ""))
            for discipline in sorted(mine.disciplines)
            if (key := (discipline, place)) in self.heads
        ]


def match(listings: Listings, limit: int = ALERTS) -> Matches:
    """Every match list of the network, from inverted indexes of the profiles and the calls; a
    profile's feed and calendar hold at most ``limit`` calls each."""
    profiles = {p.slug: p for p in sorted(listings.of("profile"), key=lambda p: p.slug)}
    calls = {c.slug: c for c in sorted(listings.of("call"), key=lambda c: c.slug) if c.status != "closed"}
    feats = {("profile", s): features(p) for s, p in profiles.items()}
    feats |= {("call", s): features(c) for s, c in calls.items()}
    drop_common_words(feats)
    countries = {slug: frozenset(c.meta.country for c in p.cities) for slug, p in profiles.items()}
    people, places, offers = Index(), Index(), Index()
    for slug in profiles:
        mine = feats[("profile", slug)]
        people.add(slug, feature_keys(mine, offers=True, wants=True))
        # Profiles by where they live and what they do: the people a call may reach.
        places.add(slug, [*feature_keys(mine, offers=False), *(("city", c) for c in mine.cities)])
        places.add(slug, [("country", c) for c in sorted(countries[slug])])
    for slug in calls:
        offers.add(slug, feature_keys(feats[("call", slug)]))
    people.finish(), offers.finish()
    postings = CallPostings(calls, feats, offers, limit)
    # What each call's score needs, once: its features, the wholes of its parts, whom it is open to.
    wholes = {
        slug: (feats[("call", slug)], *totals(feats[("call", slug)], offers, asks=True)) for slug in calls
    }
    open_to = {
        slug: OpenTo(frozenset(o.cities), frozenset(o.countries), o.everyone)
        for slug, o in ((slug, call.facts.open_to) for slug, call in calls.items())
    }
    calls_for: dict[str, tuple[Match, ...]] = {}
    feed_for: dict[str, tuple[ShownItem, ...]] = {}
    deadlines_for: dict[str, tuple[ShownItem, ...]] = {}
    people_for: dict[str, tuple[Match, ...]] = {}
    for slug, profile in profiles.items():
        mine = feats[("profile", slug)]
        heads = postings.of(profile, mine)
        feed_for[slug] = tuple(calls[postings.newest[n]] for n in first([h.newest for h in heads], limit))
        deadlines_for[slug] = tuple(
            calls[postings.soonest[n]] for n in first([h.soonest for h in heads], limit)
        )
        fittest = first([h.fittest for h in heads], SHORTLIST)
        shortlist = dict.fromkeys(postings.soonest[n] for n in fittest)
        shortlist |= _worded(mine, countries[slug], offers, wholes, open_to)
        calls_for[slug] = _calls_for(shortlist, mine, countries[slug], calls, offers, wholes, open_to)
        people_for[slug] = _people(slug, mine, profiles, feats, people)
    answers_for = {
        slug: _answers(call, feats[("call", slug)], open_to[slug], profiles, feats, countries, people, places)
        for slug, call in calls.items()
    }
    return Matches(calls_for, feed_for, deadlines_for, people_for, answers_for)


def _rough(index: Index, keys: Iterable[tuple[str, str]], points: dict[str, float]) -> list[str]:
    """The entries found under some features (:meth:`Index.visit`), the best first by a rough
    score: the summed ``points`` of each feature's kind times its weight (ties in the order found)."""
    rough: dict[str, float] = {}
    for key, found in index.visit(keys):
        gain = points[key[0]] * index.weights[key]
        for other in found:
            rough[other] = rough.get(other, 0.0) + gain
    return [slug for slug, _score in sorted(rough.items(), key=itemgetter(1), reverse=True)]


def _worded(
    mine: Features, countries: frozenset[str], offers: Index, wholes: dict, open_to: dict
) -> dict[str, None]:
    """The calls for a profile that its words and the terms it seeks found best (:data:`SHORTLIST`
    of them by rough score): a call that offers what the profile looks for, however far down its
    postings it is."""
    keys = [("offer", w) for w in mine.wants | mine.offers] + [("give", t) for t in mine.needs]
    ranked = _rough(offers, keys, {"offer": CALL_WEIGHTS["words"], "give": CALL_WEIGHTS["terms"]})
    fits = (
        s
        for s in ranked
        if not mine.disciplines.isdisjoint(wholes[s][0].disciplines)
        and open_to[s].reason(mine.cities, countries)
    )
    return dict.fromkeys(islice(fits, SHORTLIST))


def _calls_for(
    shortlist: dict[str, None],
    mine: Features,
    countries: frozenset[str],
    calls: dict,
    offers: Index,
    wholes: dict,
    open_to: dict,
) -> tuple[Match, ...]:
    """A profile's best calls among a shortlist of those that are for it: by score, then slug
    (``countries``: the profile's; ``wholes``: each call's features and :func:`totals`;
    ``open_to``: each call's :class:`OpenTo`)."""
    asks = mine.wants | mine.offers
    total = offers.total
    why = {slug: open_to[slug].reason(mine.cities, countries) for slug in shortlist}
    scored = []
    for slug in shortlist:
        theirs, disciplines, _languages, words_total = wholes[slug]
        score = (
            CALL_WEIGHTS["disciplines"]
            * _share(total("discipline", mine.disciplines & theirs.disciplines), disciplines)
            + CALL_WEIGHTS["terms"]
            * min(1.0, 2 * _share(total("give", mine.needs & theirs.gives), total("give", theirs.gives)))
            + CALL_WEIGHTS["words"] * min(1.0, 2 * _share(total("offer", asks & theirs.offers), words_total))
            + CALL_WEIGHTS["languages"] * (not mine.languages.isdisjoint(theirs.languages))
            + REACH_POINTS[why[slug]]
        )
        scored.append((-min(100, round(score)), slug))
    return tuple(
        Match(
            calls[slug],
            -score,
            tuple(sorted(mine.disciplines & wholes[slug][0].disciplines)),
            tuple(sorted(mine.languages & wholes[slug][0].languages)),
            _rarest([("offer", w) for w in asks & wholes[slug][0].offers], offers),
            why[slug],
            tuple(("give", t) for t in sorted(mine.needs & wholes[slug][0].gives)),
        )
        for score, slug in heapq.nsmallest(MAX_MATCHES, scored)
    )


def totals(mine: Features, index: Index, asks: bool) -> tuple[float, float, float]:
    """The weights of what ``mine`` brings (disciplines, languages, words), the wholes of its scores' parts."""
    if asks:
        words_total = index.total("offer", mine.offers)
    else:
        words_total = index.total("want", mine.offers) + index.total("offer", mine.wants)
    return index.total("discipline", mine.disciplines), index.total("language", mine.languages), words_total


def fit(
    mine: Features, theirs: Features, index: Index, asks: bool, own: tuple[float, float, float] | None = None
) -> tuple[int, list[tuple[str, str]]]:
    """The score (0–100) of a profile ``theirs`` for ``mine`` (a profile, or a call if ``asks``),
    and the word and term features that meet; ``own`` is :func:`totals` of ``mine``, computed once per list.

    A call's words are what it asks for, its terms what it offers (met by a profile's ``seeks``);
    between two profiles, the words that meet are each one's "looking for" against the other's
    summary, the terms each one's ``seeks`` against the other's ``offers``.
    """
    disciplines, languages, words_total = own or totals(mine, index, asks)
    if asks:
        met = [("offer", w) for w in mine.offers & theirs.offers]
        terms = [("need", t) for t in mine.gives & theirs.needs]
        terms_total = index.total("need", mine.gives)
    else:
        met = [("want", w) for w in mine.offers & theirs.wants] + [
            ("offer", w) for w in mine.wants & theirs.offers
        ]
        terms = [("give", t) for t in mine.needs & theirs.gives] + [
            ("need", t) for t in mine.gives & theirs.needs
        ]
        terms_total = index.total("give", mine.needs) + index.total("need", mine.gives)
    weights = index.weights
    score = (
        WEIGHTS["disciplines"]
        * _share(index.total("discipline", mine.disciplines & theirs.disciplines), disciplines)
        + WEIGHTS["languages"] * _share(index.total("language", mine.languages & theirs.languages), languages)
        + WEIGHTS["words"] * min(1.0, 2 * _share(sum([weights.get(k, 0.0) for k in met]), words_total))
        + WEIGHTS["terms"] * min(1.0, 2 * _share(sum([weights.get(k, 0.0) for k in terms]), terms_total))
    )
    return min(100, round(score)), met + terms


def _best(
    scored: list[tuple[int, str, list]], mine: Features, profiles: dict, feats: dict, index: Index
) -> tuple[Match, ...]:
    """The best :data:`MAX_MATCHES` of (score, slug, words and terms met) by score, then slug, as
    matches with their reasons."""
    return tuple(
        Match(
            profiles[slug],
            score,
            tuple(sorted(mine.disciplines & feats[("profile", slug)].disciplines)),
            tuple(sorted(mine.languages & feats[("profile", slug)].languages)),
            _rarest([k for k in met if k[0] in ("offer", "want")], index),
            terms=tuple(sorted(k for k in met if k[0] in ("give", "need"))),
        )
        for score, slug, met in heapq.nsmallest(MAX_MATCHES, scored, key=lambda s: (-s[0], s[1]))
    )


def _people(slug: str, mine: Features, profiles: dict, feats: dict, people: Index) -> tuple[Match, ...]:
    """A profile's "people to work with": profiles in other cities sharing disciplines or languages,
    whose "looking for" meets this profile's summary, or who offer what it seeks (or the other way round).

    The postings visited add up a rough score per profile (each feature's share of the score); the
    :data:`SHORTLIST` best of those are scored exactly.
    """
    keys = [*feature_keys(mine, offers=False)]
    keys += [("want", w) for w in mine.offers] + [("offer", w) for w in mine.wants] + wanted_terms(mine)
    own = totals(mine, people, asks=False)
    terms_total = people.total("give", mine.needs) + people.total("need", mine.gives)
    points = {
        "discipline": _share(WEIGHTS["disciplines"], own[0]),
        "language": _share(WEIGHTS["languages"], own[1]),
        "want": _share(2 * WEIGHTS["words"], own[2]),
        "offer": _share(2 * WEIGHTS["words"], own[2]),
        "give": _share(2 * WEIGHTS["terms"], terms_total),
        "need": _share(2 * WEIGHTS["terms"], terms_total),
    }
    ranked = _rough(people, keys, points)
    elsewhere = (o for o in ranked if o != slug and mine.cities.isdisjoint(feats[("profile", o)].cities))
    scored = []
    for other in islice(elsewhere, SHORTLIST):
        score, met = fit(mine, feats[("profile", other)], people, False, own)
        if score:
            scored.append((score, other, met))
    return _best(scored, mine, profiles, feats, people)


def _answers(
    call: ShownItem,
    mine: Features,
    open_to: OpenTo,
    profiles: dict,
    feats: dict,
    countries: dict,
    people: Index,
    places: Index,
) -> tuple[Match, ...]:
    """A call's "who might answer": profiles outside the call's home cities who may apply to it
    (found by the places it is open to; ``countries``: each profile's) and share a discipline with it."""
    home = home_cities(call)
    keys = [k for k in _reach_keys(call) if k[0] != "everyone"]
    if open_to.everyone:
        keys += [("discipline", d) for d in mine.disciplines]
    scored = []
    own = totals(mine, people, asks=True)
    for other in places.candidates(keys):
        theirs = feats[("profile", other)]
        if (
            not home.isdisjoint(theirs.cities)
            or mine.disciplines.isdisjoint(theirs.disciplines)
            or not open_to.reason(theirs.cities, countries[other])
        ):
            continue
        score, met = fit(mine, theirs, people, True, own)
        scored.append((score, other, met))
    return _best(scored, mine, profiles, feats, people)
