"""cucon.frontmatter: safe YAML 1.2 scalars, front matter, and the line of every key."""

from __future__ import annotations

import pytest

from cucon.frontmatter import parse_yaml, read_document
from cucon.problems import ContentError

PROFILE = """\
---
id: c366956d-0e87-4eb2-a349-6a3e06e91872
name: Anna Kowalska
cities: [hannover, leipzig]
photo:
  file: anna.jpg
  focus:
    x: 0.3
links:
  other:
    - https://a.example/
    - https://b.example/
consent: {date: 2026-04-02, version: "1"}
---

Body text.
"""


@pytest.mark.parametrize(
    ("path", "line"),
    [
        (("id",), 2),
        (("name",), 3),
        (("cities",), 4),
        (("cities", 1), 4),
        (("photo",), 5),
        (("photo", "file"), 6),
        (("photo", "focus", "x"), 8),
        (("links", "other", 0), 11),
        (("links", "other", 1), 12),
        (("consent", "version"), 13),
        (("photo", "focus", "y"), 7),
        (("links", "other", 5), 10),
        (("nowhere",), 1),
    ],
)
def test_line_of_key_paths(path, line):
    """Nested keys and list items map to their file line; unknown paths fall back to the nearest parent."""
    assert read_document(PROFILE, with_body=True).line_of(path) == line


def test_body_and_its_first_line():
    """The body is what follows the closing '---', and its line counts from the file start."""
    doc = read_document(PROFILE, with_body=True)
    assert doc.body == "\nBody text.\n"
    assert doc.body_line == 15
    assert PROFILE.splitlines()[doc.body_line] == "Body text."


def test_crlf_line_endings_keep_lines_and_body():
    """A file saved with Windows line endings reads the same, at the same lines."""
    doc = read_document(PROFILE.replace("\n", "\r\n"), with_body=True)
    assert doc.data["photo"]["focus"] == {"x": 0.3}
    assert doc.line_of(("links", "other", 1)) == 12
    assert doc.body.strip() == "Body text."


@pytest.mark.parametrize(
    ("scalar", "value"),
    [
        ("yes", "yes"),
        ("no", "no"),
        ("NO", "NO"),
        ("No", "No"),
        ("on", "on"),
        ("off", "off"),
        ("y", "y"),
        ("true", True),
        ("False", False),
        ("TRUE", True),
        ("2026-12-31", "2026-12-31"),
        ("2026-12-31 23:59", "2026-12-31 23:59"),
        ("2026-12-31T23:59:00Z", "2026-12-31T23:59:00Z"),
        ("31.12.2026", "31.12.2026"),
        ("1987", 1987),
        ("52.37", 52.37),
        ('"1"', "1"),
        ("~", None),
    ],
)
def test_yaml_1_2_scalars(scalar, value):
    """No yes/no/on/off booleans and no timestamps: only true/false are booleans, dates stay text."""
    data, _ = parse_yaml(f"key: {scalar}\n")
    assert data == {"key": value}
    assert type(data["key"]) is type(value)


def problems_of(text: str, with_body: bool) -> list[tuple[int, str, str]]:
    """(line, field, message) of every problem reading ``text`` raises."""
    with pytest.raises(ContentError) as caught:
        read_document(text, with_body=with_body)
    return [(p.line, p.field, p.message) for p in caught.value.problems]


FRONT_MATTER_MISSING = "the file must start with a line '---'"
NOT_A_MAPPING = "expected key: value pairs at the top level"


@pytest.mark.parametrize(
    ("text", "with_body", "line", "field", "fragment"),
    [
        ("---\nname: Anna\n\nBody without a closing line.\n", True, 1, "(front matter)", FRONT_MATTER_MISSING),
        ("name: Anna\n---\nBody.\n", True, 1, "(front matter)", FRONT_MATTER_MISSING),
        ("", True, 1, "(front matter)", FRONT_MATTER_MISSING),
        ("---\n- a\n- b\n---\nBody.\n", True, 1, "(yaml)", NOT_A_MAPPING),
        ("---\njust text\n---\n", True, 1, "(yaml)", NOT_A_MAPPING),
        ("- a\n- b\n", False, 1, "(yaml)", NOT_A_MAPPING),
        ("42\n", False, 1, "(yaml)", NOT_A_MAPPING),
        ("---\nname: Anna\nbad: !!python/object/apply:os.system [ls]\n---\n", True, 3, "(yaml)",
         "the YAML tag !!python/object/apply:os.system is not allowed"),
        ("a: 1\nb: !include /etc/passwd\n", False, 2, "(yaml)", "the YAML tag !include is not allowed"),
        ("---\nname: Anna\ncities: [hannover\n---\n", True, 3, "(yaml)",
         "a list opened with '[' is not closed with ']', or its entries are not separated by commas "
         "(column 9 of the line: cities: [hannover)"),
        ("a: 1\n  b: 2\n", False, 2, "(yaml)", "a ':' stands where none may"),
        ("a: 1\n---\nb: 2\n", False, 2, "(yaml)", "invalid YAML"),
    ],
    ids=[
        "no-closing-line", "no-opening-line", "empty-file", "list-front-matter", "scalar-front-matter",
        "list-yaml", "scalar-yaml", "python-tag", "local-tag", "unclosed-flow-list", "bad-indent",
        "two-documents",
    ],
)  # fmt: skip
def test_unreadable_documents(text, with_body, line, field, fragment):
    """Each unreadable document gives one problem with a plain message at the right line."""
    [(found_line, found_field, message)] = problems_of(text, with_body)
    assert (found_line, found_field) == (line, field)
    assert fragment in message


def test_empty_front_matter_is_an_empty_mapping():
    """'---' twice with nothing between reads as no fields, which the schema then reports."""
    doc = read_document("---\n---\nBody.\n", with_body=True)
    assert (doc.data, doc.body, doc.body_line) == ({}, "Body.\n", 3)
