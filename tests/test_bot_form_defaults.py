"""Issue 19, the forms: the text's language defaults to the form's language, and a link in the wrong
field or an address in the short description is refused with a plain message, on the form as by CI.

Real posts to the app (fixtures of tests/conftest.py: a real spool, a real bare repository).
"""

from __future__ import annotations

import html
import re

import pytest
from support import branches, fill, fill_form, post, send

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


def error_at(page: str, field: str) -> str | None:
    """The error shown at a field, unescaped, or None."""
    found = re.search(rf'<span class="error" id="err-{field}"[^>]*>([^<]*)</span>', page)
    return html.unescape(found.group(1)) if found else None


WRONG_FIELD = [
    # (id, changes, field, English, German)
    ("facebook-in-instagram", {"instagram": "https://www.facebook.com/mira"}, "instagram",
     "'https://www.facebook.com/mira' belongs in the 'facebook' field, not in 'instagram'",
     "'https://www.facebook.com/mira' gehört in das Feld „facebook“, nicht in „instagram“."),
    ("youtube-in-vimeo", {"vimeo": "https://youtu.be/abc"}, "vimeo",
     "'https://youtu.be/abc' belongs in the 'youtube' field, not in 'vimeo'",
     "'https://youtu.be/abc' gehört in das Feld „youtube“, nicht in „vimeo“."),
    ("instagram-as-website", {"website": "https://www.instagram.com/mira"}, "website",
     "'https://www.instagram.com/mira' belongs in the 'instagram' field, not in 'website'",
     "'https://www.instagram.com/mira' gehört in das Feld „instagram“, nicht in „website“."),
    ("unknown-host-in-instagram", {"instagram": "https://mira.example/"}, "instagram",
     "instagram: 'https://mira.example/' is not an address on instagram.com",
     "instagram: 'https://mira.example/' ist keine Adresse auf instagram.com."),
    ("https-in-summary", {"summary": "Cellistin, mehr auf https://mira.example/."}, "summary",
     "the short description must not contain a web address ('https://mira.example/'); links have their own fields",
     "Die Kurzbeschreibung darf keine Webadresse enthalten ('https://mira.example/'); Links haben eigene Felder."),
    ("www-in-summary", {"summary": "Cellistin, mehr auf www.mira.example"}, "summary",
     "the short description must not contain a web address ('www.mira.example'); links have their own fields",
     "Die Kurzbeschreibung darf keine Webadresse enthalten ('www.mira.example'); Links haben eigene Felder."),
    ("host-and-path-in-summary", {"summary": "Cellistin: mira.example/about"}, "summary",
     "the short description must not contain a web address ('mira.example/about'); links have their own fields",
     "Die Kurzbeschreibung darf keine Webadresse enthalten ('mira.example/about'); Links haben eigene Felder."),
]  # fmt: skip
"""Links in the wrong field and web addresses in the short description: the profile form refuses them
at the field, in the form's language, and pushes nothing."""


@pytest.mark.parametrize(
    ("case", "changes", "field", "english", "german"), WRONG_FIELD, ids=[c[0] for c in WRONG_FIELD]
)
def test_a_link_in_the_wrong_field_is_refused_at_the_field(
    client, clock, bare_repo, case, changes, field, english, german
):
    for lang, message in (("en", english), ("de", german)):
        page = send(client, fill(client, clock, lang=lang, **changes))
        assert page.status_code == 422, case
        assert error_at(page.text, field) == message
    assert branches(bare_repo) == []


@pytest.mark.parametrize(
    "summary",
    [
        "Cellistin, z.B. im Duo, ca. 3.5 Std. pro Woche",
        "Geigerin (Barock/Klassik), 1/2 Stelle",
        "Mail: mira@example.org",
    ],
)
def test_a_summary_without_a_web_address_passes(client, clock, summary):
    page = send(client, fill(client, clock, lang="en", summary=summary))
    assert page.status_code == 202, error_at(page.text, "summary")


def test_a_call_summary_with_an_address_is_refused_too(client, clock, bare_repo):
    page = post(
        client, "call", fill_form(client, clock, "call", lang="en", summary="See https://x.example/call")
    )
    assert page.status_code == 422
    assert "must not contain a web address" in error_at(page.text, "summary")
    assert branches(bare_repo) == []
