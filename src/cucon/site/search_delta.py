"""The search index's delta: the pages changed since the main index, indexed on their own.

Pagefind cannot update an index, and indexing every page costs most of a one-edit rebuild. So an
incremental build indexes only the pages whose bytes changed since the last full index (the main
bundle), in every UI language, into a small bundle beside it (``<bundle>-delta/``), and the search
page merges the two (``theme/static/js/search-delta.js``). What the page needs to merge them:

- ``<bundle>/cucon-delta.json``, the manifest: ``{"delta": null}`` after a full index, else the
  delta's folder and one tombstone file per language, each relative to the main bundle;
- ``<delta>/cucon-tombstones-<lang>.json``: whether the delta has pages of the language to merge
  (``merge``), the results to drop (``drop``: the main index's copies of changed pages, with the
  filter values each counted (``filters``), and the delta's copies of the ballast), the delta's own
  results with their filter values (``live``) and the filter values that may be left on no page
  (``gone``).

The delta also holds a few hundred unchanged "ballast" pages per language (``CUCON_SEARCH_BALLAST``),
chosen by a hash of their address, so that its word statistics are like the main index's: Pagefind
scores a word by how rare it is in its own index, and a delta of one page ranks that page's words
like no other. The ballast is indexed under ``/_cucon-ballast/`` (so its result ids differ from the
main index's) and without its filter values (so it counts nowhere); the page drops its results and
shows the main index's copies.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import re
import shutil
from collections.abc import Iterable
from pathlib import Path

from cucon import urls

STATE_FILE = "search-delta.pickle"
"""In the incremental state folder: the main index's pages (by language, address and result id) and
the pages changed since it was written."""
STATE_VERSION = 1
MANIFEST = "cucon-delta.json"
"""In the main bundle: where the delta and its tombstones are, or ``{"delta": null}``."""
TOMBSTONES = "cucon-tombstones-{lang}.json"
BALLAST = "_cucon-ballast"
"""The folder of the delta's ballast pages, in each language's part of the site."""
FILTER = re.compile(rb"\sdata-pagefind-filter=\"[^\"]*\"")
BODY_START = re.compile(rb"<article\b[^<>]*\sdata-pagefind-body\b[^<>]*>")
"""The opening tag of the indexed part of a page (its ``<article>``): a contributor's text cannot make
one, because the pages escape ``<`` in text and attribute values."""
MARK = b'<span hidden data-pagefind-meta="cucon_delta:1"></span>'
"""Put first into the indexed part of each changed page in the delta: a result's id is a hash of its
address, text, meta and filters, but not of every word indexed (the hidden extra words), so a page
whose text stayed the same would otherwise have the main index's id, and its stale copy could not
be dropped without the new one. The mark makes every id of the delta new."""
FRAGMENT_SIGNATURE = b"pagefind_dcd"
INDEX_FILES = ("pagefind-entry.json", "fragment", "index", "filter")
"""What a merged bundle needs besides its ``*.pf_meta`` files: not Pagefind's scripts or WebAssembly."""


def page_url(path: str) -> str:
    """The address Pagefind gives a written file: from the site's root.

    >>> page_url(urls.save_as("en/profiles/anna/")), page_url(urls.save_as(""))
    ('/en/profiles/anna/', '/')
    """
    return "/" + urls.url_of(path)


def page_path(url: str) -> str:
    """The written file of a Pagefind address (:func:`page_url` back).

    >>> page_path("/en/profiles/anna/") == urls.save_as("en/profiles/anna/")
    True
    """
    return urls.save_as(url[1:])


def language_of(path: str, languages: Iterable[str], default: str) -> str:
    """The UI language of a written file, by its folder.

    >>> language_of("en/profiles/anna/", ["de", "en"], "de"), language_of("profiles/x/", ["de", "en"], "de")
    ('en', 'de')
    """
    first = path.split("/", 1)[0]
    return first if first in languages and first != default and "/" in path else default


def changed_pages(output: Path, saved: dict, changed: Iterable[str], settings) -> dict[str, str]:
    """The pages changed since the main index (path: UI language): the saved ones and this build's
    changed files that are indexed now or were indexed in the main index."""
    pages = dict(saved.get("pages", {}))
    main = saved.get("main", {})
    for path in changed:
        if not path.endswith(".html") or path in pages:
            continue
        lang = language_of(path, settings.languages, settings.default_lang)
        try:
            indexed = BODY_START.search((output / path).read_bytes()) is not None
        except OSError:
            indexed = False
        if indexed or page_url(path) in main.get(lang, {}):
            pages[path] = lang
    return pages


def mark(page: bytes) -> bytes:
    """A page with :data:`MARK` first inside its indexed ``<article>`` (a contributor's text makes none).

    >>> mark(b'<img alt="&lt;article data-pagefind-body&gt;"><article class="x" data-pagefind-body><h1>')
    b'<img alt="&lt;article data-pagefind-body&gt;"><article class="x" data-pagefind-body><span hidden data-pagefind-meta="cucon_delta:1"></span><h1>'
    """
    return BODY_START.sub(lambda tag: tag[0] + MARK, page, count=1)


def ballast(main: dict[str, dict[str, str]], pages: dict[str, str], count: int) -> dict[str, list[str]]:
    """Per language, ``count`` unchanged pages of the main index, the same ones from build to build.

    >>> chosen = ballast({"de": {"/a/": "de_1", "/b/": "de_2", "/c/": "de_3"}}, {urls.save_as("b/"): "de"}, 5)
    >>> chosen == {"de": [urls.save_as("a/"), urls.save_as("c/")]}
    True
    """

    def order(url: str) -> str:
        return hashlib.blake2b(url.encode(), digest_size=8).hexdigest()

    chosen = {}
    for lang, found in sorted(main.items()):
        paths = (page_path(url) for url in sorted(found, key=order))
        chosen[lang] = [path for path in paths if path not in pages][:count]
    return chosen


def stage(
    output: Path, site: Path, pages: dict[str, str], chosen: dict[str, list[str]], languages, default: str
) -> set[str]:
    """Put the changed pages (marked with :data:`MARK`) and the ballast (without filters, below ``BALLAST``)
    into ``site``; the languages that have a page there."""
    present = set()
    for path, lang in pages.items():
        try:
            data = (output / path).read_bytes()
        except OSError:
            continue
        target = site / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(mark(data))
        present.add(lang)
    for lang, paths in chosen.items():
        prefix = urls.lang_prefix(lang, default)
        for path in paths:
            try:
                data = (output / path).read_bytes()
            except OSError:
                continue
            target = site / prefix / BALLAST / path[len(prefix) :]
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(FILTER.sub(b"", data))
            present.add(lang)
    return present


def read_fragments(bundle: Path, ids: Iterable[str] | None = None) -> dict[str, dict[str, str]]:
    """The pages of a bundle as ``{lang: {url: result id}}`` (of some result ids only, if given)."""
    found: dict[str, dict[str, str]] = {}
    for id_, fragment in fragments(bundle, ids):
        found.setdefault(id_.split("_", 1)[0], {})[fragment["url"]] = id_
    return found


def fragments(bundle: Path, ids: Iterable[str] | None = None) -> Iterable[tuple[str, dict]]:
    """(result id, fragment) of the pages of a bundle, or of some of its result ids."""
    folder = bundle / "fragment"
    files = (
        sorted(folder.glob("*.pf_fragment")) if ids is None else [folder / f"{i}.pf_fragment" for i in ids]
    )
    for path in files:
        data = gzip.decompress(path.read_bytes())
        if data.startswith(FRAGMENT_SIGNATURE):
            data = data[len(FRAGMENT_SIGNATURE) :]
        yield path.name.removesuffix(".pf_fragment"), json.loads(data)


def tombstones(bundle: Path, delta: Path, main: dict[str, dict[str, str]], pages: dict[str, str]) -> dict:
    """What the page drops and may no longer count, per language of the delta or of a stale page."""
    per_lang: dict[str, dict] = {}

    def of(lang: str) -> dict:
        return per_lang.setdefault(lang, {"drop": [], "filters": {}, "gone": [], "live": {}})

    live: dict[str, set] = {}
    for id_, fragment in fragments(delta):
        lang, url = id_.split("_", 1)[0], fragment["url"]
        if f"/{BALLAST}/" in url:
            of(lang)["drop"].append(id_)
            continue
        values = of(lang)["live"][id_] = fragment.get("filters", {})
        live.setdefault(lang, set()).update((n, v) for n, vs in values.items() for v in vs)
    found_in_main = (main.get(lang, {}).get(page_url(path)) for path, lang in sorted(pages.items()))
    for id_, fragment in fragments(bundle, [i for i in found_in_main if i is not None]):
        lang, values = id_.split("_", 1)[0], fragment.get("filters", {})
        found = of(lang)
        found["drop"].append(id_)
        found["filters"][id_] = values
        gone = {(n, v) for n, vs in values.items() for v in vs} - live.get(lang, set())
        found["gone"] = sorted({*map(tuple, found["gone"]), *gone})
    for found in per_lang.values():
        found["drop"].sort()
        found["gone"] = [list(pair) for pair in found["gone"]]
    return per_lang


def write_delta(bundle: Path, delta: Path, per_lang: dict) -> None:
    """Write the tombstones into the delta, drop what only a main bundle needs, and name it in the manifest."""
    for path in delta.iterdir():
        if path.name not in INDEX_FILES and not path.name.endswith(".pf_meta"):
            shutil.rmtree(path) if path.is_dir() else path.unlink()
    entry = delta / "pagefind-entry.json"
    merged = set(json.loads(entry.read_text("utf-8"))["languages"]) if entry.is_file() else set()
    for lang, found in per_lang.items():
        found["merge"] = lang in merged  # False: nothing of this language to merge, only to drop
        text = json.dumps(found, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
        (delta / TOMBSTONES.format(lang=lang)).write_text(text, "utf-8")
    write_manifest(bundle, delta.name, sorted(per_lang))


def write_manifest(bundle: Path, delta: str | None, languages: Iterable[str] = ()) -> None:
    """The main bundle's note of its delta (``{"delta": null}`` when there is none)."""
    manifest: dict = {"delta": None}
    if delta is not None:
        manifest = {
            "delta": f"../{delta}/",
            "tombstones": {lang: f"../{delta}/{TOMBSTONES.format(lang=lang)}" for lang in languages},
        }
    (bundle / MANIFEST).write_text(json.dumps(manifest, sort_keys=True), "utf-8")
