"""Checks across items: references resolve, ids are unique, translations fit their originals,
removed items stay removed. :func:`load_site` reads a content folder and checks it."""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Iterator
from pathlib import Path

from PIL import Image

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
    field_name,
    normalised,
    read_site,
)
from cucon.images import ImageRefused, inspect
from cucon.members import add_member_cities
from cucon.problems import ContentProblem, Term
from cucon.text import WINDOWS_DEVICE_NAMES, is_slug, windows_device_name

RESERVED_PAGE_SLUGS = urls.reserved_page_slugs() | WINDOWS_DEVICE_NAMES
"""Top-level paths the site uses with the default UI languages (:func:`cucon.urls.reserved_page_slugs`),
and Windows device names (see :func:`_device_names`); a page may not take them."""

FOLDER_OF = {item_type: folder for folder, item_type in {**FOLDERS, **YAML_FOLDERS}.items()}

RESERVED_ITEM_SLUGS = urls.LISTING_SEGMENTS | WINDOWS_DEVICE_NAMES
"""Paths inside a section that listings use (page 2, the directory by city …), and Windows device
names; no item may take them."""

PLACEHOLDER_PHOTO_COMMENT = b"cucon new: placeholder photo"
"""The JPEG comment that marks the photo `cucon new` writes: `cucon check` refuses it for publication."""

PLACEHOLDER_SUMMARIES = (": one or two sentences for listings.", ": what it offers, for whom.")
"""How the summaries `cucon new` writes end: `cucon check` refuses them for publication."""

PLACEHOLDER_ALT = "Portrait of "
"""How the photo description `cucon new` writes starts, followed by the name."""


KNOWN_LISTS = {"city": "content/cities/, content/networks/", "discipline": "content/disciplines.yaml"}
"""Where the allowed values of a closed list are, for a value that is not one of them."""

MAX_SUGGESTIONS = 200
"""Suggestions cost a scan of the known names; stop offering them after this many misses."""


class Suggester:
    """Finds 'did you mean …' candidates, at most MAX_SUGGESTIONS times per check."""

    def __init__(self) -> None:
        self.budget = MAX_SUGGESTIONS

    def unknown(self, what: str, value: str, known: Iterable[str]) -> tuple[str, dict[str, object]]:
        """The problem code and values of an unknown reference, with the closest known value if any.

        >>> Suggester().unknown("city", "hanover", ["hannover", "leipzig"])
        ('unknown-reference-close', {'thing': 'term-city', 'value': 'hanover', 'close': 'hannover'})
        >>> Suggester().unknown("discipline", "xyz", ["music"])[0]
        'unknown-reference-listed'
        """
        values: dict[str, object] = {"thing": Term(f"term-{what}"), "value": value}
        if self.budget > 0:
            self.budget -= 1
            close = difflib.get_close_matches(value, list(known), n=1, cutoff=0.6)
            if close:
                return "unknown-reference-close", {**values, "close": close[0]}
        if what in KNOWN_LISTS:
            return "unknown-reference-listed", {**values, "where": KNOWN_LISTS[what]}
        return "unknown-reference", values


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
        add_member_cities(site)
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
    site.problems.extend(_rejected_references(site, suggest))
    site.problems.extend(_placeholders(site))
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
            for owner in (item, other):
                yield owner.problem(("id",), "duplicate-id", id=item.id, first=other.path, second=item.path)


def _page_slugs(site: Site, reserved: frozenset[str]) -> Iterator[ContentProblem]:
    """No slug may shadow a section of the site, a UI language or a listing's path."""
    for slug, item in site.pages.items():
        if slug in reserved:
            yield ContentProblem.of(item.path, 1, "(file name)", "section-slug", slug=slug)
    for item in site.items():
        if item.type != "page" and item.slug in urls.LISTING_SEGMENTS:
            suffix = Path(item.path).suffix
            yield ContentProblem.of(
                item.path, 1, "(file name)", "listing-slug", slug=item.slug, suffix=suffix
            )


def _device_names(site: Site) -> Iterator[ContentProblem]:
    """No file or folder of the content may take a Windows device name: Git for Windows cannot check it out."""
    for path in sorted(site.root.rglob("*")):
        device = windows_device_name(path.name)
        if device is not None:
            stem = path.name.split(".", 1)[0].rstrip(" .")
            rest = path.name[len(stem) :].rstrip(" ") if path.is_file() else ""
            suggestion = f"{stem.lower()}-1{rest}"
            yield ContentProblem.of(
                display_path(path),
                1,
                "(file)",
                "windows-device-name",
                name=path.name,
                device=device,
                suggestion=suggestion,
            )


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
        if kind == "city" and item.type != "network" and value in site.members:
            continue
        if (kind, value) in site.invalid:
            continue
        if value not in known:
            code, values = suggest.unknown(
                kind, value, {**known, **site.members} if kind == "city" else known
            )
            yield item.problem(key, code, **values)
        elif kind == "profile" and known[value].translation_of:
            original = known[value].translation_of
            yield item.problem(key, "reference-to-translation", value=value, original=original)


def _rejected_references(site: Site, suggest: Suggester) -> Iterator[ContentProblem]:
    """Unknown cities and disciplines of files that failed validation, where their value is sound
    and not already reported: a wrong ``kind`` must not hide a misspelt city."""
    targets = {
        "cities": ("city", {**site.cities, **site.members}),
        "disciplines": ("discipline", site.disciplines),
    }
    for path, doc, reported in site.rejected:
        for key, (kind, known) in targets.items():
            values = doc.data.get(key)
            if not isinstance(values, list) or key in reported:
                continue
            for index, value in enumerate(values):
                if field_name((key, index)) in reported or not isinstance(value, str) or not is_slug(value):
                    continue
                if value not in known and (kind, value) not in site.invalid:
                    code, problem_values = suggest.unknown(kind, value, known)
                    yield ContentProblem.of(
                        path, doc.line_of((key, index)), field_name((key, index)), code, **problem_values
                    )


def _placeholders(site: Site) -> Iterator[ContentProblem]:
    """The summary, photo and photo description `cucon new` writes are never published."""
    for item in site.items():
        summary = getattr(item.meta, "summary", None)
        if isinstance(summary, str) and summary.endswith(PLACEHOLDER_SUMMARIES):
            yield item.problem(("summary",), "placeholder-summary")
        photo = getattr(item.meta, "photo", None)
        if photo is None:
            continue
        if photo.alt == f"{PLACEHOLDER_ALT}{item.meta.name}":
            yield item.problem(("photo", "alt"), "placeholder-alt")
        path = item.source.parent / photo.file
        if path.is_file() and not path.is_symlink() and _is_placeholder_photo(path):
            yield item.problem(("photo", "file"), "placeholder-photo", name=photo.file)


def _is_placeholder_photo(path: Path) -> bool:
    """True for the photo `cucon new` writes, by its JPEG comment (the header only is read)."""
    try:
        with Image.open(path) as image:
            return image.format == "JPEG" and image.info.get("comment") == PLACEHOLDER_PHOTO_COMMENT
    except (OSError, Image.DecompressionBombError):
        return False


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
            yield item.problem(key, "image-missing", name=name, beside=Path(item.path).name)
        elif path.stat().st_size > MAX_IMAGE_BYTES:
            yield item.problem(key, "image-too-large", name=name, size=path.stat().st_size)
        else:
            # Header only (format allow-list, pixel count, decompression bombs): no pixel is decoded.
            try:
                inspect(path)
            except ImageRefused as refused:
                yield item.problem(key, refused.code, **refused.values)


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
                yield ContentProblem.of(display_path(path), 1, "(file)", "unused-image")


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
                code, values = suggest.unknown(item_type, original_slug, originals)
                yield translation.problem(key, code, **values)
                continue
            if original.translation_of:
                original_of = original.translation_of
                yield translation.problem(
                    key, "translation-of-translation", slug=original_slug, original=original_of
                )
                continue
            if translation.lang == original.lang:
                yield translation.problem(
                    ("lang",), "translation-in-original-language", lang=translation.lang
                )
            other = languages.setdefault(translation.lang, translation)
            if other is not translation:
                yield translation.problem(
                    ("lang",),
                    "translation-twice",
                    slug=original_slug,
                    lang=translation.lang,
                    other=other.path,
                )


def _network_membership(site: Site) -> Iterator[ContentProblem]:
    """A city's network relation and the network's member list agree on the year."""
    members = {}
    for network in site.networks.values():
        for index, member in enumerate(network.meta.members):
            if member.city:
                members[(network.meta.relation, member.city)] = (network, index, member)
    for city in site.cities.values():
        if city.member_of:
            continue  # made from the network's own entry
        for index, relation in enumerate(city.meta.relations):
            if relation.kind == "partner_city":
                continue
            found = members.get((relation.kind, city.slug))
            if found is None:
                yield city.problem(
                    ("relations", index), "not-a-member", city=city.slug, relation=relation.kind
                )
            elif found[2].since != relation.since:
                yield city.problem(
                    ("relations", index, "since"),
                    "member-since-differs",
                    since=relation.since,
                    path=found[0].path,
                    other_since=found[2].since,
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
                yield ContentProblem.of(item.path, line, "(body)", "link-to-no-file", link=match.group(0))


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
            yield ContentProblem.of(
                display,
                line,
                f"removed[{index}].slug",
                "tombstone-slug-twice",
                slug=tombstone.slug,
                line=slugs[key],
            )
        if tombstone.id in ids:
            yield ContentProblem.of(
                display,
                line,
                f"removed[{index}].id",
                "tombstone-id-twice",
                id=tombstone.id,
                line=ids[tombstone.id],
            )
        slugs.setdefault(key, line)
        ids.setdefault(tombstone.id, line)
        if tombstone.slug in urls.LISTING_SEGMENTS:
            yield ContentProblem.of(
                display, line, f"removed[{index}].slug", "tombstone-listing-slug", slug=tombstone.slug
            )
        where = f"{display}:{line}"
        item = site.of_type(tombstone.type).get(tombstone.slug)
        if item is not None:
            yield item.problem(
                (),
                "slug-of-removed-item",
                thing=Term(f"term-{tombstone.type}"),
                slug=tombstone.slug,
                date=tombstone.removed.isoformat(),
                where=where,
            )
        if tombstone.id in items:
            yield items[tombstone.id].problem(("id",), "id-of-removed-item", id=tombstone.id, where=where)
