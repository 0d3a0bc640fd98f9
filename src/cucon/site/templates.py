"""The theme's templates: one Jinja environment, made from Pelican's settings as Pelican makes its own."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import jinja2
from jinja2 import (
    Environment,
    FileSystemBytecodeCache,
    FileSystemLoader,
    Template,
    TemplateNotFound,
    meta,
    nodes,
)
from jinja2.environment import TemplateModule
from jinja2.utils import missing

from cucon.stamps import fingerprint

MODULES_KEPT = 8
"""Modules kept per imported template: a few sets of values (UI languages, feeds) alternate at most."""

_DEFINITIONS = (nodes.Macro, nodes.Import, nodes.FromImport)
GETTEXT = {"gettext", "ngettext", "pgettext", "npgettext"}
"""What ``jinja2.ext.i18n`` installs as globals, whether installed yet or not."""


class ThemeTemplate(Template):
    """A template whose module, when imported ``with context``, is made once for each set of values it
    can read, not once per page.

    Jinja runs an imported template again for every render that imports it with context, because its
    macros may read the importer's variables. A template whose top level only defines macros and
    imports such templates evaluates nothing while its module is made, and its macros read the
    context only through the names :func:`module_reads` finds; so while those names hold the same
    objects, the module made for one page is the module the next page would make.
    """

    def make_module(
        self, vars: dict | None = None, shared: bool = False, locals: Mapping | None = None
    ) -> TemplateModule:
        reads = module_reads(self.environment, self.name) if shared and vars is not None else None
        if reads is None:
            return super().make_module(vars, shared, locals)
        given = {name: value for name, value in (locals or {}).items() if value is not missing}
        values = tuple(given.get(name, vars.get(name, missing)) for name in reads)
        # The values are kept with the module, so their ids stay theirs while the module is kept.
        key = tuple(map(id, values))
        kept = self.__dict__.setdefault("_modules", {})
        found = kept.get(key)
        if found is None:
            found = kept[key] = (values, super().make_module(vars, shared, locals))
            while len(kept) > MODULES_KEPT:
                del kept[next(iter(kept))]
        return found[1]


def module_reads(env: Environment, name: str | None) -> tuple[str, ...] | None:
    """The names a template's module can read from its importer's context (sorted), or None when its
    module must be made anew for every import: its top level does more than define macros and import
    such templates, or it names a template only known at render time."""
    found = env.__dict__.setdefault("_module_reads", {})
    if name not in found:
        found[name] = None  # a template that imports itself is made anew
        found[name] = _reads(env, name, importing=True, seen=frozenset())
    return found[name]


def _reads(env: Environment, name: str | None, importing: bool, seen: frozenset) -> tuple[str, ...] | None:
    if name is None or name in seen:
        return None
    ast = env.parse(env.loader.get_source(env, name)[0], name)
    top = [node for node in ast.body if not _is_text(node)]
    if importing and not all(isinstance(node, _DEFINITIONS) for node in top):
        return None
    # Every global too: a page's variable of the same name hides it (and ``_`` reads ``gettext``).
    names = set(meta.find_undeclared_variables(ast)) | set(env.globals) | GETTEXT
    imported = {
        node.template.value
        for node in top
        if isinstance(node, nodes.Import | nodes.FromImport) and isinstance(node.template, nodes.Const)
    }
    for other in meta.find_referenced_templates(ast):
        # A template imported at the top is made with the module: it must be of this kind as well.
        # Any other (imported or included inside a macro) renders when the macro runs, in its context.
        if importing and other in imported:
            reads = module_reads(env, other)
        else:
            reads = _reads(env, other, importing=False, seen=seen | {name})
        if reads is None:
            return None
        names.update(reads)
    return tuple(sorted(names))


def _is_text(node: nodes.Node) -> bool:
    return isinstance(node, nodes.Output) and all(isinstance(part, nodes.TemplateData) for part in node.nodes)


BYTECODE_FOLDER = "jinja"
"""The theme's compiled templates, in the cache folder (:class:`ThemeBytecodeCache`)."""

COMPILE_OPTIONS = (
    "block_start_string",
    "block_end_string",
    "variable_start_string",
    "variable_end_string",
    "comment_start_string",
    "comment_end_string",
    "line_statement_prefix",
    "line_comment_prefix",
    "trim_blocks",
    "lstrip_blocks",
    "newline_sequence",
    "keep_trailing_newline",
    "optimized",
    "newstyle_gettext",
)
"""The attributes of an environment that shape the code a template compiles to."""


class ThemeBytecodeCache(FileSystemBytecodeCache):
    """Jinja's compiled templates kept between builds (compiling the theme costs more than the rest of a
    small rebuild's start). Jinja finds one by the template's name, file and source; here also by what
    else shapes its code: Jinja's version, the environment's extensions and compile options, and
    whether the template is autoescaped."""

    def __init__(self, folder: Path) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        super().__init__(str(folder))

    def get_bucket(self, environment: Environment, name: str, filename: str | None, source: str):
        shape = fingerprint(
            jinja2.__version__,
            sorted(environment.extensions),
            [getattr(environment, option, None) for option in COMPILE_OPTIONS],
            environment.autoescape(name) if callable(environment.autoescape) else environment.autoescape,
        )
        return super().get_bucket(environment, name, f"{filename}\0{shape}", source)


def theme_environment(settings: Mapping) -> Environment:
    """The environment of the theme's templates (``THEME/templates`` after ``THEME_TEMPLATES_OVERRIDES``).

    Every value from content is escaped, except in a plain-text template (``.txt``: the digest's text
    version), which is no HTML; only sanitised bodies are marked safe. Pelican's ``JINJA_ENVIRONMENT``,
    ``JINJA_FILTERS``, ``JINJA_GLOBALS`` and ``JINJA_TESTS`` apply as in Pelican's own generators.
    """
    options = {key: value for key, value in settings["JINJA_ENVIRONMENT"].items() if key != "autoescape"}
    options["extensions"] = [*options.get("extensions", ()), "jinja2.ext.i18n"]
    # One build, one environment (``make serve`` makes a new one for each rebuild): a template, and each
    # one it imports, is read once, not checked on disk again for every page that renders it.
    options.setdefault("auto_reload", False)
    folders = [*settings["THEME_TEMPLATES_OVERRIDES"], str(Path(settings["THEME"]) / "templates")]
    options.setdefault("bytecode_cache", ThemeBytecodeCache(Path(settings["CACHE_PATH"]) / BYTECODE_FOLDER))
    env = Environment(
        loader=FileSystemLoader(folders),
        autoescape=lambda name: not (name or "").endswith(".txt"),
        **options,
    )
    env.template_class = ThemeTemplate
    env.filters.update(settings["JINJA_FILTERS"])
    env.globals.update(settings["JINJA_GLOBALS"])
    env.tests.update(settings["JINJA_TESTS"])
    return env


def theme_template(env: Environment, settings: Mapping, name: str) -> Template:
    """A template by its name without extension (``profile``), tried with each of ``TEMPLATE_EXTENSIONS``."""
    for extension in settings["TEMPLATE_EXTENSIONS"]:
        try:
            return env.get_template(name + extension)
        except TemplateNotFound:
            continue
    raise TemplateNotFound(f"{name}[{', '.join(settings['TEMPLATE_EXTENSIONS'])}]")
