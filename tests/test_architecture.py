"""The shape of the code: no import circle, no import from a lower layer to a higher one, one address map.

The imports are read from the source (ast), function-local ones included, so a circle cannot hide
in a function body.
"""

from __future__ import annotations

import ast
import itertools
import re
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SRC = REPO / "src"
PLUGINS = REPO / "plugins"

LAYERS = (
    (
        "foundations",
        {
            "cucon",
            "cucon.calls",
            "cucon.catalog",
            "cucon.codes",
            "cucon.dates",
            "cucon.feeds",
            "cucon.frontmatter",
            "cucon.images",
            "cucon.inert",
            "cucon.markup",
            "cucon.mentions",
            "cucon.netmap",
            "cucon.phrases",
            "cucon.problems",
            "cucon.schema",
            "cucon.search",
            "cucon.seo",
            "cucon.stamps",
            "cucon.stopwatch",
            "cucon.text",
            "cucon.urls",
        },
    ),
    ("reading", {"cucon.content"}),
    ("checking", {"cucon.checks", "cucon.members", "cucon.scaffold"}),
    (
        "site outputs",
        {
            "cucon.calendars",
            "cucon.digest",
            "cucon.gone",
            "cucon.i18n",
            "cucon.incremental",
            "cucon.matching",
            "cucon.snapshot",
            "cucon.subscriptions",
            "cucon.views",
        },
    ),
    ("site", {"cucon.site", "cucon.site.*"}),
    ("plugins", {"cucon_site"}),
    ("editors", {"cucon.erasure", "cucon.review", "cucon.review.*"}),
    ("bot", {"cucon.bot", "cucon.bot.*"}),
    ("tools", {"cucon.devserver", "cucon.docs", "cucon.preview", "cucon.scope"}),
    ("cli", {"cucon.cli"}),
)
"""Each module's layer, lowest first: a module imports only from its own layer and those below."""

ADDRESS_ALLOWED = {
    ("cucon/bot/routes/forms.py", "index.html"): "the bot's own template, not a page of the site",
    ("cucon/site/search_index.py", "{*.html,"): "a glob of Pagefind over the written files",
    ("cucon/site/newsletter.py", "feed.xsl"): "the theme's template of the feed view, not its address",
    ("cucon/incremental.py", ".xsl"): "the suffixes of the theme's templates",
}
"""(file, string) pairs that look like a site address and are none; each with the reason."""

SITE_PATH = re.compile(
    r"(?:^|(?<!content)/)(?:profiles|calls|news|cities|networks|disciplines|feeds|calendars|digests|media|"
    r"subscribe|search|page)/|index\.html$|\.(?:xml|ics|opml|xsl)$"
)
"""A string that looks like (part of) an address of the site; content/… are files of the repository."""


def _modules() -> dict[str, Path]:
    """Every module of the package and of the plugins, by its dotted name."""
    found = {}
    for path in sorted(SRC.rglob("*.py")):
        parts = path.relative_to(SRC).with_suffix("").parts
        found[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    for path in sorted(PLUGINS.glob("*/__init__.py")):
        found[path.parent.name] = path
    return found


MODULES = _modules()


def _imports(name: str, path: Path) -> set[str]:
    """The modules of ours that a module imports, anywhere in its code."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = ".".join(
                    [*package.split(".")[: len(package.split(".")) - node.level + 1], base]
                ).strip(".")
            targets = [
                f"{base}.{alias.name}" if f"{base}.{alias.name}" in MODULES else base for alias in node.names
            ]
        else:
            continue
        found |= {target for target in targets if target in MODULES and target != name}
    return found


GRAPH = {name: _imports(name, path) for name, path in MODULES.items()}


def _layer(name: str) -> int:
    """The index of a module's layer in LAYERS."""
    for index, (_, members) in enumerate(LAYERS):
        if name in members or any(m.endswith(".*") and name.startswith(m[:-1]) for m in members):
            return index
    raise AssertionError(f"{name} is in no layer; add it to LAYERS in {Path(__file__).name}")


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan's algorithm)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for other in sorted(graph[node]):
            if other not in index:
                visit(other)
                low[node] = min(low[node], low[other])
            elif other in stack:
                low[node] = min(low[node], index[other])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_the_imports_are_read():
    """The import graph is the real one: known edges are there (the test would pass on an empty graph)."""
    assert "cucon.urls" in GRAPH["cucon.views"]
    assert "cucon.content" in GRAPH["cucon.checks"]
    assert "cucon.bot.githost" in GRAPH["cucon.bot.service"]  # a function-local import
    assert "cucon.site.build" in GRAPH["cucon_site"]


def test_plugins_are_one_adapter():
    """plugins/ holds one Pelican plugin, a thin adapter: it hands Pelican's settings and output folder
    to cucon.site and builds nothing itself."""
    plugins = sorted(p.name for p in PLUGINS.iterdir() if p.is_dir() and p.name != "__pycache__")
    assert plugins == ["cucon_site"]
    assert GRAPH["cucon_site"] == {"cucon.site.build", "cucon.site.noop", "cucon.site.writer"}
    lines = (PLUGINS / "cucon_site" / "__init__.py").read_text("utf-8").splitlines()
    assert len(lines) <= 60, f"plugins/cucon_site has {len(lines)} lines; the build belongs in cucon.site"


def test_cycle_finder_finds_a_cycle():
    """The cycle finder reports a circle of three modules, and nothing in a line of them."""
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": set()}) == []


def test_no_import_circle():
    """No module imports, through others, itself."""
    assert _cycles(GRAPH) == []


def test_every_module_has_a_layer():
    """A new module must be placed in a layer (LAYERS above)."""
    for name in MODULES:
        _layer(name)


@pytest.mark.parametrize("name", sorted(MODULES))
def test_no_import_from_a_higher_layer(name):
    """A module imports only from its own layer and the layers below it."""
    higher = [
        f"{other} ({LAYERS[_layer(other)][0]})"
        for other in sorted(GRAPH[name])
        if _layer(other) > _layer(name)
    ]
    assert not higher, f"{name} ({LAYERS[_layer(name)][0]}) imports from higher layers: {', '.join(higher)}"


def _address_literals(path: Path) -> list[tuple[int, str]]:
    """(line, text) of every string constant that looks like a site address, docstrings left out."""
    tree = ast.parse(path.read_text("utf-8"))
    docstrings = {
        id(node.body[0].value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef)
        and node.body
        and isinstance(node.body[0], ast.Expr)
        and isinstance(node.body[0].value, ast.Constant)
    }
    # A string right after an assignment documents it, as a docstring does.
    for node in ast.walk(tree):
        for field in ("body", "orelse"):
            statements = getattr(node, field, None)
            if not isinstance(statements, list):
                continue
            for before, after in itertools.pairwise(statements):
                if isinstance(before, ast.Assign | ast.AnnAssign) and isinstance(after, ast.Expr):
                    docstrings.add(id(after.value))
    return sorted(
        (node.lineno, node.col_offset, node.value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and id(node) not in docstrings
        and SITE_PATH.search(node.value)
    )


def test_the_address_scan_finds_addresses(tmp_path):
    """The scan finds an address built in an f-string and a file name, and passes docstrings by."""
    module = tmp_path / "m.py"
    module.write_text(
        'def f(prefix):\n    """Writes en/profiles/x/index.html."""\n'
        '    return f"{prefix}feeds/all/atom.xml", "sitemap.xml", "a plain text"\n'
    )
    assert [(line, text) for line, _, text in _address_literals(module)] == [
        (3, "feeds/all/atom.xml"),
        (3, "sitemap.xml"),
    ]


@pytest.mark.parametrize("name", sorted(n for n in MODULES if n != "cucon.urls"))
def test_no_address_outside_urls(name):
    """Only cucon.urls writes down an address of the site; everything else asks it."""
    path = MODULES[name]
    where = path.relative_to(SRC if path.is_relative_to(SRC) else PLUGINS).as_posix()
    found = [
        f"{where}:{line}: {text!r}"
        for line, _, text in _address_literals(path)
        if not any(where == file and text.startswith(start) for file, start in ADDRESS_ALLOWED)
    ]
    assert not found, "site addresses outside cucon.urls:\n" + "\n".join(found)


THEME_TEMPLATES = REPO / "theme" / "templates"

PREFIX_JOINED = re.compile(r"\{\{\s*prefix\s*\}\}|\bprefix\s*~")
"""A template that writes an address itself: the UI language's prefix joined to a path."""


def test_templates_ask_urls_for_addresses():
    """Templates build no address themselves: they call ``urls`` (the helper is cucon.urls) with ``prefix``."""
    found = [
        f"{path.relative_to(REPO)}:{number}: {line.strip()[:120]}"
        for path in sorted(THEME_TEMPLATES.rglob("*"))
        if path.suffix in (".html", ".xsl", ".txt")
        for number, line in enumerate(path.read_text("utf-8").splitlines(), 1)
        if PREFIX_JOINED.search(line)
    ]
    assert not found, "addresses built in templates:\n" + "\n".join(found)
    assert PREFIX_JOINED.search('<a href="{{ SITEURL }}/{{ prefix }}calls/">')
    assert PREFIX_JOINED.search('{% set base = SITEURL ~ "/" ~ prefix ~ "profiles/" %}')


def test_the_architecture_map_names_every_module():
    """docs/architecture.md names every module of the package and every plugin, so the map cannot fall behind."""
    text = (REPO / "docs" / "architecture.md").read_text("utf-8")
    named = set(re.findall(r"`((?:cucon|plugins/cucon_)[\w./]*)`", text))
    missing = [
        name
        for name in MODULES
        if name not in named
        and f"plugins/{name}" not in named
        and not (name.startswith("cucon.review.") and "cucon.review" in named)
        and not (name.startswith("cucon.bot.") and f"`{name.removeprefix('cucon.bot.')}`" in text)
    ]
    assert not missing, f"docs/architecture.md does not name {missing}"


def test_every_name_imported_from_our_modules_exists():
    """An import inside a function runs only when it is called: check every ``from cucon… import name`` now."""
    import importlib

    missing = []
    for path in MODULES.values():
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if isinstance(node, ast.ImportFrom) and not node.level and (node.module or "") in MODULES:
                module = importlib.import_module(node.module)
                for alias in node.names:
                    if not hasattr(module, alias.name) and f"{node.module}.{alias.name}" not in MODULES:
                        missing.append(f"{path.relative_to(REPO)}:{node.lineno}: {node.module}.{alias.name}")
    assert not missing, missing
