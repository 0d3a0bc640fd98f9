"""The deployment of the submission service: the client address behind a proxy, and deploy/ in step with
the settings (docs/bot.md, "Deployment")."""

from __future__ import annotations

import dataclasses
import re
import shutil
import sys

import pytest
from starlette.requests import Request
from starlette.testclient import TestClient
from support import (
    BASE_ENV,
    REPO,
    SECRET,
    SITE_ORIGIN,
    Clock,
    build_in_process,
    child_env,
    git,
    output_of,
    run,
)

from cucon.bot.app import create_app
from cucon.bot.config import PREFIX, BotConfig, ConfigError
from cucon.bot.guards import client_address
from cucon.bot.middleware import DRAIN_FACTOR
from cucon.cli import build_parser

DEPLOY = REPO / "deploy"
SETTINGS = {PREFIX + field.name.upper() for field in dataclasses.fields(BotConfig)}


def request(peer: str, *forwarded: str) -> Request:
    """A request from ``peer`` with the given X-Forwarded-For headers."""
    headers = [(b"x-forwarded-for", value.encode()) for value in forwarded]
    return Request({"type": "http", "headers": headers, "client": (peer, 40000)})


PROXY = BotConfig.from_env({**BASE_ENV, "CUCON_BOT_TRUSTED_PROXY": "10.0.0.2, 2001:db8::/64"}).trusted_proxy


@pytest.mark.parametrize(
    ("peer", "forwarded", "expected"),
    [
        ("203.0.113.9", ["198.51.100.7"], "203.0.113.9"),  # not the proxy: the header is anyone's word
        ("10.0.0.2", ["198.51.100.7"], "198.51.100.7"),
        ("10.0.0.2", ["1.2.3.4, 198.51.100.7"], "198.51.100.7"),  # the client's own entry is skipped
        ("10.0.0.2", ["1.2.3.4", "198.51.100.7, 10.0.0.2"], "198.51.100.7"),  # proxies are skipped
        ("2001:db8::5", ["2001:db8:1::9"], "2001:db8:1::9"),
        ("10.0.0.2", [], "10.0.0.2"),
        ("10.0.0.2", ["not-an-address"], "10.0.0.2"),
    ],
)
def test_the_client_address_comes_from_x_forwarded_for_only_behind_the_trusted_proxy(
    peer, forwarded, expected
):
    """The nearest untrusted hop; the peer when the header is missing, garbage, or not from the proxy."""
    assert client_address(request(peer, *forwarded), PROXY) == expected
    assert client_address(request(peer, *forwarded), ()) == peer


def test_the_rate_limit_counts_clients_behind_the_proxy_not_the_proxy(config):
    """Two clients behind one proxy each get their own limit; a forged header from elsewhere changes nothing."""
    behind = dataclasses.replace(config, rate_limit=(1, 600), trusted_proxy=PROXY)
    app = create_app(behind, clock=Clock(), worker_idle=0.05)

    def post(client, forwarded):
        headers = {"Origin": SITE_ORIGIN, "X-Forwarded-For": forwarded}
        return client.post("/profile", data={"name": "x"}, headers=headers).status_code

    with TestClient(app, client=("10.0.0.2", 40000)) as proxy:
        assert post(proxy, "198.51.100.7") == 422
        assert post(proxy, "198.51.100.8") == 422
        assert post(proxy, "198.51.100.7") == 429
    with TestClient(app, client=("203.0.113.9", 40000)) as direct:
        assert post(direct, "198.51.100.50") == 422
        assert post(direct, "198.51.100.51") == 429


def test_a_wrong_trusted_proxy_is_named():
    """An entry that is no address or network stops the service with the variable's name."""
    with pytest.raises(ConfigError, match="CUCON_BOT_TRUSTED_PROXY"):
        BotConfig.from_env({**BASE_ENV, "CUCON_BOT_TRUSTED_PROXY": "proxy.example"})


def test_the_example_settings_are_real_settings():
    """deploy/cucon-bot.env.example names only settings that exist (and so have a row in docs/bot.md),
    and sets every required one."""
    text = (DEPLOY / "cucon-bot.env.example").read_text("utf-8")
    named = set(re.findall(r"\bCUCON_BOT_[A-Z0-9_]+\b", text))
    assert named <= SETTINGS, named - SETTINGS
    assigned = set(re.findall(r"^(CUCON_BOT_\w+)=", text, re.M))
    assert {"CUCON_BOT_SECRET", "CUCON_BOT_WORKDIR", "CUCON_BOT_CHECKOUT", "CUCON_BOT_GIT_REMOTE"} <= assigned


def test_the_dockerfile_unit_and_proxy_agree_with_the_service():
    """The port, the health check, the user, the settings file and the body limit match across deploy/."""
    docker = (DEPLOY / "Dockerfile").read_text("utf-8")
    unit = (DEPLOY / "cucon-bot.service").read_text("utf-8")
    nginx = (DEPLOY / "nginx.conf").read_text("utf-8")
    assert docker.startswith("# ")
    assert "FROM python:3.11-slim" in docker
    assert re.search(r"^USER cucon-bot$", docker, re.M)
    assert "/healthz" in docker.split("HEALTHCHECK", 1)[1]
    assert '"--port", "8080"' in docker
    assert re.search(r"^VOLUME .*/var/lib/cucon-bot", docker, re.M)
    assert set(re.findall(r"\bCUCON_BOT_\w+", docker + unit + nginx)) <= SETTINGS
    for line in ("EnvironmentFile=/etc/cucon-bot.env", "User=cucon-bot", "NoNewPrivileges=yes"):
        assert re.search(rf"^{re.escape(line)}$", unit, re.M), line
    assert "--host 127.0.0.1 --port 8080" in unit
    assert "proxy_pass http://127.0.0.1:8080;" in nginx
    # Over the service's limit, so that the service answers 413 with its form (nginx's own 413 page says
    # nothing of the form), and no more than the service drains before answering: the hard ceiling.
    ceiling = int(re.search(r"client_max_body_size (\d+)m;", nginx).group(1)) * 1024 * 1024
    assert ceiling == BotConfig.from_env(BASE_ENV).max_body_bytes * DRAIN_FACTOR
    log_format = re.search(r"log_format cucon_bot_noip ([^;]*);", nginx).group(1)
    assert "remote_addr" not in log_format
    assert "request_uri" not in log_format


def test_the_newsletter_timer_sends_weekly_as_the_service_user():
    """deploy/cucon-newsletter.timer starts cucon-newsletter.service weekly, and makes up a missed run;
    the unit runs `cucon bot send-newsletter` with the bot's user, settings and hardening."""
    bot = (DEPLOY / "cucon-bot.service").read_text("utf-8")
    unit = (DEPLOY / "cucon-newsletter.service").read_text("utf-8")
    timer = (DEPLOY / "cucon-newsletter.timer").read_text("utf-8")
    for line in ("Persistent=true", "Unit=cucon-newsletter.service", "WantedBy=timers.target"):
        assert re.search(rf"^{re.escape(line)}$", timer, re.M), line
    assert re.search(r"^OnCalendar=(Mon|weekly)\b", timer, re.M)
    assert re.search(r"^Type=oneshot$", unit, re.M)
    assert re.search(r"^ExecStart=/opt/cucon/\.venv/bin/cucon bot send-newsletter$", unit, re.M)
    assert re.search(r"^RestartPreventExitStatus=2$", unit, re.M)
    shared = (
        r"^(EnvironmentFile|User|Group|UMask|NoNewPrivileges|ProtectSystem|ReadWritePaths|SystemCall\w+)=.*$"
    )
    assert re.findall(shared, unit, re.M) == re.findall(shared, bot, re.M)
    assert set(re.findall(r"\bCUCON_BOT_\w+", unit + timer)) <= SETTINGS
    args = build_parser().parse_args(["bot", "send-newsletter", "--week", "2026-W48"])
    assert (args.run.__name__, args.week) == ("_bot_send_newsletter", "2026-W48")


def test_the_proxy_limits_every_post_route_and_link_page_of_the_service(config):
    """Every route the service takes a form's post or a link's page on falls under a request limit of
    nginx stricter than the pages' one: a flood ends in nginx, not in Python."""
    nginx = (DEPLOY / "nginx.conf").read_text("utf-8")
    zones = dict(re.findall(r"limit_req_zone \S+ zone=(\w+):\S+ rate=(\d+)r/m;", nginx))
    limited = {
        pattern: zone for pattern, zone in re.findall(r"location ~ (\S+) \{\s*limit_req zone=(\w+)", nginx)
    }
    app = create_app(config)
    routes = [route.path for route in app.routes if "POST" in getattr(route, "methods", ())]
    assert len(routes) >= 5
    for path in routes:
        sample = re.sub(r"\{\w+\}", "x" * 43, path)
        zone = next((z for pattern, z in limited.items() if re.match(pattern, sample)), None)
        assert zone in zones, f"{path} has no per-minute limit in nginx.conf"
        assert int(zones[zone]) <= 30, (path, zone)


def test_the_contribute_page_links_to_the_form_only_when_the_service_is_named(fixture_site):
    """With CUCON_BOT_URL the contribute page and its translation carry a button to the profile form and
    links to the call and news forms in their language, and the subscribe pages one to the newsletter's
    form; other pages do not, and without the setting no page does."""
    for page in [
        *(REPO / "content" / "pages").glob("contribute*.md"),
        *(REPO / "content" / "pages").glob("privacy*.md"),
    ]:
        shutil.copy(page, fixture_site / "content" / "pages")
    result = build_in_process(
        fixture_site, CUCON_BOT_URL="https://forms.cucon.example/", CUCON_SEARCH_INDEX=False
    )
    assert result.returncode == 0, result.log
    output = fixture_site / "output"
    links = {
        page.relative_to(output).as_posix(): re.findall(
            r'<a class="button" href="([^"]*/profile/new[^"]*)"', page.read_text("utf-8")
        )
        for page in output.rglob("*.html")
    }
    assert links["contribute/index.html"] == ["https://forms.cucon.example/profile/new?lang=de"]
    english = [
        path for path, found in links.items() if "https://forms.cucon.example/profile/new?lang=en" in found
    ]
    assert english, "the English contribute page has no button"
    assert all("contribute" in path for path, found in links.items() if found)  # each UI's contribute pages
    assert "Join with the form" in (output / english[0]).read_text("utf-8")
    german = (output / "contribute" / "index.html").read_text("utf-8")
    for form in ("call", "news"):
        assert f'href="https://forms.cucon.example/{form}/new?lang=de"' in german
        assert f'href="https://forms.cucon.example/{form}/new?lang=en"' in (output / english[0]).read_text(
            "utf-8"
        )
    assert "?template=" not in german
    managed = manage_links(output)  # a profile's owner asks the service for an edit link
    assert any("anna-kowalska" in path for path in managed)
    assert all(any(slug in path for slug in ("anna-kowalska", "tanz-kollektiv")) for path in managed)
    manage = "https://forms.cucon.example/manage?lang="
    assert f"{manage}de" in managed.values()
    assert set(managed.values()) == {f"{manage}de", f"{manage}en"}  # the UI language, or German
    newsletter = '<a class="button" href="https://forms.cucon.example/newsletter?lang={0}" hreflang="{0}">'
    assert newsletter.format("de") in (output / "subscribe" / "index.html").read_text("utf-8")
    assert newsletter.format("en") in (output / "en" / "subscribe" / "index.html").read_text("utf-8")
    result = build_in_process(fixture_site, CUCON_SEARCH_INDEX=False)
    assert result.returncode == 0, result.log
    assert manage_links(output) == {}
    assert "/profile/new" not in (output / "contribute" / "index.html").read_text("utf-8")
    assert "/newsletter" not in (output / "subscribe" / "index.html").read_text("utf-8")
    assert "?template=" not in (output / "contribute" / "index.html").read_text("utf-8")


def manage_links(output) -> dict[str, str]:
    """The pages of a built site that link to the service's /manage, with that link."""
    found = {}
    for page in output.rglob("*.html"):
        hit = re.search(r'<p class="manage"><a href="([^"]*/manage\?lang=\w+)"', page.read_text("utf-8"))
        if hit:
            found[page.relative_to(output).as_posix()] = hit.group(1)
    return found


def test_without_the_service_the_contribute_page_links_to_the_issue_forms(fixture_site):
    """With CUCON_ISSUES_URL and no CUCON_BOT_URL, the contribute page links to the three issue forms."""
    for pattern in ("contribute*.md", "privacy*.md"):
        for page in (REPO / "content" / "pages").glob(pattern):
            shutil.copy(page, fixture_site / "content" / "pages")
    issues = "https://github.com/kulturbuero-hannover/cucon/issues/new"
    result = build_in_process(fixture_site, CUCON_ISSUES_URL=issues, CUCON_SEARCH_INDEX=False)
    assert result.returncode == 0, result.log
    page = (fixture_site / "output" / "contribute" / "index.html").read_text("utf-8")
    for form in ("new-profile", "new-call", "new-news"):
        assert f'href="{issues}?template={form}.yml"' in page
        assert (REPO / ".github" / "ISSUE_TEMPLATE" / f"{form}.yml").is_file()
    assert "/profile/new?lang" not in page
    assert "Neue Ausschreibung (GitHub-Formular)" in page


BUILD_ONLY = (
    "pelican",
    "pagefind",
    "feedgen",
    "icalendar",
    "markdown",
    "fontpkg_noto_sans",
    "noto_cjk_sans_jp",
)
"""Top-level modules of the ``build`` extra that the bot's image (requirements-bot.txt) does not have."""

SLIM_BOT = """
import importlib.abc, os, sys

BLOCKED = {blocked!r}

class BuildOnly(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0].startswith(BLOCKED):
            raise ImportError(f"{{name}} is build-only: the bot's image does not have it")
        return None

sys.meta_path.insert(0, BuildOnly())
{code}
print("bot ok")
"""

SERVE_PAGES = """
from starlette.testclient import TestClient
from cucon.bot.app import create_app
from cucon.bot.config import BotConfig

with TestClient(create_app(BotConfig.from_env(os.environ))) as client:
    for path in ("/", "/healthz", "/profile/new", "/call/new", "/news/new"):
        response = client.get(path)
        assert response.status_code == 200, (path, response.status_code, response.text[:500])
"""


SEND_NEWSLETTER = """
from cucon.bot.newsletter import week_digests

assert week_digests(os.environ["CUCON_BOT_CHECKOUT"], "2026-W45")["leipzig"].calls
"""
"""`cucon bot send-newsletter`'s part that reads the content: the fixture's call of that week is found."""


@pytest.mark.parametrize(
    ("code", "works"),
    [
        (SERVE_PAGES, True),
        ("import cucon.feeds", False),  # the blocker bites: a build module cannot be imported
        ("import cucon.calendars", False),
        (SEND_NEWSLETTER, True),
    ],
    ids=["serves its pages", "cucon.feeds is refused", "cucon.calendars is refused", "builds the newsletter"],
)
def test_the_bot_runs_without_the_build_extra(bare_repo, tmp_path, code, works):
    """``cucon.bot.app`` imports, creates the app and serves its pages in a process where no module of
    the build extra (Pelican, Pagefind, feedgen, icalendar, Markdown, the fonts) can be imported."""
    checkout = tmp_path / "checkout"
    git(tmp_path, "clone", "-q", str(bare_repo), str(checkout))
    env = child_env() | {
        "CUCON_BOT_SECRET": SECRET,
        "CUCON_BOT_WORKDIR": str(tmp_path / "work"),
        "CUCON_BOT_CHECKOUT": str(checkout),
        "CUCON_BOT_GIT_REMOTE": str(bare_repo),
    }
    script = SLIM_BOT.format(blocked=BUILD_ONLY, code=code)
    result = run([sys.executable, "-c", script], tmp_path, env)
    assert (result.returncode == 0 and "bot ok" in result.stdout) is works, output_of(result)
    if not works:
        assert "is build-only: the bot's image does not have it" in result.stderr
