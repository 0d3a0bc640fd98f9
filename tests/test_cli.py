"""The cucon command: `new` scaffolds valid files, `check PATH` narrows the report, `schema` exports."""

from __future__ import annotations

import json
import uuid
from pathlib import Path

import pytest
from PIL import Image
from support import FIXTURE_SITE, build_in_process, output_of, run_cucon, tree

from cucon.frontmatter import read_document


def fixture_ids() -> set[str]:
    """The permanent ids of every item in the fixture site."""
    content = FIXTURE_SITE / "content"
    return {read_id(path) for path in [*content.glob("*/*.md"), *content.glob("*/*.yaml")]}


def fill_placeholders(created: Path) -> None:
    """Do what a contributor does after `cucon new`: replace the example summary, photo and description."""
    text = created.read_text("utf-8")
    for line in text.splitlines():
        if line.startswith("summary: "):
            text = text.replace(line, "summary: A summary of our own.")
        if line.startswith("  alt: Portrait of "):
            text = text.replace(line, "  alt: A blue square")
    created.write_text(text, "utf-8")
    photo = created.with_suffix(".jpg")
    if photo.is_file():
        Image.new("RGB", (64, 64), "blue").save(photo, "JPEG")


def read_id(path: Path) -> str:
    """The ``id`` of a content file, Markdown or YAML."""
    return read_document(path.read_text("utf-8"), with_body=path.suffix == ".md").data["id"]


NEW_ITEMS = [
    ("profile", "content/profiles/some-name.md"),
    ("call", "content/calls/some-name.md"),
    ("news", "content/news/some-name.md"),
    ("page", "content/pages/some-name.md"),
    ("city", "content/cities/some-name.yaml"),
]


@pytest.mark.parametrize(("item_type", "created"), NEW_ITEMS)
def test_new_creates_a_valid_item_with_a_fresh_id(fixture_site, item_type, created):
    """`cucon new TYPE "Some Name"` writes a file that `cucon check` accepts, with a new UUID."""
    result = run_cucon("new", item_type, "Some Name", cwd=fixture_site)
    assert result.returncode == 0, output_of(result)
    assert result.stdout.strip() == created
    minted = read_id(fixture_site / created)
    assert uuid.UUID(minted).version == 4
    assert minted not in fixture_ids()
    check = run_cucon("check", cwd=fixture_site)
    if item_type in ("profile", "call", "news"):
        assert check.returncode == 1
        assert "'cucon new' writes" in check.stdout + check.stderr
        fill_placeholders(fixture_site / created)
        check = run_cucon("check", cwd=fixture_site)
    assert check.returncode == 0, output_of(check)


def test_new_items_build(fixture_site):
    """Every scaffolded type renders in a real build, not only in the checker."""
    for item_type, created in NEW_ITEMS:
        assert run_cucon("new", item_type, "Some Name", cwd=fixture_site).returncode == 0
        fill_placeholders(fixture_site / created)
    build = build_in_process(fixture_site)
    assert build.returncode == 0, build.log
    for page in ("profiles", "calls", "news", "cities"):
        assert (fixture_site / "output" / page / "some-name" / "index.html").is_file()
    assert (fixture_site / "output" / "some-name" / "index.html").is_file()


def test_new_translation(fixture_site):
    """`--translation-of anna-kowalska --lang en` writes anna-kowalska-en.md that check accepts."""
    result = run_cucon(
        "new",
        "profile",
        "Anna Kowalska",
        "--translation-of",
        "anna-kowalska",
        "--lang",
        "en",
        cwd=fixture_site,
    )
    assert result.returncode == 0, output_of(result)
    path = fixture_site / "content/profiles/anna-kowalska-en.md"
    assert result.stdout.strip() == "content/profiles/anna-kowalska-en.md"
    data = read_document(path.read_text("utf-8"), with_body=True).data
    assert (data["translation_of"], data["lang"]) == ("anna-kowalska", "en")
    assert uuid.UUID(data["id"]).version == 4
    assert data["id"] not in fixture_ids()
    check = run_cucon("check", cwd=fixture_site)
    assert check.returncode == 0, output_of(check)


@pytest.mark.parametrize(
    "args",
    [
        ("profile", "Anna Kowalska"),
        ("city", "Leipzig"),
        ("page", "About"),
        ("page", "Über CuCon", "--translation-of", "about", "--lang", "en"),
    ],
    ids=["profile", "city", "page", "translation"],
)
def test_new_refuses_to_overwrite(fixture_site, args):
    """`cucon new` never replaces an existing file, nor the photo beside it."""
    before = tree(fixture_site / "content")
    result = run_cucon("new", *args, cwd=fixture_site)
    assert result.returncode == 1
    assert "already exists" in result.stderr
    assert tree(fixture_site / "content") == before


@pytest.mark.parametrize(
    ("paths", "reported"),
    [
        (["content/calls"], ["content/calls/residency-leipzig.md:12: deadline: "]),
        (["content/profiles/anna-kowalska.md"], ["content/profiles/anna-kowalska.md:5: cities[0]: "]),
        (
            ["content/calls", "content/profiles"],
            [
                "content/calls/residency-leipzig.md:12: deadline: ",
                "content/profiles/anna-kowalska.md:5: cities[0]: ",
            ],
        ),
        (["content/news"], []),
    ],
    ids=["folder", "file", "two-paths", "clean-folder"],
)
def test_check_paths_reports_only_problems_there(fixture_site, paths, reported):
    """`cucon check PATH…` reports the problems in PATH and exits 0 when there are none."""
    anna = fixture_site / "content/profiles/anna-kowalska.md"
    anna.write_text(anna.read_text("utf-8").replace("[hannover,", "[hanover,"), "utf-8")
    call = fixture_site / "content/calls/residency-leipzig.md"
    call.write_text(call.read_text("utf-8").replace("2027-01-31 23:59", "31.12.2026"), "utf-8")
    result = run_cucon("check", *paths, cwd=fixture_site)
    assert result.returncode == (1 if reported else 0), output_of(result)
    lines = result.stdout.splitlines()
    assert len(lines) == len(reported), result.stdout
    for line, prefix in zip(lines, reported, strict=True):
        assert line.startswith(prefix)


SCHEMA_NAMES = {
    "city",
    "network",
    "disciplines",
    "profile",
    "profile-translation",
    "call",
    "call-translation",
    "news",
    "news-translation",
    "page",
    "removed",
}


def test_schema_writes_one_json_schema_per_type(tmp_path):
    """`cucon schema --out DIR` writes NAME.schema.json for every type, each a JSON Schema."""
    out = tmp_path / "schema"
    result = run_cucon("schema", "--out", str(out), cwd=tmp_path)
    assert result.returncode == 0, output_of(result)
    assert {p.name for p in out.iterdir()} == {f"{name}.schema.json" for name in SCHEMA_NAMES}
    schemas = {name: json.loads((out / f"{name}.schema.json").read_text("utf-8")) for name in SCHEMA_NAMES}
    for name, schema in schemas.items():
        assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
        assert schema["$id"].endswith(f"/{name}.schema.json")
        assert schema["type"] == "object"
    assert "name" in schemas["profile"]["required"]
    assert schemas["profile"]["additionalProperties"] is False


def test_new_profile_photo_is_a_real_jpeg(fixture_site):
    """The placeholder photo of a new profile is a JPEG that the check and Pillow both accept."""
    from PIL import Image

    assert run_cucon("new", "profile", "Some Name", cwd=fixture_site).returncode == 0
    front = read_document((fixture_site / "content/profiles/some-name.md").read_text("utf-8"), True).data
    photo = fixture_site / "content/profiles" / front["photo"]["file"]
    with Image.open(photo) as image:
        assert image.format == "JPEG"


def test_fixture_ids_are_all_found():
    """The fixture site's ids are all read, so the freshness checks above compare against something."""
    assert len(fixture_ids()) == 8


JA_PAGE = (
    "---\nid: 0b6a2a55-1111-4a3b-9c4d-5e6f7a8b9c0d\ntitle: Japan\nlang: de\n---\n\nEine Seite namens ja.\n"
)


@pytest.mark.parametrize(
    ("settings", "args", "code", "said"),
    [
        (
            'CUCON_LANGUAGES = ["de", "en", "ja"]\n',
            [],
            1,
            "content/pages/ja.md:1: (file name): 'ja' is a section",
        ),
        ('CUCON_LANGUAGES = ["de", "en"]\n', [], 0, "content is valid"),
        (None, [], 0, "content is valid"),
        ('CUCON_LANGUAGES = ["de", "en", "ja"]\n', ["--settings", "other.py"], 0, "content is valid"),
        ('CUCON_LANGUAGES = "de"\n', [], 2, "pelicanconf.py: cucon: invalid 'CUCON_LANGUAGES' value 'de'"),
        (None, ["--settings", "missing.py"], 2, "missing.py: [Errno 2] No such file"),
    ],
    ids=["ja-built", "ja-not-built", "no-settings", "other-settings", "bad-settings", "missing-settings"],
)
def test_check_uses_the_languages_of_the_site_s_settings(fixture_site, settings, args, code, said):
    """`cucon check` refuses a page named after a UI language that the site's pelicanconf.py (or --settings) builds,
    as the build does, and not one it does not build; a bad or missing settings file is named."""
    (fixture_site / "content/pages/ja.md").write_text(JA_PAGE, "utf-8")
    defaults = 'DEFAULT_LANG = "de"\nSITEURL = ""\nSITENAME = "CuCon"\nTIMEZONE = "Europe/Berlin"\n'
    if settings is not None:
        (fixture_site / "pelicanconf.py").write_text(defaults + settings, "utf-8")
    (fixture_site / "other.py").write_text(defaults + 'CUCON_LANGUAGES = ["de", "en"]\n', "utf-8")
    result = run_cucon("check", *args, cwd=fixture_site)
    assert result.returncode == code, output_of(result)
    assert said in output_of(result)
