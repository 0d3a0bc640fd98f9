"""Reading the content folder into validated items, collecting every problem on the way."""

from __future__ import annotations

import hashlib
import logging
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import BaseModel, ValidationError

from cucon import schema
from cucon.frontmatter import Document, LinePath, read_document
from cucon.markup import OverBudget, internal_targets, render_bodies
from cucon.problems import ContentError, ContentProblem
from cucon.text import find_forbidden, is_slug, normalise

logger = logging.getLogger(__name__)

MAX_MARKDOWN_BYTES = 256 * 1024
MAX_YAML_BYTES = 256 * 1024
MAX_IMAGE_BYTES = 10 * 1024 * 1024
IMAGE_SUFFIXES = (".jpg", ".jpeg", ".png", ".webp")

FOLDERS = {"profiles": "profile", "calls": "call", "news": "news", "pages": "page"}
"""Markdown folders under content/ and the type of item each holds."""

YAML_FOLDERS = {"cities": "city", "networks": "network"}
DISCIPLINES_FILE = "disciplines.yaml"
REMOVED_FILE = "removed.yaml"
"""Tombstones of removed items (``cucon remove``); optional."""


@dataclass
class Item:
    """One content file, read and validated: its model, its body and where it came from."""

    type: str
    slug: str
    path: str
    meta: BaseModel
    body: str = ""
    source: Path | None = None
    doc: Document = field(default_factory=lambda: Document(data={}))
    digest: str = ""
    """A hash of the file's text: what incremental builds and the read cache compare."""
    member_of: Item | None = None
    """For a member city without a city file (:mod:`cucon.members`): the network it comes from."""

    @property
    def id(self) -> str:
        """The permanent id."""
        return self.meta.id

    @property
    def translation_of(self) -> str | None:
        """The slug of the original, for a translation."""
        return getattr(self.meta, "translation_of", None)

    @property
    def lang(self) -> str | None:
        """The language the item is written in."""
        return getattr(self.meta, "lang", None)

    def line(self, *key: str | int) -> int:
        """The line of a key path in the source file."""
        return self.doc.line_of(key)

    def problem(self, key: LinePath, code: str, /, **values: object) -> ContentProblem:
        """A problem of a kind (:mod:`cucon.codes`) at a key path of this item."""
        return ContentProblem.of(self.path, self.doc.line_of(key), field_name(key), code, **values)


@dataclass
class Site:
    """Everything under content/, validated."""

    root: Path
    cities: dict[str, Item] = field(default_factory=dict)
    networks: dict[str, Item] = field(default_factory=dict)
    disciplines: dict[str, schema.Discipline] = field(default_factory=dict)
    profiles: dict[str, Item] = field(default_factory=dict)
    calls: dict[str, Item] = field(default_factory=dict)
    news: dict[str, Item] = field(default_factory=dict)
    pages: dict[str, Item] = field(default_factory=dict)
    problems: list[ContentProblem] = field(default_factory=list)
    invalid: set[tuple[str, str]] = field(default_factory=set)
    """(type, slug) of files that exist but failed validation: no follow-on problems for them."""
    files: list[Path] = field(default_factory=list)
    """Every regular file under the root, sorted: the content tree is walked once per check."""
    links: list[Path] = field(default_factory=list)
    """Symbolic links under the root: refused, never followed."""
    removed: list[schema.Tombstone] = field(default_factory=list)
    """Tombstones of removed items, from removed.yaml; ``removed_doc`` has their lines."""
    removed_doc: Document = field(default_factory=lambda: Document(data={}))
    members: dict = field(default_factory=dict)
    """Every network member by the slug content names it by (:class:`cucon.members.Member`)."""
    rejected: list[tuple[str, Document, frozenset[str]]] = field(default_factory=list)
    """(path, document, fields with a problem) of readable files that failed validation: their
    references are still checked, so one run reports all of a file's problems."""

    def files_in(self, folder: str, suffixes: tuple[str, ...]) -> Iterator[Path]:
        """Regular files below ``root/folder`` with one of the suffixes, in a stable order."""
        prefix = f"{self.root / folder}{os.sep}"
        for path in self.files:
            if path.suffix.lower() in suffixes and str(path).startswith(prefix):
                yield path

    def of_type(self, item_type: str) -> dict[str, Item]:
        """The items of one type, by slug."""
        return {
            "profile": self.profiles,
            "call": self.calls,
            "news": self.news,
            "page": self.pages,
            "city": self.cities,
            "network": self.networks,
        }[item_type]

    def items(self) -> Iterator[Item]:
        """Every item of every type."""
        for group in (self.cities, self.networks, self.profiles, self.calls, self.news, self.pages):
            yield from group.values()

    def translations(self) -> dict[tuple[str, str], list[Item]]:
        """Translations by (type, original slug)."""
        found: dict[tuple[str, str], list[Item]] = {}
        for item in self.items():
            if item.translation_of:
                found.setdefault((item.type, item.translation_of), []).append(item)
        return found


def field_name(key: LinePath) -> str:
    """Render a key path the way a person reads it.

    >>> field_name(("photo", "alt")), field_name(("cities", 0)), field_name(())
    ('photo.alt', 'cities[0]', '(file)')
    """
    text = ""
    for part in key:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text or "(file)"


def normalised(path: Path) -> Path:
    """An absolute path with ``..`` folded, without touching the disk.

    >>> normalised(Path("/site/content/pages/../news/a.md"))
    PosixPath('/site/content/news/a.md')
    """
    return Path(os.path.normpath(os.path.abspath(path)))


def display_path(path: Path) -> str:
    """The path as the user would type it: relative to the working directory when inside it."""
    try:
        return os.path.relpath(path)
    except ValueError:
        return str(path)


def _pydantic_problems(path: str, doc: Document, exc: ValidationError, model: type) -> list[ContentProblem]:
    """One problem per pydantic error, at the line of the key it concerns; a misspelt key names the
    key it is close to."""
    problems = []
    for error in exc.errors(include_url=False):
        loc = tuple(part for part in error["loc"] if not _is_union_tag(part))
        code, values = schema.problem_of(error)
        suggestion = schema.close_key(model, loc) if code == "unknown-key" else None
        if suggestion:
            code, values = "unknown-key-suggests", {**values, "suggestion": suggestion}
        loc = _blamed_key(doc, loc, code)
        problems.append(ContentProblem.of(path, doc.line_of(loc), field_name(loc), code, **values))
    return problems


def _blamed_key(doc: Document, loc: tuple, code: str) -> tuple:
    """A rule between values (:data:`cucon.schema.RULE_KEYS`) is shown at the first key it concerns
    that the file has, not at the file's first line; any other problem stays where pydantic put it."""
    for key in schema.RULE_KEYS.get(code, ()):
        if (*loc, key) in doc.lines:
            return (*loc, key)
    return loc


def _is_union_tag(part: object) -> bool:
    """pydantic puts the name of the tried union member into loc; people don't need it."""
    return isinstance(part, str) and (
        part.startswith(("literal[", "function-", "list[", "dict[", "constrained-"))
        or part in ("Fee", "str", "int", "float", "bool")
    )


def read_text(path: Path, display: str, limit: int) -> tuple[str | None, list[ContentProblem]]:
    """Read a UTF-8 text file within a size cap."""
    size = path.stat().st_size
    if size > limit:
        return None, [ContentProblem.of(display, 1, "(file)", "file-too-large", size=size, limit=limit)]
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        return None, [ContentProblem.of(display, line, "(file)", "not-utf8")]
    return text, []


ItemCache = dict[tuple[str, str, str], "Item"]
"""Valid items of an earlier read by (type, path, digest of the text): a file whose text is the
same is not parsed and validated again. Only what passed validation is ever in it."""


def read_item(
    path: Path, item_type: str, cache: ItemCache | None = None
) -> tuple[Item | None, list[ContentProblem]]:
    """Read and validate one content file of a known type (from ``cache`` if its text is known)."""
    display = display_path(path)
    markdown = item_type in schema.MARKDOWN_TYPES
    text, problems = read_text(path, display, MAX_MARKDOWN_BYTES if markdown else MAX_YAML_BYTES)
    if text is None:
        return None, problems
    digest = hashlib.blake2b(text.encode(), digest_size=16).hexdigest()
    if cache is not None:
        known = cache.get((item_type, display, digest))
        if known is not None:
            known.source = path
            return known, []
    try:
        doc = read_document(text, with_body=markdown)
    except ContentError as exc:
        return None, [p.located(display) for p in exc.problems]
    body_problem = None
    if markdown:
        doc.body = normalise(doc.body)
        found = find_forbidden(doc.body, multiline=True)
        if found:
            index, kind, code_point = found
            line = doc.body_line + doc.body.count("\n", 0, index)
            body_problem = ContentProblem.of(display, line, "(body)", f"body-{kind}", code_point=code_point)
        original_model, translation_model = schema.MARKDOWN_TYPES[item_type]
        model = translation_model if "translation_of" in doc.data else original_model
    else:
        model = schema.YAML_TYPES[item_type]
    try:
        meta = model.model_validate(doc.data)
    except ValidationError as exc:
        problems = _pydantic_problems(display, doc, exc, model)
        return None, problems + ([body_problem] if body_problem else [])
    if body_problem:
        return None, [body_problem]
    slug = path.name.split(".", 1)[0]
    item = Item(
        type=item_type, slug=slug, path=display, meta=meta, body=doc.body, source=path, doc=doc, digest=digest
    )
    if cache is not None:
        cache[(item_type, display, digest)] = item
    return item, []


def read_site(
    root: Path,
    cache: ItemCache | None = None,
    rendered: dict[str, str] | None = None,
    workers: int = 0,
    allowance: float = 1,
) -> Site:
    """Read and validate every file under a content folder on its own; problems go to ``site.problems``.

    The checks across files are :func:`cucon.checks.check_site` (:func:`cucon.checks.load_site`
    does both). With ``cache``, files whose text an earlier read validated are taken from it, and
    the cache gains every valid file read now. Every body is rendered by the build's renderer
    within its budget (:func:`render_bodies`, in ``workers`` processes, 0 for one per core; the
    build gives ``allowance`` times the check's time budget); ``rendered`` (HTML by digest) keeps
    the results for the build, and bodies already in it are not rendered again.
    """
    root = normalised(Path(root))
    site = Site(root=root)
    if not root.is_dir():
        site.problems.append(ContentProblem.of(str(root), 1, "(folder)", "no-content-folder"))
        return site
    for path in sorted(root.rglob("*")):
        if path.is_symlink():
            site.links.append(path)
        elif path.is_file():
            site.files.append(path)
    _load_disciplines(site)
    _load_removed(site)
    kinds = {**YAML_FOLDERS, **FOLDERS}
    for folder, item_type in kinds.items():
        suffixes = (".yaml", ".yml") if folder in YAML_FOLDERS else (".md",)
        _load_folder(site, folder, item_type, suffixes, cache)
    _check_strays(site)
    _render_bodies(site, {} if rendered is None else rendered, workers or os.cpu_count() or 1, allowance)
    return site


def _render_bodies(site: Site, rendered: dict[str, str], workers: int, allowance: float) -> None:
    """Render the bodies not in ``rendered`` yet; a body over its render budget is a problem, and
    so is a ``{filename}`` link of the HTML that points at no content file."""
    todo = [item for item in site.items() if item.digest not in rendered and item.body.strip()]
    results = render_bodies([item.body for item in todo], workers, allowance) if todo else []
    for item, html in zip(todo, results, strict=True):
        if isinstance(html, OverBudget):
            site.problems.append(
                ContentProblem.of(item.path, item.doc.body_line, "(body)", html.code, **html.values)
            )
        else:
            rendered[item.digest] = html
    sources = {item.source for item in site.items() if item.source}
    for item in site.items():
        for target in internal_targets(rendered.get(item.digest, "")):
            # A link written as {filename}path is reported at its line by the reference checks; one
            # written otherwise (with entities or percent-encoded braces) is found only here.
            if (
                normalised(item.source.parent / target) not in sources
                and f"{{filename}}{target}" not in item.body
            ):
                site.problems.append(
                    ContentProblem.of(
                        item.path, item.doc.body_line, "(body)", "link-to-no-file-in-html", target=target
                    )
                )


def _load_folder(
    site: Site, folder: str, item_type: str, suffixes: tuple[str, ...], cache: ItemCache | None
) -> None:
    """Read every file of one type; slugs come from file names and must be unique."""
    group = site.of_type(item_type)
    for path in site.files_in(folder, suffixes):
        display = display_path(path)
        slug, _, rest = path.name.partition(".")
        if not is_slug(slug) or rest.lower() not in {s.lstrip(".") for s in suffixes}:
            site.problems.append(
                ContentProblem.of(
                    display, 1, "(file name)", "bad-file-name", name=path.name, suffix=suffixes[0]
                )
            )
            continue
        item, problems = read_item(path, item_type, cache)
        site.problems.extend(problems)
        if item is None:
            site.invalid.add((item_type, slug))
            _keep_rejected(site, path, item_type, problems)
            continue
        if slug in group:
            other = group[slug]
            for path_of in (item.path, other.path):
                site.problems.append(
                    ContentProblem.of(
                        path_of,
                        1,
                        "(file name)",
                        "duplicate-slug",
                        slug=slug,
                        first=other.path,
                        second=item.path,
                    )
                )
            continue
        group[slug] = item


def _keep_rejected(site: Site, path: Path, item_type: str, problems: list[ContentProblem]) -> None:
    """Keep the document of a file that failed validation but whose YAML reads, for its references."""
    try:
        doc = read_document(path.read_text("utf-8-sig"), with_body=item_type in schema.MARKDOWN_TYPES)
    except (ContentError, UnicodeDecodeError):
        return
    site.rejected.append((display_path(path), doc, frozenset(p.field for p in problems)))


def _load_disciplines(site: Site) -> None:
    """Read the controlled list of disciplines."""
    path = site.root / DISCIPLINES_FILE
    display = display_path(path)
    if not path.is_file():
        site.problems.append(ContentProblem.of(display, 1, "(file)", "disciplines-missing"))
        return
    doc, disciplines = _read_model(site, path, schema.Disciplines)
    if disciplines is None:
        return
    for index, discipline in enumerate(disciplines.disciplines):
        if discipline.slug in site.disciplines:
            line = doc.line_of(("disciplines", index, "slug"))
            field = f"disciplines[{index}].slug"
            site.problems.append(
                ContentProblem.of(display, line, field, "discipline-twice", slug=discipline.slug)
            )
        site.disciplines[discipline.slug] = discipline


def _load_removed(site: Site) -> None:
    """Read the tombstones of removed items, if the file exists (``cucon remove`` writes it)."""
    path = site.root / REMOVED_FILE
    if path.is_symlink() or not path.is_file():
        return  # a link is reported as a stray file
    doc, removed = _read_model(site, path, schema.Removed)
    if removed is not None:
        site.removed, site.removed_doc = removed.removed, doc


def _read_model(site: Site, path: Path, model: type):
    """Read a YAML file of the site as one model: (document, model), or (None, None) with the problems recorded."""
    display = display_path(path)
    text, problems = read_text(path, display, MAX_YAML_BYTES)
    site.problems.extend(problems)
    if text is None:
        return None, None
    doc = None
    try:
        doc = read_document(text, with_body=False)
        return doc, model.model_validate(doc.data)
    except ContentError as exc:
        site.problems.extend(p.located(display) for p in exc.problems)
    except ValidationError as exc:
        site.problems.extend(_pydantic_problems(display, doc, exc, model))
    return None, None


def _check_strays(site: Site) -> None:
    """Files that no content type reads are errors, so nothing lies around unpublished."""
    known = {*FOLDERS, *YAML_FOLDERS}
    for path in site.links:
        site.problems.append(ContentProblem.of(display_path(path), 1, "(file)", "symbolic-link"))
    for path in site.files:
        if path.name.startswith("."):
            continue
        relative = path.relative_to(site.root)
        top = relative.parts[0]
        if len(relative.parts) == 1 and path.name in (DISCIPLINES_FILE, REMOVED_FILE, "README.md"):
            continue
        if top in known and path.suffix.lower() in (".md", ".yaml", ".yml", *IMAGE_SUFFIXES):
            continue
        site.problems.append(ContentProblem.of(display_path(path), 1, "(file)", "stray-file"))


def problems_in(problems: Iterable[ContentProblem], paths: list[Path]) -> list[ContentProblem]:
    """Only the problems in the given files or folders."""
    wanted = [Path(p).resolve() for p in paths]

    def inside(problem: ContentProblem) -> bool:
        location = Path(problem.path).resolve()
        return any(location == w or w in location.parents for w in wanted)

    return [p for p in problems if inside(p)]
