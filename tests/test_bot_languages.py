"""The service in its five languages: a page's language (its URL, its form, the browser's
Accept-Language, German), the language switch, validator messages in each language, mails in the
language the person used (a real SMTP server), the fallback setting, and forged language values.

The app is the real one (fixtures of tests/conftest.py: a real spool, a real bare repository).
"""

from __future__ import annotations

import html
import re
import sqlite3
from dataclasses import replace

import lxml.html
import pytest
from support import (
    CALL_BAD,
    PROFILE,
    PUBLIC_URL,
    SITE_ORIGIN,
    bot_command,
    branch_like,
    branches,
    fill,
    fill_form,
    form_tokens,
    git,
    link_of,
    mail_config_for,
    output_of,
    post,
    send,
    service,
)

from cucon.bot.config import BotConfig, ConfigError
from cucon.bot.languages import LANGS
from cucon.catalog import phrase, sentence

OWN_NAMES = {"de": "Deutsch", "en": "English", "fr": "Français", "pl": "Polski", "ja": "日本語"}
"""Each language as the switch must name it: in itself."""


def page_lang(text: str) -> str:
    """The ``lang`` of a page's ``<html>``."""
    return lxml.html.fromstring(text).get("lang")


# --- which language a page is in -------------------------------------------------------------------

CHOSEN = [
    ("the URL's language", "?lang=ja", {}, "ja"),
    ("the URL before the browser", "?lang=pl", {"Accept-Language": "fr"}, "pl"),
    ("the browser's language", "", {"Accept-Language": "fr-CA,fr;q=0.9,en;q=0.5"}, "fr"),
    ("the browser's best weight", "", {"Accept-Language": "es, en;q=0.2, ja;q=0.8"}, "ja"),
    ("a browser language the service lacks", "", {"Accept-Language": "es, it"}, "de"),
    ("nothing said", "", {}, "de"),
]  # fmt: skip
"""(case, query, headers, the page's language)."""


@pytest.mark.parametrize(("query", "headers", "expected"), [pytest.param(*c[1:], id=c[0]) for c in CHOSEN])
def test_a_page_is_in_the_language_asked_for(client, query, headers, expected):
    for path in ("/", "/profile/new", "/call/new", "/news/new"):
        response = client.get(path + query, headers=headers)
        assert response.status_code == 200, path
        assert page_lang(response.text) == expected, path
        assert "Accept-Language" in response.headers["Vary"], path


PAGES = [
    "/manage", "/contact/cbc832b0-3b3b-4241-8786-063877a1436b", "/newsletter", "/newsletter/confirm/" + "n" * 43,
    "/edit/" + "e" * 43, "/withdraw/" + "w" * 43, "/confirm/" + "c" * 43, "/owner/" + "o" * 43,
    "/approve/" + "a" * 43, "/contact/confirm/" + "k" * 43, "/contact/report/" + "r" * 43, "/no/such/page",
]  # fmt: skip
"""The service's other pages (with the e-mail check on), each here answered by its form or its refusal."""


@pytest.mark.parametrize("lang", ["fr", "pl", "ja"])
def test_every_page_of_the_service_speaks_the_language_asked_for(mailing, lang):
    """The manage, contact, newsletter, edit, withdraw, confirmation, owner and approval pages (and a
    404) in the URL's language, and in the browser's without one; an error page then says its message
    in the languages it falls back to, each marked with its ``lang``."""
    for path in PAGES:
        for response in (
            mailing.client.get(f"{path}?lang={lang}"),
            mailing.client.get(path, headers={"Accept-Language": lang}),
        ):
            page = lxml.html.fromstring(response.text)
            assert page.get("lang") == lang, (path, response.status_code)
            notices = [p.get("lang") for p in page.find_class("notice")]
            if response.status_code == 404:
                assert notices == [None, "en", "de"], path


FORGED = [
    ("a path", "../../x"),
    ("a script", "<script>alert(1)</script>"),
    ("a quote that ends the attribute", 'de" onload="alert(1)'),
    ("upper case", "JA"),
    ("a language with a region", "ja-JP"),
    ("a NUL", "de\x00"),
    ("a language the service lacks", "es"),
    ("a header injection", "de\r\nSet-Cookie: x=1"),
    ("very long", "x" * 5000),
]
"""(case, a forged ``lang`` or ``ui`` value): each falls back, and none is echoed anywhere."""


@pytest.mark.parametrize("value", [pytest.param(c[1], id=c[0]) for c in FORGED])
def test_a_forged_language_in_the_url_falls_back_and_is_never_echoed(client, value):
    for path in ("/", "/profile/new", "/manage", "/edit/" + "x" * 43, "/confirm/" + "y" * 43):
        response = client.get(path, params={"lang": value}, headers={"Accept-Language": "pl"})
        assert response.status_code in (200, 404), (path, response.status_code)
        assert page_lang(response.text) == "pl", path  # the browser's language, as without a lang
        if value not in LANGS and len(value) > 2:
            assert value not in response.text, path
            assert html.escape(value) not in response.text, path
        assert "set-cookie" not in response.headers


@pytest.mark.parametrize("header", ["<script>", "ja;q=<b>", "*" * 10_000, "ja;q=1e400, pl;q=nan", ",;,;=,"])
def test_a_forged_accept_language_falls_back_to_german_or_what_it_names(client, header):
    response = client.get("/profile/new", headers={"Accept-Language": header})
    assert response.status_code == 200
    assert page_lang(response.text) in ("de", "ja", "pl")
    assert "<script>" not in response.text.replace('<script src="/static/', "")


@pytest.mark.parametrize("value", [pytest.param(c[1], id=c[0]) for c in FORGED])
def test_a_forged_ui_field_keeps_the_forms_language(client, clock, bare_repo, value):
    """The hidden ``ui`` field of a form, forged: the answer stays in the URL's language, and the post is
    taken as any other (here refused for its missing title, in Polish)."""
    data = fill_form(client, clock, "call", lang="pl", title="", ui=value)
    response = client.post("/call?lang=pl", data=data, headers={"Origin": SITE_ORIGIN})
    assert response.status_code == 422, response.text
    assert page_lang(response.text) == "pl"
    assert sentence("required", {}, "pl") in html.unescape(response.text)
    assert '<input type="hidden" name="ui" value="pl">' in response.text
    if len(value) > 2:
        assert value not in response.text
    assert branches(bare_repo) == []


@pytest.mark.parametrize(("query", "headers", "expected"), [("?lang=ja", {}, "ja"), ("", {"Accept-Language": "pl"}, "pl"),
                                                      ("?lang=../../x", {}, "de")])  # fmt: skip
def test_the_too_large_page_is_in_the_posts_language(config, clock, bare_repo, query, headers, expected):
    """The 413 answer (by the body limit, before any route: the form again) speaks the language of the post."""
    running = service(replace(config, max_body_bytes=1000), clock, bare_repo)
    try:
        response = running.client.post(
            "/profile" + query, content=b"x" * 2000, headers={"Origin": SITE_ORIGIN, **headers}
        )
        assert response.status_code == 413
        assert page_lang(response.text) == expected
        assert phrase("page.too_large_again", expected, limit=0)[:20] in response.text
    finally:
        running.app.state.spool.close()


# --- the language switch ---------------------------------------------------------------------------


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("path", ["/profile/new", "/call/new", "/news/new"])
def test_the_switch_offers_all_five_each_named_in_itself(client, lang, path):
    page = lxml.html.fromstring(client.get(f"{path}?lang={lang}").text)
    [switch] = page.xpath("//header//nav")
    links = {a.get("hreflang"): (a.get("href"), a.get("lang"), a.text_content()) for a in switch.iter("a")}
    others = [code for code in LANGS if code != lang]
    assert links == {code: (f"{path}?lang={code}", code, OWN_NAMES[code]) for code in others}
    [current] = switch.xpath(".//*[@aria-current='page']")
    assert (current.get("lang"), current.text_content()) == (lang, OWN_NAMES[lang])
    assert switch.get("aria-label") == phrase("page.languages", lang)


# --- validator messages in each language -----------------------------------------------------------


def error_at(text: str, field: str) -> tuple[str, str]:
    """The first error shown at a field: its text, and its attributes (a ``lang`` there marks another language)."""
    found = re.search(rf'<span class="error" id="err-{field}"([^>]*)>([^<]*)</span>', text)
    assert found, text
    return html.unescape(found.group(2)), found.group(1)


@pytest.mark.parametrize("lang", ["de", "fr", "pl", "ja"])
@pytest.mark.parametrize(("changes", "field"), [pytest.param(c[1], c[2], id=c[0]) for c in CALL_BAD])
def test_a_call_form_problem_is_shown_in_the_forms_language(client, clock, bare_repo, lang, changes, field):
    """Each problem of the call form's table is shown in the page's language (no ``lang`` of its own)
    and is not the English sentence the same post gets on the English form."""
    english = post(client, "call", {**fill_form(client, clock, "call", lang="en"), **changes})
    clock.advance(60)
    said = post(client, "call", {**fill_form(client, clock, "call", lang=lang), **changes})
    assert (english.status_code, said.status_code) == (422, 422)
    assert page_lang(said.text) == lang
    text, attributes = error_at(said.text, field)
    assert "lang=" not in attributes, text
    assert text != error_at(english.text, field)[0]
    assert branches(bare_repo) == []


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        (
            "fr",
            "Inconnu (ville) : « atlantis » ; les valeurs connues sont listées dans content/cities/, content/networks/.",
        ),
        (
            "pl",
            "Nieznane (miasto): „atlantis”; znane wartości są wymienione w content/cities/, content/networks/.",
        ),
        ("ja", "不明な都市「atlantis」です。既知のものは content/cities/, content/networks/ にあります。"),
    ],
)
def test_a_news_form_names_an_unknown_city_in_its_language(client, clock, bare_repo, lang, expected):
    response = post(client, "news", fill_form(client, clock, "news", lang=lang, cities=["atlantis"]))
    assert response.status_code == 422
    assert error_at(response.text, "cities") == (expected, "")
    assert branches(bare_repo) == []


# --- mails in the language the person used ---------------------------------------------------------


MAILS = [
    ("de", "Guten Tag,", "Bitte bestätigen: Ihr Vorschlag für CuCon", "de, en"),
    ("en", "Hello,", "Please confirm: your proposal for CuCon", "en, de"),
    ("fr", "Bonjour,", "Veuillez confirmer : votre proposition pour CuCon", "fr, en"),
    ("pl", "Dzień dobry,", "Prosimy o potwierdzenie: Twoja propozycja dla CuCon", "pl, en"),
    ("ja", "こんにちは。", "確認のお願い: CuCon へのご提案", "ja, en"),
]
"""(the form's language, the mail's first words, the start of its subject, its Content-Language)."""


@pytest.mark.parametrize(("lang", "hello", "subject", "languages"), MAILS, ids=[m[0] for m in MAILS])
def test_the_confirmation_mail_is_in_the_forms_language(mailing, clock, lang, hello, subject, languages):
    """A profile posted on the form of a language: the real SMTP server receives its confirmation mail in
    that language first (then the first it falls back to), and the link opens a page in it."""
    app, client, smtp = mailing.app, mailing.client, mailing.smtp
    assert send(client, fill(client, clock, lang=lang)).status_code == 202
    app.state.worker.run_once()
    [(_, message)] = smtp.messages
    text = message.get_body(("plain",)).get_content()
    page = message.get_body(("html",)).get_content()
    assert text.startswith(hello)
    assert message["Subject"].startswith(subject)
    assert message["Content-Language"] == languages
    assert f'<html lang="{lang}">' in page
    assert link_of(message).endswith(f"?lang={lang}"), "the link opens pages in the mail's language"
    confirm = client.get(link_of(message), headers={"Accept-Language": "de"})
    assert page_lang(confirm.text) == lang


def test_the_manage_mail_is_in_the_language_of_the_request(mailing, clock, bare_repo):
    """/manage asked in Japanese (the browser's language) by the owner of a published profile: the
    request's stored language is the links mail's."""
    app, client, smtp = mailing.app, mailing.client, mailing.smtp
    assert send(client, fill(client, clock, lang="pl")).status_code == 202
    app.state.worker.run_once()
    [(_, confirmation)] = smtp.messages
    assert client.post(link_of(confirmation)).status_code == 200
    app.state.worker.run_once()
    branch = branch_like(bare_repo, r"submissions/profile/erika-muster-[0-9a-f]{10}")
    git(bare_repo, "push", "-q", ".", f"{branch}:main")
    client.app.state.checkout._refreshed = None
    page = client.get("/manage", headers={"Accept-Language": "ja"})
    assert page_lang(page.text) == "ja"
    clock.advance(5)
    data = {**form_tokens(page.text), "email": PROFILE["email"]}
    answer = client.post("/manage", data=data, headers={"Origin": SITE_ORIGIN, "Accept-Language": "ja"})
    assert answer.status_code == 202
    assert page_lang(answer.text) == "ja"
    app.state.worker.run_once()
    [(recipients, message)] = smtp.messages[1:]
    assert recipients == [PROFILE["email"]]
    assert message["Content-Language"] == "ja, en"
    assert message["Subject"].startswith(phrase("mail.links.subject", "ja"))
    assert message.get_body(("plain",)).get_content().startswith(phrase("mail.links.intro", "ja"))


def test_staffs_owner_mail_goes_in_the_language_staff_chose(mailing):
    """`cucon bot owner set SLUG --lang fr` (a real process): the opt-in mail is French, then English,
    and its link opens the owner page in French, with the English text marked ``lang="en"``."""
    app, client, smtp = mailing.app, mailing.client, mailing.smtp
    config = app.state.config
    result = bot_command(config, "owner", "set", "anna-kowalska", "--lang", "fr", stdin="anna@example.org\n")
    assert result.returncode == 0, output_of(result)
    [(_, message)] = smtp.messages
    assert message["Content-Language"] == "fr, en"
    assert message["Subject"].startswith(phrase("mail.owner.subject", "fr"))
    text = message.get_body(("plain",)).get_content()
    [path] = set(re.findall(re.escape(PUBLIC_URL) + r"(/owner/[A-Za-z0-9_-]{43}\?lang=fr)", text))
    page = lxml.html.fromstring(client.get(path).text)
    assert page.get("lang") == "fr"
    assert [section.get("lang") for section in page.iter("section")] == [None, "en", "de"]
    assert page.find(".//h1").text_content() == phrase("page.owner_title", "fr")
    refused = bot_command(config, "owner", "set", "anna-kowalska", "--lang", "es", stdin="anna@example.org\n")
    assert refused.returncode == 2
    assert "invalid choice: 'es'" in refused.stderr
    assert len(smtp.messages) == 1


def test_a_stored_language_the_service_does_not_know_mails_in_german(mailing, clock):
    """A waiting confirmation whose stored language is none of the service's (an old or hand-edited
    row): the mail goes out in German and English, never fails."""
    app, client, smtp = mailing.app, mailing.client, mailing.smtp
    assert send(client, fill(client, clock, lang="ja")).status_code == 202
    with sqlite3.connect(app.state.config.spool_path) as db:
        db.execute("UPDATE confirmations SET lang = '../../x'")
    app.state.worker.run_once()
    [(_, message)] = smtp.messages
    assert message["Content-Language"] == "de, en"
    assert message.get_body(("plain",)).get_content().startswith("Guten Tag,")
    assert link_of(message).endswith("?lang=de")
    assert page_lang(client.get(link_of(message)).text) == "de"


# --- the fallback setting --------------------------------------------------------------------------


def test_the_fallback_setting_orders_a_mails_second_language(config, clock, bare_repo, smtp):
    """CUCON_BOT_FALLBACK {"ja": ["de"]}: a Japanese mail's second language is German, and a Japanese
    error page says its message in Japanese, then German."""
    running = service(
        mail_config_for(replace(config, fallback={**config.fallback, "ja": ("de",)}), smtp),
        clock,
        bare_repo,
        smtp,
    )
    app, client = running.app, running.client
    try:
        assert send(client, fill(client, clock, lang="ja")).status_code == 202
        app.state.worker.run_once()
        [(_, message)] = smtp.messages
        assert message["Content-Language"] == "ja, de"
        gone = lxml.html.fromstring(client.get("/confirm/" + "z" * 43 + "?lang=ja").text)
        notices = [(p.get("lang"), p.text_content()) for p in gone.find_class("notice")]
        assert notices == [
            (None, phrase("page.confirm_unknown", "ja")),
            ("de", phrase("page.confirm_unknown", "de")),
        ]
    finally:
        app.state.spool.close()


BAD_FALLBACK = [
    ("an unknown language", '{"ja": ["en", "es"]}', "'es' is not a language of the service (de, en, fr, pl, ja)"),
    ("an unknown key", '{"xx": ["en"]}', "'xx' is not a language of the service"),
    ("a path", '{"ja": ["../../x"]}', "'../../x' is not a language of the service"),
    ("not JSON", "ja: en, de", 'must be a JSON object such as {"ja": ["en", "de"]}'),
    ("a list", '["en", "de"]', "must be a JSON object"),
    ("a string for a list", '{"ja": "en"}', "'ja': the fallback order must be a list of language codes"),
]  # fmt: skip


@pytest.mark.parametrize(("value", "expected"), [pytest.param(*c[1:], id=c[0]) for c in BAD_FALLBACK])
def test_a_bad_fallback_setting_is_refused_naming_itself(tmp_path, value, expected):
    env = {
        "CUCON_BOT_SECRET": "x" * 32,
        "CUCON_BOT_WORKDIR": str(tmp_path),
        "CUCON_BOT_CHECKOUT": str(tmp_path),
        "CUCON_BOT_GIT_REMOTE": str(tmp_path),
        "CUCON_BOT_FALLBACK": value,
    }
    with pytest.raises(ConfigError) as refused:
        BotConfig.from_env(env)
    assert str(refused.value).startswith("CUCON_BOT_FALLBACK: ")
    assert expected in str(refused.value)


def test_the_fallback_setting_keeps_the_defaults_it_leaves_out(tmp_path):
    env = {
        "CUCON_BOT_SECRET": "x" * 32,
        "CUCON_BOT_WORKDIR": str(tmp_path),
        "CUCON_BOT_CHECKOUT": str(tmp_path),
        "CUCON_BOT_GIT_REMOTE": str(tmp_path),
        "CUCON_BOT_FALLBACK": '{"pl": ["de", "en", "pl", "de"]}',
    }
    fallback = BotConfig.from_env(env).fallback
    assert dict(fallback) == {
        "de": ("en",),
        "en": ("de",),
        "fr": ("en", "de"),
        "pl": ("de", "en"),
        "ja": ("en", "de"),
    }
