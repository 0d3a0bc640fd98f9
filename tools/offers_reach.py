"""How many pairs the controlled list of what people offer and seek connects that words alone do not.

Pairs are two profiles in different cities, and a profile and a call not closed that it may apply
to (:func:`cucon.calls.may_apply`). Words are those matching compares (:func:`cucon.matching.features`,
common words left out as :func:`cucon.matching.match` leaves them out); terms meet where one's
``seeks`` is the other's ``offers``. Run after changing the sample network, and keep the figures in
docs/content-model.md ("What people offer and seek") honest:

    .venv/bin/python tools/offers_reach.py [CONTENT] [--now 2026-12-05T12:00:00+00:00]
"""

from __future__ import annotations

import argparse
import datetime as dt
import itertools
from collections import Counter
from pathlib import Path

from cucon.calls import may_apply
from cucon.checks import load_site
from cucon.matching import drop_common_words, features
from cucon.views import Listings, build_listings


def reach(listings: Listings) -> Counter:
    """Counts of pairs: all, those whose terms meet, those whose words meet, and whose terms only meet."""
    profiles = sorted(listings.of("profile"), key=lambda p: p.slug)
    calls = sorted((c for c in listings.of("call") if c.status != "closed"), key=lambda c: c.slug)
    feats = {("profile", p.slug): features(p) for p in profiles} | {
        ("call", c.slug): features(c) for c in calls
    }
    drop_common_words(feats)
    counts: Counter = Counter()
    for a, b in itertools.combinations(profiles, 2):
        if {c.slug for c in a.cities} & {c.slug for c in b.cities}:
            continue
        mine, theirs = feats[("profile", a.slug)], feats[("profile", b.slug)]
        terms = bool(mine.needs & theirs.gives or mine.gives & theirs.needs)
        words = bool((mine.offers | mine.wants) & (theirs.offers | theirs.wants))
        counts.update(_kinds("profile-profile", terms, words))
    for profile, call in itertools.product(profiles, calls):
        if not any(may_apply(call, city) for city in profile.cities):
            continue
        mine, theirs = feats[("profile", profile.slug)], feats[("call", call.slug)]
        terms = bool(mine.needs & theirs.gives)
        words = bool((mine.offers | mine.wants) & theirs.offers)
        counts.update(_kinds("profile-call", terms, words))
    return counts


def _kinds(pair: str, terms: bool, words: bool) -> list[str]:
    """The counters one pair adds to.

    >>> _kinds("profile-call", True, False)
    ['profile-call', 'profile-call terms', 'profile-call terms only']
    """
    found = [pair]
    if terms:
        found.append(f"{pair} terms")
    if words:
        found.append(f"{pair} words")
    if terms and not words:
        found.append(f"{pair} terms only")
    return found


def main() -> None:
    """Print the counts for a content folder (the sample network by default)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("content", nargs="?", type=Path, default=Path("content"))
    parser.add_argument("--now", default=dt.datetime.now(dt.UTC).isoformat(timespec="seconds"))
    arguments = parser.parse_args()
    counts = reach(build_listings(load_site(arguments.content), arguments.now))
    for pair in ("profile-profile", "profile-call"):
        print(
            f"{pair}: {counts[pair]} pairs; words meet in {counts[pair + ' words']}, terms in "
            f"{counts[pair + ' terms']}, terms only (no shared word) in {counts[pair + ' terms only']}"
        )


if __name__ == "__main__":
    main()
