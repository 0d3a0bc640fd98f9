"""Names and slugs: invisible characters stay out of one-line texts, and no slug is a Windows device name.

The content cases (`cucon check` and the build refuse a file) are rows of tests/test_bad_input.py, the
German form messages are in tests/test_bot_messages.py; here are the rules themselves, table-driven,
and every place that makes a slug: `cucon new`, the web forms and the issue forms.
"""

from __future__ import annotations

import sys
import unicodedata

import pytest
from support import TODAY, output_of, recorded_body, replace_section, run_cucon

from cucon.bot.issueform import issue_submission
from cucon.bot.submission import free_slug, taken_slugs
from cucon.scaffold import create_item
from cucon.text import (
    FORMAT_CHARACTERS,
    WINDOWS_DEVICE_NAMES,
    find_forbidden,
    has_visible_letter,
    windows_device_name,
)

TEXTS = [
    # (text, refused on one line as (code, code point), refused in a body as); None: allowed
    ("Anna Kowalska", None, None),
    ("Anna\u200bKowalska", ("format-character", "U+200B"), None),
    ("Anna\u200cKowalska", ("format-character", "U+200C"), None),
    ("An\u200dna", ("format-character", "U+200D"), None),
    ("Anna\u200e", ("format-character", "U+200E"), None),
    ("Anna\u200f", ("format-character", "U+200F"), None),
    ("Anna\u2060Kowalska", ("format-character", "U+2060"), None),
    ("\ufeffAnna", ("format-character", "U+FEFF"), None),
    ("Kowal\u00adska", ("soft-hyphen", "U+00AD"), None),
    ("Anna\u2028Kowalska", ("line-separator", "U+2028"), None),
    ("Anna\u2029Kowalska", ("line-separator", "U+2029"), None),
    ("Anna\U000e0041\U000e007f", ("tag-character", "U+E0041"), None),
    ("\u3164", ("filler-character", "U+3164"), None),
    ("\u115f\u1160", ("filler-character", "U+115F"), None),
    ("\uffa0", ("filler-character", "U+FFA0"), None),
    ("\u2800", ("filler-character", "U+2800"), None),
    ("Anna \u202eKowalska", ("bidi-control", "U+202E"), ("bidi-control", "U+202E")),
    ("Anna\x07", ("control-character", "U+0007"), ("control-character", "U+0007")),
    # Joiners that a script or an emoji needs stay allowed in names.
    ("\u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645", None, None),  # Persian: ZWNJ inside a word
    ("\u0915\u094d\u200d\u0937", None, None),  # Devanagari: ZWJ for a half form
    ("\u0d28\u0d4d\u200d", ("format-character", "U+200D"), None),  # ZWJ at the end joins nothing
    ("Band \U0001f469\u200d\U0001f3a4", None, None),  # an emoji ZWJ sequence
    ("\U0001f3f4\U000e0067\U000e0062\U000e0073\U000e0063\U000e0074\U000e007f", ("tag-character", "U+E0067"), None),
]  # fmt: skip
"""Every kind of character the rules refuse or keep, on one line (names, titles …) and in bodies."""


@pytest.mark.parametrize(("text", "one_line", "body"), TEXTS, ids=[ascii(t[0])[1:25] for t in TEXTS])
def test_invisible_characters_on_one_line_and_in_bodies(text, one_line, body):
    """One mechanism for both: one-line texts refuse every invisible character; bodies stay permissive."""
    found = find_forbidden(text)
    assert (found and found[1:]) == one_line or (found is None and one_line is None)
    in_body = find_forbidden(text, multiline=True)
    assert (in_body and in_body[1:]) == body or (in_body is None and body is None)


@pytest.mark.parametrize(
    ("text", "visible"),
    [("Anna", True), ("A", True), ("2026", True), ("\u7530\u8fba", True), ("★ ★", False), ("…", False)],
)
def test_a_name_needs_a_visible_letter_or_digit(text, visible):
    assert has_visible_letter(text) is visible


DEVICES = sorted(name for name in WINDOWS_DEVICE_NAMES if name.isascii() and name.isalnum())
"""The device names a slug could take (the superscript and $ forms never pass the slug rule)."""


@pytest.mark.parametrize(
    ("file_name", "device"),
    [
        ("aux.md", "AUX"),
        ("AUX.md", "AUX"),
        ("Con", "CON"),
        ("con.", "CON"),
        ("con .md", "CON"),
        ("nul.tar.gz", "NUL"),
        ("com1.jpg", "COM1"),
        ("LPT9.yaml", "LPT9"),
        ("com\u00b9.md", "COM\u00b9"),
        ("lpt\u00b3", "LPT\u00b3"),
        ("conin$.md", "CONIN$"),
        ("console.md", None),
        ("com10.md", None),
        ("con-1.md", None),
        ("auxiliary.md", None),
    ],
)
def test_windows_device_names(file_name, device):
    """Any case, any extension, trailing dots and spaces; never a longer name."""
    assert windows_device_name(file_name) == device


@pytest.mark.parametrize("device", DEVICES)
@pytest.mark.parametrize("spelling", [str.lower, str.upper, str.title, lambda d: f" {d.upper()}. "])
def test_the_forms_never_make_a_device_slug(tmp_path, device, spelling):
    """The web and issue forms take the first free number, as for other reserved slugs."""
    slug = free_slug(spelling(device), taken_slugs(tmp_path / "content"))
    assert slug == f"{device}-2"
    assert windows_device_name(slug) is None


@pytest.mark.parametrize("device", DEVICES)
def test_cucon_new_never_makes_a_device_slug(fixture_site, device):
    """`cucon new` adds -1, as for other reserved slugs; the new file passes the check."""
    path = create_item(fixture_site / "content", "profile", device.upper())
    assert path.name == f"{device}-1.md"
    assert (path.parent / f"{device}-1.jpg").is_file()


def test_a_new_device_named_profile_passes_the_check(fixture_site):
    """`cucon new profile AUX` writes aux-1.md and aux-1.jpg, whose only problems in `cucon check` are
    the placeholders a contributor replaces."""
    result = run_cucon("new", "profile", "AUX", cwd=fixture_site)
    assert result.returncode == 0, output_of(result)
    assert (fixture_site / "content/profiles/aux-1.md").is_file()
    check = run_cucon("check", cwd=fixture_site)
    problems = [line for line in check.stdout.splitlines() if line.startswith("content/")]
    assert len(problems) == 3, output_of(check)
    assert all("'cucon new' writes" in line for line in problems), output_of(check)


def test_the_issue_form_never_makes_a_device_slug(issue_root, form, photos):
    """A profile named "Con" on the issue form becomes con-2.md and con-2.jpg."""
    body = replace_section(recorded_body(photos), "Name", "Con")
    submission = issue_submission(body, form, issue_root, TODAY, allowed=[photos.assets])
    assert sorted(submission.files) == ["content/profiles/con-2.jpg", "content/profiles/con-2.md"]


def test_the_format_characters_are_every_cf_character_of_unicode():
    """The set scans only the planes that hold format characters; this scans them all."""
    every = {chr(c) for c in range(sys.maxunicode + 1) if unicodedata.category(chr(c)) == "Cf"}
    assert every == FORMAT_CHARACTERS
