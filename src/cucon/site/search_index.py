"""The Pagefind search index of the written site, one per UI language.

Pages mark what is indexed themselves (``data-pagefind-body`` on the content of profiles, calls, news,
cities and pages, with filters, sort keys and meta); listings, navigation and footers are not.
Pagefind splits the index by ``<html lang>``: one index per UI language. Each language is indexed
by a run of the Pagefind binary of the ``pagefind-bin-extended`` package (nothing is downloaded) over
the whole written directory at once: per-file calls cost a fixed 0.1 s each (Pagefind issue #976).
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterable, Sequence
from pathlib import Path

from cucon import schema, urls
from cucon.incremental import IncrementalBuild, fingerprint, load_saved, save
from cucon.site import search_delta
from cucon.site.settings import SiteSettings


def index_site(
    output: Path,
    settings: SiteSettings,
    build: IncrementalBuild,
    removed: Iterable[schema.Tombstone],
    log: logging.Logger,
) -> None:
    """Index the pages written into ``output`` once every other output is written.

    A full index (the main bundle, :func:`index_full`) is written when :func:`full_reason` says so;
    otherwise the pages changed since it are indexed into a small delta bundle beside it
    (:mod:`cucon.site.search_delta`). Both are kept as they are when no output changed since a build
    that finished indexing.
    """
    bundle = output / settings.search_bundle
    delta = output / urls.search_delta(settings.search_bundle)
    build.finish()  # pages of the last build that are gone now must not be indexed
    folder = build.begin().folder
    done, saved_at = folder / INDEX_DONE, folder / search_delta.STATE_FILE
    finished = _index_done(done, bundle)
    if not settings.search_index:
        done.unlink(missing_ok=True)
        saved_at.unlink(missing_ok=True)
        # An old index would find pages that changed or are gone: remove it even when not rebuilding.
        shutil.rmtree(bundle, ignore_errors=True)
        shutil.rmtree(delta, ignore_errors=True)
        log.info("cucon search: CUCON_SEARCH_INDEX is off; no search index written")
        return
    if build.enabled and build.changed == 0 and not settings.search_full and finished:
        log.info("cucon search: no page changed; the index in %s is kept", bundle.name)
        return
    saved = load_saved(saved_at, search_delta.STATE_VERSION) if build.enabled and finished else {}
    done.unlink(missing_ok=True)
    removed_key = fingerprint(sorted((t.type, t.slug) for t in removed))
    pages = search_delta.changed_pages(output, saved, build.changed_files, settings)
    reason = full_reason(settings, build, saved, removed_key, pages)
    if reason is None:
        log.info("cucon search: %d changed page(s) indexed into the delta %s …", len(pages), delta.name)
        index_delta(output, bundle, delta, saved["main"], pages, settings)
        saved = {**saved, "pages": pages}
    else:
        log.info("cucon search: the whole index is written: %s", reason)
        saved = index_full(output, bundle, delta, settings, log)
        saved.update(glob=build.global_key, removed=removed_key)
    save(saved_at, saved, search_delta.STATE_VERSION)
    done.parent.mkdir(parents=True, exist_ok=True)
    done.write_text(os.path.relpath(bundle.resolve(), done.parent.resolve()), "utf-8")


def full_reason(
    settings: SiteSettings, build: IncrementalBuild, saved: dict, removed_key: str, pages: dict[str, str]
) -> str | None:
    """Why the main index must be written in full this time; None if a delta will do."""
    deleted = sorted(name for name in build.finished or () if name.endswith(".html"))
    if not saved:
        return "no main index of an earlier build to add a delta to"
    if settings.search_full:
        return "CUCON_SEARCH_FULL is on (the nightly rebuild)"
    if saved.get("glob") != build.global_key:
        return "code, templates, translations, settings or site-wide content changed"
    if saved.get("removed") != removed_key:
        return "an entry was removed (content/removed.yaml): its name must leave every file of the index"
    if deleted:
        return f"{len(deleted)} page(s) deleted, e.g. {deleted[0]}: their words must leave every file of the index"
    if len(pages) > settings.search_delta_max:
        return f"{len(pages)} pages changed since the main index, more than CUCON_SEARCH_DELTA_MAX ({settings.search_delta_max})"
    ballast = search_delta.ballast(saved["main"], pages, settings.search_ballast)
    if len(pages) + sum(map(len, ballast.values())) >= sum(map(len, saved["main"].values())):
        return "the delta would hold every page: no smaller than the whole index"
    return None


def index_full(output: Path, bundle: Path, delta: Path, settings: SiteSettings, log: logging.Logger) -> dict:
    """Write the main bundle anew from every page, with no delta; the state a delta starts from."""
    shutil.rmtree(delta, ignore_errors=True)
    shutil.rmtree(bundle, ignore_errors=True)
    pages = index_by_language(output, bundle, entry_globs(settings.languages, settings.default_lang))
    search_delta.write_manifest(bundle, None)
    log.info("cucon search: %d pages indexed into %s", pages, bundle.relative_to(output))
    return {"main": search_delta.read_fragments(bundle), "pages": {}}


def index_delta(
    output: Path, bundle: Path, delta: Path, main: dict, pages: dict[str, str], settings: SiteSettings
) -> None:
    """Index the changed pages with their ballast into ``delta``, replacing the last delta (none is stacked)."""
    shutil.rmtree(delta, ignore_errors=True)
    chosen = search_delta.ballast(main, pages, settings.search_ballast)
    with tempfile.TemporaryDirectory(prefix=".cucon-delta-", dir=output.parent) as folder:
        site = Path(folder)
        present = search_delta.stage(output, site, pages, chosen, settings.languages, settings.default_lang)
        globs = language_globs(site, settings.languages, settings.default_lang, bundle.name)
        index_by_language(site, delta, {lang: glob for lang, glob in globs.items() if lang in present})
    if not delta.is_dir():  # no page to index (a changed page that is no longer indexed, no ballast)
        delta.mkdir()
    search_delta.write_delta(bundle, delta, search_delta.tombstones(bundle, delta, main, pages))


def build_index(site: Path, bundle: Path, glob: str = "**/*.html") -> int:
    """Index the HTML files below ``site`` that ``glob`` matches into ``bundle``; the pages indexed.

    The Pagefind binary runs as a process of its own, which exits once its files are written. Its
    service mode (``pagefind.index.PagefindIndex``) is not used: the wrapper stops the service with
    SIGTERM as soon as it answers "files written", while Pagefind's writer may still hold a write it
    never flushed, and under load that left an empty ``pagefind-entry.json`` behind.
    """
    # Imported here: only this step needs the binary (the extended one segments CJK text).
    from pagefind.service import get_executable

    executable = get_executable()
    if executable is None:
        raise RuntimeError("cucon search: the Pagefind binary is missing; install pagefind-bin-extended")
    command = [str(executable), "--site", str(site.resolve()), "--output-path", str(bundle.resolve())]
    # No configuration from outside: no PAGEFIND_* variable, and a working folder without pagefind.json.
    env = {key: value for key, value in os.environ.items() if not key.startswith("PAGEFIND_")}
    with tempfile.TemporaryDirectory() as empty:
        result = subprocess.run(
            [*command, "--glob", glob], cwd=empty, env=env, capture_output=True, text=True, check=False
        )
    if result.returncode != 0 or not (bundle / ENTRY_FILE).is_file():
        said = (result.stderr.strip() or result.stdout.strip())[-2000:]
        raise RuntimeError(f"cucon search: Pagefind failed (exit {result.returncode}): {said}")
    entry = json.loads((bundle / ENTRY_FILE).read_text("utf-8"))
    return sum(language["page_count"] for language in entry["languages"].values())


def language_globs(site: Path, languages: Sequence[str], default: str, bundle: str) -> dict[str, str]:
    """A glob of every page of each UI language, the default's at the top, the others' below ``<lang>/``:
    for the delta, whose folder holds only the pages to index (with the ballast below a folder of its own).

    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     for name in ("profiles/a", "en/profiles", "pagefind/fragment"):
    ...         (Path(folder) / name).mkdir(parents=True)
    ...     language_globs(Path(folder), ["de", "en"], "de", "pagefind")
    {'de': '{*.html,profiles/**/*.html}', 'en': 'en/**/*.html'}
    """
    others = {lang for lang in languages if lang != default} | {bundle, urls.search_delta(bundle)}
    top = sorted(p.name for p in site.iterdir() if p.is_dir() and p.name not in others)
    globs = {default: "{" + ",".join(["*.html", *(f"{name}/**/*.html" for name in top)]) + "}"}
    globs.update(
        {lang: f"{urls.lang_prefix(lang, default)}**/*.html" for lang in languages if lang != default}
    )
    return globs


def entry_globs(languages: Sequence[str], default: str) -> dict[str, str]:
    """A glob of each UI language's pages of entries: the only pages indexed (``data-pagefind-body``).

    Pagefind keeps what it parsed of every page it reads until it writes the index, indexed or not,
    so the listings (a quarter of the pages, and the longest) are not given to it.

    >>> entry_globs(["de", "en"], "de")["en"].split(",")[:2], entry_globs(["de", "en"], "de")["en"].split(",")[-1]
    (['{en/profiles/*/index.html', 'en/calls/*/index.html'], 'en/*/index.html}')
    """
    return {
        lang: "{" + ",".join(urls.entry_page_patterns(urls.lang_prefix(lang, default))) + "}"
        for lang in languages
    }


def index_by_language(site: Path, bundle: Path, globs: dict[str, str]) -> int:
    """Index each UI language's pages in a Pagefind run of its own, then join the bundles.

    One run per language keeps the indexer's memory to one language's pages (Pagefind holds the
    whole index in memory); each language's index is separate in a bundle anyway. The files the
    runs share (the scripts, the WebAssembly) are the same; the entry file lists every language.
    """
    pages, languages, entry = 0, {}, None
    for lang, glob in globs.items():
        part = bundle.with_name(f".{bundle.name}-{lang}")
        shutil.rmtree(part, ignore_errors=True)
        pages += build_index(site, part, glob)
        entry = json.loads((part / ENTRY_FILE).read_text("utf-8"))
        languages.update(entry["languages"])
        shutil.copytree(part, bundle, dirs_exist_ok=True)
        shutil.rmtree(part)
    if entry is not None:
        (bundle / ENTRY_FILE).write_text(json.dumps({**entry, "languages": languages}), "utf-8")
    return pages


ENTRY_FILE = "pagefind-entry.json"
"""The file of a Pagefind bundle that lists its languages and their index files."""


INDEX_DONE = "search-index.done"
"""In the incremental state folder: names the bundle of the last complete index."""


def _index_done(done: Path, bundle: Path) -> bool:
    """True if the last build finished indexing into ``bundle`` and the bundle is still there.

    The bundle is named as seen from the state folder: a copied site keeps its index.
    """
    try:
        return (
            done.read_text("utf-8") == os.path.relpath(bundle.resolve(), done.parent.resolve())
            and bundle.is_dir()
        )
    except OSError:
        return False
