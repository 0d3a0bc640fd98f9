"""The submission pipeline of the bot: a posted form becomes profile files that pass `cucon check`."""

from __future__ import annotations

import datetime as dt
import io
import shutil
from pathlib import Path

import pytest
from PIL import Image
from support import GPS_IFD, SVG, bomb_png, output_of, run_cucon, valid_form

from cucon import content as content_module
from cucon import schema
from cucon.bot import submission as submission_module
from cucon.bot.messages import in_language
from cucon.bot.submission import (
    PROFILE_FIELDS,
    FieldProblem,
    Published,
    Submission,
    SubmissionInvalid,
    profile_fields,
    profile_submission,
)
from cucon.frontmatter import read_document

TODAY = dt.date(2026, 11, 27)


def profile_limit(name: str, key: str) -> int:
    """A limit of a Profile field as the schema states it, so the tests repeat no number."""
    return schema.Profile.model_json_schema()["properties"][name][key]


def submit(root: Path, photo: bytes | None, photo_name: str = "IMG_0001.JPG", **changes) -> Submission:
    """Run the pipeline on the valid form with some fields changed."""
    return profile_submission(valid_form(**changes), photo, photo_name, root, TODAY)


def front_matter(submission: Submission) -> dict:
    """The front matter of the profile file of a submission."""
    text = submission.files[f"content/profiles/{submission.slug}.md"].decode()
    return read_document(text, with_body=True).data


def test_valid_form_gives_files_that_pass_cucon_check(root: Path, gps_jpeg: bytes) -> None:
    submission = submit(root, gps_jpeg)
    assert submission.kind == "profile"
    assert submission.slug == "mira-sonnenfeld"
    assert sorted(submission.files) == [
        "content/profiles/mira-sonnenfeld.jpg",
        "content/profiles/mira-sonnenfeld.md",
    ]
    photo = submission.files["content/profiles/mira-sonnenfeld.jpg"]
    assert b"Exif" not in photo
    assert b"SecretCam" not in photo
    assert b"SERIAL" not in photo
    cleaned = Image.open(io.BytesIO(photo))
    assert cleaned.format == "JPEG"
    assert cleaned.size == (900, 700)
    assert not cleaned.getexif()
    assert not cleaned.getexif().get_ifd(GPS_IFD)
    data = front_matter(submission)
    assert data["id"] == submission.permanent_id
    assert data["consent"] == {"date": TODAY.isoformat(), "version": schema.CONSENT_VERSIONS[-1]}
    assert data["summary"] == "Cellistin aus Leipzig, sucht Duo-Partner in Hannover."
    assert data["photo"] == {
        "file": "mira-sonnenfeld.jpg",
        "alt": "Mira Sonnenfeld mit Cello vor einer Backsteinwand",
    }
    assert submission.title == "Mira Sonnenfeld"
    assert submission.summary_line == (
        "Neues Profil: `Mira Sonnenfeld` (`Leipzig`, `Hannover`; `Musik`) — Foto 900×700, Einwilligung v1 / "
        "New profile: `Mira Sonnenfeld` (`Leipzig`, `Hannover`; `music`) — photo 900×700, consent v1"
    )
    assert len(submission.content_hash) == 64
    for path, data_bytes in submission.files.items():
        (root / path).write_bytes(data_bytes)
    result = run_cucon("check", cwd=root)
    assert result.returncode == 0, output_of(result)


BAD_INPUTS = [
    # (what, form changes, photo ("gps" for the good one), field, words of the message)
    ("missing name", {"name": ""}, "gps", "name", "required"),
    ("summary too long", {"summary": "x" * (profile_limit("summary", "maxLength") + 1)}, "gps", "summary", "at most"),
    ("unknown city", {"cities": ["leipzig", "lipsk"]}, "gps", "cities", "unknown city 'lipsk'"),
    ("unknown discipline", {"disciplines": ["musik"]}, "gps", "disciplines", "did you mean 'music'"),
    ("no consent", {"consent": ""}, "gps", "consent", "consent"),
    ("unknown consent version", {"consent_version": "99"}, "gps", "consent_version", "not a version of the consent text"),
    ("SVG photo", {}, SVG, "photo", "is an SVG drawing, not a photo"),
    ("decompression-bomb PNG", {}, bomb_png(), "photo", "too many pixels (900 megapixels)"),
    ("not an image", {}, b"just some text, renamed to .jpg", "photo", "not a photo"),
    ("no photo", {}, None, "photo", "a photo is required"),
    ("alt text too short", {"photo_alt": "x"}, "gps", "photo_alt", "too short"),
    ("plain http website", {"website": "http://mira.example/"}, "gps", "website", "https://"),
    ("instagram elsewhere", {"instagram": "https://mira.example/insta"}, "gps", "instagram", "instagram.com"),
    ("bidi control in name", {"name": "Mira \u202eSonnenfeld"}, "gps", "name", "bidirectional"),
    ("unknown kind", {"kind": "robot"}, "gps", "kind", "'robot' is not allowed"),
    ("no city", {"cities": []}, "gps", "cities", "required"),
    ("bad e-mail", {"email": "mira(at)example.org"}, "gps", "email", "not an e-mail address"),
    ("publish without e-mail", {"email": "", "publish_email": "on"}, "gps", "email", "e-mail address"),
    ("bad language", {"lang": "xx"}, "gps", "lang", "not a known language"),
    ("too many other links", {"other_links": "\n".join(f"https://e{i}.example/" for i in range(9))}, "gps",
     "other_links", "too many"),
    ("body with a control character", {"about": "Cello\x07"}, "gps", "about", "control character"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("changes", "photo", "field", "words"),
    [pytest.param(*case[1:], id=case[0]) for case in BAD_INPUTS],
)
def test_bad_input_names_its_field(
    root: Path, gps_jpeg: bytes, changes: dict, photo: bytes | str | None, field: str, words: str
) -> None:
    with pytest.raises(SubmissionInvalid) as caught:
        submit(root, gps_jpeg if photo == "gps" else photo, **changes)
    fields = {p.field for p in caught.value.problems}
    assert fields == {field}, caught.value.problems
    assert any(words in p.message for p in caught.value.problems), caught.value.problems
    # A German form shows every message in German (cucon.bot.messages, from the catalog).
    assert [p.message for p in caught.value.problems if in_language(p, "de").lang != "de"] == []
    assert all(isinstance(p, FieldProblem) for p in caught.value.problems)


KEPT_AS_TYPED = [
    # (what, form changes, the key path in the front matter): bad input the form must accept and keep
    # as the very string typed; YAML must not read it back as a number, a boolean, null or a date
    ("name like a float", {"name": "1.5e3"}, ("name",)),
    ("name like a float, capital E", {"name": "2.0E3"}, ("name",)),
    ("name like a float without a dot", {"name": "1e3"}, ("name",)),
    ("name like a hexadecimal", {"name": "0x10"}, ("name",)),
    ("name like an octal", {"name": "0o17"}, ("name",)),
    ("name like a boolean", {"name": "yes"}, ("name",)),
    ("name like null", {"name": "null"}, ("name",)),
    ("name like a date", {"name": "2026-01-01"}, ("name",)),
    ("alt text like a float", {"photo_alt": "1.5e3"}, ("photo", "alt")),
]  # fmt: skip


@pytest.mark.parametrize(("changes", "key"), [pytest.param(*case[1:], id=case[0]) for case in KEPT_AS_TYPED])
def test_text_that_looks_like_another_type_stays_the_text_typed(
    root: Path, gps_jpeg: bytes, changes: dict, key: tuple[str, ...]
) -> None:
    """The file the form writes reads back (here and in `cucon check`) as the string typed."""
    [typed] = changes.values()
    submission = submit(root, gps_jpeg, **changes)
    value = front_matter(submission)
    for part in key:
        value = value[part]
    assert value == typed
    for path, data_bytes in submission.files.items():
        (root / path).write_bytes(data_bytes)
    result = run_cucon("check", cwd=root)
    assert result.returncode == 0, output_of(result)


def test_every_problem_is_reported_at_once(root: Path) -> None:
    with pytest.raises(SubmissionInvalid) as caught:
        submit(root, SVG, name="", consent="", cities=["atlantis"])
    assert [p.field for p in caught.value.problems] == ["name", "cities", "photo", "consent"]


def test_unknown_and_path_fields_are_ignored(root: Path, gps_jpeg: bytes) -> None:
    tricks = {
        "save_as": "index.html",
        "template": "evil-template",
        "path": "../../pelicanconf.py",
        "slug": "hijacked-slug",
        "id": "3f2b8c1e-5d4a-4e7b-9c0d-1a2b3c4d5e6f",
        "../x": "written-outside",
        "status": "hidden-status",
        "url": "https://evil.example/",
    }
    submission = submit(root, gps_jpeg, **tricks)
    assert set(submission.files) == {
        "content/profiles/mira-sonnenfeld.md",
        "content/profiles/mira-sonnenfeld.jpg",
    }
    data = front_matter(submission)
    assert not set(tricks) & set(data) - {"id"}
    assert data["id"] == submission.permanent_id != tricks["id"]
    text = submission.files["content/profiles/mira-sonnenfeld.md"].decode()
    assert not [value for value in tricks.values() if value in text]


def test_no_field_can_inject_yaml_keys(root: Path, gps_jpeg: bytes) -> None:
    injected = 'Mira"\nsave_as: index.html\ntemplate: x\n---\nbody'
    submission = submit(
        root, gps_jpeg, name=injected, summary="a: b\n- c", photo_alt="'quoted' # not a comment"
    )
    data = front_matter(submission)
    assert set(data) == {"id", "name", "kind", "cities", "disciplines", "languages", "summary", "photo",
                         "links", "email", "consent", "lang"} - {"email"}  # fmt: skip
    assert data["name"] == 'Mira" save_as: index.html template: x --- body'
    assert data["summary"] == "a: b - c"
    assert data["photo"]["alt"] == "'quoted' # not a comment"


@pytest.mark.parametrize(
    ("name", "slug"),
    [
        ("Agnieszka Lipińska", "agnieszka-lipinska-2"),  # a profile of the sample network
        ("Aioi Sound Lab EN", "aioi-sound-lab-en-2"),  # a translation's file name
        ("Page", "page-2"),  # a path the listings use
        ("Profiles", "profiles-2"),  # a section of the site
    ],
)
def test_taken_slugs_get_a_number(root: Path, gps_jpeg: bytes, name: str, slug: str) -> None:
    submission = submit(root, gps_jpeg, name=name)
    assert submission.slug == slug
    assert f"content/profiles/{slug}.md" in submission.files
    assert front_matter(submission)["photo"]["file"] == f"{slug}.jpg"


def test_a_slug_taken_twice_gets_the_next_number(root: Path, gps_jpeg: bytes) -> None:
    first = submit(root, gps_jpeg, name="Agnieszka Lipińska")
    for path, data in first.files.items():
        (root / path).write_bytes(data)
    assert submit(root, gps_jpeg, name="Agnieszka Lipińska").slug == "agnieszka-lipinska-3"


def test_a_removed_profile_s_slug_is_not_taken_again(root: Path, gps_jpeg: bytes) -> None:
    tombstone = "removed:\n  - {slug: mira-sonnenfeld, type: profile, removed: 2026-01-02, id: %s}\n"
    (root / "content" / "removed.yaml").write_text(
        tombstone % "3f2b8c1e-5d4a-4e7b-9c0d-1a2b3c4d5e6f", "utf-8"
    )
    submission = submit(root, gps_jpeg)
    assert submission.slug == "mira-sonnenfeld-2"


def test_identical_forms_hash_alike(root: Path, gps_jpeg: bytes) -> None:
    one, two = submit(root, gps_jpeg), submit(root, gps_jpeg)
    assert one.permanent_id != two.permanent_id
    assert one.files != two.files
    assert one.content_hash == two.content_hash
    assert submit(root, gps_jpeg, summary="Etwas anderes.").content_hash != one.content_hash


@pytest.mark.parametrize(("publish", "in_files"), [("", False), ("on", True)])
def test_the_email_stays_private_unless_published(
    root: Path, gps_jpeg: bytes, publish: str, in_files: bool
) -> None:
    submission = submit(root, gps_jpeg, email="  mira.private@example.org ", publish_email=publish)
    assert submission.contact_email == "mira.private@example.org"
    written = any(b"mira.private@example.org" in data for data in submission.files.values())
    assert written is in_files
    assert ("email" in front_matter(submission)) is in_files


def test_a_broken_base_branch_is_not_the_form_s_fault(root: Path, gps_jpeg: bytes) -> None:
    city = root / "content" / "cities" / "leipzig.yaml"
    city.write_text(city.read_text("utf-8").replace("country: DE", "country: XX"), "utf-8")
    with pytest.raises(RuntimeError, match=r"base branch has 1 problem.*leipzig\.yaml"):
        submit(root, gps_jpeg)


def test_form_fields_come_from_the_schema_and_content(root: Path) -> None:
    fields = {f.name: f for f in profile_fields(root)}
    assert list(fields) == [f.name for f in PROFILE_FIELDS]
    for name, key in (("name", "maxLength"), ("summary", "maxLength"), ("cities", "maxItems")):
        limit = fields[name].max_items if key == "maxItems" else fields[name].max_length
        assert limit == profile_limit(name, key)
    assert (
        fields["photo_alt"].min_length == schema.Photo.model_json_schema()["properties"]["alt"]["minLength"]
    )
    assert {c.value for c in fields["kind"].choices} == set(schema.ProfileKind.__args__)
    cities = {c.value: (c.de, c.en) for c in fields["cities"].choices}
    assert cities["hannover"] == ("Hannover", "Hannover")
    # The city files first, then the members of the networks that have none (cucon.members).
    files = {path.stem for path in (root / "content" / "cities").glob("*.yaml")}
    assert set(list(cities)[: len(files)]) == files
    assert {"bologna", "glasgow"} <= set(cities) - files
    assert ("music", "Musik", "Music") in {(c.value, c.de, c.en) for c in fields["disciplines"].choices}
    languages = {c.value: c.de for c in fields["languages"].choices}
    assert {"de", "en", "pl", "ja"} <= set(languages)
    assert languages["pl"] == "Polnisch"
    assert fields["consent_version"].default == schema.CONSENT_VERSIONS[-1]
    assert fields["photo"].type == "file"
    assert fields["photo"].required
    assert not fields["kind"].choices[0].de  # the app's catalog names the kinds


def test_a_post_renders_only_its_own_body_and_keeps_none_of_it(
    root: Path, gps_jpeg: bytes, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The base branch's bodies are rendered once per process, not for every post; what a
    stranger sent is never kept between posts."""
    monkeypatch.setattr(submission_module, "_RENDERED_BODIES", {})
    rendered: list[int] = []
    real = content_module.render_bodies

    def counting(bodies, *args, **kwargs):
        rendered.append(len(bodies))
        return real(bodies, *args, **kwargs)

    monkeypatch.setattr(content_module, "render_bodies", counting)
    submit(root, gps_jpeg, about="Erster Text, nur in diesem Beitrag.")
    submit(root, gps_jpeg, about="Zweiter Text, nur in diesem Beitrag.")
    assert rendered[0] > 10
    assert rendered[1] == 1, rendered
    kept = submission_module._RENDERED_BODIES.values()
    assert not any("diesem Beitrag" in html for html in kept)
    assert any("<p>" in html for html in kept)


def test_the_call_form_reads_again_only_the_profiles_that_changed(
    root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The call form lists every profile as an organiser; a second showing reads no unchanged file,
    and sees a renamed, a new and a deleted profile."""
    content = root / "content"
    first = submission_module.profile_names(content)
    opened: list[Path] = []
    real = Path.read_text

    def reading(path: Path, *args, **kwargs):
        opened.append(path)
        return real(path, *args, **kwargs)

    monkeypatch.setattr(Path, "read_text", reading)
    assert submission_module.profile_names(content) == first
    assert opened == []
    anna = content / "profiles" / "agnieszka-lipinska.md"
    anna.write_text(real(anna, "utf-8").replace("name: Agnieszka Lipińska", "name: Anna Nowak"), "utf-8")
    shutil.copyfile(anna, content / "profiles" / "anna-nowak.md")
    (content / "profiles" / "jonas-brettschneider.md").unlink()
    names = submission_module.profile_names(content)
    assert sorted(opened) == [anna, content / "profiles" / "anna-nowak.md"]
    assert names["agnieszka-lipinska"] == names["anna-nowak"] == ("Anna Nowak", "Anna Nowak")
    assert "jonas-brettschneider" not in names


@pytest.mark.parametrize(("new_photo", "focus"), [(False, {"x": 0.3, "y": 0.25}), (True, None)])
def test_an_update_keeps_what_the_form_does_not_show(root: Path, gps_jpeg: bytes, new_photo, focus) -> None:
    """An edit keeps the photo's focus, which the form does not show (not when it replaces the photo: the
    point was the old photo's), keeps `sort_as` as the form sends it back, and sets `updated` to the day
    of the edit."""
    first = submit(root, gps_jpeg)
    published = front_matter(first) | {"sort_as": "Sonnenfeld, Mira", "updated": "2026-01-15"}
    published["photo"] = published["photo"] | {"focus": {"x": 0.3, "y": 0.25}}
    for path, data_bytes in first.files.items():
        (root / path).write_bytes(data_bytes)
    keep = Published(first.slug, first.permanent_id, published["photo"]["file"], published)
    update = profile_submission(
        valid_form(summary="Cellistin und Lehrerin.", sort_as="Sonnenfeld, Mira"),
        gps_jpeg if new_photo else None,
        "IMG_0002.JPG" if new_photo else None,
        root,
        TODAY,
        keep=keep,
    )
    data = front_matter(update)
    assert data["photo"].get("focus") == focus
    assert (data["sort_as"], data["updated"], data["summary"]) == (
        "Sonnenfeld, Mira",
        TODAY.isoformat(),
        "Cellistin und Lehrerin.",
    )
    assert list(data) == [key for key in schema.Profile.model_fields if key in data]
