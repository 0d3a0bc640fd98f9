"""The service's parts alone, in-process: a guard, a page or a route function is called with a real
:class:`~cucon.bot.service.Service` (a real spool, a real checkout of the fixture site) and a real
Starlette request, without an app, a client or a server around it."""

from __future__ import annotations

import dataclasses
import json

import lxml.html
import pytest
from babel.messages.pofile import read_po, write_po
from starlette.requests import Request
from support import SITE_ORIGIN

from cucon import catalog
from cucon.bot.guards import disk_full, link_rate, origin_and_rate
from cucon.bot.pages import HONEYPOT, error_page, form_page
from cucon.bot.pagetext import TEXT, page_texts
from cucon.bot.routes.forms import landing
from cucon.bot.routes.health import healthz
from cucon.bot.service import Service
from cucon.catalog import translations

NOW = 1_800_000_000.0
SERVICE_ORIGIN = "https://forms.cucon.example"


@pytest.fixture
def svc(config):
    """The service of the test configuration, at a fixed time; its worker is never started."""
    service = Service.of(config, clock=lambda: NOW)
    yield service
    service.spool.close()


def request(origin: str | None = None, referer: str | None = None, client: str = "198.51.100.7") -> Request:
    """A POST to /profile of the service, as Starlette hands it to a route."""
    headers = [(b"origin", origin), (b"referer", referer)]
    return Request(
        {
            "type": "http",
            "method": "POST",
            "scheme": "https",
            "server": ("forms.cucon.example", 443),
            "path": "/profile",
            "query_string": b"",
            "headers": [(name, value.encode()) for name, value in headers if value is not None],
            "client": (client, 50000),
        }
    )


@pytest.mark.parametrize(
    ("origin", "referer", "status"),
    [
        (SITE_ORIGIN, None, None),
        (SERVICE_ORIGIN, None, None),
        (None, f"{SITE_ORIGIN}/contribute/", None),
        ("https://evil.example", None, 403),
        ("null", None, 403),
        (None, "https://evil.example/form", 403),
        (None, None, 403),
        ("https://evil.example", f"{SITE_ORIGIN}/contribute/", 403),
    ],
    ids=[
        "the site",
        "the service itself",
        "no Origin, the site's Referer",
        "a foreign Origin",
        "Origin null",
        "no Origin, a foreign Referer",
        "neither",
        "a foreign Origin with the site's Referer",
    ],
)
def test_the_origin_guard_alone(svc, origin, referer, status):
    """``origin_and_rate`` lets the site's and the service's own posts through and refuses any other
    with the 403 page in German and English."""
    answer = origin_and_rate(svc, request(origin, referer), "de", NOW)
    if status is None:
        assert answer is None
    else:
        assert answer.status_code == status
        body = answer.body.decode()
        assert TEXT["de"]["forbidden"] in body
        assert TEXT["en"]["forbidden"] in body


def test_the_link_rate_guard_alone_refuses_the_request_over_the_limit(config):
    """``link_rate`` counts per client address: the third request of one client within the window gets
    429 with Retry-After, another client still gets through."""
    service = Service.of(dataclasses.replace(config, link_rate_limit=(2, 600)), clock=lambda: NOW)
    try:
        assert link_rate(service, request(), "en") is None
        assert link_rate(service, request(), "en") is None
        refused = link_rate(service, request(), "en")
        assert refused.status_code == 429
        assert refused.headers["Retry-After"] == "600"
        assert TEXT["en"]["too_many_requests"].format(minutes=10) in refused.body.decode()
        assert link_rate(service, request(client="203.0.113.4"), "en") is None
    finally:
        service.spool.close()


@pytest.mark.parametrize(("min_free", "status"), [(1, None), (2**62, 503)], ids=["room", "full"])
def test_the_disk_guard_alone(config, min_free, status):
    """``disk_full`` answers 503 with Retry-After when the spool's disk has less than the minimum free."""
    service = Service.of(dataclasses.replace(config, min_free_bytes=min_free), clock=lambda: NOW)
    try:
        answer = disk_full(service, "de")
        assert (answer and answer.status_code) == status
        if status is not None:
            assert int(answer.headers["Retry-After"]) >= 1
    finally:
        service.spool.close()


def test_an_error_page_alone_speaks_both_languages_and_is_never_cached(svc):
    """``error_page`` renders the text of its key in German and English, with the headers it is given."""
    answer = error_page(svc, 503, "unavailable", "en", headers={"Retry-After": "600"})
    body = answer.body.decode()
    assert answer.status_code == 503
    assert TEXT["de"]["unavailable"] in body
    assert TEXT["en"]["unavailable"] in body
    assert answer.headers["Retry-After"] == "600"
    assert answer.headers["Cache-Control"] == "no-store"


@pytest.mark.parametrize("kind", ["profile", "call", "news"])
def test_a_form_page_alone_carries_its_traps_and_a_fresh_challenge(svc, kind):
    """``form_page`` renders the form of a kind with the honeypot, a signed form time and a challenge."""
    body = form_page(svc, "en", kind=kind).body.decode()
    assert f'name="{HONEYPOT}"' in body
    assert 'name="form_time"' in body
    assert 'name="idempotency_key"' in body
    assert TEXT["en"][f"title_{kind}"] in body


def test_the_health_route_alone(svc):
    """The health route is a plain function of the service: a fresh spool is healthy and counts zero."""
    answer = healthz(svc)
    body = json.loads(answer.body)
    assert answer.status_code == 200
    assert body["ok"] is True
    assert set(body["spool"].values()) == {0}
    assert body["delivery"]["failing_seconds"] is None


LANDING = ["language", "intro", "profile", "profile_note", "call", "call_note", "news", "edit"]
"""The keys of a landing page section's texts (``page.landing_*``), in the order the section shows them."""

REWORDED_GERMAN = [
    ("a new wording", "landing_intro", "Hier schlagen Sie Neues vor, ganz ohne Konto."),
    ("markup in a sentence", "landing_intro", "Umformuliert: <b>fett</b> & <i>schräg</i>"),
    ("a script", "landing_edit", "<script>alert(1)</script>"),
    ("a link text that closes its link", "landing_profile", 'Profil</a><a href="https://evil.example">'),
    ("a heading that opens a tag", "landing_heading", '<span lang="en" hidden>Mitmachen'),
    ("a placeholder, never filled", "landing_call_note", "(mit {token} und {0})"),
]
"""German landing texts as a careless or hostile catalog edit might word them: each shows as its text."""


@pytest.fixture
def german_landing(monkeypatch, tmp_path):
    """Reword one ``page.landing_*`` entry of the de catalog (in a copy) and read the pages' texts anew."""

    def reword(key: str, text: str) -> None:
        with catalog.po_path("de").open("rb") as po:
            german = read_po(po, locale="de")
        german.get(catalog.PHRASES[f"page.{key}"], context=f"page.{key}").string = text
        path = tmp_path / "de" / "LC_MESSAGES" / "cucon.po"
        path.parent.mkdir(parents=True)
        with path.open("wb") as po:
            write_po(po, german)
        monkeypatch.setattr(catalog, "LOCALE", tmp_path)
        translations.cache_clear()
        monkeypatch.setitem(TEXT, "de", page_texts("de"))

    yield reword
    monkeypatch.undo()
    translations.cache_clear()


@pytest.mark.parametrize(("key", "text"), [pytest.param(*row[1:], id=row[0]) for row in REWORDED_GERMAN])
def test_the_landing_page_alone_is_read_from_the_catalogs_in_every_language(svc, german_landing, key, text):
    """Each language's section of the landing page says its catalog's texts, in their order, with the links
    to that language's forms; a reworded German entry shows in the German section as text, never as markup."""
    shapes = [element.tag for element in lxml.html.fromstring(landing(svc, "de").body).iter()]
    german_landing(key, text)
    page = lxml.html.fromstring(landing(svc, "de").body)
    sections = {section.get("lang"): section for section in page.iter("section")}
    german = TEXT["de"]
    assert german[key] == text
    assert list(sections) == ["de", "en", "fr", "pl", "ja"]  # the page's language, its fallback, the others
    for lang, texts in TEXT.items():
        said = " ".join([*(texts[f"landing_{k}"] for k in LANDING), texts["manage_title"]])
        assert sections[lang].text_content().split() == said.split()
        links = [(a.get("href"), a.text_content()) for a in sections[lang].iter("a")]
        assert links == [
            *((f"/{kind}/new?lang={lang}", texts[f"landing_{kind}"]) for kind in ("profile", "call", "news")),
            (f"/manage?lang={lang}", texts["manage_title"]),  # an owner asks for an edit link
        ]
    title = f"{german['landing_title']} · CuCon"
    assert (page.find(".//h1").text_content(), page.find(".//title").text_content()) == (
        german["landing_heading"],
        title,
    )
    assert [element.tag for element in page.iter()] == shapes
