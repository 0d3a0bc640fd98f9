"""Macros imported "with context" are made once for each set of values they read, not once per page
(cucon.site.templates.ThemeTemplate), and every page still renders as if they were made for it."""

from __future__ import annotations

import datetime as dt

import pytest
from jinja2 import DictLoader, Environment

from cucon.i18n import remembering_gettext
from cucon.incremental import DependencyRecorder
from cucon.site.templates import ThemeTemplate, module_reads
from cucon.views import Listings

TEMPLATES = {
    "macros.html": (
        '{% import "part.html" as part with context %}\n'
        '{% macro hello(who) %}{{ _("Hello") }} {{ who }} ({{ ui }}, {{ part.mark() }}){% endmacro %}\n'
    ),
    "part.html": "{% macro mark() %}{{ mark_text }}{% endmacro %}",
    "page.html": '{% import "macros.html" as m with context %}{{ page_url }}: {{ m.hello(name) }}',
    "busy.html": "{% set shown = name | upper %}{% macro hello() %}{{ shown }}{% endmacro %}",
    "busy_page.html": '{% import "busy.html" as b with context %}{{ b.hello() }}',
    "included.html": '{% macro show() %}{% include "inner.html" %}{% endmacro %}',
    "inner.html": "{{ secret }}",
    "dynamic.html": "{% macro show(name) %}{% include name %}{% endmacro %}",
}


def _env() -> Environment:
    env = Environment(loader=DictLoader(dict(TEMPLATES)), extensions=["jinja2.ext.i18n"], autoescape=True)
    env.template_class = ThemeTemplate
    return env


def _speak(env: Environment, upper: bool) -> None:
    translate = str.upper if upper else str
    env.install_gettext_callables(translate, lambda s, p, n: s if n == 1 else p, newstyle=True)
    env.globals["_"] = remembering_gettext(env.globals["gettext"])


def _modules(env: Environment, name: str) -> int:
    return len(env.get_template(name).__dict__.get("_modules", {}))


def test_a_module_is_made_once_while_the_values_it_reads_stay_the_same() -> None:
    env = _env()
    _speak(env, upper=False)
    helpers = {"ui": "en", "mark_text": "m1"}
    page = env.get_template("page.html")
    first = page.render(helpers, page_url="/a", name="Ann")
    second = page.render(helpers, page_url="/b", name="Bo")
    assert (first, second) == ("/a: Hello Ann (en, m1)", "/b: Hello Bo (en, m1)")
    # page_url and name are the page's, and the macros do not read them from the context
    assert _modules(env, "macros.html") == 1
    assert _modules(env, "part.html") == 1


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ({"ui": "de"}, "/c: Hello Cy (de, m1)"),  # a value the macros read
        ({"mark_text": "m2"}, "/c: Hello Cy (en, m2)"),  # read by a module the macros' module imports
    ],
)
def test_a_module_is_made_again_when_a_value_it_reads_changes(change: dict, expected: str) -> None:
    env = _env()
    _speak(env, upper=False)
    page = env.get_template("page.html")
    page.render({"ui": "en", "mark_text": "m1"}, page_url="/a", name="Ann")
    assert page.render({"ui": "en", "mark_text": "m1", **change}, page_url="/c", name="Cy") == expected
    assert _modules(env, "macros.html") == 2


def test_other_translations_make_the_module_again() -> None:
    env = _env()
    page = env.get_template("page.html")
    helpers = {"ui": "en", "mark_text": "m"}
    _speak(env, upper=False)
    assert page.render(helpers, page_url="/a", name="Ann") == "/a: Hello Ann (en, m)"
    _speak(env, upper=True)
    assert page.render(helpers, page_url="/a", name="Ann") == "/a: HELLO Ann (en, m)"


def test_a_module_that_computes_at_its_top_is_made_for_every_page() -> None:
    env = _env()
    page = env.get_template("busy_page.html")
    assert [page.render(name=n) for n in ("ann", "bo")] == ["ANN", "BO"]
    assert module_reads(env, "busy.html") is None
    assert _modules(env, "busy.html") == 0


def test_what_a_macro_includes_counts_as_read_and_a_name_known_only_at_render_time_is_never_cached() -> None:
    env = _env()
    assert "secret" in module_reads(env, "included.html")
    assert module_reads(env, "dynamic.html") is None


def test_a_remembered_block_renders_once_and_notes_its_dependencies_for_every_output() -> None:
    env = _env()
    recorder = DependencyRecorder()
    recorder.install(env)
    env.globals["count"] = counted = []
    env.loader.mapping |= {
        "shown.html": (
            "{% macro show(n) %}{% call remembered(n) %}{% set _x = count.append(n) %}"
            "{{ listings.kind_counts | length }}+{{ n }}{% endcall %}{% endmacro %}"
        ),
        "listed.html": '{% import "shown.html" as s with context %}{{ s.show(1) }} {{ s.show(2) }}',
    }
    page = env.get_template("listed.html")
    listings = Listings(now=dt.datetime(2026, 1, 1, tzinfo=dt.UTC))
    outputs = []
    for _ in range(2):
        recorder.start()
        outputs.append((page.render(listings=listings), recorder.stop()))
    assert outputs == [("0+1 0+2", frozenset({("c", "kind_counts")}))] * 2
    assert counted == [1, 2]  # each block rendered once, the second output shows them remembered
    # another module (here: other listings) renders the blocks again
    page.render(listings=Listings(now=dt.datetime(2026, 1, 1, tzinfo=dt.UTC)))
    assert counted == [1, 2, 1, 2]
