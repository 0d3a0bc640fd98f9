"""Issue 19, the forms: the text's language defaults to the form's language, and a link in the wrong
field or an address in the short description is refused with a plain message, on the form as by CI.

Real posts to the app (fixtures of tests/conftest.py: a real spool, a real bare repository).
"""

from __future__ import annotations

import re

import pytest
from support import branches, fill, send

LANGS = ("de", "en")
"""The form languages the fixture site has as text languages (not French, Polish or Japanese)."""


def selected_language(page: str) -> str | None:
    """The option the form's text-language select has chosen."""
    select = re.search(r'<select id="f-lang" name="lang"[^>]*>(.*?)</select>', page, re.S)
    assert select, "the form has a text-language select"
    chosen = re.search(r'<option value="([^"]*)" selected>', select.group(1))
    return chosen.group(1) if chosen else None


@pytest.mark.parametrize("kind", ["profile", "call", "news"])
@pytest.mark.parametrize("lang", LANGS)
def test_the_text_language_defaults_to_the_form_language(client, kind, lang):
    page = client.get(f"/{kind}/new?lang={lang}")
    assert page.status_code == 200
    assert selected_language(page.text) == lang


def test_a_form_language_the_site_has_no_texts_in_keeps_the_usual_choice(client):
    assert selected_language(client.get("/profile/new?lang=ja").text) == "de"


def test_the_person_can_choose_another_text_language_and_it_is_kept(client, clock, bare_repo):
    data = fill(client, clock, lang="en", summary="")  # a problem: the form comes back filled in
    data["lang"] = "de"
    page = send(client, data)
    assert page.status_code == 422
    assert selected_language(page.text) == "de"
    assert branches(bare_repo) == []
