"""The member cities of the networks: how content names them, and the city page each gets at its first use.

A member of a network (content/networks/*.yaml) with a city file (``city:``) is that city. A member
without one is named by its ``slug:``, else by its name as a slug (:func:`member_slug`); content
may name it wherever it names a city. A member city that content names becomes a city of the site
(:func:`add_member_cities`): a city page with the network's description and the member's profiles,
calls and news, built from the network file alone. Staff replace it by a city file at any time.
"""

from __future__ import annotations

import hashlib
import uuid
from dataclasses import dataclass
from functools import cache
from importlib import resources

from cucon import schema
from cucon.content import Item, Site
from cucon.problems import ContentProblem
from cucon.text import make_slug

MEMBER_NAMESPACE = uuid.UUID("6f0c7f4e-2b1a-4c55-9a43-3f1d2e8b7c60")
"""Namespace of the permanent ids of member cities without a city file (uuid5 of network id and slug)."""


@dataclass(frozen=True)
class Member:
    """One member of a network, with the slug content names it by."""

    slug: str
    network: Item
    index: int
    meta: schema.NetworkMember

    @property
    def key(self) -> tuple[str, str]:
        """What makes two entries the same city: the name and the country."""
        return self.meta.name.casefold(), self.meta.country


def member_slug(member: schema.NetworkMember) -> str:
    """The slug content names a member by: its city file's, its own, else its name's.

    >>> m = schema.NetworkMember(name="Kırşehir", country="TR", since=2019)
    >>> member_slug(m), member_slug(m.model_copy(update={"slug": "kirsehir-tr"}))
    ('kirsehir', 'kirsehir-tr')
    """
    return member.city or member.slug or make_slug(member.name)


def index_members(site: Site) -> tuple[dict[str, Member], list[ContentProblem]]:
    """Every network member by slug, and the problems of slugs that name two cities.

    The same city (name and country) may be a member of several networks; two different cities
    with one slug, a city listed twice in one network, and a member without ``city:`` whose slug
    is a city file's are problems at the later member.
    """
    found: dict[str, Member] = {}
    problems: list[ContentProblem] = []
    for network in site.networks.values():
        for index, meta in enumerate(network.meta.members):
            member = Member(member_slug(meta), network, index, meta)
            where = ("members", index, "slug" if meta.slug else "name")
            first = found.get(member.slug)
            if first is not None and (first.network is network or first.key != member.key):
                problems.append(
                    network.problem(
                        where,
                        "member-slug-twice",
                        slug=member.slug,
                        first=f"{first.network.path}:{first.network.line('members', first.index)}",
                        second=f"{network.path}:{network.line('members', index)}",
                        suggestion=f"{member.slug}-{meta.country.lower()}",
                    )
                )
                continue
            city_file = site.cities.get(member.slug)
            if not meta.city and city_file is not None:
                problems.append(
                    network.problem(where, "member-is-a-city-file", slug=member.slug, path=city_file.path)
                )
                continue
            found.setdefault(member.slug, member)
    return found, problems


def named_cities(site: Site) -> set[str]:
    """The slugs of every city that content names (profiles, calls, news, who may apply)."""
    named: set[str] = set()
    for item in site.items():
        named.update(getattr(item.meta, "cities", None) or ())
        open_to = getattr(item.meta, "open_to", None)
        if open_to is not None:
            named.update(open_to.cities)
    return named


@cache
def country_timezones() -> dict[str, str]:
    """The first timezone of each country in the time zone database's zone.tab.

    >>> country_timezones()["DE"], country_timezones()["IT"]
    ('Europe/Berlin', 'Europe/Rome')
    """
    found: dict[str, str] = {}
    text = resources.files("tzdata").joinpath("zoneinfo", "zone.tab").read_text(encoding="utf-8")
    for line in text.splitlines():
        if line and not line.startswith("#"):
            country, _, zone = line.split("\t")[:3]
            found.setdefault(country, zone)
    return found


def member_city(member: Member) -> Item:
    """A city item made from a network member: what a city file would say, as far as the network knows."""
    network, meta = member.network, member.meta
    names = schema.CityNames.model_validate({"de": meta.name, "en": meta.name, "local": meta.name})
    city = schema.City.model_construct(
        id=str(uuid.uuid5(MEMBER_NAMESPACE, f"{network.id} {member.slug}")),
        names=names,
        country=meta.country,
        timezone=meta.timezone or country_timezones().get(meta.country, "UTC"),
        coordinates=meta.coordinates,
        languages=[],
        relations=[schema.CityRelation(kind=network.meta.relation, since=meta.since)],
        description=network.meta.description,
        website=None,
    )
    digest = hashlib.blake2b(f"{network.digest} {member.slug}".encode(), digest_size=16).hexdigest()
    return Item(
        type="city",
        slug=member.slug,
        path=network.path,
        meta=city,
        source=network.source,
        doc=network.doc,
        digest=digest,
        member_of=network,
    )


def add_member_cities(site: Site) -> None:
    """Index the network members (their problems go to ``site.problems``) and give every member
    city that content names, and that has no city file, a city of its own."""
    site.members, problems = index_members(site)
    site.problems.extend(problems)
    for slug in sorted(named_cities(site)):
        member = site.members.get(slug)
        if member is not None and slug not in site.cities:
            site.cities[slug] = member_city(member)
