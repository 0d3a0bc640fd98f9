"""``cucon new``: write a new, valid content file with a freshly minted permanent id."""

from __future__ import annotations

import datetime as dt
import uuid
from pathlib import Path

import yaml

from cucon.checks import (
    PLACEHOLDER_ALT,
    PLACEHOLDER_PHOTO_COMMENT,
    PLACEHOLDER_SUMMARIES,
    RESERVED_ITEM_SLUGS,
    RESERVED_PAGE_SLUGS,
)
from cucon.content import FOLDERS, YAML_FOLDERS, read_item
from cucon.frontmatter import dump_yaml
from cucon.text import make_slug

TYPE_FOLDERS = {item_type: folder for folder, item_type in {**FOLDERS, **YAML_FOLDERS}.items()}


def mint_id() -> str:
    """A new permanent id: a random UUID, set once and never changed."""
    return str(uuid.uuid4())


def _first_slug(folder: Path, fallback: str) -> str:
    """The slug of the first file in a folder, to make references that resolve."""
    names = sorted(p.name.split(".", 1)[0] for p in folder.glob("*.yaml")) if folder.is_dir() else []
    return "hannover" if "hannover" in names else (names[0] if names else fallback)


def _first_discipline(content: Path) -> str:
    """The first discipline of the controlled list."""
    path = content / "disciplines.yaml"
    if path.is_file():
        data = yaml.safe_load(path.read_text("utf-8")) or {}
        for entry in data.get("disciplines", []):
            return entry["slug"]
    return "music"


def _front_matter(item_type: str, title: str, content: Path, lang: str, slug: str) -> dict:
    """The fields of a new item of the given type, filled with valid example values."""
    today = dt.date.today()
    city = _first_slug(content / "cities", "hannover")
    discipline = _first_discipline(content)
    common = {"id": mint_id()}
    if item_type == "profile":
        return common | {
            "name": title,
            "kind": "person",
            "cities": [city],
            "disciplines": [discipline],
            "languages": [lang],
            "summary": f"{title}{PLACEHOLDER_SUMMARIES[0]}",
            "photo": {"file": f"{slug}.jpg", "alt": f"{PLACEHOLDER_ALT}{title}"},
            "links": {},
            "consent": {"date": today.isoformat(), "version": "1"},
            "lang": lang,
        }
    if item_type == "call":
        deadline = dt.datetime.combine(today + dt.timedelta(days=30), dt.time(23, 59))
        return common | {
            "kind": "open_call",
            "title": title,
            "summary": f"{title}{PLACEHOLDER_SUMMARIES[1]}",
            "organiser": {"name": "Kulturbüro Hannover"},
            "cities": [city],
            "open_to": {"everyone": True},
            "disciplines": [discipline],
            "published": today.isoformat(),
            "deadline": deadline.strftime("%Y-%m-%d %H:%M"),
            "fee": "none",
            "covers": [],
            "apply": "https://www.hannover.de/",
            "lang": lang,
        }
    if item_type == "news":
        return common | {
            "kind": "news",
            "title": title,
            "date": today.isoformat(),
            "summary": f"{title}{PLACEHOLDER_SUMMARIES[0]}",
            "cities": [city],
            "disciplines": [],
            "profiles": [],
            "lang": lang,
        }
    if item_type == "page":
        return common | {"title": title, "lang": lang}
    if item_type == "city":
        return common | {
            "names": {"de": title, "en": title, "local": title},
            "country": "DE",
            "timezone": "Europe/Berlin",
            "coordinates": {"lat": 0.0, "lon": 0.0},
            "languages": [lang],
            "relations": [],
            "description": {"de": f"{title}.", "en": f"{title}."},
        }
    raise ValueError(f"unknown content type {item_type!r}")


def _translation_front_matter(item_type: str, original: dict, lang: str) -> dict:
    """The fields of a translation: the texts of the original, to be translated."""
    fields = {"id": mint_id(), "translation_of": None, "lang": lang}
    if item_type == "profile":
        fields |= {"name": original["name"], "summary": original["summary"]}
    elif item_type == "page":
        fields |= {"title": original["title"]}
    else:
        fields |= {"title": original["title"], "summary": original["summary"]}
    return fields


def _write_placeholder_photo(path: Path, title: str) -> None:
    """A neutral monogram image marked by its JPEG comment, so `cucon check` asks for the real photo."""
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (640, 640), (52, 84, 122))
    ImageDraw.Draw(image).ellipse((160, 160, 480, 480), fill=(226, 232, 240))
    image.save(path, "JPEG", quality=85, comment=PLACEHOLDER_PHOTO_COMMENT)


def create_item(
    content: Path, item_type: str, title: str, translation_of: str | None = None, lang: str | None = None
) -> Path:
    """Create a new content file and return its path; ``cucon check`` passes it once its placeholders
    (summary, photo and its description) are replaced."""
    folder = content / TYPE_FOLDERS[item_type]
    folder.mkdir(parents=True, exist_ok=True)
    if translation_of:
        if item_type == "city":
            raise ValueError("cities carry their German and English texts in one file")
        lang = lang or "en"
        original_path = folder / f"{translation_of}.md"
        original = read_item(original_path, item_type)[0] if original_path.is_file() else None
        if original is None:
            raise ValueError(f"{original_path} does not exist or is not valid")
        data = _translation_front_matter(item_type, original.meta.model_dump(mode="json"), lang)
        data["translation_of"] = translation_of
        slug = f"{translation_of}-{lang}"
        body = original.body
    else:
        lang = lang or "de"
        slug = make_slug(title)
        if slug in RESERVED_ITEM_SLUGS | RESERVED_PAGE_SLUGS:
            slug = f"{slug}-1"
        data = _front_matter(item_type, title, content, lang, slug)
        body = f"\n{title}\n"
    suffix = ".yaml" if item_type == "city" else ".md"
    path = folder / f"{slug}{suffix}"
    if path.exists():
        raise FileExistsError(f"{path} already exists; choose another name")
    text = dump_yaml(data)
    if suffix == ".md":
        text = f"---\n{text}---\n{body}"
        if item_type == "profile" and not translation_of:
            _write_placeholder_photo(folder / data["photo"]["file"], title)
    path.write_text(text, "utf-8")
    return path
