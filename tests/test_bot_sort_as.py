"""Issue 19, the name in Latin letters (``sort_as``) on the profile form: the field with its help in every
language of the service, the question asked once for a name not in Latin script, the field written to the
file and read back by the edit page.

The choice: ``sort_as`` stays optional, in the schema as on the form. A name not in Latin script without
it is filed after Z under its own script (cucon.views ``directory_order``), which the sample content does
(劇団かきつばた); so the form asks once, and the same form sent again is taken as it is.

Real posts to the app (fixtures of tests/conftest.py: a real spool, a real bare repository).
"""

from __future__ import annotations

import html
import re

import pytest
from support import branch_like, branches, fill, form_tokens, git, proposed, send

NAME = "相生サウンドラボ"
READING = "Aioi Sound Lab"

FIELD_WORDS = {
    "de": (
        "Name in lateinischen Buchstaben (für die A–Z-Liste)",
        "Nur nötig, wenn der Name nicht in lateinischen",
    ),
    "en": (
        "Name in Latin letters (for the A–Z list)",
        "Only needed if the name is not written in Latin letters",
    ),
    "fr": (
        "Nom en lettres latines (pour la liste de A à Z)",
        "Seulement si le nom n’est pas écrit en lettres latines",
    ),
    "pl": ("Nazwa literami łacińskimi (do listy A–Z)", "Potrzebne tylko wtedy, gdy nazwa nie jest zapisana"),
    "ja": ("ラテン文字での名前（A～Z の一覧用）", "名前がラテン文字以外で書かれている場合だけ必要です"),
}
"""The label and the start of the help of the field, in each language of the service."""

ASKED = {
    "de": "Der Name ist nicht in lateinischen Buchstaben geschrieben: Bitte geben Sie ihn hier auch",
    "en": "the name is not written in Latin letters: please give it here in Latin letters too",
    "fr": "Le nom n’est pas écrit en lettres latines : indiquez-le ici aussi en lettres latines",
    "pl": "Nazwa nie jest zapisana literami łacińskimi: podaj ją tutaj także literami łacińskimi",
    "ja": "名前がラテン文字で書かれていません。",
}
"""The start of the question for the Latin letters, in each language of the service."""


def error_at(page: str, name: str) -> str:
    """The text of the error message beside a field."""
    found = re.search(rf'<span class="error" id="err-{name}"[^>]*>([^<]*)</span>', page)
    assert found, f"an error beside {name}"
    return html.unescape(found.group(1))


def input_of(page: str, name: str) -> str:
    """A text or hidden input of the form."""
    found = re.search(rf'<input type="(?:text|hidden)"[^>]* name="{name}"[^>]*>', page)
    assert found, f"an input {name}"
    return html.unescape(found.group())


def profile_file(bare, pattern: str = r"submissions/profile/.+") -> str:
    """The profile file the one proposed branch holds."""
    branch = branch_like(bare, pattern)
    published = set(git(bare, "ls-tree", "-r", "--name-only", "main").split())
    listed = git(bare, "ls-tree", "-r", "--name-only", branch, "content/profiles").split()
    [path] = [p for p in listed if p.endswith(".md") and p not in published]
    return git(bare, "show", f"{branch}:{path}")


@pytest.mark.parametrize("lang", list(FIELD_WORDS))
def test_the_form_shows_the_field_with_its_help_in_every_language(client, lang):
    page = client.get(f"/profile/new?lang={lang}").text
    label, help_start = FIELD_WORDS[lang]
    assert f'<label for="f-sort_as">{label}</label>' in page  # no "required" mark: optional
    assert re.search(rf'<span class="help" id="help-sort_as">{re.escape(help_start)}', page)
    field = input_of(page, "sort_as")
    assert "required" not in field
    assert 'aria-describedby="help-sort_as"' in field
    assert page.index('id="f-name"') < page.index('id="f-sort_as"') < page.index('id="f-kind"')


@pytest.mark.parametrize("lang", list(ASKED))
def test_a_name_in_another_script_without_latin_letters_is_asked_once(client, clock, bare_repo, lang):
    page = send(client, fill(client, clock, lang=lang, name=NAME))
    assert page.status_code == 422
    assert f'<html lang="{lang}">' in page.text
    assert error_at(page.text, "sort_as").startswith(ASKED[lang])
    assert 'value="' + NAME + '"' in input_of(page.text, "sort_as_asked")
    assert branches(bare_repo) == []
    # The form sent again as it came back (its hidden field holds the name asked about) is taken.
    again = {**fill(client, clock, lang=lang, name=NAME), **form_tokens(page.text)}
    assert send(client, again).status_code == 202
    proposed(client, 1)
    assert "sort_as" not in profile_file(bare_repo)


def test_the_question_comes_with_the_other_problems_and_is_not_asked_again(client, clock, bare_repo):
    page = send(client, fill(client, clock, lang="en", name=NAME, summary=""))
    assert page.status_code == 422
    assert error_at(page.text, "summary")
    assert error_at(page.text, "sort_as").startswith(ASKED["en"])
    asked = input_of(page.text, "sort_as_asked")
    assert f'value="{NAME}"' in asked
    # the summary given, the form as it came back is taken
    again = {**fill(client, clock, lang="en", name=NAME), **form_tokens(page.text)}
    assert send(client, again).status_code == 202


@pytest.mark.parametrize(
    ("case", "changes"),
    [
        ("asked-about-another-name", {"name": NAME, "sort_as_asked": "劇団かきつばた"}),
        ("reading-only-spaces", {"name": NAME, "sort_as": "   "}),
    ],
)
def test_the_question_is_not_dodged(client, clock, bare_repo, case, changes):
    """A hidden field naming another name, or a reading of spaces, is asked about as any."""
    page = send(client, fill(client, clock, lang="en", **changes))
    assert page.status_code == 422, case
    assert error_at(page.text, "sort_as").startswith(ASKED["en"])
    assert branches(bare_repo) == []


@pytest.mark.parametrize("name", ["Żuraw Ensemble", "4 Hands", "Ünal Kaya"])
def test_a_name_in_latin_script_is_not_asked_about(client, clock, name):
    page = send(client, fill(client, clock, lang="en", name=name))
    assert page.status_code == 202, page.text


def test_the_latin_letters_are_written_to_the_file_and_the_edit_page_reads_them_back(
    client, clock, bare_repo
):
    response = send(client, fill(client, clock, lang="en", name=NAME, sort_as=READING))
    assert response.status_code == 202, response.text
    proposed(client, 1)
    text = profile_file(bare_repo)
    assert f"name: {NAME}\nsort_as: {READING}\n" in text
    # published: main takes the branch; the owner's edit link opens the form with the field filled in
    git(bare_repo, "push", "-q", ".", f"{branch_like(bare_repo, r'submissions/profile/.+')}:main")
    client.app.state.checkout._refreshed = None
    token = client.app.state.service.ownership.mint(client.app.state.spool.get(1).permanent_id)
    page = client.get(f"/edit/{token}?lang=ja").text
    assert f'value="{READING}"' in input_of(page, "sort_as")
    assert f'value="{NAME}"' in input_of(page, "name")


@pytest.mark.parametrize(
    ("lang", "words"),
    [
        ("en", "'相生' is not written in Latin letters; give the name as it is read in Latin letters"),
        ("de", "'相生' ist nicht in lateinischen Buchstaben geschrieben; bitte den Namen so in lateinischen"),
        ("ja", "'相生' はラテン文字で書かれていません。"),
    ],
)
def test_latin_letters_that_are_not_are_refused_at_the_field(client, clock, bare_repo, lang, words):
    """One rule for the form and CI (schema.Profile.sort_as; tests/test_bad_input.py "sort-as-not-latin")."""
    page = send(client, fill(client, clock, lang=lang, name=NAME, sort_as="相生"))
    assert page.status_code == 422
    assert error_at(page.text, "sort_as").startswith(words)
    assert branches(bare_repo) == []
