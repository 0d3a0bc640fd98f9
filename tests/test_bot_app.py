"""The submission service end to end: forms in, branches in a real bare repository out, and bad input refused.

Most route tests use Starlette's TestClient; the flow of the issue runs against the real service
(uvicorn on a free port of 127.0.0.1) and a real bare git repository, and the forge outage against
the GitHub stand-in (tests/fakes/github.py).
"""

from __future__ import annotations

import html
import io
import re
import threading
import time

import httpx
import pytest
from fakes.github import FakeGitHub
from PIL import Image
from starlette.testclient import TestClient
from support import (
    BASE_ENV,
    FIXTURE_SITE,
    REPO,
    SITE_ORIGIN,
    LiveServer,
    bomb_png,
    branches,
    fill,
    git,
    output_of,
    run_cucon,
    send,
    wait_for,
)

from cucon.bot.app import create_app
from cucon.bot.config import BotConfig, ConfigError
from cucon.bot.githost import ChangeResult, ForgeUnavailable, GitHubHost, PlainGitHost
from cucon.bot.gitlab import GitLabHost
from cucon.bot.service import default_githost

# --- fixtures ---------------------------------------------------------------------------------------


# --- the flow of the issue ----------------------------------------------------------------------------


def test_a_form_posted_to_the_running_service_becomes_a_valid_branch(config, clock, bare_repo, tmp_path):
    """Photo with EXIF in, over a real socket; a branch with a valid profile and a clean photo out."""
    app = create_app(config, clock=clock, worker_idle=0.05)
    with LiveServer(app) as url, httpx.Client(base_url=url, timeout=30) as http:
        data = fill(http, clock, lang="en", save_as="../../pwned.html", path="content/pages/evil.md")
        response = send(http, data, origin=url)
        assert response.status_code == 202, response.text
        assert "Thank you!" in response.text
        wait_for(lambda: http.get("/healthz").json()["spool"]["proposed"] == 1)
    [branch] = branches(bare_repo)
    assert re.fullmatch(r"submissions/profile/erika-muster-[0-9a-f]{10}", branch)
    clone = tmp_path / "branch"
    git(tmp_path, "clone", "-q", "--branch", branch, str(bare_repo), str(clone))
    changed = git(clone, "diff", "--name-only", "origin/main", "HEAD").split()
    assert changed == ["content/profiles/erika-muster.jpg", "content/profiles/erika-muster.md"]
    photo = (clone / "content/profiles/erika-muster.jpg").read_bytes()
    assert b"SecretCam" not in photo
    assert b"Private Photographer" not in photo
    assert not Image.open(io.BytesIO(photo)).getexif()
    profile = (clone / "content/profiles/erika-muster.md").read_text("utf-8")
    assert "erika@example.org" not in profile  # private unless the person chose to publish it
    assert "save_as" not in profile
    assert "pwned" not in profile
    message = git(clone, "log", "-1", "--format=%B")
    assert "Erika Muster" in message
    assert "erika@example.org" not in message
    check = run_cucon("check", cwd=clone)
    assert check.returncode == 0, output_of(check)


# --- bad input: refused, and no branch -------------------------------------------------------------


def test_a_body_over_the_limit_is_refused_with_413(client, clock, bare_repo):
    """11 MB with a Content-Length, and 11 MB streamed without one: both 413 before validation."""
    data = fill(client, clock)
    big = ("portrait.jpg", b"\xff\xd8" + b"\0" * (11 * 1024 * 1024), "image/jpeg")
    assert send(client, data, photo=big).status_code == 413

    def chunks():
        for _ in range(11):
            yield b"x" * (1024 * 1024)

    streamed = client.post(
        "/profile",
        content=chunks(),
        headers={"Origin": SITE_ORIGIN, "Content-Type": "multipart/form-data; boundary=x"},
    )
    assert streamed.status_code == 413
    assert "höchstens 10 MB" in streamed.text
    assert branches(bare_repo) == []


def test_a_foreign_origin_is_refused_with_403(client, clock, bare_repo):
    """A post from another site's page never reaches the pipeline."""
    response = send(client, fill(client, clock), origin="https://evil.example")
    assert response.status_code == 403
    assert client.app.state.spool.counts()["received"] == 0
    assert branches(bare_repo) == []


def test_the_eleventh_post_from_one_address_within_ten_minutes_gets_429(client, clock, bare_repo):
    """Ten posts pass the rate limit (here all invalid: 422); the eleventh is told when to come back."""
    for _ in range(10):
        data = fill(client, clock, wait=4)
        assert send(client, {**data, "name": ""}).status_code == 422
    response = send(client, fill(client, clock, wait=4))
    assert response.status_code == 429
    assert 0 < int(response.headers["Retry-After"]) <= 600
    clock.advance(600)
    assert send(client, {**fill(client, clock), "name": ""}).status_code == 422
    assert branches(bare_repo) == []


@pytest.mark.parametrize(
    ("case", "status"),
    [("honeypot", 202), ("too fast", 422), ("forged form time", 422), ("no proof of work", 422)],
)
def test_bots_get_no_pull_request(client, clock, bare_repo, case, status):
    """A filled honeypot is answered like success; a form sent under 3 s or without work is re-offered."""
    data = fill(client, clock, wait=1.0 if case == "too fast" else 5.0)
    if case == "honeypot":
        data["website_url"] = "https://spam.example"
    elif case == "forged form time":
        data["form_time"] = f"{time.time() - 3600:.3f}:{'0' * 64}"
    elif case == "no proof of work":
        data["pow"] = ""
    response = send(client, data)
    assert response.status_code == status
    if status == 422:
        assert "spam check" in response.text.lower() or "spam-prüfung" in response.text.lower()
    time.sleep(0.2)
    assert client.app.state.spool.counts()["received"] + client.app.state.spool.counts()["proposed"] == 0
    assert branches(bare_repo) == []


def test_a_replayed_proof_of_work_gets_no_pull_request(client, clock, bare_repo):
    """A solution is good for one post: the same one sent again is refused, even with valid content."""
    data = fill(client, clock)
    assert send(client, {**data, "name": "", "idempotency_key": ""}).status_code == 422
    replay = send(client, {**data, "idempotency_key": ""})
    assert replay.status_code == 422
    assert "Spam-Prüfung" in replay.text
    assert branches(bare_repo) == []


@pytest.mark.parametrize(
    ("photo", "expected"),
    [
        (
            (
                "x.svg",
                b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
                "image/svg+xml",
            ),
            "SVG",
        ),
        (("bomb.png", bomb_png(), "image/png"), "pixels"),
    ],
    ids=["svg", "decompression-bomb"],
)
def test_a_bad_photo_gets_422_with_a_clear_message_next_to_the_field(
    client, clock, bare_repo, photo, expected
):
    """The image check of `cucon check` refuses it; the message sits above the photo field."""
    response = send(client, fill(client, clock, lang="en"), photo=photo)
    assert response.status_code == 422
    error = re.search(r'<span class="error" id="err-photo">([^<]*)</span>', response.text)
    assert error, response.text
    assert expected in html.unescape(error.group(1))
    assert re.search(
        r'<input type="file" id="f-photo"[^>]*aria-describedby="err-photo help-photo limit-photo"',
        response.text,
    )
    assert 'aria-invalid="true"' in response.text
    assert branches(bare_repo) == []


def test_path_fields_in_the_form_are_never_written(client, clock, bare_repo, tmp_path):
    """save_as, template, slug and path-like names are ignored: only the profile's two files are written."""
    extra = {"save_as": "index.html", "template": "x", "slug": "admin", "../../etc/passwd": "x", "url": "/"}
    assert send(client, fill(client, clock, **extra)).status_code == 202
    wait_for(lambda: client.app.state.spool.counts()["proposed"] == 1)
    [branch] = branches(bare_repo)
    files = git(bare_repo, "diff", "--name-only", "main", branch).split()
    assert files == ["content/profiles/erika-muster.jpg", "content/profiles/erika-muster.md"]
    profile = git(bare_repo, "show", f"{branch}:content/profiles/erika-muster.md")
    assert not any(word in profile for word in ("save_as", "template", "admin", "passwd"))


# --- nothing lost, nothing twice ------------------------------------------------------------------


def test_two_identical_submissions_make_one_pull_request(client, clock, bare_repo):
    """Two forms with the same content, and a resend with the same Idempotency-Key: one entry, one branch."""
    first = fill(client, clock)
    assert send(client, first).status_code == 202
    assert send(client, fill(client, clock)).status_code == 202
    resend = {**first, "pow": "", "idempotency_key": ""}  # a script's retry: the key in the header
    assert send(client, resend, Idempotency_Key=first["idempotency_key"]).status_code == 202
    wait_for(lambda: client.app.state.spool.counts()["proposed"] == 1)
    time.sleep(0.2)
    assert client.app.state.spool.counts() == {
        "received": 0,
        "proposed": 1,
        "failed": 0,
        "awaiting": 0,
        "approval": 0,
    }
    assert len(branches(bare_repo)) == 1


class StuckHost:
    """A forge push that hangs, as when the service is killed between its 202 and the push."""

    def __init__(self):
        self.entered = threading.Event()
        self.release = threading.Event()

    def propose(self, change):
        self.entered.set()
        self.release.wait(30)
        raise ForgeUnavailable("the process was killed")


def test_a_restart_between_202_and_push_opens_the_pull_request_exactly_once(config, clock, bare_repo):
    """The first service dies mid-push; a new one on the same spool proposes it, and only once."""
    stuck = StuckHost()
    with TestClient(create_app(config, stuck, clock=clock, worker_idle=0.05)) as first:
        assert send(first, fill(first, clock)).status_code == 202
        assert stuck.entered.wait(10)
    assert branches(bare_repo) == []
    host = PlainGitHost(str(bare_repo), "main", workdir=config.workdir / "git-2")
    calls = []

    class Counting:
        def propose(self, change):
            calls.append(change.branch)
            return host.propose(change)

    with TestClient(create_app(config, Counting(), clock=clock, worker_idle=0.05)) as second:
        wait_for(lambda: second.app.state.spool.counts()["proposed"] == 1)
        stuck.release.set()  # the old process's try ends late: it must change nothing
        time.sleep(0.3)
        assert second.app.state.spool.counts() == {
            "received": 0,
            "proposed": 1,
            "failed": 0,
            "awaiting": 0,
            "approval": 0,
        }
    assert len(calls) == 1
    assert len(branches(bare_repo)) == 1


def test_a_forge_outage_keeps_the_submission_until_the_forge_is_back(config, clock, tmp_path):
    """With the GitHub stand-in answering 502 the entry stays spooled; after reset it goes through once."""
    site = {
        p.relative_to(FIXTURE_SITE).as_posix(): p.read_bytes() for p in FIXTURE_SITE.rglob("*") if p.is_file()
    }
    with FakeGitHub(files=site) as fake:
        fake.fail_with = 502
        times = []

        class Host(GitHubHost):
            def propose(self, change):
                times.append(clock())
                return super().propose(change)

        host = Host(fake.url, fake.token, fake.repository, "main")
        app = create_app(config, host, clock=clock, worker_idle=0.05)
        with TestClient(app) as client:
            assert send(client, fill(client, clock)).status_code == 202
            wait_for(lambda: len(times) >= 1)
            time.sleep(0.3)
            entry = app.state.spool.get(1)
            assert entry.state == "received"
            assert entry.attempts == 1
            assert entry.files
            assert fake.pulls == []
            fake.reset()
            clock.advance(31)  # the first backoff is 30 s
            wait_for(lambda: app.state.spool.counts()["proposed"] == 1)
            time.sleep(0.2)
        host.close()
        [pull] = fake.pulls
        assert pull["head"]["ref"].startswith("submissions/profile/erika-muster-")
        assert {label["name"] for label in pull["labels"]} == {"bot", "new-profile"}
        assert "E-mail not verified" in pull["body"]
        assert app.state.spool.get(1).pr_url == pull["html_url"]
        (tmp_path / "pr-description.md").write_text(pull["body"], "utf-8")


def test_healthz_turns_503_while_delivery_is_stuck_and_200_after_a_push(config, clock):
    """A forge that keeps failing makes /healthz answer 503 once the oldest failing entry has waited
    longer than CUCON_BOT_HEALTH_STUCK_SECONDS (1800 by default), with the error's kind; a push
    makes it 200 again, with the time of that push."""
    site = {
        p.relative_to(FIXTURE_SITE).as_posix(): p.read_bytes() for p in FIXTURE_SITE.rglob("*") if p.is_file()
    }
    with FakeGitHub(files=site) as fake, GitHubHost(fake.url, fake.token, fake.repository, "main") as host:
        fake.fail_with = 502
        app = create_app(config, host, clock=clock, worker_idle=0.05)
        with TestClient(app) as client:
            assert send(client, fill(client, clock)).status_code == 202
            wait_for(lambda: app.state.spool.get(1).attempts >= 1)
            health = client.get("/healthz")
            assert health.status_code == 200, health.text
            delivery = health.json()["delivery"]
            assert delivery["last_error"] == "forge unavailable"
            assert delivery["failing_seconds"] is not None
            assert delivery["last_push"] is None
            assert health.json()["checkout"]["last_refresh"] is not None  # the post refreshed it
            clock.advance(1801)
            stuck = client.get("/healthz")
            assert stuck.status_code == 503, stuck.text
            assert stuck.json()["ok"] is False
            assert stuck.json()["delivery"]["oldest_waiting_seconds"] > 1800
            fake.reset()
            clock.advance(3600)  # past any backoff: the worker tries again at once
            wait_for(lambda: app.state.spool.counts()["proposed"] == 1)
            healthy = client.get("/healthz")
            assert healthy.status_code == 200, healthy.text
            assert healthy.json()["ok"] is True
            assert healthy.json()["delivery"]["last_push"] >= clock() - 3600
            assert healthy.json()["delivery"]["oldest_waiting_seconds"] is None
            assert healthy.json()["delivery"]["failing_seconds"] is None


# --- the pages ------------------------------------------------------------------------------------


def test_health_and_openapi_answer(client):
    """/healthz reports the spool; /openapi.json describes the routes (and no docs page from a CDN)."""
    health = client.get("/healthz")
    assert health.status_code == 200
    assert health.json()["ok"] is True
    assert health.json()["spool"] == {
        "received": 0,
        "proposed": 0,
        "failed": 0,
        "awaiting": 0,
        "approval": 0,
    }
    spec = client.get("/openapi.json").json()
    assert {"/", "/profile/new", "/profile", "/healthz"} <= set(spec["paths"])
    assert "multipart/form-data" in spec["paths"]["/profile"]["post"]["requestBody"]["content"]
    assert client.get("/docs").status_code == 404


def test_pages_carry_security_headers_and_no_cookies(client):
    """A CSP without inline scripts or other hosts, nosniff, no path in a referrer, and never a cookie."""
    for path in ("/", "/profile/new", "/healthz", "/nowhere"):
        response = client.get(path)
        csp = response.headers["content-security-policy"]
        assert "script-src 'self';" in csp
        assert "unsafe-inline" not in csp
        assert "default-src 'none'" in csp
        assert response.headers["x-content-type-options"] == "nosniff"
        assert response.headers["referrer-policy"] == "strict-origin"
        assert "set-cookie" not in response.headers
    page = client.get("/profile/new").text
    assert "<script>" not in page
    assert "<style" not in page
    assert " style=" not in page
    assert re.findall(r'(?:src|href)="(https?://[^"]+)"', page) == []


def test_cors_answers_only_the_site(client):
    """A preflight from the site is allowed; one from elsewhere gets no CORS grant."""
    ask = {"Access-Control-Request-Method": "POST"}
    allowed = client.options("/profile", headers={"Origin": SITE_ORIGIN, **ask})
    assert allowed.headers.get("access-control-allow-origin") == SITE_ORIGIN
    foreign = client.options("/profile", headers={"Origin": "https://evil.example", **ask})
    assert "access-control-allow-origin" not in foreign.headers


@pytest.mark.parametrize(
    ("lang", "label", "send_label"),
    [("de", "Kurzbeschreibung", "Absenden"), ("en", "Short description", "Send")],
)
def test_the_form_speaks_the_chosen_language(client, lang, label, send_label):
    """Labels, help and the button in German or English; the honeypot hidden from people and AT."""
    page = client.get(f"/profile/new?lang={lang}").text
    assert f'<html lang="{lang}">' in page
    assert f'<label for="f-summary">{label}' in page
    assert send_label in page
    assert re.search(
        r'<div class="trap" aria-hidden="true">\s*<label[^>]*>[^<]*</label>\s*<input[^>]*tabindex="-1"', page
    )
    assert "<noscript>" in page
    assert 'src="/static/pow.js"' in page
    assert client.get("/static/pow.js").status_code == 200


def test_an_invalid_form_comes_back_with_each_error_next_to_its_field(client, clock):
    """422: what was typed is kept, each error is above its field and named in a summary."""
    response = send(client, fill(client, clock, lang="en", name="", summary="x" * 400))
    assert response.status_code == 422
    page = response.text
    assert re.search(r'<span class="error" id="err-name">[^<]+</span>', page)
    assert re.search(r'id="f-name"[^>]*aria-describedby="err-name help-name"[^>]*aria-invalid="true"', page)
    assert re.search(r'<span class="error" id="err-summary">[^<]*280', page)
    assert 'href="#f-name"' in page
    assert "x" * 400 in page
    assert 'value="hannover" checked' in page


def test_a_known_idempotency_key_is_answered_like_the_first_post(client, clock):
    """A resend after a lost answer gets 202 again, without a second entry."""
    data = fill(client, clock)
    assert send(client, data).status_code == 202
    again = send(client, data)
    assert again.status_code == 202
    assert client.app.state.spool.counts()["received"] + client.app.state.spool.counts()["proposed"] == 1


def test_logs_name_no_one(client, clock, caplog):
    """The service's log lines carry events and counts, never the name, e-mail or address."""
    caplog.set_level("INFO", logger="cucon.bot")
    send(client, fill(client, clock))
    send(client, fill(client, clock), origin="https://evil.example")
    wait_for(lambda: client.app.state.spool.counts()["proposed"] == 1)
    text = "\n".join(f"{r.getMessage()} {vars(r)}" for r in caplog.records)
    assert "spooled" in text
    assert "refused" in text
    for private in ("Erika", "erika@example.org", "testclient", "127.0.0.1"):
        assert private not in text


# --- configuration ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "named"),
    [
        ({"CUCON_BOT_SECRET": "too short"}, "CUCON_BOT_SECRET"),
        ({"CUCON_BOT_SECRET": ""}, "CUCON_BOT_SECRET"),
        ({"CUCON_BOT_FORGE": "gitea"}, "CUCON_BOT_FORGE"),
        ({"CUCON_BOT_GIT_REMOTE": ""}, "CUCON_BOT_GIT_REMOTE"),
        ({"CUCON_BOT_FORGE": "github"}, "CUCON_BOT_GITHUB_REPOSITORY"),
        ({"CUCON_BOT_FORGE": "github", "CUCON_BOT_GITHUB_REPOSITORY": "site"}, "CUCON_BOT_GITHUB_REPOSITORY"),
        ({"CUCON_BOT_FORGE": "github", "CUCON_BOT_GITHUB_REPOSITORY": "a/b"}, "CUCON_BOT_GITHUB_TOKEN"),
        ({"CUCON_BOT_FORGE": "gitlab"}, "CUCON_BOT_GITLAB_PROJECT"),
        ({"CUCON_BOT_FORGE": "gitlab", "CUCON_BOT_GITLAB_PROJECT": "site"}, "CUCON_BOT_GITLAB_PROJECT"),
        ({"CUCON_BOT_FORGE": "gitlab", "CUCON_BOT_GITLAB_PROJECT": "a/../b"}, "CUCON_BOT_GITLAB_PROJECT"),
        ({"CUCON_BOT_FORGE": "gitlab", "CUCON_BOT_GITLAB_PROJECT": "a/b"}, "CUCON_BOT_GITLAB_TOKEN"),
        ({"CUCON_BOT_GITLAB_API": "gitlab.example/api/v4"}, "CUCON_BOT_GITLAB_API"),
        ({"CUCON_BOT_ALLOWED_ORIGINS": "https://a.example/page"}, "CUCON_BOT_ALLOWED_ORIGINS"),
        ({"CUCON_BOT_MAX_BODY_BYTES": "ten"}, "CUCON_BOT_MAX_BODY_BYTES"),
        ({"CUCON_BOT_RATE_LIMIT": "10"}, "CUCON_BOT_RATE_LIMIT"),
        ({"CUCON_BOT_RATE_LIMIT": "0/60"}, "CUCON_BOT_RATE_LIMIT"),
        ({"CUCON_BOT_SITE_URL": "cucon.example"}, "CUCON_BOT_SITE_URL"),
        ({"CUCON_BOT_WORKDIR": ""}, "CUCON_BOT_WORKDIR"),
        ({"CUCON_BOT_CHECKOUT": ""}, "CUCON_BOT_CHECKOUT"),
    ],
)
def test_a_wrong_setting_is_named(changes, named):
    """Every refusal names the variable to fix."""
    with pytest.raises(ConfigError, match=named):
        BotConfig.from_env({**BASE_ENV, **changes})


def test_the_defaults_and_a_github_configuration():
    """Defaults as documented; the GitHub forge takes its API, repository and token."""
    config = BotConfig.from_env(BASE_ENV)
    assert (config.forge, config.git_base, config.max_body_bytes, config.rate_limit) == (
        "git",
        "main",
        10485760,
        (10, 600),
    )
    github = BotConfig.from_env(
        {
            **BASE_ENV,
            "CUCON_BOT_FORGE": "github",
            "CUCON_BOT_GITHUB_REPOSITORY": "cucon/site",
            "CUCON_BOT_GITHUB_TOKEN": "t",
            "CUCON_BOT_GITHUB_API": "https://git.example/api/v3/",
            "CUCON_BOT_ALLOWED_ORIGINS": "https://cucon.example, http://localhost:8000",
        }
    )
    assert github.github_api == "https://git.example/api/v3"
    assert github.allowed_origins == ("https://cucon.example", "http://localhost:8000")


def test_a_gitlab_configuration_and_its_host():
    """The GitLab forge takes its API (gitlab.com's by default), its project (path or number) and its
    token, and default_githost makes a GitLabHost of them."""
    gitlab = {**BASE_ENV, "CUCON_BOT_FORGE": "GitLab", "CUCON_BOT_GITLAB_PROJECT": "kulturamt/cucon-site"}
    config = BotConfig.from_env({**gitlab, "CUCON_BOT_GITLAB_TOKEN": "glpat-x"})
    assert (config.forge, config.gitlab_api) == ("gitlab", "https://gitlab.com/api/v4")
    assert (config.gitlab_project, config.gitlab_token) == ("kulturamt/cucon-site", "glpat-x")
    host = default_githost(config)
    assert isinstance(host, GitLabHost)
    assert (host.api_url, host.project, host.base_branch) == (
        "https://gitlab.com/api/v4",
        "kulturamt/cucon-site",
        "main",
    )
    assert "glpat-x" not in repr(host)
    opencode = BotConfig.from_env(
        {
            **gitlab,
            "CUCON_BOT_GITLAB_TOKEN": "t",
            "CUCON_BOT_GITLAB_PROJECT": "1234",
            "CUCON_BOT_GITLAB_API": "https://gitlab.opencode.example/api/v4/",
            "CUCON_BOT_GIT_BASE": "live",
        }
    )
    assert (opencode.gitlab_api, opencode.gitlab_project) == (
        "https://gitlab.opencode.example/api/v4",
        "1234",
    )
    assert default_githost(opencode).base_branch == "live"


def test_every_setting_is_documented():
    """docs/bot.md has one row per setting, and no row for a setting that does not exist."""
    config = BotConfig.from_env(BASE_ENV)
    documented = set(
        re.findall(r"^\| `(CUCON_BOT_\w+)`", (REPO / "docs" / "bot.md").read_text("utf-8"), re.M)
    )
    assert documented == set(config.setting_names())


def test_the_bot_command_refuses_to_start_without_a_secret(tmp_path):
    """`cucon bot` with no configuration stops at once and names the variable."""
    result = run_cucon("bot", "--port", "0", cwd=tmp_path)
    assert result.returncode == 2
    assert "CUCON_BOT_SECRET" in output_of(result)


def test_a_stub_host_result_is_recorded(config, clock):
    """A host's pull request URL lands in the spool (GitHub's case; plain git has none)."""

    class Host:
        def propose(self, change):
            return ChangeResult(change.branch, "https://forge.example/pull/7", 7, True)

    with TestClient(create_app(config, Host(), clock=clock, worker_idle=0.05)) as client:
        assert send(client, fill(client, clock)).status_code == 202
        wait_for(lambda: client.app.state.spool.counts()["proposed"] == 1)
        assert client.app.state.spool.get(1).pr_url == "https://forge.example/pull/7"
