"""Checks across items: references resolve, ids are unique, translations fit their originals,
removed items stay removed. :func:`load_site` reads a content folder and checks it."""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Iterator
from pathlib import Path

from cucon import urls
from cucon.content import (
    FOLDERS,
    IMAGE_SUFFIXES,
    MAX_IMAGE_BYTES,
    REMOVED_FILE,
    YAML_FOLDERS,
    Item,
    ItemCache,
    Site,
    display_path,
    normalised,
    read_site,
)
from cucon.images import ImageRefused, inspect
from cucon.problems import ContentProblem
from cucon.text import WINDOWS_DEVICE_NAMES, windows_device_name

RESERVED_PAGE_SLUGS = urls.reserved_page_slugs() | WINDOWS_DEVICE_NAMES
"""Top-level paths the site uses with the default UI languages (:func:`cucon.urls.reserved_page_slugs`),
and Windows device names (see :func:`_device_names`); a page may not take them."""

FOLDER_OF = {item_type: folder for folder, item_type in {**FOLDERS, **YAML_FOLDERS}.items()}

RESERVED_ITEM_SLUGS = urls.LISTING_SEGMENTS | WINDOWS_DEVICE_NAMES
"""Paths inside a section that listings use (page 2, the directory by city …), and Windows device
names; no item may take them."""

MAX_SUGGESTIONS = 200
"""Suggestions cost a scan of the known names; stop offering them after this many misses."""


class Suggester:
    """Finds 'did you mean …' candidates, at most MAX_SUGGESTIONS times per check."""

    def __init__(self) -> None:
        self.budget = MAX_SUGGESTIONS

    def unknown(self, what: str, value: str, known: Iterable[str]) -> str:
        """The message for an unknown reference, with the closest known value if any.

        >>> Suggester().unknown("city", "hanover", ["hannover", "leipzig"])
        "unknown city 'hanover'; did you mean 'hannover'?"
        """
        message = f"unknown {what} '{value}'"
        if self.budget > 0:
            self.budget -= 1
            close = difflib.get_close_matches(value, list(known), n=1, cutoff=0.6)
            if close:
                return f"{message}; did you mean '{close[0]}'?"
        return message


def load_site(
    root: Path,
    cache: ItemCache | None = None,
    rendered: dict[str, str] | None = None,
    workers: int = 0,
    allowance: float = 1,
    languages: Iterable[str] = urls.LANGUAGES,
    search_bundle: str = urls.SEARCH_BUNDLE,
) -> Site:
    """Read and validate everything under a content folder (:func:`cucon.content.read_site`), then
    check it across items (:func:`check_site`); problems go to ``site.problems``."""
    site = read_site(root, cache, rendered, workers, allowance)
    if site.root.is_dir():
        check_site(site, languages, search_bundle)
    return site


def check_site(
    site: Site, languages: Iterable[str] = urls.LANGUAGES, search_bundle: str = urls.SEARCH_BUNDLE
) -> None:
    """Run every cross-item check for a site in ``languages`` with its search index in ``search_bundle``,
    and add the problems to the site."""
    suggest = Suggester()
    site.problems.extend(_unique_ids(site))
    site.problems.extend(_page_slugs(site, urls.reserved_page_slugs(languages, search_bundle)))
    site.problems.extend(_device_names(site))
    for item in site.items():
        site.problems.extend(_references(site, item, suggest))
        site.problems.extend(_images(site, item))
    site.problems.extend(_translations(site, suggest))
    site.problems.extend(_network_membership(site))
    site.problems.extend(_unused_images(site))
    site.problems.extend(_internal_links(site))
    site.problems.extend(_tombstones(site))


def _unique_ids(site: Site) -> Iterator[ContentProblem]:
    """Every permanent id belongs to exactly one item."""
    seen: dict[str, Item] = {}
    for item in site.items():
        other = seen.setdefault(item.id, item)
        if other is not item:
            message = (
                f"the id {item.id} is used by both {other.path} and {item.path}; each item needs its own"
            )
            yield item.problem(("id",), message)
            yield other.problem(("id",), message)


def _page_slugs(site: Site, reserved: frozenset[str]) -> Iterator[ContentProblem]:
    """No slug may shadow a section of the site, a UI language or a listing's path."""
    for slug, item in site.pages.items():
        if slug in reserved:
            message = f"'{slug}' is a section of the site; name the page differently"
            yield ContentProblem(item.path, 1, "(slug)", message)
    for item in site.items():
        if item.type != "page" and item.slug in urls.LISTING_SEGMENTS:
            suffix = Path(item.path).suffix
            message = f"'{item.slug}' is a path the site's listings use; rename the file, e.g. {item.slug}-1{suffix}"
            yield ContentProblem(item.path, 1, "(slug)", message)


def _device_names(site: Site) -> Iterator[ContentProblem]:
    """No file or folder of the content may take a Windows device name: Git for Windows cannot check it out."""
    for path in sorted(site.root.rglob("*")):
        device = windows_device_name(path.name)
        if device is not None:
            stem = path.name.split(".", 1)[0].rstrip(" .")
            rest = path.name[len(stem) :].rstrip(" ") if path.is_file() else ""
            message = (
                f"'{path.name}' is the Windows device name {device}, so Git for Windows cannot check it out; "
                f"rename it, e.g. {stem.lower()}-1{rest}"
            )
            yield ContentProblem(display_path(path), 1, "(file)", message)


def _reference_fields(item: Item) -> Iterator[tuple[tuple, str, str]]:
    """(key path, type, slug) of every reference an item makes."""
    meta = item.meta
    for key, kind in (("cities", "city"), ("disciplines", "discipline"), ("profiles", "profile")):
        for index, value in enumerate(getattr(meta, key, None) or []):
            yield (key, index), kind, value
    if item.type == "call" and not item.translation_of:
        if meta.organiser.profile:
            yield ("organiser", "profile"), "profile", meta.organiser.profile
        for index, value in enumerate(meta.open_to.cities):
            yield ("open_to", "cities", index), "city", value
    if item.type == "network":
        for index, member in enumerate(meta.members):
            if member.city:
                yield ("members", index, "city"), "city", member.city


def _references(site: Site, item: Item, suggest: Suggester) -> Iterator[ContentProblem]:
    """Every referenced city, discipline and profile exists."""
    targets = {"city": site.cities, "discipline": site.disciplines, "profile": site.profiles}
    for key, kind, value in _reference_fields(item):
        known = targets[kind]
        if (kind, value) in site.invalid:
            continue
        if value not in known:
            yield item.problem(key, suggest.unknown(kind, value, known))
        elif kind == "profile" and known[value].translation_of:
            yield item.problem(
                key,
                f"'{value}' is a translation; refer to the original profile '{known[value].translation_of}'",
            )


def _image_fields(item: Item) -> Iterator[tuple[tuple, str]]:
    """(key path, file name) of every image an item names."""
    if item.translation_of:
        return
    if item.type == "profile":
        yield ("photo", "file"), item.meta.photo.file
    elif item.type == "news" and item.meta.image:
        yield ("image", "file"), item.meta.image.file


def _images(site: Site, item: Item) -> Iterator[ContentProblem]:
    """Every named image lies beside the item, is within the size cap and is a JPEG, PNG or WebP."""
    folder = item.source.parent
    for key, name in _image_fields(item):
        path = folder / name
        if path.is_symlink():
            continue  # reported once, as a stray file
        if not path.is_file():
            yield item.problem(key, f"the image '{name}' is missing; put it beside {Path(item.path).name}")
        elif path.stat().st_size > MAX_IMAGE_BYTES:
            yield item.problem(
                key, f"the image '{name}' is {path.stat().st_size:,} bytes; at most 10 MB allowed"
            )
        else:
            # Header only (format allow-list, pixel count, decompression bombs): no pixel is decoded.
            try:
                inspect(path)
            except ImageRefused as refused:
                yield item.problem(key, str(refused))


def _unused_images(site: Site) -> Iterator[ContentProblem]:
    """An image no item names would be published by nobody's consent: refuse it."""
    used = {item.source.parent / name for item in site.items() for _, name in _image_fields(item)}
    # An image beside a file that failed validation may be that file's; don't ask to delete it.
    excused = {site.root / FOLDER_OF[kind] for kind, _ in site.invalid}
    for folder in ("profiles", "news", "calls", "pages", "cities", "networks"):
        if site.root / folder in excused:
            continue
        for path in site.files_in(folder, IMAGE_SUFFIXES):
            if path not in used:
                yield ContentProblem(
                    display_path(path),
                    1,
                    "(file)",
                    "no item names this image; remove it or name it in the item's front matter",
                )


def _translations(site: Site, suggest: Suggester) -> Iterator[ContentProblem]:
    """A translation names an original of its own type, in another language, once per language."""
    for (item_type, original_slug), translations in site.translations().items():
        originals = site.of_type(item_type)
        original = originals.get(original_slug)
        languages: dict[str, Item] = {}
        for translation in translations:
            key = ("translation_of",)
            if original is None and (item_type, original_slug) in site.invalid:
                continue
            if original is None:
                yield translation.problem(key, suggest.unknown(item_type, original_slug, originals))
                continue
            if original.translation_of:
                yield translation.problem(
                    key,
                    f"'{original_slug}' is itself a translation; name the original '{original.translation_of}'",
                )
                continue
            if translation.lang == original.lang:
                yield translation.problem(
                    ("lang",),
                    f"is '{translation.lang}', the language of the original; a translation is in another language",
                )
            other = languages.setdefault(translation.lang, translation)
            if other is not translation:
                yield translation.problem(
                    ("lang",),
                    f"'{original_slug}' already has a '{translation.lang}' translation: {other.path}",
                )


def _network_membership(site: Site) -> Iterator[ContentProblem]:
    """A city's network relation and the network's member list agree on the year."""
    members = {}
    for network in site.networks.values():
        for index, member in enumerate(network.meta.members):
            if member.city:
                members[(network.meta.relation, member.city)] = (network, index, member)
    for city in site.cities.values():
        for index, relation in enumerate(city.meta.relations):
            if relation.kind == "partner_city":
                continue
            found = members.get((relation.kind, city.slug))
            if found is None:
                yield city.problem(
                    ("relations", index),
                    f"no network file lists '{city.slug}' as a member for {relation.kind}",
                )
            elif found[2].since != relation.since:
                yield city.problem(
                    ("relations", index, "since"),
                    f"says {relation.since}, but {found[0].path} says {found[2].since}",
                )


INTERNAL_LINK_IN_SOURCE = re.compile(r"\{filename\}([^)\s#\"']+)")


def _internal_links(site: Site) -> Iterator[ContentProblem]:
    """Every ``{filename}`` link in a body points at a content file that exists."""
    sources = {item.source for item in site.items() if item.source}
    for item in site.items():
        if "{filename}" not in item.body:
            continue
        for match in INTERNAL_LINK_IN_SOURCE.finditer(item.body):
            if normalised(item.source.parent / match.group(1)) not in sources:
                line = item.doc.body_line + item.body.count("\n", 0, match.start())
                message = f"the link {match.group(0)} points at no content file; write the path relative to this file"
                yield ContentProblem(item.path, line, "(body)", message)


def _tombstones(site: Site) -> Iterator[ContentProblem]:
    """A tombstone's slug and id are never used again, and each is listed once."""
    display = display_path(site.root / REMOVED_FILE)
    slugs: dict[tuple[str, str], int] = {}
    ids: dict[str, int] = {}
    items = {item.id: item for item in site.items()}
    for index, tombstone in enumerate(site.removed):
        line = site.removed_doc.line_of(("removed", index))
        key = (tombstone.type, tombstone.slug)
        if key in slugs:
            message = f"'{tombstone.slug}' is listed twice (also at line {slugs[key]})"
            yield ContentProblem(display, line, f"removed[{index}].slug", message)
        if tombstone.id in ids:
            message = f"the id {tombstone.id} is listed twice (also at line {ids[tombstone.id]})"
            yield ContentProblem(display, line, f"removed[{index}].id", message)
        slugs.setdefault(key, line)
        ids.setdefault(tombstone.id, line)
        if tombstone.slug in urls.LISTING_SEGMENTS:
            message = f"'{tombstone.slug}' is a path the site's listings use, never an item's"
            yield ContentProblem(display, line, f"removed[{index}].slug", message)
        where = f"{display}:{line}"
        item = site.of_type(tombstone.type).get(tombstone.slug)
        if item is not None:
            yield item.problem(
                (),
                f"the {tombstone.type} '{tombstone.slug}' was removed on {tombstone.removed.isoformat()} "
                f"({where}) and its address says so; give this file another name",
            )
        if tombstone.id in items:
            yield items[tombstone.id].problem(
                ("id",), f"the id {tombstone.id} belonged to a removed item ({where}); mint a new one"
            )
