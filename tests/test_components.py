"""The theme's components: each documented honestly, each example renders to sound HTML.

A component is a folder theme/templates/components/<name>/ with a template.html that exports
one macro named like the folder (``status-tag`` → ``status_tag``) and a component.yaml with a
description, every parameter of the macro, and examples. An example may list strings the output
must contain (``contains``, default: every non-empty string among its params) and must not
(``absent``).
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml
from jinja2 import Environment, FileSystemLoader, nodes
from markupsafe import escape

TEMPLATES = Path(__file__).resolve().parent.parent / "theme" / "templates"
COMPONENTS = TEMPLATES / "components"
NAMES = sorted(p.name for p in COMPONENTS.iterdir() if p.is_dir())
TYPES = {"string", "integer", "boolean", "array", "object"}
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}

HELPERS = {
    "email_parts": lambda email: dict(zip(("user", "domain"), email.rsplit("@", 1), strict=True)),
}
"""Stand-ins for the template helpers of cucon.i18n that components use."""


def environment() -> Environment:
    """The theme's Jinja environment as Pelican and the plugin set it up, with untranslated strings."""
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=True,
        extensions=["jinja2.ext.i18n"],
        trim_blocks=True,  # as Pelican sets up its environment
        lstrip_blocks=True,
    )
    env.install_null_translations(newstyle=True)
    return env


def spec(name: str) -> dict:
    """The parsed component.yaml of a component."""
    return yaml.safe_load((COMPONENTS / name / "component.yaml").read_text("utf-8"))


def macro_of(name: str) -> nodes.Macro:
    """The macro a component's template defines, named like the component."""
    source = (COMPONENTS / name / "template.html").read_text("utf-8")
    macros = [m for m in environment().parse(source).find_all(nodes.Macro)]
    assert [m.name for m in macros] == [name.replace("-", "_")], f"{name}: export exactly one macro"
    return macros[0]


def render(name: str, params: dict) -> str:
    """Render a component's macro with params through the real loader and escaping."""
    module = environment().get_template(f"components/{name}/template.html").make_module(vars=HELPERS)
    return str(getattr(module, name.replace("-", "_"))(**params))


def strings(value) -> list[str]:
    """Every non-empty string inside a params structure."""
    if isinstance(value, str):
        return [value] if value else []
    if isinstance(value, dict):
        return [s for v in value.values() for s in strings(v)]
    if isinstance(value, list):
        return [s for v in value for s in strings(v)]
    return []


class Structure(HTMLParser):
    """Checks that elements nest and close properly and that ids are unique."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.ids: list[str] = []
        self.errors: list[str] = []
        self.elements = 0

    def handle_starttag(self, tag, attrs):
        self.elements += 1
        self.ids += [v for k, v in attrs if k == "id"]
        if tag not in VOID:
            self.stack.append(tag)

    def handle_startendtag(self, tag, attrs):
        self.elements += 1
        self.ids += [v for k, v in attrs if k == "id"]

    def handle_endtag(self, tag):
        if not self.stack or self.stack[-1] != tag:
            self.errors.append(f"stray </{tag}> (open: {self.stack})")
        else:
            self.stack.pop()


def check_structure(html: str) -> Structure:
    """Parse HTML and fail on unclosed or stray tags and duplicate ids."""
    parser = Structure()
    parser.feed(html)
    parser.close()
    assert not parser.errors, parser.errors
    assert not parser.stack, f"unclosed: {parser.stack}"
    assert len(parser.ids) == len(set(parser.ids)), f"duplicate ids: {parser.ids}"
    return parser


def test_there_are_components():
    """The theme has the components the pages are built from."""
    assert {
        "card",
        "status-tag",
        "pagination",
        "language-switch",
        "facts",
        "email-link",
        "breadcrumbs",
        "skip-link",
        "city-list",
        "section-nav",
    } <= set(NAMES)


@pytest.mark.parametrize("name", NAMES)
def test_component_has_template_and_documentation(name):
    """template.html and component.yaml exist; the description and at least one example are there."""
    assert (COMPONENTS / name / "template.html").is_file()
    assert (COMPONENTS / name / "component.yaml").is_file()
    data = spec(name)
    assert isinstance(data.get("description"), str)
    assert data["description"].strip()
    assert isinstance(data.get("params"), dict)
    assert 1 <= len(data.get("examples") or []) <= 3
    for example in data["examples"]:
        assert example.get("name"), example
        assert isinstance(example.get("params"), dict), example


@pytest.mark.parametrize("name", NAMES)
def test_every_macro_param_is_documented(name):
    """The documented params are exactly the macro's; `required` matches having no default."""
    macro = macro_of(name)
    args = [a.name for a in macro.args]
    optional = set(args[len(args) - len(macro.defaults) :])
    params = spec(name)["params"]
    assert sorted(params) == sorted(args), f"{name}: documented {sorted(params)}, macro takes {args}"
    for param, doc in params.items():
        assert doc.get("type") in TYPES, (name, param)
        assert isinstance(doc.get("description"), str), (name, param)
        assert doc["description"].strip(), (name, param)
        assert doc.get("required") is (param not in optional), f"{name}.{param}: required is wrong"


@pytest.mark.parametrize("name", NAMES)
def test_template_explains_its_accessibility(name):
    """Each template starts with a Jinja comment about its accessibility choices."""
    source = (COMPONENTS / name / "template.html").read_text("utf-8")
    assert source.startswith("{#")
    assert "ccessib" in source[: source.index("#}")]


@pytest.mark.parametrize(
    ("name", "example"),
    [(name, example) for name in NAMES for example in spec(name)["examples"]],
    ids=lambda v: v if isinstance(v, str) else v["name"],
)
def test_examples_render(name, example):
    """Each example renders to non-empty, well-nested HTML showing its key values."""
    params = example["params"]
    required = {p for p, doc in spec(name)["params"].items() if doc["required"]}
    assert required <= set(params), f"example lacks required params {required - set(params)}"
    html = render(name, params)
    assert html.strip()
    assert check_structure(html).elements > 0
    for expected in example.get("contains") or strings(params):
        assert expected in html or str(escape(expected)) in html, f"{expected!r} not in\n{html}"
    for unexpected in example.get("absent") or []:
        assert unexpected not in html, f"{unexpected!r} in\n{html}"


def test_values_are_escaped():
    """Text params are escaped: a hostile title or summary shows as text."""
    hostile = '<script>alert("x")</script>'
    html = render("card", {"title": hostile, "href": "/x/", "summary": hostile, "places": [hostile]})
    assert "<script" not in html
    assert "&lt;script&gt;" in html
    html = render(
        "breadcrumbs", {"items": [{"text": hostile, "href": "/"}], "current": hostile, "label": "x"}
    )
    assert "<script" not in html


def test_email_address_is_not_in_the_html():
    """No address harvester finds user@domain in the email-link's markup."""
    html = render("email-link", {"email": "someone@example.org"})
    assert re.search(r"[\w.]+@[\w.]+", html) is None
    assert "someone [at] example.org" in re.sub(r"<[^>]+>", "", html)


def test_status_tag_differs_in_text_and_shape():
    """Each status has its own label and its own icon, not only its own colour."""
    tags = {s: render("status-tag", {"status": s}) for s in ("open", "closing-soon", "closed")}
    labels = {re.sub(r"<[^>]+>", "", html) for html in tags.values()}
    shapes = {re.search(r"<svg.*</svg>", html, re.S).group(0) for html in tags.values()}
    assert len(labels) == 3
    assert len(shapes) == 3
    assert all('aria-hidden="true"' in html for html in tags.values())
