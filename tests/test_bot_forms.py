"""The call and news forms: posted to the service they become branches with valid files; bad input is
refused field by field, with no branch.

They share the profile form's pipeline (src/cucon/bot/submission.py) and routes; these tests post
real multipart forms to the app, which pushes to a real bare repository (tests/conftest.py).
"""

from __future__ import annotations

import html
import io
import re

import pytest
from PIL import Image
from support import (
    CALL_BAD,
    LATER,
    NEWS_BAD,
    REPO,
    TODAY,
    branch_like,
    branches,
    call_form,
    fill,
    fill_form,
    git,
    jpeg_with_exif,
    link_of,
    mail_config_for,
    news_form,
    output_of,
    post,
    proposed,
    run_build,
    run_cucon,
    send,
    service,
    wait_for,
)

from cucon import schema
from cucon.bot.messages import in_language
from cucon.bot.spool import change_of, unspooled
from cucon.bot.submission import (
    CALL,
    CALL_FIELDS,
    NEWS,
    NEWS_FIELDS,
    SubmissionInvalid,
    call_submission,
    form_fields,
    news_submission,
)
from cucon.bot.texts import label
from cucon.frontmatter import read_document
from cucon.phrases import PHRASES


def front_matter(submission, folder: str) -> tuple[dict, str]:
    """The front matter and body of a submission's Markdown file."""
    document = read_document(
        submission.files[f"content/{folder}/{submission.slug}.md"].decode(), with_body=True
    )
    return document.data, document.body


# --- the pipeline --------------------------------------------------------------------------------


def test_a_call_form_gives_a_file_that_passes_cucon_check(root):
    submission = call_submission(call_form(), root, TODAY)
    assert submission.kind == "call"
    assert list(submission.files) == ["content/calls/klangraume-2027.md"]
    data, body = front_matter(submission, "calls")
    assert data["published"] == TODAY.isoformat()
    assert data["deadline"] == f"{LATER.isoformat()} 18:00"
    assert data["organiser"] == {"profile": "agnieszka-lipinska"}
    assert data["open_to"] == {"cities": ["hannover", "leipzig"], "countries": ["PL", "FR"]}
    assert data["apply"] == "mailto:bewerbung@example.org"
    assert "fee" not in data  # no amount: no fee
    assert body.strip() == "Wir suchen Klangkunst.\n\nBewerbungen bitte per E-Mail."
    assert "organiser@example.org" not in submission.files["content/calls/klangraume-2027.md"].decode()
    assert submission.contact_email == "organiser@example.org"
    assert "Einwilligung / Consent: v1" in submission.summary_line
    assert submission.summary_line.startswith("Neue Ausschreibung: `Klangräume 2027`")
    for path, data_bytes in submission.files.items():
        (root / path).write_bytes(data_bytes)
    result = run_cucon("check", cwd=root)
    assert result.returncode == 0, output_of(result)


def test_a_fee_a_name_and_everyone(root):
    """An organiser without a profile, open to everyone, with a fee in an amount and a currency."""
    changes = {"organiser_profile": "", "organiser_name": "Kulturverein Linden", "open_to_cities": [],
               "open_to_countries": "", "open_to_everyone": "on", "fee_amount": "12,50", "fee_currency": "eur",
               "deadline_time": "", "apply": "https://linden.example/bewerben"}  # fmt: skip
    data, _ = front_matter(call_submission(call_form(**changes), root, TODAY), "calls")
    assert data["organiser"] == {"name": "Kulturverein Linden"}
    assert data["open_to"] == {"everyone": True}
    assert data["fee"] == {"amount": 12.5, "currency": "eur"}
    assert data["deadline"] == f"{LATER.isoformat()} 23:59"


def test_a_news_form_with_an_image_gives_files_that_pass_cucon_check(root):
    submission = news_submission(news_form(), jpeg_with_exif(), "IMG_1.JPG", root, TODAY)
    assert submission.kind == "news"
    slug = "konzert-im-maschpark"
    assert sorted(submission.files) == [f"content/news/{slug}.jpg", f"content/news/{slug}.md"]
    image = submission.files[f"content/news/{slug}.jpg"]
    assert b"SecretCam" not in image
    assert not Image.open(io.BytesIO(image)).getexif()
    data, _ = front_matter(submission, "news")
    assert data["date"] == TODAY.isoformat()
    assert data["event"] == {
        "start": f"{LATER.isoformat()} 19:30",
        "end": f"{LATER.isoformat()} 22:00",
        "venue": "Maschpark",
        "address": "Maschpark, 30159 Hannover",
    }
    assert data["image"] == {"file": f"{slug}.jpg", "alt": "Ein Orchester auf einer Bühne im Grünen",
                             "credit": "Erika Muster"}  # fmt: skip
    for path, data_bytes in submission.files.items():
        (root / path).write_bytes(data_bytes)
    result = run_cucon("check", cwd=root)
    assert result.returncode == 0, output_of(result)


def test_news_without_an_image_or_an_event(root):
    """The image is optional; a news item has no event block unless an event field is filled in."""
    changes = {f: "" for f in ("event_start_date", "event_start_time", "event_end_time", "event_venue",
                               "event_address", "image_alt", "image_credit")}  # fmt: skip
    submission = news_submission(news_form(kind="news", **changes), None, None, root, TODAY)
    assert list(submission.files) == ["content/news/konzert-im-maschpark.md"]
    data, _ = front_matter(submission, "news")
    assert "event" not in data
    assert "image" not in data


@pytest.mark.parametrize(("changes", "field", "words"), [pytest.param(*c[1:], id=c[0]) for c in CALL_BAD])
def test_a_bad_call_names_its_field(root, changes, field, words):
    with pytest.raises(SubmissionInvalid) as caught:
        call_submission(call_form(**changes), root, TODAY)
    assert {p.field for p in caught.value.problems} == {field}, caught.value.problems
    assert any(words in p.message for p in caught.value.problems), caught.value.problems
    # A German form shows every message in German (cucon.bot.messages, from the catalog).
    assert [p.message for p in caught.value.problems if in_language(p, "de").lang != "de"] == []


@pytest.mark.parametrize(
    ("changes", "image", "field", "words"), [pytest.param(*c[1:], id=c[0]) for c in NEWS_BAD]
)
def test_bad_news_names_its_field(root, changes, image, field, words):
    upload = jpeg_with_exif() if image == "jpeg" else image
    with pytest.raises(SubmissionInvalid) as caught:
        news_submission(news_form(**changes), upload, "x.jpg" if upload else None, root, TODAY)
    assert {p.field for p in caught.value.problems} == {field}, caught.value.problems
    assert any(words in p.message for p in caught.value.problems), caught.value.problems
    # A German form shows every message in German (cucon.bot.messages, from the catalog).
    assert [p.message for p in caught.value.problems if in_language(p, "de").lang != "de"] == []


def test_unknown_and_path_fields_are_ignored(root):
    tricks = {"save_as": "index.html", "template": "evil-template", "slug": "hijacked", "published": "2020-01-01",
              "id": "3f2b8c1e-5d4a-4e7b-9c0d-1a2b3c4d5e6f", "../x": "outside", "status": "hidden"}  # fmt: skip
    call = call_submission(call_form(**tricks), root, TODAY)
    news = news_submission(news_form(**tricks, date="2020-01-01"), None, None, root, TODAY)
    for submission, folder in ((call, "calls"), (news, "news")):
        assert list(submission.files) == [f"content/{folder}/{submission.slug}.md"]
        text = submission.files[f"content/{folder}/{submission.slug}.md"].decode()
        assert not [v for v in tricks.values() if v in text]


def test_labels_for_calls_and_news(root):
    """The pull request is labelled new-call or new-news, and both labels exist in labels.yml."""
    labels = (REPO / ".github" / "labels.yml").read_text("utf-8")
    for submission in (
        call_submission(call_form(), root, TODAY),
        news_submission(news_form(), None, None, root, TODAY),
    ):
        change = change_of(unspooled(submission))
        assert change.labels == ("bot", f"new-{submission.kind}")
        assert f"- name: new-{submission.kind}\n" in labels
        assert change.branch.startswith(f"submissions/{submission.kind}/{submission.slug}-")
        assert "Einwilligung / Consent: v1" in change.body
        assert submission.contact_email not in change.body  # the private address; the apply one is published


@pytest.mark.parametrize("kind", [CALL, NEWS], ids=["call", "news"])
def test_every_label_and_choice_has_german_and_english_words(root, kind):
    """No field, group or option of the forms falls back to its bare name."""
    for f in form_fields(kind, root):
        if f.type == "hidden":
            continue
        assert f"label.{kind.name}.{f.label}" in PHRASES or f"label.{f.label}" in PHRASES, f.label
        if f.group:
            assert f"label.group.{f.group}" in PHRASES, f.group
        for choice in f.choices:
            assert choice.de or f"label.{choice.label}" in PHRASES, choice.label


def test_the_forms_take_their_limits_and_choices_from_the_schema(root):
    fields = {f.name: f for f in CALL_FIELDS}
    assert fields["title"].max_length == schema.Call.model_json_schema()["properties"]["title"]["maxLength"]
    assert {c.value for c in fields["kind"].choices} == set(schema.CallKind.__args__)
    assert {c.value for c in fields["covers"].choices} == set(schema.Covered.__args__)
    assert [c.value for c in fields["offers"].choices] == list(schema.OFFERS)
    news = {f.name: f for f in NEWS_FIELDS}
    assert {c.value for c in news["kind"].choices} == set(schema.NewsKind.__args__)
    assert news["event_venue"].max_length == 120
    assert not news["image"].required
    organisers = {
        c.value for c in next(f for f in form_fields(CALL, root) if f.name == "organiser_profile").choices
    }
    assert "agnieszka-lipinska" in organisers
    assert label("field.kind", "de", "call") == "Art der Ausschreibung"


# --- the service ---------------------------------------------------------------------------------


def test_a_posted_call_becomes_a_branch_that_passes_the_check(client, clock, bare_repo, tmp_path):
    data = fill_form(client, clock, "call", save_as="../../pwned.html")
    response = post(client, "call", data)
    assert response.status_code == 202, response.text
    assert "/edit/" not in response.text  # edit links find profiles only
    wait_for(lambda: client.app.state.spool.counts()["proposed"] == 1)
    [branch] = branches(bare_repo)
    assert re.fullmatch(r"submissions/call/klangraume-2027-[0-9a-f]{10}", branch)
    clone = tmp_path / "branch"
    git(tmp_path, "clone", "-q", "--branch", branch, str(bare_repo), str(clone))
    assert git(clone, "diff", "--name-only", "origin/main", "HEAD").split() == [
        "content/calls/klangraume-2027.md"
    ]
    text = (clone / "content/calls/klangraume-2027.md").read_text("utf-8")
    assert "pwned" not in text
    assert "organiser@example.org" not in text
    check = run_cucon("check", cwd=clone)
    assert check.returncode == 0, output_of(check)


def test_what_a_profile_and_a_call_offer_and_seek_reach_their_files(client, clock, bare_repo, tmp_path):
    """Ticked boxes of the controlled list (labelled in the form's language) become the files' lists."""
    page = client.get("/profile/new?lang=de")
    assert 'value="venue"' in page.text
    assert "Was Sie anderen bieten" in page.text
    assert "Ort oder Raum" in page.text
    assert "Venue or space" in client.get("/call/new?lang=en").text
    response = send(client, fill(client, clock, offers=["venue", "workshop"], seeks=["residency"]))
    assert response.status_code == 202, response.text
    response = post(client, "call", fill_form(client, clock, "call", offers=["residency", "funding"]))
    assert response.status_code == 202, response.text
    proposed(client, 2)
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "-q", str(bare_repo), str(clone))
    found = {}
    for pattern, path in (
        (r"submissions/profile/erika-muster-[0-9a-f]{10}", "content/profiles/erika-muster.md"),
        (r"submissions/call/klangraume-2027-[0-9a-f]{10}", "content/calls/klangraume-2027.md"),
    ):
        git(clone, "checkout", "-q", branch_like(bare_repo, pattern))
        found[path] = read_document((clone / path).read_text("utf-8"), with_body=True).data
        check = run_cucon("check", cwd=clone)
        assert check.returncode == 0, output_of(check)
    assert found["content/profiles/erika-muster.md"]["offers"] == ["venue", "workshop"]
    assert found["content/profiles/erika-muster.md"]["seeks"] == ["residency"]
    assert found["content/calls/klangraume-2027.md"]["offers"] == ["residency", "funding"]


def test_a_posted_news_item_with_an_image_becomes_a_branch_that_passes_the_check(
    client, clock, bare_repo, tmp_path
):
    response = post(client, "news", fill_form(client, clock, "news", lang="en"), jpeg_with_exif())
    assert response.status_code == 202, response.text
    assert "Thank you!" in response.text
    wait_for(lambda: client.app.state.spool.counts()["proposed"] == 1)
    [branch] = branches(bare_repo)
    assert branch.startswith("submissions/news/konzert-im-maschpark-")
    clone = tmp_path / "branch"
    git(tmp_path, "clone", "-q", "--branch", branch, str(bare_repo), str(clone))
    assert git(clone, "diff", "--name-only", "origin/main", "HEAD").split() == [
        "content/news/konzert-im-maschpark.jpg",
        "content/news/konzert-im-maschpark.md",
    ]
    image = (clone / "content/news/konzert-im-maschpark.jpg").read_bytes()
    assert b"SecretCam" not in image
    check = run_cucon("check", cwd=clone)
    assert check.returncode == 0, output_of(check)


@pytest.mark.parametrize(
    ("kind", "changes", "field", "words"),
    [
        ("call", {"title": ""}, "title", "required"),
        ("call", {"deadline_date": "2020-01-31"}, "deadline_date", "after the deadline"),
        ("call", {"cities": ["lipsk"]}, "cities", "unknown city"),
        ("news", {"event_start_date": "", "event_start_time": ""}, "event_start_date", "required"),
        ("news", {"cities": ["hanover"]}, "cities", "unknown city"),
    ],
    ids=["call-title", "call-deadline", "call-city", "news-start", "news-city"],
)
def test_a_bad_post_comes_back_with_the_error_at_its_field_and_no_branch(
    client, clock, bare_repo, kind, changes, field, words
):
    response = post(client, kind, fill_form(client, clock, kind, lang="en", **changes))
    assert response.status_code == 422
    page = response.text
    error = re.search(rf'<span class="error" id="err-{field}">([^<]*)</span>', page)
    assert error, page
    assert words in html.unescape(error.group(1))
    assert re.search(rf'id="f-{field}"[^>]*aria-describedby="err-{field}[^"]*"[^>]*aria-invalid="true"', page)
    assert f'href="#f-{field}"' in page
    assert client.app.state.spool.counts()["received"] == 0
    assert branches(bare_repo) == []


@pytest.mark.parametrize(
    ("kind", "heading", "group"), [("call", "New call", "Deadline"), ("news", "News or event tip", "Event")]
)
def test_the_forms_are_accessible_and_bilingual(client, kind, heading, group):
    """Each group of fields is a fieldset with a legend; hints are tied to their fields; both languages."""
    page = client.get(f"/{kind}/new?lang=en").text
    assert f"<h1>{heading}</h1>" in page
    assert re.search(
        rf'<fieldset class="group" id="g-[a-z_]+" aria-describedby="help-g-[a-z_]+">\s*<legend>{group}</legend>',
        page,
    )
    assert re.search(r'<label for="f-title">Title <span class="required">', page)
    assert re.search(r'id="f-summary"[^>]*aria-describedby="help-summary"', page)
    assert f'action="/{kind}?lang=en"' in page
    assert f'href="/{kind}/new?lang=de"' in page
    german = client.get(f"/{kind}/new?lang=de").text
    assert '<label for="f-title">Titel' in german
    assert "Einwilligung" in german


def test_the_index_lists_every_form(client):
    page = client.get("/").text
    for path in ("/profile/new?lang=de", "/call/new?lang=en", "/news/new?lang=de", "/news/new?lang=en"):
        assert f'href="{path}"' in page


def test_a_honeypot_post_is_thanked_like_a_person_and_stored_nowhere(client, clock, bare_repo):
    """The trap field filled in: the same 202 page a person gets (no edit link for a call), nothing spooled."""
    data = fill_form(client, clock, "call", website_url="https://spam.example")
    response = post(client, "call", data)
    assert response.status_code == 202
    assert "/edit/" not in response.text
    assert sum(client.app.state.spool.counts().values()) == 0
    assert branches(bare_repo) == []


def test_a_news_tip_waits_for_the_e_mail_check(config, clock, bare_repo, smtp):
    """With SMTP, a news tip needs the address, waits for the link like a profile, and its pull request
    then says "E-mail verified"; the address is in none of its files."""
    running = service(mail_config_for(config, smtp), clock, bare_repo, smtp)
    try:
        client = running.client
        refused = post(client, "news", fill_form(client, clock, "news", email=""))
        assert refused.status_code == 422
        assert re.search(r'<span class="error" id="err-email">', refused.text)
        assert post(client, "news", fill_form(client, clock, "news")).status_code == 202
        assert running.app.state.spool.counts()["awaiting"] == 1
        running.app.state.worker.run_once()
        [(recipients, message)] = smtp.messages
        assert recipients == ["tipp@example.org"]
        assert branches(bare_repo) == []
        assert client.post(link_of(message)).status_code == 200
        running.app.state.worker.run_once()
        [change] = running.host.changes
        assert change.labels == ("bot", "new-news")
        assert "E-mail verified" in change.body
        assert not any(b"tipp@example.org" in data for data in change.files.values())
        assert [b for b in branches(bare_repo) if b.startswith("submissions/news/")]
    finally:
        running.app.state.spool.close()


# --- bodies the build's renderer must handle (issue 14) ------------------------------------------


def test_a_news_body_that_once_broke_the_build_becomes_a_branch_that_builds(
    client, clock, bare_repo, tmp_path
):
    """`a\\n: b\\n` 700 times (4,200 characters) crashed the old renderer; now the branch passes and builds."""
    body = "a\n: b\n" * 700
    response = post(client, "news", fill_form(client, clock, "news", lang="en", body=body), jpeg_with_exif())
    assert response.status_code == 202, response.text
    wait_for(lambda: client.app.state.spool.counts()["proposed"] == 1)
    [branch] = branches(bare_repo)
    clone = tmp_path / "branch"
    git(tmp_path, "clone", "-q", "--branch", branch, str(bare_repo), str(clone))
    check = run_cucon("check", cwd=clone)
    assert check.returncode == 0, output_of(check)
    # A real process: build_in_process changes the working folder, while the bot's worker thread runs.
    build = run_build(clone)
    assert build.returncode == 0, output_of(build)
    page = (clone / "output/news/konzert-im-maschpark/index.html").read_text("utf-8")
    assert "<p>a\n: b\na\n: b" in page


@pytest.mark.parametrize(
    ("lang", "words"),
    [
        ("en", "nests its markup 41 levels deep, more than 32; simplify its structure"),
        ("de", "Der Text ist 41 Ebenen tief verschachtelt, mehr als 32; bitte einfacher gliedern"),
    ],
)
def test_a_body_over_the_render_budget_is_refused_at_the_body_field(client, clock, bare_repo, lang, words):
    """The check renders the body as the build would; over its budget, the form says so at the body."""
    response = post(client, "news", fill_form(client, clock, "news", lang=lang, body=">" * 40 + " tief"))
    assert response.status_code == 422
    error = re.search(r'<span class="error" id="err-body">([^<]*)</span>', response.text)
    assert error, response.text
    assert words in html.unescape(error.group(1))
    assert client.app.state.spool.counts()["received"] == 0
    assert branches(bare_repo) == []
