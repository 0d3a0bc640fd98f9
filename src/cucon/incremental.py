"""Incremental builds: write again only the outputs whose inputs changed since the last build.

Every output (a page, a page of a paginated listing, a feed, a calendar, a digest) is a unit
with a **key**: a hash over the site-wide inputs (:func:`global_key`: code, templates,
translations, settings, cities, disciplines, networks), the output's own values,
and the current fingerprint of each **dependency** it read while it rendered:

- ``("e", type, slug)``: an entry (:meth:`Fingerprints.entry`: its file, its resolved dates
  and call status, its image's stamp, and the files of the entries it references);
- ``("c", name)``: a listing of :class:`cucon.views.Listings` (:data:`COLLECTIONS`: which
  entries, in which order; a name not listed there counts as changed on every build);
- ``("s", type, slug)``: the search words of an entry, which depend on the vocabulary of
  the whole network (:meth:`Fingerprints.search_words`).

Dependencies are not declared by hand: :class:`DependencyRecorder` wraps the Jinja
environment's attribute and item lookups and notes each entry and listing a template touches.
A unit whose key is unchanged and whose files are all still there is skipped. Outputs that the
last build wrote and this one did not are deleted (:meth:`BuildState.remove_stale`), so an
incremental build leaves the same files as a clean one; ``tests/test_incremental.py`` and
``make bench VERIFY=1`` check that byte for byte.

The state is one pickle in ``<CACHE_PATH>/cucon-state/``, next to the image cache; deleting
the folder (or the output folder) makes the next build a clean one.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import hashlib
import json
import logging
import os
import pickle
import traceback
import weakref
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from jinja2 import pass_context
from jinja2.runtime import Context
from pydantic import BaseModel

from cucon.images import image_stamp
from cucon.stamps import STATE_FOLDER, SUMMARY_FILE, code_digest, fingerprint, plain
from cucon.views import Listings, ShownItem

logger = logging.getLogger(__name__)

STATE_FILE = "outputs.pickle"
STATE_VERSION = 2
"""Raised when the state's layout changes: an older state then counts as no state."""

VOLATILE_SETTINGS = frozenset(
    {
        "CUCON_BUILD_TIME",
        "CUCON_INCREMENTAL",
        "CUCON_SEARCH_FULL",
        "CUCON_SEARCH_DELTA_MAX",
        "CUCON_SEARCH_BALLAST",
        "PATH",
        "OUTPUT_PATH",
        "CACHE_PATH",
        "THEME",
        "WRITE_SELECTED",
    }
)
"""Settings that change no output by themselves: the build time acts through call statuses, the
theme through its files, which :func:`global_key` reads, and the search settings only through how
the search index is written (:mod:`cucon.site.search_index`)."""

Dependency = tuple[str, ...]


def files_key(root: Path, folders: Iterable[str], suffixes: tuple[str, ...]) -> str:
    """A hash over the paths and bytes of the files with some suffixes below some folders."""
    digest = hashlib.blake2b(digest_size=16)
    for folder in folders:
        base = root / folder
        for path in sorted(base.rglob("*")) if base.is_dir() else ():
            if path.suffix in suffixes and path.is_file() and "__pycache__" not in path.parts:
                digest.update(f"{path.relative_to(root).as_posix()}\0".encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()


def global_key(settings: Mapping, theme: Path, site) -> str:
    """What every output depends on: code, theme, settings and the site-wide content."""
    code = code_digest()
    templates = files_key(
        Path(theme), ("templates", "translations"), (".html", ".xsl", ".txt", ".po", ".mo", ".yaml")
    )
    chosen = {k: plain(v) for k, v in settings.items() if k.isupper() and k not in VOLATILE_SETTINGS}
    site_wide = [
        (item.type, item.slug, item.digest) for item in site.items() if item.type in ("city", "network")
    ]
    return fingerprint(
        STATE_VERSION,
        code,
        templates,
        sorted(chosen.items()),
        site_wide,
        [d.model_dump(mode="json") for d in site.disciplines.values()],
    )


# --- what outputs depend on -----------------------------------------------------------------------


def _slugs(entries: Iterable[ShownItem]) -> list[str]:
    return [e.slug for e in entries]


def _groups(groups: Mapping[str, Mapping[str, list[ShownItem]]]) -> list:
    return [(key, [(t, _slugs(es)) for t, es in sorted(g.items())]) for key, g in sorted(groups.items())]


COLLECTIONS: dict[str, Callable[[Listings], object]] = {
    "of": lambda ls: [(t, _slugs(es)) for t, es in sorted(ls.by_type.items())],
    "by_type": lambda ls: [(t, _slugs(es)) for t, es in sorted(ls.by_type.items())],
    "by_city": lambda ls: _groups(ls.by_city),
    "by_discipline": lambda ls: _groups(ls.by_discipline),
    "profile_facets": lambda ls: [(f, v, _slugs(es)) for f, v, es in ls.profile_facets()],
    "kind_counts": lambda ls: sorted(ls.kind_counts.items()),
    "open_calls": lambda ls: _slugs(ls.open_calls()),
    "upcoming_calls": lambda ls: _slugs(ls.upcoming_calls()),
    "calls_open_to": lambda ls: [(city, _slugs(calls)) for city, calls in sorted(ls.calls_open_to.items())],
    "calls_by_kind": lambda ls: [(kind, _slugs(calls)) for kind, calls in ls.calls_by_kind.items()],
    "call_counts": lambda ls: ls.call_counts,
    "closed_calls": lambda ls: _slugs(ls.closed_calls()),
    "upcoming_events": lambda ls: _slugs(ls.upcoming_events()),
    "past_events": lambda ls: _slugs(ls.past_events()),
    "new_profiles": lambda ls: _slugs(ls.new_profiles()),
    "disciplines": lambda ls: [d.slug for d in ls.disciplines],
    "entries": lambda ls: sorted(ls.entries),
}
"""The listings templates may read, each with what its key covers: which entries, in which order
(what is shown of each entry is the entry's own dependency)."""


def _references(entry: ShownItem) -> Iterator[ShownItem]:
    """The entries whose files shape an entry's own facts (links, names, versions)."""
    base = entry.original or entry
    yield from entry.cities
    yield from entry.profiles
    yield from entry.linked.values()
    yield from base.translations
    if entry.organiser is not None:
        yield entry.organiser
    if entry.original is not None:
        yield entry.original


def _versions(entry: ShownItem) -> tuple:
    base = entry.original or entry
    return tuple((t.lang, t.slug) for t in base.translations)


class Fingerprints:
    """The current key of every dependency, computed once per build when first asked for."""

    def __init__(self, listings: Listings, image_stamp: Callable[[ShownItem], object], search_words=None):
        self.listings = listings
        self.image_stamp = image_stamp
        self.search_words_of = search_words
        self._keys: dict[Dependency, str] = {}

    def entry(self, entry: ShownItem) -> str:
        """An entry's fingerprint: its file, derived facts, image, and the files it refers to."""
        dependency = ("e", entry.type, entry.slug)
        found = self._keys.get(dependency)
        if found is None:
            upcoming = None
            if entry.event_start is not None:
                upcoming = (entry.event_end or entry.event_start) >= self.listings.now
            own = (
                entry.item.digest,
                entry.status,
                entry.deadline,
                entry.event_start,
                entry.event_end,
                upcoming,
                entry.published,
                entry.updated,
                entry.date,
                entry.shift,
                entry.sort_key,
                _versions(entry),
                self.image_stamp(entry),
            )
            refs = [(r.type, r.slug, r.item.digest, _versions(r)) for r in _references(entry)]
            found = self._keys[dependency] = fingerprint(own, refs)
        return found

    def key(self, dependency: Dependency) -> str:
        """The current key of one dependency; ``"changed"`` when it cannot be known."""
        found = self._keys.get(dependency)
        if found is not None:
            return found
        kind = dependency[0]
        if kind == "e":
            entry = self.listings.entries.get(dependency[1:])
            return self.entry(entry) if entry is not None else "absent"
        if kind == "c":
            compute = COLLECTIONS.get(dependency[1])
            found = fingerprint(compute(self.listings)) if compute else "changed"
        elif kind == "s" and self.search_words_of is not None:
            entry = self.listings.entries.get(dependency[1:])
            found = fingerprint(self.search_words_of(entry)) if entry is not None else "absent"
        else:
            found = "changed"
        self._keys[dependency] = found
        return found


class _RecordingIndex(Mapping):
    """``listings.entries`` as a template sees it while recording: each lookup is noted."""

    def __init__(self, entries: dict, note: Callable[[Dependency], None]):
        self._entries, self._note = entries, note

    def __getitem__(self, key):
        self._note(("e", *key))
        return self._entries[key]

    def get(self, key, default=None):
        self._note(("e", *key))
        return self._entries.get(key, default)

    def __contains__(self, key) -> bool:
        self._note(("e", *key))
        return key in self._entries

    def __iter__(self):
        self._note(("c", "entries"))
        return iter(self._entries)

    def __len__(self) -> int:
        self._note(("c", "entries"))
        return len(self._entries)


class DependencyRecorder:
    """Notes the entries and listings that templates read while one output renders."""

    def __init__(self) -> None:
        self.current: set | None = None
        self._kept: weakref.WeakKeyDictionary[Context, dict] = weakref.WeakKeyDictionary()

    def install(self, env) -> None:
        """Wrap an environment's ``getattr`` and ``getitem``, through which templates read values, and
        give its templates :meth:`remembered` (as ``remembered``)."""
        getattr_, getitem = env.getattr, env.getitem

        # Each tries Jinja's lookup the common way first (Jinja's own only if that fails), and notes
        # inline: one Python call per lookup, of millions.
        def read_attribute(obj, name):
            found = self.current
            if found is not None:
                kind = type(obj)
                if kind is ShownItem:
                    found.add(obj)
                elif kind is Listings:
                    if name == "entries":
                        return _RecordingIndex(obj.entries, found.add)
                    found.add(("c", name))
            try:
                return getattr(obj, name)
            except AttributeError:
                return getattr_(obj, name)

        def read_item(obj, name):
            found = self.current
            if found is not None:
                kind = type(obj)
                if kind is ShownItem:
                    found.add(obj)
                elif kind is Listings:
                    if name == "entries":
                        return _RecordingIndex(obj.entries, found.add)
                    found.add(("c", name))
            try:
                return obj[name]
            except (AttributeError, TypeError, LookupError):
                return getitem(obj, name)

        env.getattr, env.getitem = read_attribute, read_item
        env.globals["remembered"] = pass_context(functools.partial(DependencyRecorder.remembered, self))

    def remembered(self, context: Context, *key: object, caller: Callable[[], str]) -> str:
        """What ``{% call remembered(key …) %}…{% endcall %}`` renders: the block once for each key in
        each module of macros, then the same text again, with the dependencies it noted the first
        time noted again for each output that shows it (an entry's card on every listing).

        The block must show nothing but what its key and its module's context decide: a macro's
        arguments go into the key; the module is one per set of the values it reads
        (:class:`cucon.site.templates.ThemeTemplate`), so the rest is the same for every page that
        shares it.
        """
        kept = self._kept.get(context)
        if kept is None:
            kept = self._kept[context] = {}
        key = (context.eval_ctx.autoescape, *key)
        found = kept.get(key)
        if found is None:
            outer, self.current = self.current, set()
            try:
                shown = caller()
            finally:
                noted, self.current = self.current, outer
            found = kept[key] = (shown, noted)
        if self.current is not None:
            self.current.update(found[1])
        return found[0]

    def note(self, dependency) -> None:
        """Note one dependency (an entry, or a tuple) of the output being rendered, if any."""
        if self.current is not None:
            self.current.add(dependency)

    def start(self) -> None:
        """Start recording the dependencies of one output."""
        self.current = set()

    def stop(self) -> frozenset[Dependency]:
        """Stop recording; the dependencies noted, entries as ``("e", type, slug)``."""
        found, self.current = self.current or set(), None
        return frozenset(("e", d.type, d.slug) if type(d) is ShownItem else d for d in found)


def describe(value: object, deps: set, memo: dict[int, tuple] | None = None) -> object:
    """A stable description of a template value; entries in it become dependencies.

    A frozen dataclass (a match of a match list) is described by its type and a fingerprint of its
    fields. With ``memo``, that description is kept by the object's identity (with the object, so the
    identity stays its own) and not made again: the pages of every UI language show the same match
    lists. Values must not change while one ``memo`` is in use.

    >>> from cucon.matching import Match
    >>> memo, value = {}, {"found": (Match(None, 3), Match(None, 4))}
    >>> describe(value, set(), memo) == describe(value, set(), memo) == describe(value, set()), len(memo)
    (True, 2)
    """
    if isinstance(value, ShownItem):
        deps.add(("e", value.type, value.slug))
        return ("entry", value.type, value.slug)
    if value is None or isinstance(value, str | int | float | bool | dt.date | dt.timedelta):
        return value
    if isinstance(value, BaseModel):
        return value.model_dump(mode="json")
    kind = type(value)
    names = _frozen_fields(kind)
    if names is not None:
        found = memo.get(id(value)) if memo is not None else None
        if found is None:
            noted: set = set()
            fields = tuple((name, describe(getattr(value, name), noted, memo)) for name in names)
            found = (value, (kind.__name__, fingerprint(fields)), frozenset(noted))
            if memo is not None:
                memo[id(value)] = found
        deps.update(found[2])
        return found[1]
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        fields = dataclasses.fields(value)
        return (kind.__name__, tuple((f.name, describe(getattr(value, f.name), deps, memo)) for f in fields))
    if isinstance(value, Mapping):
        return tuple(sorted((str(k), describe(v, deps, memo)) for k, v in value.items()))
    if isinstance(value, list | tuple):
        return tuple(describe(v, deps, memo) for v in value)
    raise TypeError(f"incremental: cannot describe a template value of type {kind.__name__}")


_FROZEN_FIELDS: dict[type, tuple[str, ...] | None] = {}


def _frozen_fields(kind: type) -> tuple[str, ...] | None:
    """The field names of a frozen dataclass, else None (looked up once per class)."""
    if kind not in _FROZEN_FIELDS:
        params = getattr(kind, "__dataclass_params__", None)
        frozen = params is not None and params.frozen
        _FROZEN_FIELDS[kind] = tuple(f.name for f in dataclasses.fields(kind)) if frozen else None
    return _FROZEN_FIELDS[kind]


# --- the state of the last build ----------------------------------------------------------------


@dataclass
class Unit:
    """What the last build knew of one output: its key, its dependencies and its files."""

    key: str
    deps: tuple
    """Sorted, so the key is computed in one order without sorting again."""
    files: tuple[str, ...]


@dataclass
class BuildState:
    """The units of the last build and of this one, and every file either wrote."""

    folder: Path
    global_key: str
    previous: dict[str, Unit] = field(default_factory=dict)
    """The last build's units, if code, templates, settings and site-wide content are the same."""
    last_units: dict[str, Unit] = field(default_factory=dict)
    """The last build's units in any case: which files each wrote."""
    previous_files: set[str] = field(default_factory=set)
    units: dict[str, Unit] = field(default_factory=dict)
    files: set[str] = field(default_factory=set)
    written: int = 0
    skipped: int = 0
    extra: dict = field(default_factory=dict)
    """Values a plugin keeps from one build to the next (e.g. the search vocabulary's key)."""
    previous_extra: dict = field(default_factory=dict)

    @classmethod
    def load(cls, cache: Path, global_key: str, output: Path, log: logging.Logger = logger) -> BuildState:
        """The state of the last build into ``output``; an empty one for a clean build."""
        state = cls(Path(cache) / STATE_FOLDER, global_key)
        saved = load_saved(state.folder / STATE_FILE, STATE_VERSION)
        if saved.get("output") != _where(output, state.folder):
            return state
        state.previous_files = saved["files"]
        state.last_units = saved["units"]
        state.previous_extra = saved.get("extra", {})
        if saved["global"] == global_key:
            state.previous = saved["units"]
        else:
            log.info("cucon incremental: code, templates, settings or site-wide content changed")
        return state

    def unchanged(self, name: str, key_of: Callable[[tuple], str], output: Path) -> Unit | None:
        """The last build's unit of this name if its key still holds and its files exist."""
        unit = self.previous.get(name)
        if unit is None or key_of(unit.deps) != unit.key:
            return None
        if not all(os.path.exists(os.path.join(output, f)) for f in unit.files):
            return None
        return unit

    def keep(self, name: str, unit: Unit) -> None:
        """Keep an unchanged unit as it is."""
        self.units[name] = unit
        self.files.update(unit.files)
        self.skipped += 1

    def wrote(self, name: str, unit: Unit) -> None:
        """Record a unit this build wrote."""
        self.units[name] = unit
        self.files.update(unit.files)
        self.written += 1

    def produced(self, paths: Iterable[str]) -> None:
        """Record files this build produced outside of units (images, sitemap, rules)."""
        self.files.update(paths)

    def remove_stale(self, output: Path) -> list[str]:
        """Delete the files the last build wrote and this one did not; return them."""
        stale = sorted(self.previous_files - self.files)
        for name in stale:
            path = Path(output) / name
            if path.is_file() and not path.is_symlink():
                path.unlink()
            parent = path.parent
            while parent != Path(output) and parent.is_dir() and not any(parent.iterdir()):
                parent.rmdir()
                parent = parent.parent
        return stale

    def save(self, output: Path) -> None:
        """Write the state for the next build (atomically)."""
        saved = {
            "output": _where(output, self.folder),
            "global": self.global_key,
            "units": self.units,
            "files": self.files,
            "extra": self.extra,
        }
        save(self.folder / STATE_FILE, saved, STATE_VERSION)


def load_saved(path: Path, version: int) -> dict:
    """A dict that :func:`save` wrote with this ``version``; empty if there is none, it is of
    another version, or it cannot be read (a cache is never worth failing a build for)."""
    try:
        with Path(path).open("rb") as stream:
            found = pickle.load(stream)
    except (OSError, EOFError, pickle.UnpicklingError, AttributeError, ImportError, TypeError, ValueError):
        return {}
    return found if isinstance(found, dict) and found.get("version") == version else {}


def save(path: Path, values: dict, version: int) -> None:
    """Write a dict of values for the next build, atomically, marked with a version."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f"{path.name}.tmp")
    with temporary.open("wb") as stream:
        pickle.dump({**values, "version": version}, stream, protocol=pickle.HIGHEST_PROTOCOL)
    temporary.replace(path)


def _where(output: Path, folder: Path) -> str:
    """The output folder as seen from the state folder: a copied site keeps its state.

    >>> _where(Path("/s/output"), Path("/s/cache/cucon-state"))
    '../../output'
    """
    return os.path.relpath(Path(output).resolve(), Path(folder).resolve())


def unit_key(global_key: str, name: str, described: object, deps: tuple, keys: Fingerprints) -> str:
    """The key of one output: site-wide inputs, its own values, and its dependencies' keys (``deps``
    sorted, as :class:`Unit` keeps them)."""
    return fingerprint(global_key, name, described, [(d, keys.key(d)) for d in deps])


class IncrementalBuild:
    """One build's incremental machinery, shared by the plugins through Pelican's context."""

    def __init__(
        self,
        settings: Mapping,
        site,
        listings: Listings,
        enabled: bool = True,
        log: logging.Logger = logger,
    ) -> None:
        self.log = log
        self.output = Path(settings["OUTPUT_PATH"])
        self.cache = Path(settings["CACHE_PATH"])
        self.enabled = enabled
        self.global_key = global_key(settings, Path(settings["THEME"]), site)
        self.keys = Fingerprints(listings, image_stamp=image_stamp)
        self.recorder = DependencyRecorder()
        self.state: BuildState | None = None
        self.changed = 0
        """Units whose files' bytes differ from the last build's (or are new)."""
        self.changed_files: set[str] = set()
        """The files of those units, relative to the output folder."""
        self.finished: list[str] | None = None
        """The files :meth:`finish` removed, once it ran."""
        self.described: dict[int, tuple] = {}
        """The descriptions of the values planned so far (:func:`describe`'s memo)."""
        self.read: dict[str, object] = {}
        """How the build found the content (:class:`cucon.snapshot.Checked`), for the summary."""

    def extend_key(self, *parts: object) -> None:
        """Add site-wide inputs that a plugin knows of, before the first output is written."""
        if self.state is not None:
            raise RuntimeError("incremental: extend_key() after the first output")
        self.global_key = fingerprint(self.global_key, *parts)

    def begin(self) -> BuildState:
        """The state of the last build (loaded on first use)."""
        if self.state is None:
            # Loaded even when not incremental: its list of files tells what is left over.
            self.state = BuildState.load(self.cache, self.global_key, self.output, self.log)
        return self.state

    def plan(self, name: str, values: object, job: object = None) -> Planned | None:
        """The output to write again, or None when its key still holds and it is kept as it is.

        ``values`` are what the output shows besides what its templates read; ``job`` is
        whatever the caller's writer needs to write it.
        """
        state = self.begin()
        fixed: set = set()
        described = describe(values, fixed, self.described)
        planned = Planned(name, described, frozenset(fixed), job)
        kept = (
            state.unchanged(name, lambda deps: self._key(planned, deps), self.output)
            if self.enabled
            else None
        )
        if kept is not None:
            state.keep(name, kept)
            return None
        return planned

    def _key(self, planned: Planned, deps: tuple) -> str:
        return unit_key(self.global_key, planned.name, planned.described, deps, self.keys)

    def _render(self, planned: Planned, write: Callable[[Planned], Iterable[str]]) -> tuple[str, Unit, bool]:
        """Write one planned output, noting what it read; (name, unit, whether its bytes changed)."""
        before = self.begin().last_units.get(planned.name)
        old = _read_all(self.output, before.files) if before else None
        self.recorder.start()
        try:
            files = tuple(write(planned))
        finally:
            recorded = self.recorder.stop()
        deps = tuple(sorted(recorded | planned.fixed))
        changed = old is None or old != _read_all(self.output, files)
        return planned.name, Unit(self._key(planned, deps), deps, files), changed

    def write_all(
        self, planned: list[Planned], write: Callable[[Planned], Iterable[str]], workers: int = 1
    ) -> None:
        """Write planned outputs with ``write``, split over ``workers`` processes when there are
        enough of them (forked, so each worker has the templates and the listings already)."""
        parallel = workers > 1 and len(planned) >= PARALLEL_MIN
        chunks = [planned[i::workers] for i in range(workers)] if parallel else [planned]
        if len(planned) >= PROGRESS_MIN:
            self.log.info(
                "cucon incremental: writing %d output(s) in %d process(es) …", len(planned), len(chunks)
            )
        # Each process writes every n-th output, so this process's share tells the progress of all.
        step, done = max(1, len(chunks[0]) // 10), [0]

        def render(item: Planned) -> tuple[str, Unit, bool]:
            result = self._render(item, write)
            done[0] += 1
            if len(planned) >= PROGRESS_MIN and done[0] % step == 0 and os.getpid() == parent:
                self.log.info("cucon incremental: about %d%% written", 100 * done[0] // len(chunks[0]))
            return result

        parent = os.getpid()
        results = forked(chunks, render) if parallel else [render(p) for p in planned]
        state = self.begin()
        for name, unit, changed in results:
            state.wrote(name, unit)
            self.changed += changed
            if changed:
                self.changed_files.update(unit.files)

    def finish(self) -> list[str]:
        """Delete what the last build wrote and this one did not (once); the files deleted."""
        if self.finished is not None:
            return self.finished
        stale = self.finished = self.begin().remove_stale(self.output)
        if stale:
            self.changed += 1
            self.log.info("cucon incremental: %d file(s) of the last build removed", len(stale))
        return stale

    def save(self) -> None:
        """Keep the state for the next build, and log what this one wrote."""
        state = self.begin()
        removed = self.finish()
        same = state.written == 0 and not removed and state.files == state.previous_files
        if not (same and state.units.keys() == state.previous.keys() and state.extra == state.previous_extra):
            state.save(self.output)
        counts = {
            "written": state.written,
            "changed": self.changed,
            "kept": state.skipped,
            "removed": len(removed),
            "read": self.read,
        }
        (state.folder / SUMMARY_FILE).write_text(json.dumps(counts) + "\n", "utf-8")
        self.log.info(
            "cucon incremental: %d output(s) written (%d changed), %d unchanged and kept",
            state.written,
            self.changed,
            state.skipped,
        )


@dataclass(frozen=True)
class Planned:
    """An output to write: its name, its own values described, the dependencies they name, and the
    caller's job."""

    name: str
    described: object
    fixed: frozenset
    job: object = None


PARALLEL_MIN = 64
"""Fewer outputs than this are written in the build's own process: a fork costs more."""
PROGRESS_MIN = 2000
"""From this many outputs on, writing them reports its progress in the build log."""


def forked(chunks: list[list], work: Callable[[object], object]) -> list:
    """``work`` on every item, the first chunk in this process and each other one in a forked
    child that sends its results back pickled; an error in a child is raised here."""
    children = []
    for chunk in chunks[1:]:
        read, write = os.pipe()
        pid = os.fork()
        if pid == 0:  # the child: do its chunk, send the results, and leave without clean-up
            os.close(read)
            try:
                payload = pickle.dumps((True, [work(item) for item in chunk]), pickle.HIGHEST_PROTOCOL)
            except BaseException:  # everything goes back to the parent
                payload = pickle.dumps((False, traceback.format_exc()))
            with os.fdopen(write, "wb") as stream:
                stream.write(payload)
            os._exit(0)
        os.close(write)
        children.append((pid, read))
    results = [work(item) for item in chunks[0]]
    failures = []
    for pid, read in children:
        with os.fdopen(read, "rb") as stream:
            data = stream.read()
        os.waitpid(pid, 0)
        try:
            ok, found = pickle.loads(data)
        except (EOFError, pickle.UnpicklingError):
            ok, found = False, f"worker {pid} ended without a result"
        if ok:
            results += found
        else:
            failures.append(found)
    if failures:
        raise RuntimeError("incremental: a worker failed:\n" + "\n".join(failures))
    return results


def _read_all(output: Path, files: Iterable[str]) -> tuple[bytes | None, ...]:
    """The bytes of some output files (None for a missing one)."""
    found = []
    for name in files:
        try:
            found.append((Path(output) / name).read_bytes())
        except OSError:
            found.append(None)
    return tuple(found)
