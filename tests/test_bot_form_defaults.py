"""Issue 19, the forms: the text's language defaults to the form's language, and a link in the wrong
field or an address in the short description is refused with a plain message, on the form as by CI.

Real posts to the app (fixtures of tests/conftest.py: a real spool, a real bare repository).
"""

from __future__ import annotations

import dataclasses
import html
import re
import shutil

import pytest
from starlette.testclient import TestClient
from support import (
    REPO,
    SITE_ORIGIN,
    bare_site_repo,
    branches,
    fill,
    fill_form,
    git,
    post,
    send,
    service_env,
    submit_and_publish,
)

from cucon.bot.app import create_app
from cucon.bot.config import BotConfig
from cucon.urls import lang_prefix, save_as

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


# --- the photo's limits, an upload over them, and the privacy statement --------------------------------


def photo_input(page: str) -> str:
    """The photo's file input."""
    return re.search(r'<input type="file" id="f-photo"[^>]*>', page).group()


@pytest.mark.parametrize(
    ("lang", "limit", "too_large"),
    [
        ("en", "At most 10 MB.", "This file is larger than 10 MB. Please choose a smaller one."),
        ("de", "Höchstens 10 MB.", "Diese Datei ist größer als 10 MB. Bitte wählen Sie eine kleinere."),
    ],
)
def test_the_photo_field_states_its_limits_and_the_browser_checks_the_size(client, lang, limit, too_large):
    page = client.get(f"/profile/new?lang={lang}").text
    assert f'<span class="help" id="limit-photo">{limit}</span>' in page
    assert "JPEG, PNG" in page  # the formats, in the help beside the field
    field = photo_input(page)
    assert f'data-max-bytes="{10 * 1024 * 1024}"' in field
    assert f'data-too-large="{too_large}"' in field
    assert re.search(r'aria-describedby="[^"]*limit-photo', field)
    assert '<script src="/static/upload.js" defer></script>' in page
    script = client.get("/static/upload.js")
    assert script.status_code == 200
    assert "setCustomValidity" in script.text
    assert re.search(r'<form class="bot-form"[^>]* action="/profile\?lang=' + lang + '"', page)


LIMIT = 1024 * 1024


@pytest.fixture
def small_limit_client(config, clock):
    """A client of the service with a 1 MB body limit and the site's address."""
    small = dataclasses.replace(config, max_body_bytes=LIMIT, site_url="https://cucon.example")
    with TestClient(create_app(small, clock=clock, worker_idle=0.05), base_url="http://testserver") as client:
        yield client


@pytest.mark.parametrize(
    ("lang", "message"),
    [
        ("en", "Nothing was received: the submission was larger than 1 MB."),
        ("de", "Es ist nichts angekommen: Die Einsendung war größer als 1 MB."),
    ],
)
def test_an_upload_over_the_limit_is_answered_on_the_form(
    small_limit_client, clock, bare_repo, lang, message
):
    client = small_limit_client
    data = fill(client, clock, lang=lang)
    page = client.post(
        f"/profile?lang={lang}",
        data=data,
        files={"photo": ("big.jpg", b"\xff\xd8" + bytes(2 * LIMIT), "image/jpeg")},
        headers={"Origin": SITE_ORIGIN},
    )
    assert page.status_code == 413
    assert '<form class="bot-form"' in page.text  # the form again, not a dead end
    assert f'<html lang="{lang}">' in page.text
    assert error_at(page.text, "photo").startswith(message)
    assert 'aria-invalid="true"' in photo_input(page.text)
    assert branches(bare_repo) == []


def test_an_edit_over_the_limit_gets_the_error_page(small_limit_client):
    page = small_limit_client.post(
        "/edit/x?lang=en",
        content=bytes(2 * LIMIT),
        headers={"Origin": SITE_ORIGIN, "Content-Type": "text/plain"},
    )
    assert page.status_code == 413
    assert '<form class="bot-form"' not in page.text
    assert "The submission is too large" in page.text


@pytest.fixture
def sample_pages_client(tmp_path, clock):
    """A client of the service with the site's address, whose content has the sample's pages (the
    privacy statement and its English translation)."""
    pages = REPO / "content" / "pages"
    bare = bare_site_repo(
        tmp_path / "remote",
        prepare=lambda seed: shutil.copytree(pages, seed / "content" / "pages", dirs_exist_ok=True),
    )
    checkout = tmp_path / "sample-checkout"
    git(tmp_path, "clone", "-q", str(bare), str(checkout))
    config = BotConfig.from_env(service_env(tmp_path / "sample-work", checkout, bare))
    config = dataclasses.replace(config, site_url="https://cucon.example")
    with TestClient(
        create_app(config, clock=clock, worker_idle=0.05), base_url="http://testserver"
    ) as client:
        yield client


def privacy_link(page: str) -> tuple[str, str]:
    """The address and words of the privacy-statement link beside a form's consent box."""
    consent = page[page.index('id="f-consent"') :]
    consent = consent[: consent.index("</div>")]
    found = re.search(r'<p class="help"><a href="([^"]*)">([^<]*)</a></p>', consent)
    assert found, "a privacy-statement link beside the consent box"
    return found.group(1), found.group(2)


PRIVACY_LINKS = [
    ("de", "https://cucon.example/privacy/", "Wie CuCon mit Ihren Daten umgeht: Datenschutzerklärung"),
    ("en", "https://cucon.example/en/privacy-en/", "How CuCon handles your data: privacy policy"),
    (
        "fr",
        "https://cucon.example/fr/privacy-en/",
        "Comment CuCon traite vos données : protection des données",
    ),
    ("pl", "https://cucon.example/pl/privacy-en/", "Jak CuCon przetwarza Twoje dane: ochrona danych"),
    ("ja", "https://cucon.example/ja/privacy-en/", "CuCon での個人データの扱い：プライバシーポリシー"),
]
"""The privacy statement in each UI language: the German original at home, else, as the site falls back
(CUCON_FALLBACK_LANGUAGES), the English translation under the UI language's folder."""


@pytest.mark.parametrize(("lang", "href", "words"), PRIVACY_LINKS)
@pytest.mark.parametrize("kind", ["profile", "call", "news"])
def test_the_consent_box_links_the_privacy_statement(sample_pages_client, kind, lang, href, words):
    page = sample_pages_client.get(f"/{kind}/new?lang={lang}").text
    link, text = privacy_link(page)
    assert link == href
    assert text == words


@pytest.mark.parametrize(("lang", "href", "words"), PRIVACY_LINKS)
def test_the_privacy_link_leads_where_the_sites_footer_does(
    sample_pages_client, sample_site_output, lang, href, words
):
    """The link's page exists in the built sample site, and is the one the site's own footer links."""
    path = privacy_link(sample_pages_client.get(f"/profile/new?lang={lang}").text)[0]
    path = path.removeprefix("https://cucon.example/")
    target = sample_site_output / save_as(path)
    assert target.is_file()
    home = (sample_site_output / save_as(lang_prefix(lang, "de"))).read_text("utf-8")
    assert f'<a href="/{path}"' in home[home.index('<footer class="site-footer">') :]
    heading = re.search(r"<h1[^>]*>([^<]*)", target.read_text("utf-8")).group(1)
    assert heading == ("Datenschutzerklärung" if lang == "de" else "Privacy policy")


def test_without_a_privacy_statement_there_is_no_privacy_link(small_limit_client):
    assert "privacy" not in small_limit_client.get("/profile/new?lang=en").text


def test_without_a_site_address_there_is_no_privacy_link(client):
    assert "privacy/" not in client.get("/profile/new?lang=en").text


@pytest.mark.parametrize("lang", ["en", "fr", "pl", "ja"])
def test_the_edit_page_follows_the_persons_language_and_keeps_the_texts_language(
    client, clock, bare_repo, lang
):
    token = submit_and_publish(client, clock, bare_repo)
    page = client.get(f"/edit/{token}?lang={lang}").text
    assert f'<html lang="{lang}">' in page
    assert f'action="/edit/{token}?lang={lang}"' in page  # a refused update comes back in it too
    assert selected_language(page) == "de"  # the published profile's own, not the form's


@pytest.mark.parametrize(
    ("lang", "words"),
    [
        ("en", "Please choose the photo again: for your safety it is not kept."),
        ("de", "Wählen Sie das Foto bitte noch einmal aus: aus Sicherheitsgründen wird es nicht behalten."),
    ],
)
def test_after_an_error_the_photo_field_itself_says_to_choose_the_photo_again(client, clock, lang, words):
    page = send(client, fill(client, clock, lang=lang, name=""))
    assert page.status_code == 422
    assert f'<span class="error" id="again-photo">{words}</span>' in page.text
    assert re.search(r'aria-describedby="[^"]*again-photo', photo_input(page.text))
    fresh = client.get(f"/profile/new?lang={lang}").text
    assert 'id="again-photo"' not in fresh
