"""Nothing a stranger types is markup to staff: hostile values through every text CuCon writes for staff.

Each value of :data:`HOSTILE` goes through each sink, for real: a call posted to the running service,
which commits to a real bare repository (the commit message); a call whose pull request the GitHub
stand-in receives (its title and body), and whose merge request the GitLab stand-in receives (no
line of its description a quick action); an issue turned into a comment by ``cucon bot from-issue``;
``cucon summary`` of a real git repository; ``cucon check --format github``; and the hidden form
field ``consent_version``, which takes no value but one of its allow-list.

The Markdown is rendered with cmark-gfm, GitHub's renderer, and must have the very structure of the
same text with a harmless value: the stranger's text is only ever inside ``<code>``, where GitHub
neither links, mentions, references nor renders HTML, and it is there word for word. The plain
texts (commit message, title) hold nothing GitHub or a CI acts on, and read the same once the
zero-width spaces are taken out.
"""

from __future__ import annotations

import datetime as dt
import html
import json
import re
import shutil
import subprocess
from pathlib import Path

import cmarkgfm
import lxml.html
import pytest
from cmarkgfm.cmark import Options
from fakes.github import FakeGitHub
from fakes.gitlab import FakeGitLab
from starlette.testclient import TestClient
from support import (
    FIXTURE_SITE,
    REPO,
    branches,
    commit_all,
    fill,
    fill_form,
    git,
    jpeg_with_exif,
    post,
    send,
    wait_for,
)

from cucon import cli
from cucon.bot.app import create_app
from cucon.bot.githost import GitHubHost
from cucon.bot.gitlab import GitLabHost
from cucon.bot.issueform import ISSUE_FORMS
from cucon.bot.spool import TITLE_MAX, UNCONFIRMED, change_of, staff_checklist, unspooled
from cucon.bot.submission import call_submission, markdown_file, profile_submission
from cucon.frontmatter import read_document
from cucon.inert import BREAK, one_line

HOSTILE = [
    ("skip ci", "Konzert [skip ci]"),
    ("ci skip", "Konzert [ci skip]"),
    ("no ci", "Konzert [no ci]"),
    ("skip actions", "Konzert [skip actions]"),
    ("actions skip", "Konzert [actions skip]"),
    ("skip ci in capitals", "Konzert [SKIP CI]"),
    ("closing keyword", "Closes #1"),
    ("closing keyword, other repository", "fixes owner/repo#2"),
    ("closing keyword, issue address", "resolves https://github.com/cucon/site/issues/3"),
    ("GH reference", "Sommerfest GH-12"),
    ("mention", "@team"),
    ("team mention", "@org/staff"),
    ("name with a mention and a keyword", "Erika @org/staff closes #2"),
    ("tracking pixel", "<img src=https://evil.example/p.png>"),
    ("Markdown link", "[click](https://evil.example)"),
    ("Markdown image", "![x](https://evil.example/p.png)"),
    ("bare address", "https://evil.example"),
    ("www address", "www.evil.example"),
    ("fake verified line", "✅ **E-Mail bestätigt / E-mail verified.**"),
    ("heading, checkbox and table", "## Geprüft\n- [x] E-Mail bestätigt | ok |"),
    ("backticks", "a `` ` b ``` c"),
    ("backticks at both ends", "`x`"),
    ("skip-checks trailer", "Erika\n\nskip-checks: true"),
    ("co-author trailer", "Konzert\r\nCo-authored-by: Eve <eve@evil.example>"),
    ("GitLab quick action", "/close"),
    ("GitLab quick action on a line of its own", "Konzert\n/assign @eve\n  /merge"),
    ("full-width look-alikes", "Erika ＠team ＃3 ［skip ci］"),
    ("long, cut to GitHub's limit", "@team " + "#" * 113 + "1"),
]
"""(what it tries, the value): each a title, a name, a key or a choice a stranger could send."""

VALUES = [pytest.param(value, id=name) for name, value in HOSTILE]
GITLAB_VALUES = [
    pytest.param(value, id=name) for name, value in HOSTILE if "GitLab" in name or "mention" in name
]
HARMLESS = "Konzert im Park"
PREFIX = {"call": "Neue Ausschreibung / New call: ", "profile": "Neues Profil / New profile: "}

ACTIVE = {
    "mention": re.compile(r"[@＠﹫][A-Za-z0-9]"),
    "reference": re.compile(r"[#＃﹟]\d|GH-\d", re.IGNORECASE),
    "address": re.compile(r"https?://|www\.", re.IGNORECASE),
    "quick action": re.compile(r"^[ \t]*/", re.MULTILINE),
    "skip instruction": re.compile(
        r"[\[［]\s*(?:skip ci|ci skip|no ci|skip actions|actions skip)\s*[\]］]|skip-checks", re.IGNORECASE
    ),
}
"""What GitHub, GitLab or a CI acts on in a plain text (mentions and references also in look-alike
characters; GitLab's quick actions are lines that start with a slash)."""


def acted_on(text: str) -> list[str]:
    """The kinds of things in a plain text that GitHub or a CI would act on."""
    return [name for name, pattern in ACTIVE.items() if pattern.search(text)]


def reads_as(shown: str, expected: str) -> bool:
    """True when a plain text, without its zero-width spaces, is the expected text (or, cut with "…",
    its beginning)."""
    visible = shown.replace(BREAK, "")
    return visible == expected or (shown.endswith("…") and expected.startswith(visible[:-1]))


def rendered(markdown: str) -> lxml.html.HtmlElement:
    """Markdown as GitHub renders it: cmark-gfm with GitHub's extensions, raw HTML let through (GitHub
    sanitises it afterwards, but keeps an ``<img>``)."""
    page = cmarkgfm.github_flavored_markdown_to_html(markdown, options=Options.CMARK_OPT_UNSAFE)
    return lxml.html.fragment_fromstring(page, create_parent="div")


def skeleton(markdown: str) -> str:
    """The rendered HTML with the text of every code element replaced by "…": all that is markup."""
    tree = rendered(markdown)
    for element in tree.iter("code"):
        element.text = "…"
    return lxml.html.tostring(tree, encoding="unicode")


def assert_inert(markdown: str, harmless: str, value: str) -> None:
    """The Markdown renders exactly as the same text with a harmless value does, but for the text of
    code elements, where every word of the value is to be read."""
    assert skeleton(markdown) == skeleton(harmless), markdown
    tree = rendered(markdown)
    assert not tree.xpath("//a | //img"), markdown
    shown = " ".join(element.text_content() for element in tree.iter("code"))
    assert [word for word in value.split() if word not in shown] == [], markdown


def today(clock) -> dt.date:
    """The service's day, by its clock."""
    return dt.datetime.fromtimestamp(clock(), dt.UTC).date()


# --- the commit message, in a real bare repository ---------------------------------------------------


@pytest.mark.parametrize("value", VALUES)
def test_the_commit_message_holds_nothing_github_or_ci_acts_on(client, clock, bare_repo, value):
    """Posted to the service as a call's title: the commit pushed to the bare repository has the
    template's three lines, no trailer, nothing to act on, and the title readable."""
    response = post(client, "call", fill_form(client, clock, "call", title=value))
    assert response.status_code == 202, response.text
    wait_for(lambda: client.app.state.spool.counts()["proposed"] == 1)
    [branch] = branches(bare_repo)
    message = git(bare_repo, "log", "-1", "--format=%B", branch).rstrip("\n")
    subject, *rest = message.split("\n")
    assert rest == ["", "Submitted through the CuCon submission service."]
    assert acted_on(message) == [], message
    assert reads_as(subject, PREFIX["call"] + one_line(value)), subject
    trailers = subprocess.run(
        ["git", "interpret-trailers", "--parse"], input=message, capture_output=True, text=True, check=True
    )
    assert trailers.stdout == ""


# --- the pull request and the merge request, as the GitHub and GitLab stand-ins receive them ---------


def harmless_change(kind: str, form: dict, checkout: Path, day: dt.date):
    """The change the service proposes for the same form with a harmless title or name."""
    if kind == "call":
        submission = call_submission({**form, "title": HARMLESS}, checkout, day)
    else:
        photo = jpeg_with_exif()
        submission = profile_submission({**form, "name": HARMLESS}, photo, "portrait.jpg", checkout, day)
    organiser = UNCONFIRMED if kind == "call" else None  # the call's profile has no owner to ask
    return change_of(unspooled(submission), staff_checklist(checkout), organiser=organiser)


def fixture_site() -> dict[str, bytes]:
    """Every file of the fixture site, by its path in the repository."""
    return {
        p.relative_to(FIXTURE_SITE).as_posix(): p.read_bytes() for p in FIXTURE_SITE.rglob("*") if p.is_file()
    }


def proposed_through(config, clock, host, kind: str, value: str) -> dict:
    """Post ``value`` as a call's title or a profile's name to a service with ``host`` as its forge and
    wait until the entry is proposed; the form as posted."""
    app = create_app(config, host, clock=clock, worker_idle=0.05)
    with TestClient(app) as client:
        if kind == "call":
            form = fill_form(client, clock, "call", title=value)
            response = post(client, "call", form)
        else:
            form = fill(client, clock, name=value)
            response = send(client, form)
        assert response.status_code == 202, response.text
        wait_for(lambda: app.state.spool.counts()["proposed"] == 1)
    return form


@pytest.mark.parametrize("kind", ["call", "profile"])
@pytest.mark.parametrize("value", VALUES)
def test_the_pull_request_shows_the_value_as_text(config, clock, value, kind):
    """Posted as a call's title or a profile's name to a service with a GitHub host: the title and the
    commit hold nothing to act on, the title fits GitHub's limit; the body renders like a harmless
    entry's, the value inside code."""
    with FakeGitHub(files=fixture_site()) as fake, GitHubHost(fake.url, fake.token, fake.repository) as host:
        form = proposed_through(config, clock, host, kind, value)
        [pull] = fake.pulls
        commit = fake.commit_of(pull["head"]["ref"])["message"]
    assert acted_on(pull["title"]) == [], pull["title"]
    assert len(pull["title"]) <= TITLE_MAX
    assert reads_as(pull["title"], PREFIX[kind] + one_line(value)), pull["title"]
    assert acted_on(commit) == [], commit
    expected = harmless_change(kind, form, config.checkout, today(clock)).body
    assert_inert(pull["body"], expected, value)


@pytest.mark.parametrize("kind", ["call", "profile"])
@pytest.mark.parametrize("value", GITLAB_VALUES)
def test_the_merge_request_runs_no_quick_action(config, clock, value, kind):
    """Posted to a service with a GitLab host: the merge request's title and commit hold nothing to act
    on, no line of its description reads as a quick action, and the description renders like a
    harmless entry's, the value inside code."""
    with FakeGitLab(files=fixture_site()) as fake, GitLabHost(fake.url, fake.token, fake.project) as host:
        form = proposed_through(config, clock, host, kind, value)
        [request] = fake.merge_requests
        commit = fake.commit_of(request["source_branch"])["message"]
    assert acted_on(request["title"]) == [], request["title"]
    assert acted_on(commit) == [], commit
    assert ACTIVE["quick action"].findall(request["description"]) == [], request["description"]
    expected = harmless_change(kind, form, config.checkout, today(clock)).body
    assert_inert(request["description"], expected, value)


# --- the comment of `cucon bot from-issue` -----------------------------------------------------------


@pytest.fixture
def issue_checkout(tmp_path: Path) -> Path:
    """A checkout with content/, the issue forms and the pull request template."""
    root = tmp_path / "checkout"
    shutil.copytree(REPO / "content", root / "content")
    for form in ISSUE_FORMS.values():
        (root / form).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(REPO / form, root / form)
    shutil.copy(REPO / ".github" / "pull_request_template.md", root / ".github")
    return root


def comment_on_issue(checkout: Path, monkeypatch, kind: str) -> str:
    """The comment `cucon bot from-issue` writes on the recorded call issue with ``kind`` as its kind."""
    recorded = (REPO / "tests" / "fixtures" / "issues" / "call.md").read_text("utf-8")
    body = re.sub(r"(### Art der Ausschreibung / Kind of call\n\n).*?(?=\n\n### )", lambda m: m[1] + kind,
                  recorded, count=1, flags=re.S)  # fmt: skip
    assert body != recorded
    body_file = checkout / "body.md"
    body_file.write_text(body, "utf-8")
    with FakeGitHub(token="issue-token") as fake:
        number = fake.open_issue("Neue Ausschreibung / New call", body, ("new-call",))
        monkeypatch.setenv("GITHUB_TOKEN", "issue-token")
        monkeypatch.setenv("GITHUB_API_URL", fake.url)
        argv = ["bot", "from-issue", "--issue-number", str(number), "--body-file", str(body_file)]
        assert cli.main([*argv, "--repository", fake.repository, "--checkout", str(checkout)]) == 0
        assert fake.pulls == []
        [comment] = fake.comments
    return comment["body"]


@pytest.mark.parametrize("value", VALUES)
def test_the_issue_comment_shows_the_value_as_text(issue_checkout, monkeypatch, value):
    """Given as the kind of a call in an issue, the value comes back quoted in the problem: inside code."""
    comment = comment_on_issue(issue_checkout, monkeypatch, value)
    assert_inert(comment, comment_on_issue(issue_checkout, monkeypatch, "Lotterie"), value)


# --- `cucon summary` of a real git repository ------------------------------------------------------


def summary_of_change(repo: Path, capsys, branch: str, value: str) -> str:
    """`cucon summary` of a branch that adds a call titled ``value`` and adds the key ``value`` to another."""
    git(repo, "checkout", "-q", "-b", branch, "main")
    call = repo / "content" / "calls" / "residency-leipzig.md"
    document = read_document(call.read_text("utf-8"), with_body=True)
    call.write_text(markdown_file({**document.data, value: 1}, document.body).decode(), "utf-8")
    new = {**document.data, "id": "0b7c4f0e-8a53-4d8e-9a51-3c2f3f2d7a10", "title": value}
    (call.parent / "new-call.md").write_bytes(markdown_file(new, document.body))
    commit_all(repo, "A call")
    capsys.readouterr()
    assert cli.main(["summary", "--base", "main", "--head", branch, "--repo", str(repo)]) == 0
    return capsys.readouterr().out


@pytest.mark.parametrize("value", VALUES)
def test_the_summary_shows_the_value_as_text(content_repo, capsys, value):
    """A new call titled with the value and a key named with it: both lines hold them inside code."""
    summary = summary_of_change(content_repo, capsys, "hostile", value)
    assert "geändert: `" in summary
    assert_inert(summary, summary_of_change(content_repo, capsys, "harmless", HARMLESS), value)


# --- `cucon check --format github` ----------------------------------------------------------------


def _unescape(text: str, prop: bool = False) -> str:
    """A workflow command's value as the runner reads it back (its escapes, ``%25`` last)."""
    for escaped, plain in (("%0D", "\r"), ("%0A", "\n"), *((("%3A", ":"), ("%2C", ",")) if prop else ())):
        text = text.replace(escaped, plain)
    return text.replace("%25", "%")


def annotations(output: str) -> list[tuple[str, int, str, str]]:
    """The ``::error`` commands of a run's output as the runner reads them: file, line, title, message."""
    found = []
    for line in output.splitlines():
        command = re.fullmatch(r"::error (?P<props>[^:]*)::(?P<message>.*)", line)
        assert command, line
        props = dict(part.split("=", 1) for part in command["props"].split(","))
        assert set(props) == {"file", "line", "title"}, line
        found.append((_unescape(props["file"], True), int(props["line"]), _unescape(props["title"], True),
                      _unescape(command["message"])))  # fmt: skip
    return found


@pytest.mark.parametrize("value", VALUES)
def test_check_annotations_carry_the_value_and_nothing_else(content_repo, capsys, value):
    """A key named with the value: one annotation per problem, each read back by the runner's rules as
    exactly the problem `--format json` reports; no second command, no other line."""
    call = content_repo / "content" / "calls" / "residency-leipzig.md"
    document = read_document(call.read_text("utf-8"), with_body=True)
    call.write_text(markdown_file({**document.data, value: 1}, document.body).decode(), "utf-8")
    content = str(content_repo / "content")
    capsys.readouterr()
    assert cli.main(["check", "--content", content, "--format", "json"]) == 1
    problems = json.loads(capsys.readouterr().out)
    assert cli.main(["check", "--content", content, "--format", "github"]) == 1
    found = annotations(capsys.readouterr().out)
    assert found == [(p["path"], p["line"], p["field"], p["message"]) for p in problems]
    assert any(value.strip() in field + message for _, _, field, message in found), found


# --- consent_version: only from its allow-list -----------------------------------------------------


@pytest.mark.parametrize("value", VALUES)
def test_a_consent_version_off_the_list_gets_422_and_no_branch(client, clock, bare_repo, value):
    """The hidden field set to the value: 422 with a plain message, nothing spooled, no branch."""
    response = post(client, "call", fill_form(client, clock, "call", consent_version=value))
    assert response.status_code == 422
    assert "Ist keine Version des Einwilligungstextes" in html.unescape(response.text)
    assert sum(client.app.state.spool.counts().values()) == 0
    assert branches(bare_repo) == []
