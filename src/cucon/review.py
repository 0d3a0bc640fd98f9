"""Review help for staff: what a pull request changes, whether its links work, and what has gone stale."""

from __future__ import annotations

import datetime as dt
import difflib
import http.client
import logging
import re
import subprocess
import urllib.error
import urllib.request
from collections.abc import Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from urllib.parse import urlsplit

from cucon import __version__
from cucon.content import DISCIPLINES_FILE, FOLDERS, IMAGE_SUFFIXES, YAML_FOLDERS, Site
from cucon.frontmatter import read_document
from cucon.images import ImageRefused, inspect_bytes
from cucon.inert import code
from cucon.problems import ContentError
from cucon.text import make_slug, normalise

logger = logging.getLogger(__name__)

CHECK_NOTE = (
    "Ob alle Inhalte gültig sind, zeigt der Schritt „cucon check“. / "
    "Whether all content is valid is shown by the check step (cucon check)."
)

# --- plain words ------------------------------------------------------------------------------

NOUNS = {
    "profile": ("Profil", "profile", "es"),
    "call": ("Ausschreibung", "call", "e"),
    "news": ("Meldung", "news item", "e"),
    "event": ("Veranstaltung", "event", "e"),
    "page": ("Seite", "page", "e"),
    "city": ("Stadt", "city", "e"),
    "network": ("Netzwerk", "network", "es"),
    "translation": ("Übersetzung", "translation", "e"),
    "image": ("Bild", "image", "es"),
    "other": ("Datei", "file", "e"),
}
"""German noun, English noun, and the German adjective ending the noun's gender asks for."""

ACTIONS = {
    "A": ("Neu", "New"),
    "C": ("Neu", "New"),
    "M": ("Geändert", "Changed"),
    "T": ("Geändert", "Changed"),
    "R": ("Umbenannt", "Renamed"),
    "D": ("Gelöscht", "Deleted"),
}
"""What git's status letters mean, as German adjective stems and English adjectives."""

ORDER = {"A": 1, "C": 1, "M": 2, "T": 2, "R": 3, "D": 4}
"""Summary lines list additions first, then changes, renames and deletions; unreadable files lead."""

STATUS_WORDS = {
    "A": "neu / added",
    "C": "kopiert / copied",
    "M": "geändert / changed",
    "T": "geändert / changed",
    "D": "gelöscht / deleted",
}


def label(status: str, noun: str) -> tuple[str, str]:
    """The German and English label of a change, e.g. "Neues Profil" and "New profile".

    >>> label("A", "profile"), label("M", "call"), label("D", "image")
    (('Neues Profil', 'New profile'), ('Geänderte Ausschreibung', 'Changed call'), ('Gelöschtes Bild', 'Deleted image'))
    """
    de, en, ending = NOUNS[noun]
    stem, adjective = ACTIONS[status]
    return f"{stem}{ending} {de}", f"{adjective} {en}"


DAY_OR_TIME = re.compile(r"\d{4}-\d\d-\d\d(?: \d\d:\d\d)?")
LANGUAGE = re.compile(r"[a-z]{2,3}")
NUMBER = re.compile(r"\d{1,3}")
"""Shapes of values from content files that are shown as they are; any other value is a code span."""


def shaped(value: object, rule: re.Pattern[str]) -> str:
    """A value from a content file as it is when it has the shape of ``rule`` (a day, a language
    code, a version number), else as inert Markdown code (:func:`cucon.inert.code`).

    >>> shaped("2027-01-31 23:59", DAY_OR_TIME), shaped("de", LANGUAGE), shaped("@org/staff #2", LANGUAGE)
    ('2027-01-31 23:59', 'de', '`@org/staff #2`')
    """
    text = str(value)
    return text if rule.fullmatch(text) else code(text)


def lower_first(text: str) -> str:
    """A name as it reads inside an English sentence: "Music" becomes "music".

    >>> lower_first("Visual arts"), lower_first("")
    ('visual arts', '')
    """
    return text[:1].lower() + text[1:]


def texts(value: object) -> list[str]:
    """The non-empty strings of a front-matter value that should be a string or a list of them.

    >>> texts("a"), texts(["a", 3, " "]), texts(None), texts({"x": 1})
    (['a'], ['a'], [], [])
    """
    values = value if isinstance(value, list | tuple) else [value]
    return [v.strip() for v in values if isinstance(v, str) and v.strip()]


def title_of(data: dict, fallback: str) -> str:
    """The name people know an item by: its name or title (German where there are several).

    >>> title_of({"name": "Anna"}, "x"), title_of({"names": {"de": "Köln", "en": "Cologne"}}, "x")
    ('Anna', 'Köln')
    >>> title_of({"title": 42}, "fallback")
    'fallback'
    """
    for key in ("name", "title", "names"):
        value = data.get(key)
        if isinstance(value, dict):
            value = value.get("de") or next(iter(texts(list(value.values()))), None)
        found = texts(value)
        if found:
            return found[0]
    return fallback


def changed_fields(old: dict, new: dict, prefix: str = "") -> list[str]:
    """Front-matter keys whose values differ, nested keys joined with dots, in alphabetical order.

    >>> changed_fields({"a": 1, "b": {"c": 1, "d": 2}, "e": 1}, {"a": 1, "b": {"c": 1, "d": 3}, "f": 1})
    ['b.d', 'e', 'f']
    """
    names = []
    for key in sorted(set(old) | set(new), key=str):
        before, after = old.get(key), new.get(key)
        if before == after:
            continue
        if isinstance(before, dict) and isinstance(after, dict):
            names.extend(changed_fields(before, after, f"{prefix}{key}."))
        else:
            names.append(f"{prefix}{key}")
    return names


def kind_of(relative: str) -> str:
    """What a path inside content/ holds: an item type, ``image``, ``disciplines`` or ``other``.

    >>> [kind_of(p) for p in ("profiles/a.md", "cities/b.yaml", "news/a.jpg", "disciplines.yaml", "x.txt")]
    ['profile', 'city', 'image', 'disciplines', 'other']
    """
    path = PurePosixPath(relative)
    suffix = path.suffix.lower()
    if path.parts == (DISCIPLINES_FILE,):
        return "disciplines"
    if len(path.parts) < 2:
        return "other"
    folder = path.parts[0]
    if folder in FOLDERS and suffix == ".md":
        return FOLDERS[folder]
    if folder in YAML_FOLDERS and suffix in (".yaml", ".yml"):
        return YAML_FOLDERS[folder]
    if folder in (*FOLDERS, *YAML_FOLDERS) and suffix in IMAGE_SUFFIXES:
        return "image"
    return "other"


def markdown_table(header: tuple[str, ...], rows: Iterable[tuple[str, ...]]) -> list[str]:
    """The lines of a Markdown table, with pipes and line breaks in cells escaped.

    >>> markdown_table(("a", "b"), [("x|y", "z")])
    ['| a | b |', '| --- | --- |', '| x\\\\|y | z |']
    """

    def cells(values: tuple[str, ...]) -> str:
        escaped = (str(v).replace("|", "\\|").replace("\n", " ") for v in values)
        return "| " + " | ".join(escaped) + " |"

    return [cells(header), cells(tuple("---" for _ in header)), *(cells(row) for row in rows)]


# --- git ----------------------------------------------------------------------------------------


class ReviewError(Exception):
    """A git command failed; the message says which one and why."""


def git(repo: Path, *args: str, data: bytes | None = None) -> bytes:
    """Run git in ``repo`` and return what it printed; raise :class:`ReviewError` when it fails."""
    result = subprocess.run(["git", "-C", str(repo), *args], input=data, capture_output=True, check=False)
    if result.returncode:
        message = result.stderr.decode("utf-8", "replace").strip()
        raise ReviewError(f"git {args[0]} failed: {message}")
    return result.stdout


@dataclass(frozen=True)
class Change:
    """One file changed between two revisions: git's status letter, its path and its old path."""

    status: str
    path: str
    old_path: str | None = None


def parse_name_status(output: str) -> list[Change]:
    """Read the output of ``git diff --name-status -z``.

    >>> parse_name_status("M\\0a.md\\0R096\\0b.md\\0c.md\\0A\\0d.md\\0")  # doctest: +NORMALIZE_WHITESPACE
    [Change(status='M', path='a.md', old_path='a.md'), Change(status='R', path='c.md', old_path='b.md'),
     Change(status='A', path='d.md', old_path=None)]
    """
    fields = iter(output.split("\0"))
    changes = []
    for letters in fields:
        if not letters:
            break
        status = letters[0]
        first = next(fields)
        if status in "RC":
            changes.append(Change(status, next(fields), first))
        else:
            changes.append(Change(status, first, None if status == "A" else first))
    return changes


def parse_batch(output: bytes, count: int) -> list[bytes | None]:
    """Split the output of ``git cat-file --batch`` into blobs (None for what is missing or no blob).

    >>> parse_batch(b"abc blob 2\\nhi\\nHEAD:x missing\\n", 2)
    [b'hi', None]
    """
    blobs: list[bytes | None] = []
    position = 0
    for _ in range(count):
        end = output.index(b"\n", position)
        header = output[position:end].rsplit(b" ", 2)
        position = end + 1
        if len(header) < 3 or not header[2].isdigit():
            blobs.append(None)
            continue
        size = int(header[2])
        blobs.append(output[position : position + size] if header[1] == b"blob" else None)
        position += size + 1
    return blobs


class Revisions:
    """Two revisions of a git repository, read file by file without checking anything out."""

    def __init__(self, repo: Path, base: str, head: str):
        self.repo = Path(repo)
        self.head = self.commit(head)
        base_commit = self.commit(base)
        # A pull request adds what is between the merge base and its head, even when main moved on.
        try:
            self.base = git(self.repo, "merge-base", base_commit, self.head).decode().strip()
        except ReviewError:
            self.base = base_commit

    def commit(self, rev: str) -> str:
        """The full commit id of a revision."""
        return git(self.repo, "rev-parse", "--verify", f"{rev}^{{commit}}").decode().strip()

    def changes(self) -> list[Change]:
        """Every file changed from base to head, with renames found."""
        output = git(self.repo, "diff", "--name-status", "-z", "-M", self.base, self.head, "--")
        return parse_name_status(output.decode("utf-8", "surrogateescape"))

    def files(self, rev: str, folder: str) -> list[str]:
        """The paths of every file below a folder at a revision."""
        output = git(self.repo, "ls-tree", "-r", "-z", "--full-tree", "--name-only", rev, "--", folder)
        return [p for p in output.decode("utf-8", "surrogateescape").split("\0") if p]

    def read(self, rev: str, paths: Iterable[str]) -> dict[str, bytes | None]:
        """The bytes of files at a revision, in one git process; None where a file is missing."""
        wanted = [p for p in dict.fromkeys(paths) if "\n" not in p]
        if not wanted:
            return {}
        request = "".join(f"{rev}:{p}\n" for p in wanted).encode("utf-8", "surrogateescape")
        blobs = parse_batch(git(self.repo, "cat-file", "--batch", data=request), len(wanted))
        return dict(zip(wanted, blobs, strict=True))


@dataclass
class Version:
    """One content file at one revision: its front matter and body, or why it cannot be read."""

    path: str
    data: dict = field(default_factory=dict)
    body: str = ""
    error: str | None = None


def parse_version(path: str, raw: bytes | None) -> Version:
    """Parse a content file from its bytes; a broken file gets an error in plain words, never a crash."""
    if raw is None:
        return Version(path, error="fehlt / missing")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return Version(path, error="kein UTF-8-Text / not UTF-8 text")
    try:
        doc = read_document(text, with_body=path.endswith(".md"))
    except ContentError as exc:
        problem = exc.problems[0]
        return Version(path, error=f"Zeile / line {problem.line}: {problem.message}")
    return Version(path, doc.data, normalise(doc.body).strip())


def image_size(raw: bytes | None, name: str) -> str | None:
    """An image's upright size as ``640×640``; None when it is missing or would be refused."""
    if raw is None:
        return None
    try:
        info = inspect_bytes(raw, name)
    except ImageRefused as refused:
        logger.info("%s", refused)
        return None
    return f"{info.width}×{info.height}"


# --- the summary --------------------------------------------------------------------------------


@dataclass
class Names:
    """City and discipline names at the head revision, in German and English."""

    cities: dict[str, tuple[str, str]] = field(default_factory=dict)
    disciplines: dict[str, tuple[str, str]] = field(default_factory=dict)

    def of(self, table: dict[str, tuple[str, str]], slugs: object) -> tuple[str, str]:
        """Comma-separated German and English names of some slugs, each as inert code; unknown slugs
        stay as they are."""
        found = [table.get(slug, (slug, slug)) for slug in texts(slugs)]
        return ", ".join(code(de) for de, _ in found), ", ".join(code(en) for _, en in found)


def read_names(revisions: Revisions, content: str) -> Names:
    """The names of cities (cities/*.yaml) and disciplines (disciplines.yaml) at head."""
    names = Names()
    folder = f"{content}/cities"
    paths = [p for p in revisions.files(revisions.head, folder) if kind_of(p[len(content) + 1 :]) == "city"]
    blobs = revisions.read(revisions.head, [*paths, f"{content}/{DISCIPLINES_FILE}"])
    for path in paths:
        data = parse_version(path, blobs.get(path)).data.get("names")
        if isinstance(data, dict):
            slug = PurePosixPath(path).name.split(".", 1)[0]
            names.cities[slug] = (str(data.get("de", slug)), str(data.get("en", slug)))
    listed = parse_version(DISCIPLINES_FILE, blobs.get(f"{content}/{DISCIPLINES_FILE}")).data
    for entry in listed.get("disciplines") or []:
        if isinstance(entry, dict) and isinstance(entry.get("names"), dict):
            slug = str(entry.get("slug"))
            de, en = entry["names"].get("de", slug), entry["names"].get("en", slug)
            names.disciplines[slug] = (str(de), lower_first(str(en)))
    return names


@dataclass(frozen=True)
class ProfileFacts:
    """What duplicate hints compare: a profile's name, cities and website, and where it is."""

    path: str
    name: str
    cities: tuple[str, ...]
    website: str | None = None

    @classmethod
    def of(cls, path: str, data: dict) -> ProfileFacts:
        """The facts of a profile's front matter."""
        links = data.get("links") if isinstance(data.get("links"), dict) else {}
        website = next(iter(texts(links.get("website"))), None)
        return cls(path, title_of(data, path), tuple(texts(data.get("cities"))), website)


def similar_names(a: str, b: str) -> bool:
    """True when two names are probably the same: equal slugs, one inside the other, or ratio ≥ 0.85.

    >>> similar_names("Anna Kowalska", "Anna Kowalská"), similar_names("Anna  Kowalska", "anna kowalska")
    (True, True)
    >>> similar_names("Klangwerk Linden", "Klangwerk Linden e.V."), similar_names("Anna Kowalska", "Anna Nowak")
    (True, False)
    """
    x, y = make_slug(a), make_slug(b)
    inside = f"-{x}-" in f"-{y}-" or f"-{y}-" in f"-{x}-"
    return x == y or inside or difflib.SequenceMatcher(None, x, y).ratio() >= 0.85


def website_key(url: str) -> str:
    """A website address without scheme, ``www.``, trailing slash, fragment or upper-case host.

    >>> website_key("https://www.Anna-Kowalska.example/"), website_key("http://anna-kowalska.example")
    ('anna-kowalska.example', 'anna-kowalska.example')
    >>> website_key("https://example.org/anna/?x=1#top"), website_key("https://example.org:8443/")
    ('example.org/anna?x=1', 'example.org:8443')
    """
    try:
        parts = urlsplit(url.strip())
        port = f":{parts.port}" if parts.port and parts.port not in (80, 443) else ""
    except ValueError:
        return url.strip().lower()
    host = (parts.hostname or "").removeprefix("www.")
    query = f"?{parts.query}" if parts.query else ""
    return f"{host}{port}{parts.path.rstrip('/')}{query}"


@dataclass(frozen=True)
class Hint:
    """A possible duplicate: the other profile, and whether name (in shared cities) or website match."""

    other: ProfileFacts
    reason: str
    cities: tuple[str, ...] = ()


def duplicate_hints(new: ProfileFacts, existing: Iterable[ProfileFacts]) -> list[Hint]:
    """Profiles that may be the same as a new one: a similar name in a shared city, or the same website.

    The same name in another city is not a hint: the network spans cities far apart, and namesakes
    there are other people far more often than someone who moved.
    """
    hints = []
    website = website_key(new.website) if new.website else None
    for other in existing:
        if other.path == new.path:
            continue
        shared = tuple(city for city in new.cities if city in other.cities)
        if shared and similar_names(new.name, other.name):
            hints.append(Hint(other, "name", shared))
        if website and other.website and website_key(other.website) == website:
            hints.append(Hint(other, "website"))
    return hints


def render_hint(new: ProfileFacts, hint: Hint, names: Names) -> str:
    """One duplicate hint in German and English; names, paths and the address as inert code."""
    name, other = code(new.name), f"{code(hint.other.name)} ({code(hint.other.path)})"
    if hint.reason == "name":
        de, en = names.of(names.cities, hint.cities)
        return f"{name}: ähnlicher Name in {de} wie {other} / similar name in {en} to {other}"
    url = code(new.website)
    return f"{name}: gleiche Website wie {other}: {url} / same website as {other}: {url}"


class Summary:
    """The Markdown summary of a pull request, built from the changes between two revisions."""

    def __init__(self, revisions: Revisions, content: str = "content"):
        self.revisions = revisions
        self.content = content.strip("/")
        self.names = read_names(revisions, self.content)
        self.lines: list[tuple[int, str, str]] = []
        self.technical: list[str] = []
        self.added_profiles: list[ProfileFacts] = []
        self.explained: set[str] = set()
        """Images an item's line already describes."""

    def relative(self, path: str | None) -> str | None:
        """A path relative to the content folder, or None when it is outside."""
        prefix = f"{self.content}/"
        return path[len(prefix) :] if path and path.startswith(prefix) else None

    def build(self) -> str:
        """Read the changes and render the summary."""
        changes = self.revisions.changes()
        inside = [c for c in changes if self.relative(c.path) or self.relative(c.old_path)]
        self.technical = [self.technical_line(c) for c in changes if c not in inside]
        head = self.revisions.read(self.revisions.head, [c.path for c in inside if c.status != "D"])
        base = self.revisions.read(self.revisions.base, [c.old_path for c in inside if c.old_path])
        items = [c for c in inside if kind_of(self.relative(c.path) or c.path) not in ("image", "other")]
        for change in items:
            self.item_line(change, head.get(change.path), base.get(change.old_path or ""))
        for change in inside:
            if change not in items:
                self.file_line(change, head.get(change.path), base.get(change.old_path or ""))
        return self.render()

    def add(self, order: int, path: str, line: str) -> None:
        """Note one line of the summary."""
        self.lines.append((order, path, line))

    def technical_line(self, change: Change) -> str:
        """A changed file outside content/, for a developer to look at."""
        if change.status == "R":
            return f"{code(change.path)} (umbenannt von / renamed from {code(change.old_path)})"
        return f"{code(change.path)} ({STATUS_WORDS.get(change.status, change.status)})"

    def item_line(self, change: Change, new_raw: bytes | None, old_raw: bytes | None) -> None:
        """The line of a content item (or the list of disciplines) that was added, changed or deleted."""
        status = change.status if change.status in ACTIONS else "M"
        kind = kind_of(self.relative(change.path) or change.path)
        new = parse_version(change.path, new_raw) if status != "D" else None
        old = parse_version(change.old_path, old_raw) if change.old_path else Version(change.path)
        if new is not None and new.error:
            message = f"⚠️ Nicht lesbar / Cannot be read: {code(change.path)} — {code(new.error)}"
            self.add(0, change.path, message)
            return
        if kind == "disciplines":
            self.add(ORDER[status], change.path, self.disciplines_line(old, new))
            return
        current = new or old
        slug = PurePosixPath(change.path).name.split(".", 1)[0]
        noun = "event" if kind == "news" and current.data.get("kind") == "event" else kind
        de, en = label(status, "translation" if current.data.get("translation_of") else noun)
        subject_de, subject_en = self.subject(kind, current.data, slug)
        extra_de, extra_en = "", ""
        if status in ("A", "C"):
            extra_de, extra_en = self.details(kind, change.path, current.data)
            if kind == "profile" and not current.data.get("translation_of"):
                self.added_profiles.append(ProfileFacts.of(change.path, current.data))
        elif status == "R":
            moved = f"{code(change.old_path)} → {code(change.path)}"
            extra_de, extra_en = f" ({moved}, neue Adresse)", f" ({moved}, new address)"
        if status in ("M", "T", "R") and new is not None:
            fields = [code(key) for key in changed_fields(old.data, new.data)]
            fields += ["text"] if old.body != new.body else []
            if fields:
                extra_de += f" — geändert: {', '.join(fields)}"
                extra_en += f" — changed: {', '.join(fields)}"
            elif status != "R":
                extra_de, extra_en = " — nur Schreibweise der Datei", " — file layout only"
        line = f"{de}{subject_de}{extra_de} / {en}{subject_en}{extra_en}"
        self.add(ORDER[status], change.path, line)

    def subject(self, kind: str, data: dict, slug: str) -> tuple[str, str]:
        """What an item is, after its label: ": Anna Kowalska", or " (en) von Anna Kowalska" for a translation."""
        original = data.get("translation_of")
        if not isinstance(original, str) or kind not in FOLDERS.values():
            title = code(title_of(data, slug))
            return f": {title}", f": {title}"
        folder = next(f for f, k in FOLDERS.items() if k == kind)
        path = f"{self.content}/{folder}/{original}.md"
        found = self.revisions.read(self.revisions.head, [path]).get(path)
        if found is None:
            found = self.revisions.read(self.revisions.base, [path]).get(path)
        title = code(title_of(parse_version(path, found).data, original))
        lang = shaped(data.get("lang", "?"), LANGUAGE)
        return f" ({lang}) von {title}", f" ({lang}) of {title}"

    def details(self, kind: str, path: str, data: dict) -> tuple[str, str]:
        """What staff want to know of a new item: cities, disciplines, photo, consent, deadline."""
        if data.get("translation_of"):
            return "", ""
        cities_de, cities_en = self.names.of(self.names.cities, data.get("cities"))
        if kind == "profile":
            disciplines_de, disciplines_en = self.names.of(self.names.disciplines, data.get("disciplines"))
            photo_de, photo_en = self.picture(path, data.get("photo"), ("Foto", "photo"))
            consent = data.get("consent") if isinstance(data.get("consent"), dict) else {}
            version = consent.get("version") or ""
            version = version and shaped(version, NUMBER)
            consent_de = f"Einwilligung v{version}" if version else "keine Einwilligung"
            consent_en = f"consent v{version}" if version else "no consent"
            return (
                f" ({cities_de}; {disciplines_de}) — {photo_de}, {consent_de}",
                f" ({cities_en}; {disciplines_en}) — {photo_en}, {consent_en}",
            )
        if kind == "call":
            deadline = shaped(data.get("deadline", "?"), DAY_OR_TIME)
            return f" ({cities_de}; Frist {deadline})", f" ({cities_en}; deadline {deadline})"
        if kind == "news":
            image_de, image_en = self.picture(path, data.get("image"), ("Bild", "image"))
            when = shaped(data.get("date", "?"), DAY_OR_TIME)
            if data.get("image"):
                return f" ({cities_de}; {when}) — {image_de}", f" ({cities_en}; {when}) — {image_en}"
            return f" ({cities_de}; {when})", f" ({cities_en}; {when})"
        return "", ""

    def picture(self, path: str, block: object, words: tuple[str, str]) -> tuple[str, str]:
        """The size of the photo or image an item names, read at head: "Foto 640×640"."""
        de, en = words
        name = block.get("file") if isinstance(block, dict) else None
        if not isinstance(name, str):
            return f"kein {de}", f"no {en}"
        image = str(PurePosixPath(path).parent / name)
        self.explained.add(image)
        raw = self.revisions.read(self.revisions.head, [image]).get(image)
        size = image_size(raw, name)
        if size:
            return f"{de} {size}", f"{en} {size}"
        if raw is None:
            return f"{de} fehlt ({code(name)})", f"{en} missing ({code(name)})"
        return f"{de} unbrauchbar ({code(name)})", f"{en} unusable ({code(name)})"

    def disciplines_line(self, old: Version, new: Version | None) -> str:
        """The change of the list of disciplines: which slugs came and went."""

        def slugs(version: Version | None) -> list[str]:
            entries = version.data.get("disciplines") if version else None
            return [str(e.get("slug")) for e in entries or [] if isinstance(e, dict)]

        before, after = slugs(old), slugs(new)
        added = ", ".join(code(s) for s in after if s not in before)
        removed = ", ".join(code(s) for s in before if s not in after)
        parts = [(f"neu: {added}", f"new: {added}")] if added else []
        if removed:
            parts.append((f"entfernt: {removed}", f"removed: {removed}"))
        de, en = ("; ".join(words) for words in zip(*parts, strict=True)) if parts else ("Namen", "names")
        return f"Geänderte Liste der Sparten — {de} / Changed list of disciplines — {en}"

    def file_line(self, change: Change, new_raw: bytes | None, old_raw: bytes | None) -> None:
        """The line of an image (unless an item's line names it) or of another file in content/."""
        kind = kind_of(self.relative(change.path) or change.path)
        status = change.status if change.status in ACTIONS else "M"
        if kind == "image" and status in ("A", "C") and change.path in self.explained:
            return
        de, en = label(status, kind)
        where = f"{code(change.old_path)} → {code(change.path)}" if status == "R" else code(change.path)
        name = PurePosixPath(change.path).name
        note = ""
        if kind == "image" and status in ("M", "T"):
            note = f" ({image_size(old_raw, name) or '?'} → {image_size(new_raw, name) or '?'})"
        elif kind == "image" and status != "D":
            note = f" ({image_size(new_raw, name) or '?'})"
        self.add(ORDER[status], change.path, f"{de}: {where}{note} / {en}: {where}{note}")

    def duplicate_lines(self) -> list[str]:
        """Hints for every added profile, against every profile at head."""
        if not self.added_profiles:
            return []
        folder = f"{self.content}/profiles"
        paths = [p for p in self.revisions.files(self.revisions.head, folder) if p.endswith(".md")]
        profiles = []
        for path, raw in self.revisions.read(self.revisions.head, paths).items():
            version = parse_version(path, raw)
            if not version.error and not version.data.get("translation_of"):
                profiles.append(ProfileFacts.of(path, version.data))
        lines, seen = [], set()
        for new in self.added_profiles:
            for hint in duplicate_hints(new, profiles):
                key = (frozenset((new.path, hint.other.path)), hint.reason)
                if key not in seen:
                    seen.add(key)
                    lines.append(f"- {render_hint(new, hint, self.names)}")
        if not lines:
            return ["Keine Hinweise. / No hints."]
        return ["Nur Hinweise, sie blockieren nichts. / Hints only; they block nothing.", "", *lines]

    def render(self) -> str:
        """The Markdown text."""
        out = ["## Was dieser Pull Request ändert / What this pull request changes", ""]
        if self.lines:
            out += [f"- {line}" for _, _, line in sorted(self.lines)]
        else:
            out.append("Keine Änderungen an Inhalten. / No changes to content.")
        duplicates = self.duplicate_lines()
        if duplicates:
            out += ["", "### Mögliche Dubletten / Possible duplicates", "", *duplicates]
        if self.technical:
            out += ["", "### Technische Änderungen / Technical changes", ""]
            out.append(
                "Diese Dateien sind keine Inhalte: Bitte eine Entwicklerin oder einen Entwickler prüfen lassen. / "
                "These files are not content: please ask a developer to review them."
            )
            out += ["", *(f"- {line}" for line in self.technical)]
        return "\n".join([*out, "", CHECK_NOTE]) + "\n"


def summarise(repo: Path, base: str, head: str, content: str = "content") -> str:
    """The Markdown summary of what the commits from ``base`` to ``head`` change."""
    return Summary(Revisions(repo, base, head), content).build()


# --- links -------------------------------------------------------------------------------------

URL_IN_TEXT = re.compile(r"https?://[^\s<>()\[\]{}\"'`]+")
RESERVED_TLDS = (".example", ".invalid", ".test", ".localhost")
"""Top-level domains that never resolve (RFC 2606, RFC 6761): sample addresses, not checked."""
USER_AGENT = f"CuCon-linkcheck/{__version__} (link check of the CuCon culture network, Hannover)"


def links_of(data: dict, body: str) -> list[tuple[str, str]]:
    """The web links of a content file as (field, address): links.*, website, apply, event.online, text.

    >>> links_of({"links": {"website": "https://a.example/", "other": ["https://b.example/x"]},
    ...           "apply": "mailto:x@y.example"}, "See https://c.example/page.")
    [('links.website', 'https://a.example/'), ('links.other', 'https://b.example/x'), ('text', 'https://c.example/page')]
    """
    found = []
    links = data.get("links")
    for key, value in links.items() if isinstance(links, dict) else ():
        found += [(f"links.{key}", url) for url in texts(value)]
    for key in ("website", "apply"):
        found += [(key, url) for url in texts(data.get(key))]
    event = data.get("event")
    if isinstance(event, dict):
        found += [("event.online", url) for url in texts(event.get("online"))]
    found += [("text", match.group(0).rstrip(".,;:!?*_")) for match in URL_IN_TEXT.finditer(body)]
    return [(name, url) for name, url in found if url.lower().startswith(("http://", "https://"))]


def is_reserved(url: str) -> bool:
    """True for addresses on a top-level domain that never resolves, such as ``.example``.

    >>> is_reserved("https://anna.example/"), is_reserved("https://example.org/"), is_reserved("http://127.0.0.1/")
    (True, False, False)
    """
    try:
        host = (urlsplit(url).hostname or "").rstrip(".")
    except ValueError:
        return False
    return host.endswith(RESERVED_TLDS)


@dataclass(frozen=True)
class LinkUse:
    """A link in a content file: the file, the field and the address."""

    path: str
    field: str
    url: str


@dataclass(frozen=True)
class LinkResult:
    """What one address answered: an HTTP status and reason, or why it could not be reached."""

    url: str
    status: int | None = None
    reason: str = ""
    error: str | None = None

    @property
    def ok(self) -> bool:
        """True when the address answered with a status below 400."""
        return self.error is None and self.status is not None and self.status < 400

    def describe(self) -> str:
        """The result in plain words.

        >>> LinkResult("u", 404, "Not Found").describe(), LinkResult("u", error="timed out").describe()
        ('HTTP 404 Not Found', 'nicht erreichbar / unreachable: timed out')
        """
        if self.error is not None:
            return f"nicht erreichbar / unreachable: {self.error}"
        return f"HTTP {self.status} {self.reason}".rstrip()


class _SameMethodRedirects(urllib.request.HTTPRedirectHandler):
    """Follow redirects with the method asked for, so a HEAD stays a HEAD."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        """The redirected request, with the original method."""
        request = super().redirect_request(req, fp, code, msg, headers, newurl)
        if request is not None:
            request.method = req.get_method()
        return request


_OPENER = urllib.request.build_opener(_SameMethodRedirects)


def _status(url: str, method: str, timeout: float) -> tuple[int, str]:
    """Send one request and return the status; the body is never read."""
    request = urllib.request.Request(url, method=method, headers={"User-Agent": USER_AGENT, "Accept": "*/*"})
    with _OPENER.open(request, timeout=timeout) as response:
        return response.status, response.reason


def _reason(error: object) -> str:
    """An exception's message without ``[Errno 111]``."""
    return getattr(error, "strerror", None) or str(error) or type(error).__name__


def check_url(url: str, timeout: float = 10.0) -> LinkResult:
    """Ask an address with HEAD, and once with GET when HEAD gets an error status; no other retries."""
    try:
        try:
            return LinkResult(url, *_status(url, "HEAD", timeout))
        except urllib.error.HTTPError as exc:
            exc.close()
            logger.debug("HEAD %s: %s; trying GET", url, exc.code)
        return LinkResult(url, *_status(url, "GET", timeout))
    except urllib.error.HTTPError as exc:
        exc.close()
        return LinkResult(url, exc.code, str(exc.reason or ""))
    except urllib.error.URLError as exc:
        return LinkResult(url, error=_reason(exc.reason))
    except (OSError, ValueError, http.client.HTTPException) as exc:
        return LinkResult(url, error=_reason(exc))


def check_links(urls: Iterable[str], timeout: float = 10.0, workers: int = 8) -> dict[str, LinkResult]:
    """Check each distinct address once, a few at a time."""
    unique = list(dict.fromkeys(urls))
    if not unique:
        return {}
    with ThreadPoolExecutor(max_workers=min(workers, len(unique))) as pool:
        return dict(zip(unique, pool.map(lambda url: check_url(url, timeout), unique), strict=True))


def links_in_files(paths: Iterable[Path]) -> Iterator[LinkUse]:
    """Every link in the given content files (and the .md and .yaml files in given folders)."""
    for given in paths:
        files = sorted(given.rglob("*")) if given.is_dir() else [given]
        for path in files:
            if path.suffix not in (".md", ".yaml", ".yml") or not path.is_file():
                continue
            version = parse_version(str(path), path.read_bytes())
            if version.error:
                logger.warning("%s: %s", path, version.error)
            for name, url in links_of(version.data, version.body):
                yield LinkUse(str(path), name, url)


def links_in_changes(revisions: Revisions, content: str = "content") -> Iterator[LinkUse]:
    """Links that the content files changed between two revisions add: new addresses only."""
    prefix = f"{content.strip('/')}/"
    changes = [
        c
        for c in revisions.changes()
        if c.status != "D" and c.path.startswith(prefix) and c.path.endswith((".md", ".yaml", ".yml"))
    ]
    head = revisions.read(revisions.head, [c.path for c in changes])
    base = revisions.read(revisions.base, [c.old_path for c in changes if c.old_path])
    for change in changes:
        new = parse_version(change.path, head.get(change.path))
        old = parse_version(change.old_path or "", base.get(change.old_path or ""))
        before = {url for _, url in links_of(old.data, old.body)}
        for name, url in links_of(new.data, new.body):
            if url not in before:
                yield LinkUse(change.path, name, url)


def link_report(uses: list[LinkUse], timeout: float = 10.0) -> tuple[str, int]:
    """Check the links and render a Markdown report; also return how many uses are broken."""
    checked = [use for use in uses if not is_reserved(use.url)]
    skipped = len(uses) - len(checked)
    results = check_links((use.url for use in checked), timeout)
    broken = [use for use in checked if not results[use.url].ok]
    out = ["## Links", ""]
    if not uses:
        out.append("Keine neuen Links. / No new links.")
    elif broken:
        rows = [(code(u.url), code(u.path), code(u.field), code(results[u.url].describe())) for u in broken]
        out += markdown_table(("Link", "Datei / File", "Feld / Field", "Ergebnis / Result"), rows)
        out += [
            "",
            f"{len(broken)} von {len(checked)} Links sind kaputt oder nicht erreichbar. Das blockiert nichts; "
            f"bitte prüfen. / {len(broken)} of {len(checked)} links are broken or unreachable. "
            "This blocks nothing; please check them.",
        ]
    else:
        out.append(f"Alle {len(checked)} Links funktionieren. / All {len(checked)} links work.")
    if skipped:
        out += [
            "",
            f"{skipped} Beispiel-Adresse(n) nicht geprüft. / {skipped} example address(es) not checked.",
        ]
    return "\n".join(out) + "\n", len(broken)


# --- staleness ---------------------------------------------------------------------------------


def years_before(day: dt.date, years: int) -> dt.date:
    """The same day ``years`` earlier (28 February for 29 February).

    >>> years_before(dt.date(2028, 2, 29), 2), years_before(dt.date(2026, 11, 27), 1)
    (datetime.date(2026, 2, 28), datetime.date(2025, 11, 27))
    """
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)


@dataclass(frozen=True)
class Stale:
    """An item staff might update or archive: where it is, what it is called, and the day that counts."""

    path: str
    title: str
    day: dt.date
    note: str = ""


def stale_items(site: Site, today: dt.date) -> dict[str, list[Stale]]:
    """Profiles not updated for two years; calls and events over long ago (originals only)."""
    two_years, one_year = years_before(today, 2), years_before(today, 1)
    profiles, calls, news = [], [], []
    for item in site.profiles.values():
        if item.translation_of:
            continue
        meta = item.meta
        day = meta.updated or meta.consent.date
        if day < two_years:
            note = "" if meta.updated else " (Einwilligung / consent)"
            profiles.append(Stale(item.path, meta.name, day, note))
    for item in site.calls.values():
        if not item.translation_of and item.meta.deadline.date() < one_year:
            calls.append(Stale(item.path, item.meta.title, item.meta.deadline.date()))
    for item in site.news.values():
        if item.translation_of or item.meta.date >= two_years:
            continue
        event = item.meta.event
        if event is None or (event.end or event.start).date() < today:
            news.append(Stale(item.path, item.meta.title, item.meta.date))
    found = {"profiles": profiles, "calls": calls, "news": news}
    return {key: sorted(items, key=lambda s: (s.day, s.path)) for key, items in found.items()}


REPORT_SECTIONS = (
    (
        "profiles",
        "Profile ohne Aktualisierung seit zwei Jahren / Profiles not updated for two years",
        "Stand: `updated`, sonst das Datum der Einwilligung. / Last change: `updated`, else the consent date.",
        "Zuletzt / Last change",
    ),
    (
        "calls",
        "Ausschreibungen zum Archivieren / Calls to archive",
        "Jede Ausschreibung hat eine Frist, das Schema verlangt sie; hier stehen die, deren Frist mehr "
        "als ein Jahr vorbei ist. / Every call has a deadline, the schema requires one; listed are those "
        "whose deadline passed more than a year ago.",
        "Frist / Deadline",
    ),
    (
        "news",
        "Meldungen zum Archivieren / News to archive",
        "Älter als zwei Jahre, und eine Veranstaltung ist vorbei. / Older than two years, and any event has ended.",
        "Datum / Date",
    ),
)


def render_report(found: dict[str, list[Stale]], today: dt.date, fmt: str, problems: int = 0) -> str:
    """The staleness report as Markdown tables or plain text."""
    markdown = fmt == "markdown"
    title = f"Pflege-Bericht / Maintenance report, {today.isoformat()}"
    out = [f"## {title}" if markdown else title]
    for key, heading, note, when in REPORT_SECTIONS:
        items = found[key]
        out += ["", f"### {heading} ({len(items)})" if markdown else f"{heading} ({len(items)})", note]
        if not items:
            out.append("Keine. / None.")
        elif markdown:
            rows = [(code(s.title), f"{s.day.isoformat()}{s.note}", code(s.path)) for s in items]
            out += ["", *markdown_table(("Titel / Title", when, "Datei / File"), rows)]
        else:
            out += [f"  {s.path}: {s.title} — {s.day.isoformat()}{s.note}" for s in items]
    if problems:
        out += [
            "",
            f"{problems} Problem(e) in den Inhalten; ungültige Dateien fehlen hier, `cucon check` zeigt sie. / "
            f"{problems} problem(s) in the content; invalid files are missing here, `cucon check` shows them.",
        ]
    return "\n".join(out) + "\n"
