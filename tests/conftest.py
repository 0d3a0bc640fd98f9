"""The fixtures the tests share: the fixture site, built or not, the sample network, and the submission service.

Each fixture's docstring says why it exists. The helpers the tests use (run_build, run_cucon, fill,
send…) live in support.py: no test module imports another.
"""

from __future__ import annotations

import io
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from PIL import Image
from starlette.testclient import TestClient
from support import (
    ASSET,
    FIXTURE_SITE,
    GPS_IFD,
    REPO,
    Clock,
    PhotoServer,
    SmtpServer,
    add_issue_forms,
    bare_site_repo,
    build_in_process,
    built_once,
    commit_all,
    git,
    mail_config_for,
    output_of,
    run_build,
    run_sample_build,
    service,
    service_env,
)

from cucon.bot.app import create_app
from cucon.bot.config import BotConfig
from cucon.bot.issueform import PROFILE_FORM, IssueForm


@pytest.fixture
def fixture_site(tmp_path: Path) -> Path:
    """A fresh copy of tests/fixtures/site, so a test can break or extend it without touching the original."""
    site = tmp_path / "site"
    shutil.copytree(FIXTURE_SITE, site, ignore=shutil.ignore_patterns("output", "__pycache__"))
    return site


@pytest.fixture(scope="session")
def built_fixture_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The fixture site built once per run (by one worker); tests copy it (see ``built_site``) rather than change it."""

    def build(site: Path) -> None:
        shutil.copytree(FIXTURE_SITE, site, ignore=shutil.ignore_patterns("output", "__pycache__"))
        result = run_build(site)
        assert result.returncode == 0, output_of(result)
        assert (site / "output" / "index.html").is_file()

    return built_once(tmp_path_factory, "built-fixture-site", build)


@pytest.fixture
def built_site(tmp_path: Path, built_fixture_site: Path) -> Path:
    """A private copy of the built fixture site, output/ included, to rebuild after breaking it."""
    site = tmp_path / "site"
    shutil.copytree(built_fixture_site, site)
    return site


@pytest.fixture(scope="session")
def sample_site_output(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample network of content/ built once per run (by one worker), for the browser, link and HTML
    validity tests; they only read it."""

    # Built into a temporary folder so the tests never read a stale output/.
    def build(folder: Path) -> None:
        result = run_sample_build(folder / "output")
        assert result.returncode == 0, output_of(result)
        assert (folder / "output" / "index.html").is_file(), output_of(result)

    return built_once(tmp_path_factory, "sample-site", build) / "output"


# --- builds in the test's own process, for tests whose subject is an output, not Pelican's part ---


@pytest.fixture(scope="session")
def fixture_site_built_in_process(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The fixture site built once per run (by one worker) with ``build_in_process``: the tests of its feeds, calendars,
    digests and pages read it without starting Pelican (it lacks the theme's static files)."""

    def build(site: Path) -> None:
        shutil.copytree(FIXTURE_SITE, site, ignore=shutil.ignore_patterns("output", "__pycache__"))
        result = build_in_process(site)
        assert result.returncode == 0, result.log
        assert (site / "output" / "index.html").is_file()

    return built_once(tmp_path_factory, "fixture-site-built-in-process", build)


@pytest.fixture
def site_built_in_process(tmp_path: Path, fixture_site_built_in_process: Path) -> Path:
    """A private copy of ``fixture_site_built_in_process``, output/ and cache/ included, to change and
    rebuild in process (a rebuild is incremental, as after ``built_site``)."""
    site = tmp_path / "site"
    shutil.copytree(fixture_site_built_in_process, site)
    return site


# --- the submission service (Flask-tutorial style: ``app`` from ``create_app(config)``, ``client``) ---


@pytest.fixture
def bare_repo(tmp_path: Path) -> Path:
    """The remote the service pushes to: a bare repository with the fixture site and PR template on main."""
    return bare_site_repo(tmp_path)


@pytest.fixture
def config(tmp_path: Path, bare_repo: Path) -> BotConfig:
    """The service's configuration from the environment, as a deployment gives it (clone as CHECKOUT, small proof of work)."""
    checkout = tmp_path / "checkout"
    git(tmp_path, "clone", "-q", str(bare_repo), str(checkout))
    return BotConfig.from_env(service_env(tmp_path / "work", checkout, bare_repo))


@pytest.fixture
def clock() -> Clock:
    """The app's clock, which a test moves forward instead of sleeping (form time, rate limits)."""
    return Clock()


@pytest.fixture
def app(config: BotConfig, clock: Clock):
    """The app with its real plain-git host, pushing to the bare repository (Flask's ``app`` fixture)."""
    return create_app(config, clock=clock, worker_idle=0.05)


@pytest.fixture
def client(app):
    """A test client of the app, with its lifespan (and so its worker) running (Flask's ``client``)."""
    with TestClient(app, base_url="http://testserver") as client:
        yield client


# --- photos, mail and forms -------------------------------------------------------------------------


@pytest.fixture(scope="module")
def gps_jpeg() -> bytes:
    """A JPEG with camera make, serial number and GPS in its EXIF, which the web and issue forms must both strip."""
    image = Image.new("RGB", (900, 700), (200, 120, 40))
    exif = Image.Exif()
    exif[0x010F] = "SecretCam"  # Make
    exif[0xA431] = "SERIAL-12345"  # BodySerialNumber
    gps = exif.get_ifd(GPS_IFD)
    gps[1], gps[2] = "N", (52.0, 22.0, 30.5)
    gps[3], gps[4] = "E", (9.0, 44.0, 10.25)
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", exif=exif)
    data = buffer.getvalue()
    assert Image.open(io.BytesIO(data)).getexif().get_ifd(GPS_IFD), "the fixture must carry GPS"
    return data


@pytest.fixture
def smtp():
    """A running SMTP server on 127.0.0.1 that keeps the mails, so a test reads what the service sent."""
    server = SmtpServer()
    server.start()
    yield server
    server.stop()


@pytest.fixture
def down_smtp():
    """An SMTP server that is not running yet (its port is free): the test starts it when it likes."""
    server = SmtpServer()
    yield server
    server.stop()


@pytest.fixture
def mailing(config, clock, bare_repo, smtp):
    """The service with the e-mail check on, sending through the captured SMTP server."""
    running = service(mail_config_for(config, smtp), clock, bare_repo, smtp)
    yield running
    running.app.state.spool.close()


@pytest.fixture
def root(tmp_path: Path) -> Path:
    """A repository root with a private copy of the sample network's content/, which a submission is checked against."""
    site = tmp_path / "repo"
    shutil.copytree(REPO / "content", site / "content")
    return site


@pytest.fixture
def issue_root(root: Path) -> Path:
    """``root`` plus the issue forms and the pull request template, which the issue-form converter reads."""
    add_issue_forms(root)
    return root


@pytest.fixture(scope="module")
def form() -> IssueForm:
    """The repository's new-profile issue form, loaded once per module (the issue-form tests parse against it)."""
    return IssueForm.load(REPO / PROFILE_FORM)


@pytest.fixture
def photos(gps_jpeg: bytes) -> Iterator[PhotoServer]:
    """A running PhotoServer standing in for GitHub's attachments: it serves the recorded issue's photo."""
    server = PhotoServer()
    server.routes[f"/user-attachments/assets/{ASSET}"] = (200, {"Content-Type": "image/jpeg"}, gps_jpeg)
    server.thread.start()
    yield server
    server.server.shutdown()
    server.server.server_close()


@pytest.fixture
def content_repo(tmp_path: Path) -> Path:
    """A real git repository whose first commit holds the fixture site's content, for the PR summary and staleness."""
    repo = tmp_path / "repo"
    shutil.copytree(FIXTURE_SITE / "content", repo / "content")
    (repo / "README.md").write_text("# Fixture\n", "utf-8")
    git(repo, "init", "-q", "-b", "main")
    for key, value in (
        ("user.name", "Test"),
        ("user.email", "test@example.org"),
        ("commit.gpgsign", "false"),
    ):
        git(repo, "config", key, value)
    commit_all(repo, "Fixture content")
    return repo
