"""The issue-form path: a new-profile issue becomes the same files, and the same pull request, as the form.

The recorded issue body (tests/fixtures/issues/profile.md) is written as GitHub renders a filled-in
.github/ISSUE_TEMPLATE/new-profile.yml. Photos come from a local HTTP server that the tests put on
the allow-list in place of GitHub's attachment addresses; GitHub's API is FakeGitHub.
"""

from __future__ import annotations

import io
import json
import os
import re
import shutil
from pathlib import Path

import pytest
import yaml
from fakes.github import FakeGitHub
from PIL import Image
from support import (
    ASSET,
    FIXTURE_SITE,
    GITHUB_ASSETS,
    RECORDED,
    REPO,
    TODAY,
    PhotoServer,
    add_issue_forms,
    call_form,
    git,
    news_form,
    output_of,
    recorded_body,
    replace_section,
    run_cucon,
    valid_form,
)

from cucon import cli, schema
from cucon.bot import checks, issueform
from cucon.bot.githost import BranchCommit, GitHubHost
from cucon.bot.issueform import (
    CALL_FORM,
    CALL_SECTIONS,
    CHOICE_FIELDS,
    CONSENT_VERSION,
    ISSUE_FORMS,
    NEWS_FORM,
    NEWS_SECTIONS,
    PROFILE_FORM,
    SECTIONS,
    IssueForm,
    PhotoRefused,
    choice_lookup,
    detect,
    download_photo,
    form_values,
    issue_submission,
    propose_issue,
    to_value,
)
from cucon.bot.submission import (
    FORMS,
    PROFILE_FIELDS,
    SubmissionInvalid,
    call_submission,
    news_submission,
    profile_submission,
)
from cucon.images import MAX_BYTES

UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
TOKEN = "issue-token"


# --- fixtures ------------------------------------------------------------------------------------


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A real git repository on main that builds as `make html` does: the small fixture site's content
    (it builds in seconds), the issue forms, the pull request template, the settings, theme and plugins."""
    site = tmp_path / "git"
    shutil.copytree(FIXTURE_SITE / "content", site / "content")
    add_issue_forms(site)
    shutil.copy(REPO / "pelicanconf.py", site)
    for folder in ("theme", "plugins"):
        shutil.copytree(REPO / folder, site / folder, ignore=shutil.ignore_patterns("__pycache__"))
    git(site, "init", "-q")
    git(site, "add", "-A")
    git(site, "commit", "-q", "-m", "The site")
    return site


def mirrored(fake: FakeGitHub, repo: Path) -> str:
    """Let the fake's main hold the local repository's HEAD under its own id (its files stand in)."""
    return fake.push(
        "main", {"README.md": b"# Site\n"}, "The site", sha=git(repo, "rev-parse", "HEAD").strip()
    )


def the_same_form() -> dict[str, str | list[str]]:
    """The web form post with the same data as the recorded issue (GitHub lists the cities in the
    order of the form's options)."""
    return valid_form(
        cities=["hannover", "leipzig"],
        instagram="https://www.instagram.com/mira.cello/",
        publish_email="on",
        looking_for="Eine Pianistin für Duo-Abende.",
        consent_version=CONSENT_VERSION,
    )


def without_id(files: dict[str, bytes]) -> dict[str, bytes]:
    """Files with every permanent id replaced by a fixed one."""
    return {
        path: UUID.sub("ID", data.decode()).encode() if path.endswith(".md") else data
        for path, data in files.items()
    }


# --- the form and the converter agree ------------------------------------------------------------


def test_the_recorded_issue_gives_the_same_files_as_the_form(issue_root, form, photos, gps_jpeg):
    """Converter and web form, given the same data, write the same files (but for the minted id)
    with the same content hash, so both would propose the same branch."""
    from_issue = issue_submission(recorded_body(photos), form, issue_root, TODAY, allowed=[photos.assets])
    from_form = profile_submission(the_same_form(), gps_jpeg, "mira.jpg", issue_root, TODAY)
    assert without_id(from_issue.files) == without_id(from_form.files)
    assert from_issue.content_hash == from_form.content_hash
    assert from_issue.permanent_id in from_issue.files["content/profiles/mira-sonnenfeld.md"].decode()
    assert photos.hits == [f"/user-attachments/assets/{ASSET}"]


def test_the_downloaded_photo_is_cleaned(issue_root, form, photos):
    """The photo from the issue reaches the files as a JPEG without EXIF (no camera, no GPS)."""
    submission = issue_submission(recorded_body(photos), form, issue_root, TODAY, allowed=[photos.assets])
    photo = submission.files["content/profiles/mira-sonnenfeld.jpg"]
    assert b"SecretCam" not in photo
    assert b"SERIAL-12345" not in photo
    assert not Image.open(io.BytesIO(photo)).getexif()


def test_unknown_sections_are_ignored_and_never_written(issue_root, form, photos):
    """Headings the form does not have (`save_as`, a path …) change nothing in the files."""
    body = recorded_body(photos)
    sneaky = body + "\n\n### save_as\n\n../../.github/workflows/evil.yml\n\n### template\n\nevil\n"
    plain = issue_submission(body, form, issue_root, TODAY, allowed=[photos.assets])
    extra = issue_submission(sneaky, form, issue_root, TODAY, allowed=[photos.assets])
    assert without_id(extra.files) == without_id(plain.files)
    assert b"evil" not in b"".join(extra.files.values())


@pytest.mark.parametrize("element_id", [i for i in SECTIONS if i != "photo"])
def test_every_section_maps_to_a_form_field(form, element_id):
    """Each id of the issue form's table is a field of the issue form and leads to web form fields."""
    assert element_id in form.labels
    names = {spec.name for spec in PROFILE_FIELDS} | {"links"}
    assert SECTIONS[element_id] in names


def test_the_issue_form_has_no_field_the_converter_drops(form):
    """Every field of the issue form is read: adding one without teaching the converter fails here."""
    assert set(form.labels) == set(SECTIONS)


@pytest.mark.parametrize("element_id", [*(i for i in CHOICE_FIELDS if i != "languages"), "offers", "seeks"])
def test_every_dropdown_option_maps_to_a_choice_of_the_form(issue_root, element_id):
    """Each option of the issue form's dropdowns is a value the web form offers."""
    body = yaml.safe_load((REPO / PROFILE_FORM).read_text("utf-8"))["body"]
    options = next(e for e in body if e.get("id") == element_id)["attributes"]["options"]
    lookup = choice_lookup(issue_root)[SECTIONS[element_id]]
    values = set(lookup.values())
    for option in options:
        assert to_value(option, lookup) in values, option


def test_what_one_offers_and_seeks_is_read_from_the_issue_as_slugs(issue_root, form):
    """GitHub writes a multiple dropdown as its options joined by commas; each becomes its slug, and
    a name not on the list stays as written, for the validator to name."""
    found = {
        "offers": "Ort oder Raum / Venue or space, Mentoring / Mentoring",
        "seeks": "Residenz / Residency, Atelier",
    }
    values = form_values(found, form, issue_root)
    assert values["offers"] == ["venue", "mentoring"]
    assert values["seeks"] == ["residency", "Atelier"]


def test_the_money_offered_is_read_from_the_call_issue(issue_root):
    """The award's kind is named in both languages on the issue form and becomes its slug; a German
    amount with a thousands point stays text here, for the form's mapping to read as 4000."""
    form = IssueForm.load(REPO / CALL_FORM)
    found = {
        "award-amount": "4.000",
        "award-currency": "EUR",
        "award-kind": "Honorar oder Auftragssumme / Fee or commission",
    }
    values = form_values(found, form, issue_root)
    assert values == {"award_amount": "4.000", "award_currency": "EUR", "award_kind": "fee"}


def test_the_consent_version_is_the_one_the_form_quotes(form):
    """The consent checkbox quotes the version the converter records, and the schema knows it."""
    assert CONSENT_VERSION in schema.CONSENT_VERSIONS
    assert f"(Version {CONSENT_VERSION})" in form.checkboxes["consent"][0]


# --- problems go back to the issue ---------------------------------------------------------------

BAD_VALUES = [
    ("Städte / Cities", "Hanover", "cities", "unknown city"),
    ("Kurzbeschreibung / Short description", "_No response_", "summary", ""),
    ("Einwilligung und Rechte / Consent and rights", "- [ ] nope", "consent", "consent"),
    ("Links", "http://mira.example/", "website", "https"),
]
"""(section, bad value, web form field with the problem, words in the message)."""


@pytest.mark.parametrize(("label", "value", "field", "words"), BAD_VALUES, ids=[b[2] for b in BAD_VALUES])
def test_a_bad_value_is_a_problem_on_its_field(issue_root, form, photos, label, value, field, words):
    """A bad value in one section is refused with a problem on its field, in the validator's words."""
    body = replace_section(recorded_body(photos), label, value)
    with pytest.raises(SubmissionInvalid) as refused:
        issue_submission(body, form, issue_root, TODAY, allowed=[photos.assets])
    messages = {p.field: p.message for p in refused.value.problems}
    assert field in messages
    assert words in messages[field]


def test_a_bad_value_is_commented_and_opens_no_pull_request(issue_root, form, photos):
    """An invalid issue gets a comment listing each problem under the issue form's label, in German
    and English, and no branch or pull request is made."""
    body = replace_section(recorded_body(photos), "Städte / Cities", "Hanover")
    with FakeGitHub(token=TOKEN) as fake, GitHubHost(fake.url, TOKEN, fake.repository) as host:
        number = fake.open_issue("Neues Profil / New profile: Mira", body, ("new-profile",))
        outcome = propose_issue(body, number, host, issue_root, TODAY, form=form, allowed=[photos.assets])
        assert outcome.url is None
        assert not outcome.created
        assert fake.pulls == []
        assert fake.branches == ["main"]
        [comment] = fake.comments
    assert comment["issue"] == number
    assert "bearbeiten Sie dieses Issue" in comment["body"]
    assert "Please edit this issue" in comment["body"]
    assert re.search(r"^- \*\*Städte / Cities\*\*: .*unknown city", comment["body"], re.M)


# --- the photo: where from, how large ------------------------------------------------------------


def test_a_photo_from_another_host_is_refused(issue_root, form, photos):
    """A photo address that is not on the allow-list is never fetched; the problem is on "photo"."""
    body = RECORDED.read_text("utf-8").replace(GITHUB_ASSETS, f"{photos.url}/elsewhere/")
    with pytest.raises(SubmissionInvalid) as refused:
        issue_submission(body, form, issue_root, TODAY, allowed=[photos.assets])
    [problem] = [p for p in refused.value.problems if p.field == "photo"]
    assert "uploaded into the issue on GitHub" in problem.message
    assert photos.hits == []


def test_a_redirect_off_the_allow_list_is_not_followed(photos):
    """Every hop of a redirect is checked against the allow-list, not only the first address."""
    photos.routes["/user-attachments/assets/jump"] = (302, {"Location": f"{photos.url}/elsewhere/x"}, b"")
    with pytest.raises(PhotoRefused, match="uploaded into the issue"):
        download_photo(f"{photos.assets}jump", [photos.assets])
    assert photos.hits == ["/user-attachments/assets/jump"]


def test_a_redirect_on_the_allow_list_is_followed(photos, gps_jpeg):
    """GitHub's attachment addresses redirect to its storage; allowed hops are followed."""
    photos.routes["/user-attachments/assets/jump"] = (
        302,
        {"Location": f"/user-attachments/assets/{ASSET}"},
        b"",
    )
    assert download_photo(f"{photos.assets}jump", [photos.assets]) == gps_jpeg


HUGE = [
    ("streamed without a length", (200, {}, MAX_BYTES + 4 * 65536)),
    ("announced by Content-Length", (200, {"Content-Length": str(MAX_BYTES + 1)}, 0)),
]


@pytest.mark.parametrize(("case", "route"), HUGE, ids=[h[0] for h in HUGE])
def test_a_huge_download_is_cut_at_the_cap(photos, case, route):
    """A photo larger than the images module's cap is refused, and not read to its end."""
    photos.routes["/user-attachments/assets/huge"] = route
    with pytest.raises(PhotoRefused, match="larger than 10 MB"):
        download_photo(f"{photos.assets}huge", [photos.assets])


def test_a_huge_photo_is_a_problem_on_photo(issue_root, form, photos):
    """In the whole conversion, the cut download is a problem on the photo field."""
    photos.routes[f"/user-attachments/assets/{ASSET}"] = (200, {}, MAX_BYTES + 4 * 65536)
    with pytest.raises(SubmissionInvalid) as refused:
        issue_submission(recorded_body(photos), form, issue_root, TODAY, allowed=[photos.assets])
    assert [p.message for p in refused.value.problems if p.field == "photo"] == [
        "the photo is larger than 10 MB; at most 10 MB allowed"
    ]


def test_two_photos_are_refused(issue_root, form, photos):
    """One photo per profile: two pictures in the photo section are a problem, and none is fetched."""
    body = replace_section(
        recorded_body(photos), "Foto / Photo", f"![a]({photos.assets}{ASSET})\n![b]({photos.assets}other)"
    )
    with pytest.raises(SubmissionInvalid) as refused:
        issue_submission(body, form, issue_root, TODAY, allowed=[photos.assets])
    assert ("photo", "give one photo only") in [(p.field, p.message) for p in refused.value.problems]
    assert photos.hits == []


PHOTO_MARKUP = [
    ("html image", '<img width="900" alt="Image" src="{url}" />'),
    ("markdown image", "![portrait](<{url}>)"),
    ("attachment link", "[mira.jpg]({url})"),
    ("bare address", "{url}"),
]


@pytest.mark.parametrize(("case", "markup"), PHOTO_MARKUP, ids=[m[0] for m in PHOTO_MARKUP])
def test_the_photo_is_found_in_each_way_github_writes_it(photos, case, markup):
    """A dragged picture (as `<img>` or `![…](…)`), an attachment link or a bare address."""
    url = f"{photos.assets}{ASSET}"
    assert [link.url for link in issueform.photo_links(markup.format(url=url))] == [url]


def test_githubs_attachment_addresses_are_allowed_by_default():
    """The default allow-list takes GitHub's attachments and nothing else of github.com."""
    allowed = issueform.GITHUB_ATTACHMENTS
    assert issueform.allowed_url(f"{GITHUB_ASSETS}{ASSET}", allowed)
    assert issueform.allowed_url("https://private-user-images.githubusercontent.com/1/2-a.jpg?jwt=x", allowed)
    assert not issueform.allowed_url("https://github.com/someone/repo/raw/main/x.jpg", allowed)
    assert not issueform.allowed_url("https://example.org/x.jpg", allowed)


# --- the command, end to end ---------------------------------------------------------------------


def test_the_command_opens_the_pull_request_and_comments_its_address(
    repo, photos, monkeypatch, capsys, tmp_path
):
    """`cucon bot from-issue` against FakeGitHub: one pull request with the bot's labels, the files of
    the form and a note that closes the issue; a comment on the issue with the pull request's address."""
    body_file = tmp_path / "body.md"
    body_file.write_text(recorded_body(photos), "utf-8")
    monkeypatch.setattr(issueform, "GITHUB_ATTACHMENTS", (photos.assets,))
    with FakeGitHub(token=TOKEN) as fake:
        mirrored(fake, repo)
        number = fake.open_issue("Neues Profil / New profile: Mira", body_file.read_text("utf-8"))
        monkeypatch.setenv("GITHUB_TOKEN", TOKEN)
        monkeypatch.setenv("GITHUB_API_URL", fake.url)
        argv = ["bot", "from-issue", "--issue-number", str(number), "--body-file", str(body_file)]
        argv += ["--repository", fake.repository, "--checkout", str(repo)]
        assert cli.main(argv) == 0
        [pull] = fake.pulls
        files = fake.files_of(pull["head"]["ref"])
        [comment] = fake.comments
        assert cli.main(argv) == 0  # the same issue again (an edit that changed nothing): no second PR
        assert len(fake.pulls) == 1
        assert len(fake.comments) == 1
    assert pull["head"]["ref"] == f"submissions/issue-{number}"
    assert {label["name"] for label in pull["labels"]} == {"bot", "new-profile"}
    assert f"Closes #{number}" in pull["body"]
    assert "E-mail not verified" in pull["body"]
    assert set(files) >= {"content/profiles/mira-sonnenfeld.md", "content/profiles/mira-sonnenfeld.jpg"}
    assert comment["issue"] == number
    assert pull["html_url"] in comment["body"]
    assert capsys.readouterr().out.strip().splitlines()[0] == pull["html_url"]


def test_the_command_comments_problems_and_exits_0(issue_root, tmp_path, monkeypatch):
    """The installed command, in a fresh process: an issue without a photo gets the problem as a
    comment, no pull request, and exit status 0 (the workflow run is not a failure)."""
    body = replace_section(RECORDED.read_text("utf-8"), "Foto / Photo", "_No response_")
    body_file = tmp_path / "body.md"
    body_file.write_text(body, "utf-8")
    with FakeGitHub(token=TOKEN) as fake:
        number = fake.open_issue("Neues Profil / New profile: Mira", body)
        monkeypatch.setenv("GITHUB_TOKEN", TOKEN)  # run_cucon passes the environment on
        monkeypatch.setenv("GITHUB_API_URL", fake.url)
        monkeypatch.setenv("GITHUB_REPOSITORY", fake.repository)
        result = run_cucon(
            "bot", "from-issue", "--issue-number", str(number), "--body-file", str(body_file), cwd=issue_root
        )
        assert result.returncode == 0, output_of(result)
        assert fake.pulls == []
        [comment] = fake.comments
    # Each problem in German, then in the validator's English words.
    assert re.search(
        r"^- \*\*Foto / Photo\*\*: `Ein Foto ist erforderlich.* / a photo is required", comment["body"], re.M
    )


def test_the_command_needs_a_token(issue_root, tmp_path, monkeypatch):
    """Without GITHUB_TOKEN the command stops with status 2 before anything is read or sent."""
    monkeypatch.delenv("GITHUB_TOKEN", raising=False)
    argv = ["bot", "from-issue", "--issue-number", "1", "--body-file", str(tmp_path / "none.md")]
    assert cli.main([*argv, "--repository", "cucon/site", "--checkout", str(issue_root)]) == 2


# --- the call and news forms ---------------------------------------------------------------------

RECORDED_CALL = REPO / "tests" / "fixtures" / "issues" / "call.md"
RECORDED_NEWS = REPO / "tests" / "fixtures" / "issues" / "news.md"
NEWS_ASSET = "7c1d2e3f-4a5b-4c6d-8e9f-0a1b2c3d4e5f"


@pytest.fixture
def news_photos(photos: PhotoServer, gps_jpeg: bytes) -> PhotoServer:
    """The photo server, also serving the recorded news issue's image."""
    photos.routes[f"/user-attachments/assets/{NEWS_ASSET}"] = (200, {"Content-Type": "image/jpeg"}, gps_jpeg)
    return photos


def the_same_call() -> dict[str, str | list[str]]:
    """The web form post with the same data as the recorded call issue."""
    return call_form(deadline_date="2027-01-31", results="2027-03-01", email="")


def the_same_news() -> dict[str, str | list[str]]:
    """The web form post with the same data as the recorded news issue."""
    return news_form(event_start_date="2027-06-12", event_end_date="2027-06-12", email="")


def test_the_recorded_call_issue_gives_the_same_files_as_the_form(issue_root):
    """Converter and web form, given the same call, write the same file with the same content hash."""
    form = IssueForm.load(REPO / CALL_FORM)
    assert form.kind == "call"
    from_issue = issue_submission(RECORDED_CALL.read_text("utf-8"), form, issue_root, TODAY)
    from_form = call_submission(the_same_call(), issue_root, TODAY)
    assert without_id(from_issue.files) == without_id(from_form.files)
    assert from_issue.content_hash == from_form.content_hash
    text = from_issue.files["content/calls/klangraume-2027.md"].decode()
    assert "profile: agnieszka-lipinska" in text  # the organiser's name found its profile
    assert "deadline: 2027-01-31 18:00" in text


def test_the_recorded_news_issue_gives_the_same_files_as_the_form(issue_root, news_photos, gps_jpeg):
    """Converter and web form, given the same event with an image, write the same files."""
    form = IssueForm.load(REPO / NEWS_FORM)
    assert form.kind == "news"
    body = RECORDED_NEWS.read_text("utf-8").replace(GITHUB_ASSETS, news_photos.assets)
    from_issue = issue_submission(body, form, issue_root, TODAY, allowed=[news_photos.assets])
    from_form = news_submission(the_same_news(), gps_jpeg, "konzert.jpg", issue_root, TODAY)
    assert without_id(from_issue.files) == without_id(from_form.files)
    assert from_issue.content_hash == from_form.content_hash
    image = from_issue.files["content/news/konzert-im-maschpark.jpg"]
    assert b"SecretCam" not in image
    assert news_photos.hits == [f"/user-attachments/assets/{NEWS_ASSET}"]


@pytest.mark.parametrize(
    ("path", "table"), [(CALL_FORM, CALL_SECTIONS), (NEWS_FORM, NEWS_SECTIONS)], ids=["call", "news"]
)
def test_every_field_of_the_call_and_news_forms_is_read(path, table):
    """Each field of the issue form has a row, and each row leads to fields of the web form."""
    form = IssueForm.load(REPO / path)
    assert set(form.labels) == set(table)
    names = {f.name for f in FORMS[form.kind].fields}
    for name in table.values():
        assert name in names or any(n.startswith(f"{name}_") for n in names), name


@pytest.mark.parametrize(
    ("path", "element_id", "field"),
    [(CALL_FORM, "kind", "kind"), (CALL_FORM, "covers", "covers"), (CALL_FORM, "offers", "offers"),
     (CALL_FORM, "cities", "cities"),
     (CALL_FORM, "open-to-cities", "open_to_cities"), (CALL_FORM, "lang", "lang"), (NEWS_FORM, "kind", "kind"),
     (CALL_FORM, "award-kind", "award_kind"),
     (NEWS_FORM, "disciplines", "disciplines")],
)  # fmt: skip
def test_every_dropdown_option_of_the_call_and_news_forms_maps_to_a_choice(
    issue_root, path, element_id, field
):
    """Each option of the issue forms' dropdowns is a value the web form offers."""
    form = IssueForm.load(REPO / path)
    body = yaml.safe_load((REPO / path).read_text("utf-8"))["body"]
    options = next(e for e in body if e.get("id") == element_id)["attributes"]["options"]
    lookup = choice_lookup(issue_root, form.kind)[field]
    for option in options:
        assert to_value(option, lookup) in set(lookup.values()), option


def test_the_form_is_told_by_its_fields():
    """Profile, call and news issues are told apart by their headings; another text matches none."""
    forms_ = [IssueForm.load(REPO / path) for path in ISSUE_FORMS.values()]
    for recorded, kind in ((RECORDED, "profile"), (RECORDED_CALL, "call"), (RECORDED_NEWS, "news")):
        assert detect(recorded.read_text("utf-8"), forms_).kind == kind
    assert detect("### save_as\n\nx", forms_) is None


def test_a_call_issue_becomes_a_pull_request_labelled_new_call(repo):
    """Without a form named, the command's code tells the call form and proposes it with its labels."""
    body = RECORDED_CALL.read_text("utf-8")
    with FakeGitHub(token=TOKEN) as fake, GitHubHost(fake.url, TOKEN, fake.repository) as host:
        mirrored(fake, repo)
        number = fake.open_issue("Neue Ausschreibung / New call: Klangräume", body, ("new-call",))
        outcome = propose_issue(body, number, host, repo, TODAY)
        [pull] = fake.pulls
        files = fake.files_of(pull["head"]["ref"])
    assert outcome.created
    assert pull["head"]["ref"] == f"submissions/issue-{number}"
    assert {label["name"] for label in pull["labels"]} == {"bot", "new-call"}
    assert "Einwilligung / Consent: v1" in pull["body"]
    assert f"Closes #{number}" in pull["body"]
    assert "content/calls/klangraume-2027.md" in files


def test_a_past_deadline_is_commented_under_the_forms_label(issue_root):
    """A call whose deadline has passed gets the validator's words under "Bewerbungsschluss / Deadline"."""
    body = replace_section(RECORDED_CALL.read_text("utf-8"), "Bewerbungsschluss / Deadline", "2026-01-31")
    with FakeGitHub(token=TOKEN) as fake, GitHubHost(fake.url, TOKEN, fake.repository) as host:
        number = fake.open_issue("Neue Ausschreibung / New call: Klangräume", body, ("new-call",))
        outcome = propose_issue(body, number, host, issue_root, TODAY)
        assert fake.pulls == []
        [comment] = fake.comments
    assert outcome.url is None
    assert re.search(
        r"^- \*\*Bewerbungsschluss / Deadline\*\*: `Die Frist ist schon vorbei.* / 'published' is after the deadline`",
        comment["body"],
        re.M,
    )


def test_an_issue_of_no_form_is_answered_and_proposes_nothing(issue_root):
    """A body that matches none of the forms gets a short comment and no pull request."""
    with FakeGitHub(token=TOKEN) as fake, GitHubHost(fake.url, TOKEN, fake.repository) as host:
        number = fake.open_issue("Hallo", "Just some text", ("new-call",))
        outcome = propose_issue("Just some text", number, host, issue_root, TODAY)
        assert fake.pulls == []
        [comment] = fake.comments
    assert outcome.url is None
    assert "matches none of our forms" in comment["body"]


# --- one checked pull request per issue ----------------------------------------------------------


def prepare_and_publish(repo: Path, fake: FakeGitHub, number: int, body: str, tmp_path: Path) -> dict:
    """The workflow's two jobs in fresh processes: `--prepare` without a token, `--publish` with one."""
    body_file, folder = tmp_path / f"body-{number}.md", tmp_path / f"proposal-{number}"
    body_file.write_text(body, "utf-8")
    issue = ["bot", "from-issue", "--issue-number", str(number), "--repository", fake.repository]
    prepared = run_cucon(*issue, "--body-file", str(body_file), "--prepare", str(folder), cwd=repo)
    assert prepared.returncode == 0, output_of(prepared)
    os.environ.update(GITHUB_TOKEN=TOKEN, GITHUB_API_URL=fake.url)
    try:
        published = run_cucon(*issue, "--publish", str(folder), cwd=repo)
    finally:
        del os.environ["GITHUB_TOKEN"], os.environ["GITHUB_API_URL"]
    assert published.returncode == 0, output_of(published)
    return json.loads((folder / "proposal.json").read_text("utf-8"))


def test_an_issues_pull_request_carries_the_checks_result(repo, tmp_path, monkeypatch):
    """The workflow's path: the checks ran on the branch before any token, and their result is the
    commit status `cucon/checks` on the pull request's head commit: success for a good issue."""
    monkeypatch.delenv("GITHUB_TOKEN", raising=False)
    body = RECORDED_CALL.read_text("utf-8")
    with FakeGitHub(token=TOKEN) as fake:
        mirrored(fake, repo)
        number = fake.open_issue("Neue Ausschreibung / New call: Klangräume", body, ("new-call",))
        proposal = prepare_and_publish(repo, fake, number, body, tmp_path)
        [pull] = fake.pulls
        head = fake.commit_of(pull["head"]["ref"])["sha"]
        [status] = fake.statuses
        [thanks] = fake.comments
    assert [o["name"] for o in proposal["checks"]["outcomes"]] == ["cucon check", "build", "summary"]
    assert all(o["passed"] for o in proposal["checks"]["outcomes"])
    assert (status["sha"], status["state"], status["context"]) == (head, "success", "cucon/checks")
    assert status["description"] == "passed: cucon check, build, summary"
    assert "Organiser: `Agnieszka Lipińska` (no profile)" in pull["body"]  # a name, not a profile
    assert "organiser-unconfirmed" not in [label["name"] for label in pull["labels"]]
    assert "Neue Ausschreibung: `Klangräume 2027`" in (
        tmp_path / f"proposal-{number}" / "summary.md"
    ).read_text("utf-8")
    assert thanks["issue"] == number
    assert TOKEN not in (tmp_path / f"proposal-{number}" / "proposal.json").read_text("utf-8")


def test_a_call_naming_a_profile_is_marked_organiser_not_confirmed(repo, tmp_path, monkeypatch):
    """This path has no mailbox to ask the profile's owner: its pull request always says so."""
    monkeypatch.delenv("GITHUB_TOKEN", raising=False)
    body = replace_section(RECORDED_CALL.read_text("utf-8"), "Wer schreibt aus / Organiser", "Tanz-Kollektiv")
    with FakeGitHub(token=TOKEN) as fake:
        mirrored(fake, repo)
        number = fake.open_issue("Neue Ausschreibung / New call: Klangräume", body, ("new-call",))
        prepare_and_publish(repo, fake, number, body, tmp_path)
        [pull] = fake.pulls
    assert "⚠️ **Veranstalter nicht bestätigt / Organiser not confirmed.**" in pull["body"]
    assert "Organiser: profile `tanz-kollektiv` (`Tanz-Kollektiv`)" in pull["body"]
    assert "organiser-unconfirmed" in [label["name"] for label in pull["labels"]]


def test_failed_checks_are_a_failure_status_and_a_comment_with_the_problems(repo, tmp_path, monkeypatch):
    """A branch that fails `cucon check` (here: a damaged photo on main, which the bot's validator
    stands in for and the real check reads) still becomes a pull request, so nothing is lost, but its
    head carries the status `failure`, and a comment on it lists the problems in a code block."""
    monkeypatch.delenv("GITHUB_TOKEN", raising=False)
    (repo / "content" / "profiles" / "anna-kowalska.jpg").write_bytes(b"not a jpeg\n")
    git(repo, "commit", "-q", "-am", "A damaged photo")
    body = RECORDED_CALL.read_text("utf-8")
    with FakeGitHub(token=TOKEN) as fake:
        mirrored(fake, repo)
        number = fake.open_issue("Neue Ausschreibung / New call: Klangräume", body, ("new-call",))
        prepare_and_publish(repo, fake, number, body, tmp_path)
        [pull] = fake.pulls
        [status] = fake.statuses
        on_issue, on_pull = fake.comments
    assert status["sha"] == fake.commit_of(pull["head"]["ref"])["sha"]
    assert status["state"] == "failure"
    assert status["description"].startswith("failed: cucon check")
    assert on_issue["issue"] == number
    assert on_pull["issue"] == pull["number"]
    assert "The checks (`cucon/checks`) failed" in on_pull["body"]
    assert re.search(
        r"^```+text\ncontent/profiles/anna-kowalska\.md:\d+: photo\.file: ", on_pull["body"], re.M
    )


def test_one_pull_request_per_issue_updated_by_each_edit(repo, photos):
    """Open, edit, edit, and an edit that changes nothing: one branch and one pull request, holding the
    latest content and title; a comment for the opening and each real edit, none for the empty one."""
    body = recorded_body(photos)
    edits = [
        body,
        replace_section(body, "Kurzbeschreibung / Short description", "Cellistin, sucht ein Duo."),
        replace_section(body, "Name", "Mira Sonnenfeld-Weber"),
    ]
    with FakeGitHub(token=TOKEN) as fake, GitHubHost(fake.url, TOKEN, fake.repository) as host:
        mirrored(fake, repo)
        number = fake.open_issue("Neues Profil / New profile: Mira", body, ("new-profile",))
        outcomes = [propose_issue(text, number, host, repo, TODAY, allowed=[photos.assets]) for text in edits]
        outcomes.append(propose_issue(edits[-1], number, host, repo, TODAY, allowed=[photos.assets]))
        [pull] = fake.pulls
        files = fake.files_of(f"submissions/issue-{number}")
        heads = [status["sha"] for status in fake.statuses]
        comments = [comment["body"] for comment in fake.comments]
        branch_head = fake.commit_of(f"submissions/issue-{number}")["sha"]
    assert [(o.created, o.updated) for o in outcomes] == [
        (True, False),
        (False, True),
        (False, True),
        (False, False),
    ]
    assert {o.url for o in outcomes} == {pull["html_url"]}
    assert [b for b in fake.branches if b != "main"] == [f"submissions/issue-{number}"]
    assert "Mira Sonnenfeld-Weber" in pull["title"]
    assert "Mira Sonnenfeld-Weber" in pull["body"]
    assert pull["state"] == "open"
    [markdown] = [path for path in files if path.endswith(".md") and path.startswith("content/profiles/mira")]
    assert "Mira Sonnenfeld-Weber" in files[markdown].decode()
    assert "Cellistin, sucht ein Duo." not in files[markdown].decode()  # each edit starts from main
    assert len(comments) == 3
    assert "This became a pull request" in comments[0]
    assert all("now holds this issue's content" in text for text in comments[1:])
    assert len(set(heads[:3])) == 3  # each real edit is a new commit, checked
    assert heads[-1] == branch_head
    assert all(o.state == "success" for o in outcomes)


def test_the_entry_keeps_its_permanent_id_across_edits(repo):
    """The id is the issue's, so an edit keeps it and another issue gets another."""
    body = RECORDED_CALL.read_text("utf-8")
    first = issueform.prepare_issue(body, 7, repo, TODAY, repository="cucon/site")
    again = issueform.prepare_issue(body, 7, repo, TODAY, repository="cucon/site")
    other = issueform.prepare_issue(body, 8, repo, TODAY, repository="cucon/site")
    assert first.change.files == again.change.files
    assert first.change.files != other.change.files
    assert (
        issueform.issue_permanent_id("cucon/site", 7)
        in first.change.files["content/calls/klangraume-2027.md"].decode()
    )


def _proposal(**changes) -> str:
    """A good proposal for issue 5 as JSON, with some of its values changed."""
    change = BranchCommit(
        branch="submissions/issue-5",
        files={"content/calls/x.md": b"---\n"},
        deletions=(),
        message="Neue Ausschreibung / New call",
        title="Neue Ausschreibung / New call",
        body="body",
        labels=("bot",),
    )
    checked = checks.Checks("0" * 40, (checks.Outcome("cucon check", True, ""),), "")
    data = json.loads(issueform.Proposal(5, "0" * 40, change, checked).to_json())
    for key, value in changes.items():
        target, _, name = key.rpartition("__")
        (data[target] if target else data)[name] = value
    return json.dumps(data)


BAD_PROPOSALS = [
    ("another issue's proposal", _proposal(issue=6), "is for issue #6"),
    ("another issue's branch", _proposal(change__branch="submissions/issue-6"), "branch is not the issue's"),
    ("the main branch", _proposal(change__branch="main"), "branch is not the issue's"),
    ("a path outside the tree", _proposal(change__files={"../x": "eA=="}), "refused path"),
    ("a path into .git", _proposal(change__files={".git/config": "eA=="}), "refused path"),
    ("a workflow", _proposal(change__files={".github/workflows/x.yml": "eA=="}), "outside content/"),
    ("the code", _proposal(change__files={"src/cucon/cli.py": "eA=="}), "outside content/"),
    ("a deletion outside content/", _proposal(change__deletions=["Makefile"]), "outside content/"),
    ("a file that is not base64", _proposal(change__files={"content/x.md": "%%%"}), "cannot be read"),
    ("an unknown field", _proposal(change__run="rm -rf /"), "cannot be read"),
    ("no change and no comment", _proposal(change=None, checks=None), None),
    ("not JSON", "<html>", "cannot be read"),
    ("a base that is a path", _proposal(base="../../../user"), "is not a commit SHA"),
    ("a title that is not text", _proposal(change__title=["x"]), "cannot be read"),
]


@pytest.mark.parametrize(("case", "text", "words"), BAD_PROPOSALS, ids=[row[0] for row in BAD_PROPOSALS])
def test_a_forged_proposal_writes_nothing(case, text, words):
    """The job with the token trusts no value of the prepared file it does not check: another issue's
    number or branch, paths that leave the tree, or anything unreadable, is refused before GitHub is
    called; a proposal without a change only comments (the fixed text that the issue matches no form)."""
    with FakeGitHub(token=TOKEN) as fake, GitHubHost(fake.url, TOKEN, fake.repository) as host:
        numbers = [fake.open_issue("x", "x") for _ in range(5)]
        assert numbers[-1] == 5
        if words is None:
            outcome = issueform.publish_proposal(issueform.Proposal.from_json(text), 5, host)
            assert outcome.url is None
            assert [c["body"] for c in fake.comments] == [issueform.UNKNOWN_FORM]
        else:
            with pytest.raises(ValueError, match=re.escape(words)):
                issueform.publish_proposal(issueform.Proposal.from_json(text), 5, host)
            assert fake.comments == []
        assert fake.branches == ["main"]
        assert fake.pulls == fake.statuses == []


def test_prepare_refuses_to_run_with_a_token(repo, tmp_path, monkeypatch):
    """`--prepare` reads the stranger's content: it stops when a token is in its environment."""
    monkeypatch.setenv("GITHUB_TOKEN", TOKEN)
    (tmp_path / "body.md").write_text(RECORDED_CALL.read_text("utf-8"), "utf-8")
    argv = ["bot", "from-issue", "--issue-number", "1", "--body-file", str(tmp_path / "body.md")]
    assert (
        cli.main(
            [*argv, "--repository", "cucon/site", "--checkout", str(repo), "--prepare", str(tmp_path / "p")]
        )
        == 2
    )
    assert not (tmp_path / "p").exists()


def test_the_checks_run_without_any_token(monkeypatch):
    """The checks' child processes get the environment without tokens or the runner's credentials."""
    monkeypatch.setenv("GITHUB_TOKEN", "a")
    monkeypatch.setenv("GH_TOKEN", "b")
    monkeypatch.setenv("ACTIONS_RUNTIME_TOKEN", "c")
    monkeypatch.setenv("ACTIONS_ID_TOKEN_REQUEST_URL", "d")
    env = checks.clean_environment()
    assert not {"GITHUB_TOKEN", "GH_TOKEN", "ACTIONS_RUNTIME_TOKEN", "ACTIONS_ID_TOKEN_REQUEST_URL"} & set(
        env
    )
    assert env["PATH"] == os.environ["PATH"]


# --- the name in Latin letters (issue 19) -----------------------------------------------------------

SORT_AS = "Name in lateinischen Buchstaben / Name in Latin letters (A–Z)"
"""The label of the issue form's optional field for ``sort_as``."""
EMPTY = "_No response_"
"""What GitHub writes for a field left empty."""


@pytest.mark.parametrize(
    ("reading", "written"),
    [
        ("Aioi Sound Lab", "name: 相生サウンドラボ\nsort_as: Aioi Sound Lab\n"),
        (EMPTY, "name: 相生サウンドラボ\n"),
    ],
    ids=["given", "left-empty"],
)
def test_the_issue_form_takes_the_name_in_latin_letters(issue_root, form, photos, reading, written):
    """The field is read into ``sort_as``; left empty, the profile is taken without it (it is optional)."""
    body = replace_section(recorded_body(photos), "Name", "相生サウンドラボ")
    body = replace_section(body, SORT_AS, reading)
    submission = issue_submission(body, form, issue_root, TODAY, allowed=[photos.assets])
    [profile] = [data.decode() for path, data in submission.files.items() if path.endswith(".md")]
    assert written in profile
    assert ("sort_as" in profile) == (reading != EMPTY)
