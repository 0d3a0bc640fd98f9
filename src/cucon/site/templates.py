"""The theme's templates: one Jinja environment, made from Pelican's settings as Pelican makes its own."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, Template, TemplateNotFound


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
    env = Environment(
        loader=FileSystemLoader(folders),
        autoescape=lambda name: not (name or "").endswith(".txt"),
        **options,
    )
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
