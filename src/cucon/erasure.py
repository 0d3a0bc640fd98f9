"""``cucon remove``: erase a profile at the person's request (GDPR Art. 17) and leave a tombstone.

Deleting the file is not enough: news list the profile in ``profiles:``, calls name it in
``organiser.profile``, bodies link to it with ``{filename}`` and mention the name in running text.
:func:`remove_profile` deletes the profile, its translations and its photo; takes the slug out of
news, gives calls a neutral organiser, turns links to the profile into their text and replaces every
other mention of the name with a placeholder; and appends one tombstone per deleted file (slug,
type, day, id: no name, no reason) to ``content/removed.yaml``. The build then writes a short
"removed" page at each old address (noindex, not in the sitemap, not in the search index) and the
rules that let a host answer 410 Gone there (:mod:`cucon.gone`).

Where the name is written in a way that cannot be replaced safely — inflected, with invisible
characters or entities, split by formatting — :mod:`cucon.mentions` finds it and the report lists
it for review, unchanged. :func:`forget_cached` deletes what the build caches keep of the person:
photo renditions, share cards (the name is drawn into them, so no text search finds it) and texts.

Front matter is edited line by line, so the rest of a file stays byte for byte as it was; every
edit is checked by parsing the result, and where a line cannot be edited safely the front matter is
written anew from the data (the report names those files: their comments are gone).
"""

from __future__ import annotations

import datetime as dt
import difflib
import hashlib
import json
import logging
import os
import re
import shutil
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from cucon import images, schema
from cucon.catalog import LANGUAGES, SOURCE_LANGUAGE, phrase
from cucon.checks import INTERNAL_LINK_IN_SOURCE, load_site
from cucon.content import (
    FOLDERS,
    REMOVED_FILE,
    YAML_FOLDERS,
    Item,
    Site,
    display_path,
    field_name,
    normalised,
)
from cucon.frontmatter import FRONT_MATTER, LinePath, dump_yaml, parse_yaml, read_document
from cucon.incremental import STATE_FILE, STATE_FOLDER
from cucon.mentions import Finding, Mentions, visible
from cucon.problems import ContentError, ContentProblem
from cucon.text import is_slug

logger = logging.getLogger(__name__)

REMOVED_HEADER = """\
# Tombstones of items removed at the person's request (GDPR Art. 17), written by `cucon remove`.
# The build shows a short "removed" page at each old address (noindex) and lists the addresses
# for an HTTP 410 rule (output/_redirects, output/gone.nginx.map). On purpose there are no names
# and no reasons here. Keep the entries: a slug or id listed here is never used again.
"""

LINK = (
    r"(?<!!)\[(?P<text>(?:\\.|[^\[\]\\])*)\]"
    r"\(\s*<?\{filename\}(?P<target>[^)\s#\"'>]+)(?:#[^)\s\"'>]*)?>?(?:\s+(?:\"[^\"]*\"|'[^']*'))?\s*\)"
)
"""An inline Markdown link to a content file, ``[text]({filename}path#anchor "title")``."""


class RemovalRefused(ValueError):
    """The removal cannot be done as asked; the message says why and what to do."""


@dataclass(frozen=True)
class RemovalNote:
    """One edit, or one thing to check by hand, at a line of a file as it is after the removal."""

    path: str
    line: int
    field: str
    message: str

    def __str__(self) -> str:
        """``path:line: field: message``, as cucon check reports problems."""
        return f"{self.path}:{self.line}: {self.field}: {self.message}"


@dataclass
class Removal:
    """What ``cucon remove`` did, or in a dry run would do."""

    slug: str
    dry_run: bool = False
    deleted: list[str] = field(default_factory=list)
    changed: list[RemovalNote] = field(default_factory=list)
    review: list[RemovalNote] = field(default_factory=list)
    rewritten: list[str] = field(default_factory=list)
    caches: list[str] = field(default_factory=list)
    """The build cache folders looked at."""
    cached: list[str] = field(default_factory=list)
    """What was deleted there (see :func:`forget_cached`)."""
    tombstones: list[schema.Tombstone] = field(default_factory=list)
    problems: list[ContentProblem] = field(default_factory=list)
    """Problems ``cucon check`` finds after the removal that it did not find before."""

    def report(self) -> str:
        """The report for staff: every deletion and edit, and what to review."""
        done = "would be" if self.dry_run else "were"
        lines = [
            f"Removal of the profile '{self.slug}'" + (" (dry run: nothing written)" if self.dry_run else "")
        ]
        lines += ["", f"Files that {done} deleted:", *(f"  {path}" for path in self.deleted)]
        lines += ["", f"Edits that {done} made (check the wording):"]
        lines += [f"  {change}" for change in self.changed] or ["  none"]
        if self.rewritten:
            lines += ["", "Front matter written anew (comments and layout not kept):"]
            lines += [f"  {path}" for path in self.rewritten]
        lines += ["", f"Tombstones {'to be ' if self.dry_run else ''}added to content/{REMOVED_FILE}:"]
        lines += [
            f"  {t.type} '{t.slug}', removed {t.removed.isoformat()}, id {t.id}" for t in self.tombstones
        ]
        if self.review:
            lines += ["", "Check by hand:", *(f"  {change}" for change in self.review)]
        if self.problems:
            lines += [
                "",
                "cucon check now finds these problems:",
                *(f"  {p.format_text()}" for p in self.problems),
            ]
        for cache in self.caches:
            inside = [path for path in self.cached if Path(path).is_relative_to(cache)]
            lines += [
                "",
                f"In the build cache {cache}/, {done} deleted (photo renditions, share cards, texts):",
            ]
            empty = "it holds nothing of the person" if Path(cache).is_dir() else "there is no such folder"
            lines += [f"  {path}" for path in inside] or [f"  nothing ({empty})"]
        lines += [
            "",
            "output/ is left to the next build: it deletes the person's pages, photos and share card and",
            "writes every page that named them again (production builds start from an empty output/).",
            'Until then, and until each place under "Check by hand" is edited, the name may be there.',
            "The name stays in the Git history until that is rewritten.",
        ]
        return "\n".join(lines)


# --- text helpers ---------------------------------------------------------------------------


def _catalog_language(lang: str | None) -> str:
    """The language of the catalogs a text's language tag falls under, else English.

    >>> _catalog_language("de-AT"), _catalog_language("ca"), _catalog_language(None)
    ('de', 'en', 'en')
    """
    code = (lang or SOURCE_LANGUAGE).split("-")[0]
    return code if code in LANGUAGES else SOURCE_LANGUAGE


def placeholder(lang: str | None) -> str:
    """The placeholder for a removed name in text of a language.

    >>> placeholder("de"), placeholder("en-GB"), placeholder("ca"), placeholder(None)
    ('[entfernt]', '[removed]', '[removed]', '[removed]')
    """
    return phrase("erasure.placeholder", _catalog_language(lang))


def neutral_organiser(lang: str | None) -> str:
    """The organiser's name for a call whose organiser profile was removed.

    >>> neutral_organiser("de"), neutral_organiser("pt")
    ('Ein Mitglied des Netzwerks', 'A member of the network')
    """
    return phrase("erasure.organiser", _catalog_language(lang))


def _spaced(char: str) -> bool:
    """Whether a script separates words with spaces (Latin, Cyrillic …), unlike Chinese or Japanese."""
    return unicodedata.east_asian_width(char) not in ("W", "F")


def name_pattern(names: Iterable[str]) -> re.Pattern | None:
    """A pattern that finds any of the names as whole words, in any case, across line breaks.

    >>> pattern = name_pattern(["Claire Vidal-Roig", "田辺瑞希"])
    >>> [bool(pattern.search(text)) for text in ("with CLAIRE\\n Vidal-Roig's", "Claire Vidal-Roigs", "田辺瑞希は")]
    [True, False, True]
    """
    alternatives = []
    for name in sorted({n.strip() for n in names if n and n.strip()}, key=len, reverse=True):
        core = r"\s+".join(re.escape(word) for word in name.split())
        left = r"(?<!\w)" if _spaced(name[0]) else ""
        right = r"(?!\w)" if _spaced(name[-1]) else ""
        alternatives.append(f"{left}{core}{right}")
    return re.compile("|".join(alternatives), re.IGNORECASE) if alternatives else None


def replace_names(text: str, pattern: re.Pattern, lang: str | None) -> str:
    """The text with every match of the names replaced by the placeholder of its language.

    >>> replace_names("Photo: Mara Engel, 2026", name_pattern(["Mara Engel"]), "de")
    'Photo: [entfernt], 2026'
    """
    return pattern.sub(placeholder(lang), text)


def scrub_body(
    body: str, removed: Callable[[str], bool], pattern: re.Pattern, lang: str | None
) -> tuple[str, list[tuple[int, int, str]]]:
    """A Markdown body with links to removed files made text and the names replaced; what changed where.

    >>> body, spans = scrub_body("See [Anna K]({filename}anna.md#bio) and [Ben]({filename}ben.md).",
    ...                          lambda target: target == "anna.md", name_pattern(["Anna K"]), "en")
    >>> body, spans
    ('See [removed] and [Ben]({filename}ben.md).', [(4, 13, 'link to the removed profile made text')])
    """
    combined = re.compile(f"(?P<link>{LINK})|(?P<name>{pattern.pattern})", re.IGNORECASE)
    out: list[str] = []
    spans: list[tuple[int, int, str]] = []
    position = length = 0
    for match in combined.finditer(body):
        out.append(body[position : match.start()])
        length += match.start() - position
        whole = match.group(0)
        if match.group("link") is None:
            new, what = placeholder(lang), "name replaced"
        elif removed(match.group("target")):
            new, what = (
                replace_names(match.group("text"), pattern, lang),
                "link to the removed profile made text",
            )
        else:
            start, end = (index - match.start() for index in match.span("text"))
            new = whole[:start] + replace_names(whole[start:end], pattern, lang) + whole[end:]
            what = "name replaced" if new != whole else ""
        if what:
            spans.append((length, length + len(new), what))
        out.append(new)
        length += len(new)
        position = match.end()
    out.append(body[position:])
    return "".join(out), spans


def context(text: str, start: int, end: int, width: int = 40) -> str:
    """The text around a span, within its line, shortened with … where cut.

    >>> context("The aerial artist [removed], who grew up in Perpignan.", 18, 27, 12)
    '…rial artist [removed], who grew u…'
    >>> context("First line.\\nSee [removed] here.\\nLast line.", 16, 25)
    'See [removed] here.'
    """
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    line_end = len(text) if line_end < 0 else line_end
    left, right = max(line_start, start - width), min(line_end, end + width)
    snippet = text[left:right].strip()
    return ("…" if left > line_start else "") + snippet + ("…" if right < line_end else "")


def _is_reference(value: str) -> bool:
    """Values that are never running text: slugs, ids, web and mail addresses."""
    return (
        is_slug(value)
        or value.startswith(("https://", "http://", "mailto:"))
        or bool(schema.EMAIL.match(value))
    )


# --- front matter ---------------------------------------------------------------------------


def _language_of(path: LinePath, lang: str | None) -> str | None:
    """The language of a value: a language key on its path (``description.de``), else the file's."""
    for part in reversed(path):
        if isinstance(part, str) and part in LANGUAGES:
            return part
    return lang


def _replace_in_data(value: object, path: LinePath, pattern: re.Pattern, lang: str | None, found: list):
    """The data with the names replaced in every text value; ``found`` gets each changed key path."""
    if isinstance(value, dict):
        return {key: _replace_in_data(v, (*path, key), pattern, lang, found) for key, v in value.items()}
    if isinstance(value, list):
        return [_replace_in_data(v, (*path, i), pattern, lang, found) for i, v in enumerate(value)]
    if isinstance(value, str) and value and not _is_reference(value):
        new = replace_names(value, pattern, _language_of(path, lang))
        if new != value:
            found.append(path)
        return new
    return value


def _value_at(data: object, path: LinePath) -> object:
    """The value at a key path, or None."""
    for part in path:
        try:
            data = data[part]
        except (KeyError, IndexError, TypeError):
            return None
    return data


def _path_at(lines: dict[LinePath, int], line: int) -> LinePath:
    """The deepest key path that starts on a line, else the last one that starts before it."""
    here = [path for path, start in lines.items() if start == line]
    if here:
        return max(here, key=len)
    before = [(start, len(path), path) for path, start in lines.items() if start < line]
    return max(before)[2] if before else ()


def _split_end(line: str) -> tuple[str, str]:
    """A line and its line ending."""
    stripped = line.rstrip("\r\n")
    return stripped, line[len(stripped) :]


class _Front:
    """Line-by-line edits of a front matter (or YAML file), checked against the data they must give."""

    def __init__(self, text: str, lines: dict[LinePath, int], offset: int):
        self.lines = text.splitlines(keepends=True)
        self.starts = lines
        self.offset = offset
        self.failed = False

    def index(self, path: LinePath) -> int:
        """The index in ``self.lines`` of the line a key path starts on."""
        return self.starts[path] - 1 - self.offset

    def replace_names(self, data: dict, pattern: re.Pattern, lang: str | None) -> None:
        """Replace the names on every line; a whole plain value is written quoted, so '[' stays text."""
        for index, line in enumerate(self.lines):
            text, end = _split_end(line)
            if not pattern.search(text):
                continue
            path = _path_at(self.starts, index + 1 + self.offset)
            value = _value_at(data, path)
            if isinstance(value, str) and _is_reference(value):
                continue
            new_text = replace_names(text, pattern, _language_of(path, lang))
            plain = text.rstrip()
            if (
                isinstance(value, str)
                and self.starts.get(path) == index + 1 + self.offset
                and value
                and plain.endswith(value)
                and plain[: -len(value)].rstrip().endswith((":", "-"))
            ):
                quoted = json.dumps(
                    replace_names(value, pattern, _language_of(path, lang)), ensure_ascii=False
                )
                new_text = plain[: -len(value)] + quoted
            self.lines[index] = new_text + end

    def set_organiser(self, slug: str, name: str) -> None:
        """``organiser: {profile: slug}`` becomes ``organiser: {name: …}`` on the same line."""
        index = self.index(("organiser", "profile"))
        text, end = _split_end(self.lines[index])
        token = rf"(['\"]?){re.escape(slug)}\2(?=\s*(?:[,}}#]|$))"
        new, count = re.subn(
            rf"\bprofile(\s*):\s*{token}",
            lambda m: f"name{m.group(1)}: {json.dumps(name, ensure_ascii=False)}",
            text,
            count=1,
        )
        if count:
            self.lines[index] = new + end
        else:
            self.failed = True

    def drop_from_list(self, key: str, items: list, slug: str) -> None:
        """Take a slug out of a top-level list, in flow (``[a, b]``) or block (``- a``) style."""
        key_index = self.index((key,))
        indexes = [self.index((key, i)) for i, value in enumerate(items) if value == slug]
        text, end = _split_end(self.lines[key_index])
        if all(i == key_index for i in indexes):
            match = re.fullmatch(rf"(\s*{key}\s*:\s*)\[([^\[\]#]*)\](\s*(?:#.*)?)", text)
            if not match:
                self.failed = True
                return
            kept = [
                t.strip() for t in match.group(2).split(",") if t.strip() and t.strip().strip("'\"") != slug
            ]
            self.lines[key_index] = f"{match.group(1)}[{', '.join(kept)}]{match.group(3)}{end}"
            return
        for index in indexes:
            if not re.fullmatch(
                rf"\s*-\s*(['\"]?){re.escape(slug)}\1\s*(?:#.*)?", _split_end(self.lines[index])[0]
            ):
                self.failed = True
                return
            self.lines[index] = None
        if len(indexes) == len(items):
            self.lines[key_index] = re.sub(rf"^(\s*{key}\s*:)\s*(#.*)?$", r"\1 []", text) + end

    def text(self) -> str:
        """The edited text."""
        return "".join(line for line in self.lines if line is not None)


def _dump(data: dict) -> str:
    """YAML for the data, strings quoted wherever YAML 1.1 or 1.2 would read them otherwise."""
    return dump_yaml(data, width=4096)


# --- one file ---------------------------------------------------------------------------------


@dataclass
class Target:
    """What to take out of the other files."""

    slug: str
    names: re.Pattern
    deleted: frozenset[Path]
    root: Path

    def is_deleted(self, folder: Path, target: str) -> bool:
        """Whether a ``{filename}`` link target, relative to a file's folder, is a deleted file."""
        base = self.root if target.startswith("/") else folder
        return normalised(base / target.lstrip("/")) in self.deleted


def scrub(path: Path, text: str, target: Target, display: str) -> tuple[str, list[RemovalNote], bool]:
    """A content file without the removed profile: the new text, the edits, and whether re-dumped."""
    markdown = path.suffix == ".md"
    doc = read_document(text, with_body=markdown)
    offset = 1 if markdown else 0
    if markdown:
        match = FRONT_MATTER.match(text)
        head_start, head_end, body_start = match.start(1), match.end(1), match.end()
        # The front matter with the line break before the closing '---', so every line has its own.
        head_end += len(re.match(r"\r?\n?", text[head_end:]).group(0))
    else:
        head_start, head_end, body_start = 0, len(text), len(text)
    lang = doc.data.get("lang") if isinstance(doc.data.get("lang"), str) else None
    front = _Front(text[head_start:head_end], doc.lines, offset)
    notes: list[tuple[LinePath, str]] = []

    found: list[LinePath] = []
    wanted = _replace_in_data(doc.data, (), target.names, lang, found)
    if found:
        front.replace_names(doc.data, target.names, lang)
    organiser = wanted.get("organiser")
    if isinstance(organiser, dict) and organiser.get("profile") == target.slug:
        name = neutral_organiser(lang)
        wanted["organiser"] = {k: v for k, v in organiser.items() if k != "profile"} | {"name": name}
        front.set_organiser(target.slug, name)
        message = f'the organiser was the removed profile; now "{name}"; check that the call should stay'
        notes.append((("organiser", "name"), message))
    listed = wanted.get("profiles")
    if markdown and isinstance(listed, list) and target.slug in listed:
        wanted["profiles"] = [slug for slug in listed if slug != target.slug]
        front.drop_from_list("profiles", doc.data["profiles"], target.slug)
        notes.append((("profiles",), f"'{target.slug}' taken out of the list"))

    head = front.text()
    rewritten = False
    if found or notes:
        try:
            ok = not front.failed and parse_yaml(head, offset)[0] == wanted
        except ContentError:
            ok = False
        if not ok:
            newline = "\r\n" if "\r\n" in text[head_start:head_end] else "\n"
            head, rewritten = _dump(wanted).replace("\n", newline), True
            if parse_yaml(head, offset)[0] != wanted:
                raise RuntimeError(f"{display}: the front matter could not be written back safely")

    if markdown:
        removed = lambda link: target.is_deleted(path.parent, link)  # noqa: E731
        body, spans = scrub_body(text[body_start:], removed, target.names, lang)
    else:
        body, spans = "", []
    new_text = text[:head_start] + head + text[head_end:body_start] + body
    if new_text == text:
        return text, [], False
    new_doc = read_document(new_text, with_body=markdown)
    changes = [RemovalNote(display, new_doc.line_of(key), field_name(key), message) for key, message in notes]
    for key in found:
        value = _value_at(wanted, key)
        changes.append(
            RemovalNote(display, new_doc.line_of(key), field_name(key), f'name replaced: "{_short(value)}"')
        )
    for start, end, what in spans:
        line = new_doc.body_line + body.count("\n", 0, start)
        changes.append(RemovalNote(display, line, "(body)", f'{what}: "{context(body, start, end)}"'))
    return new_text, sorted(changes, key=lambda c: c.line), rewritten


def _short(value: object, width: int = 90) -> str:
    """A value on one line, cut at ``width``."""
    text = " ".join(str(value).split())
    return text if len(text) <= width else text[: width - 1] + "…"


# --- the removal ------------------------------------------------------------------------------


def remove_profile(
    content: Path, slug: str, today: dt.date, dry_run: bool = False, caches: Iterable[Path] = ()
) -> Removal:
    """Erase a profile, its translations and photo, every reference and mention; add tombstones;
    delete what the build ``caches`` keep of the person (:func:`forget_cached`)."""
    root = normalised(Path(content))
    site = load_site(root)
    profile = _find(site, slug)
    translations = sorted(site.translations().get(("profile", slug), []), key=lambda item: item.slug)
    items = [profile, *translations]
    removal = Removal(slug=slug, dry_run=dry_run)

    deleted = [item.source for item in items]
    photo = profile.source.parent / profile.meta.photo.file
    sources = set(deleted)
    shared = [o for o in site.items() if o.source not in sources and photo in _images_of(o)]
    if shared:
        message = f"{shared[0].path} names this photo too, so it was kept"
        removal.review.append(RemovalNote(display_path(photo), 1, "(file)", message))
    elif photo.is_file():
        deleted.append(photo)
    removal.deleted = [display_path(path) for path in deleted]
    photo_hashes = {hashlib.sha256(photo.read_bytes()).hexdigest()} if photo in deleted else set()

    names = [profile.meta.name, *(t.meta.name for t in translations if t.meta.name)]
    target = Target(slug, name_pattern(names), frozenset(deleted), root)
    writes: dict[Path, bytes] = {}
    for path in _content_files(site):
        if path in target.deleted:
            continue
        display = display_path(path)
        bom, text = _read(path)
        try:
            new_text, changes, rewritten = scrub(path, text, target, display)
        except ContentError:
            message = "could not be read as content; look for the name in it by hand"
            removal.review.append(RemovalNote(display, 1, "(file)", message))
            continue
        if new_text != text:
            writes[path] = (bom + new_text).encode("utf-8")
            removal.changed += changes
            if rewritten:
                removal.rewritten.append(display)
    mentions = Mentions(names, _name_parts(profile, translations))
    for path in _content_files(site):
        if path not in target.deleted:
            text = writes[path].decode("utf-8") if path in writes else _read(path)[1]
            removal.review += _leftovers(path, text, target, mentions)
    touched = {change.path for change in (*removal.changed, *removal.review)}
    cards_of = {(item.type, item.slug) for item in site.items() if item.path in touched}
    for cache in caches:
        removal.caches.append(display_path(Path(cache)))
        removal.cached += forget_cached(Path(cache), items, photo_hashes, cards_of, mentions, dry_run)

    removal.tombstones = [
        schema.Tombstone(slug=item.slug, type="profile", removed=today, id=item.id) for item in items
    ]
    removed_path = root / REMOVED_FILE
    old = _read(removed_path)[1] if removed_path.is_file() else ""
    writes[removed_path] = _with_tombstones(old, removal.tombstones).encode("utf-8")
    if dry_run:
        logger.info("dry run: %d file(s) would be deleted and %d written", len(deleted), len(writes))
        return removal

    before = {(p.path, p.field, p.message) for p in site.problems}
    for path, data in writes.items():
        _write(path, data)
    for path in deleted:
        path.unlink()
    logger.info("removed the profile '%s': %d file(s) deleted, %d written", slug, len(deleted), len(writes))
    removal.problems = [p for p in load_site(root).problems if (p.path, p.field, p.message) not in before]
    for problem in removal.problems:
        logger.error("%s", problem.format_text())
    return removal


def forget_cached(
    cache: Path,
    items: list[Item],
    photo_hashes: set[str],
    cards_of: set[tuple[str, str]],
    mentions: Mentions,
    dry_run: bool = False,
) -> list[str]:
    """Delete what a build's cache folder (``CACHE_PATH``) keeps of removed items; return it.

    - In ``cucon-images/``: the renditions of the photo (by its hash) and every entry made for the
      items (by type and slug, or id), e.g. the share card with the name drawn in; the share cards
      of the items the removal edits or lists for review (``cards_of``), whose texts named the
      person; and entries that do not say whose they are (:func:`cucon.images.forget`).
    - In ``cucon-state/``: every file but the list of what the last build wrote (which the next
      build needs to delete the person's pages from output/): the read cache and the search
      words hold the texts. That list too if it names the person after all.
    """
    ids = {item.id for item in items}
    slugs = {(item.type, item.slug) for item in items}
    folders = images.forget(cache, photo_hashes, slugs, ids, cards_of, dry_run)
    gone = [display_path(folder) for folder in folders]
    state = cache / STATE_FOLDER
    for path in sorted(state.iterdir()) if state.is_dir() else ():
        if path.name == STATE_FILE and not any(True for _ in mentions.find(_loose_text(path))):
            continue
        gone.append(display_path(path))
        if dry_run:
            continue
        if path.is_dir():
            shutil.rmtree(path)
        else:
            path.unlink()
    return gone


def _loose_text(path: Path) -> str:
    """The text in a file of any kind (the strings of a pickle are UTF-8)."""
    return path.read_bytes().decode("utf-8", "replace")


def _find(site: Site, slug: str) -> Item:
    """The original profile of a slug, or a refusal that says why not."""
    for tombstone in site.removed:
        if tombstone.type == "profile" and tombstone.slug == slug:
            raise RemovalRefused(
                f"the profile '{slug}' was already removed on {tombstone.removed.isoformat()} "
                f"(see content/{REMOVED_FILE}); there is nothing left to remove"
            )
    problems = [p for p in site.problems if Path(p.path).name == REMOVED_FILE]
    if problems:
        listed = "\n".join(p.format_text() for p in problems)
        raise RemovalRefused(f"content/{REMOVED_FILE} has problems; fix them first:\n{listed}")
    if ("profile", slug) in site.invalid:
        raise RemovalRefused(
            f"the profile '{slug}' has problems; fix them first (cucon check), then remove it"
        )
    profile = site.profiles.get(slug)
    if profile is None:
        close = difflib.get_close_matches(slug, list(site.profiles), n=1, cutoff=0.6)
        hint = f"; did you mean '{close[0]}'?" if close else ""
        raise RemovalRefused(f"there is no profile '{slug}' in {display_path(site.root / 'profiles')}{hint}")
    if profile.translation_of:
        raise RemovalRefused(
            f"'{slug}' is a translation of the profile '{profile.translation_of}'; "
            f"remove '{profile.translation_of}', which removes its translations too"
        )
    return profile


def _images_of(item: Item) -> set[Path]:
    """The image files an item names beside itself."""
    meta = item.meta
    named = (getattr(meta, "photo", None), getattr(meta, "image", None))
    return {item.source.parent / image.file for image in named if image is not None}


def _content_files(site: Site) -> Iterator[Path]:
    """Every Markdown and YAML file of the content folders, valid or not: a broken one may name the person."""
    for folder in FOLDERS:
        yield from site.files_in(folder, (".md",))
    for folder in YAML_FOLDERS:
        yield from site.files_in(folder, (".yaml", ".yml"))


def _read(path: Path) -> tuple[str, str]:
    """A file's byte order mark (if any) and its text, line endings untouched."""
    text = path.read_bytes().decode("utf-8")
    return ("\ufeff", text[1:]) if text.startswith("\ufeff") else ("", text)


def _write(path: Path, data: bytes) -> None:
    """Replace a file's content in one step, so a crash never leaves half a file."""
    temporary = path.with_name(f".{path.name}.cucon-remove")
    temporary.write_bytes(data)
    os.replace(temporary, path)


def _name_parts(profile: Item, translations: list[Item]) -> list[str]:
    """Words of a person's names (of 3+ letters) to point out; none for organisations, whose are places."""
    if profile.meta.kind != "person":
        return []
    names = [profile.meta.name, *(t.meta.name for t in translations if t.meta.name)]
    return [word for name in names if len(name.split()) > 1 for word in name.split() if len(word) >= 3]


def _leftovers(path: Path, text: str, target: Target, mentions: Mentions) -> Iterator[RemovalNote]:
    """What may still point at the person: links the edits could not make text, the slug, the name
    written in a way the edits do not replace (:mod:`cucon.mentions`), parts of the name."""
    display = display_path(path)
    for match in INTERNAL_LINK_IN_SOURCE.finditer(text):
        if target.is_deleted(path.parent, match.group(1)):
            line = text.count("\n", 0, match.start()) + 1
            yield RemovalNote(
                display, line, "(link)", "still links to the removed profile; make it plain text"
            )
    for match in re.finditer(rf"(?<![\w-]){re.escape(target.slug)}(?![\w-])", text):
        line = text.count("\n", 0, match.start()) + 1
        message = f'names the removed profile\'s slug (its address?): "{context(text, *match.span())}"'
        yield RemovalNote(display, line, "(text)", message)
    for found in mentions.find(text):
        line = text.count("\n", 0, found.start) + 1
        yield RemovalNote(display, line, "(text)", _finding_message(found, text))
    yield from _escaped_mentions(path, text, mentions)


def _finding_message(found: Finding, text: str) -> str:
    """What staff read about a place where the name may still stand."""
    snippet = visible(context(text, found.start, found.end))
    if found.part:
        return f'"{visible(found.text)}" is part of the removed name; does it mean the person? "{snippet}"'
    return f'the removed name ({found.why}): "{visible(found.text)}"; replace it by hand: "{snippet}"'


def _escaped_mentions(path: Path, text: str, mentions: Mentions) -> Iterator[RemovalNote]:
    """Names in YAML values that only their escapes (``"Kowal\\u00adska"``) hid from the text's lines."""
    if "\\" not in text:  # no escape, nothing hidden
        return
    try:
        doc = read_document(text, with_body=path.suffix == ".md")
    except ContentError:
        return
    for key, value in _strings(doc.data, ()):
        for found in mentions.find(value):
            if found.text in text:  # as it stands in the file: found there already
                continue
            what = "part of the removed name" if found.part else f"the removed name ({found.why})"
            message = f'{what}, written with YAML escapes: "{visible(found.text)}"; replace it by hand'
            yield RemovalNote(display_path(path), doc.line_of(key), field_name(key), message)


def _strings(value: object, path: LinePath) -> Iterator[tuple[LinePath, str]]:
    """Every text value of YAML data with its key path."""
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _strings(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _strings(item, (*path, index))
    elif isinstance(value, str):
        yield path, value


def _scalar(value: str) -> str:
    """A string as a YAML value: plain where YAML reads it back as that string, else quoted.

    >>> _scalar("anna-k"), _scalar("2026")
    ('anna-k', '"2026"')
    """
    return value if parse_yaml(f"v: {value}")[0] == {"v": value} else json.dumps(value)


def _with_tombstones(text: str, tombstones: list[schema.Tombstone]) -> str:
    """removed.yaml with the tombstones appended; the rest of the file stays as it was."""
    entries = "".join(
        f"  - slug: {_scalar(t.slug)}\n    type: {t.type}\n    removed: {t.removed.isoformat()}\n    id: {t.id}\n"
        for t in tombstones
    )
    if not text.strip():
        return f"{REMOVED_HEADER}removed:\n{entries}"
    old = parse_yaml(text)[0] or {}
    plain = [{k: str(v) for k, v in t.model_dump(mode="json").items()} for t in tombstones]
    wanted = {**old, "removed": [*(old.get("removed") or []), *plain]}
    new = re.sub(r"(?m)^removed:[ \t]*(?:\[[ \t]*\])?[ \t]*$", "removed:", text, count=1)
    new += ("" if new.endswith("\n") else "\n") + entries
    return new if parse_yaml(new)[0] == wanted else _dump(wanted)
