"""The image stage: the plugin's image counts, and cucon.images against bare Pillow per photo."""

from __future__ import annotations

import hashlib
import re
import shutil
import time
from dataclasses import dataclass
from pathlib import Path

from PIL import Image

from benchmarks.report import parse_stages

PHOTO_SAMPLE = 60
"""Photos timed per pipeline, evenly spread over the generated profile photos and news images."""

ROUNDS = 3
"""Each pipeline runs over the sample this often, alternating; the fastest round counts."""

IMAGE_LINE = re.compile(
    r"cucon images: (?P<processed>\d+) processed, (?P<cached>\d+) from cache; "
    r"share cards: (?P<drawn>\d+) drawn, (?P<cards_cached>\d+) from cache; (?P<files>\d+) files written "
    r"in (?P<seconds>[\d.]+) s \((?P<workers>\d+) workers, worker peak (?P<peak>[\d.]+) MiB\)"
)


def parse_image_stats(log: str) -> dict[str, float] | None:
    """The counts of the plugin's image line in a build log (the last one), or None.

    >>> parse_image_stats("INFO cucon images: 3 processed, 1 from cache; share cards: 5 drawn, 0 from cache; "
    ...                   "20 files written in 1.50 s (2 workers, worker peak 41 MiB)")["processed"]
    3.0
    """
    matches = list(IMAGE_LINE.finditer(re.sub(r"\s*\n\s*", " ", log)))
    found = matches[-1] if matches else None
    return {key: float(value) for key, value in found.groupdict().items()} if found else None


def sample_photos(content: Path, count: int) -> list[Path]:
    """Up to ``count`` photos of a generated network, evenly spread, profiles and news alike."""
    photos = sorted((content / "profiles").glob("*.jpg")) + sorted((content / "news").glob("*.jpg"))
    step = max(1, len(photos) // count)
    return photos[::step][:count]


def _plans(photos: list[Path]):
    """The header and plan of each photo, as the build makes them."""
    from cucon.images import ImageConfig, inspect, plan_image

    config = ImageConfig()
    planned = []
    for path in photos:
        kind = "profile" if path.parent.name == "profiles" else "news"
        info = inspect(path)
        planned.append((path, info, plan_image(info, kind, path.stem, path.name, (0.5, 0.5), config)))
    return planned, config


def ours(planned, config, folder: Path) -> None:
    """cucon.images on one core, as a worker runs it: header check, hash, clean, resize, encode, cache."""
    from cucon import images

    images.forget_headers()
    for path, _, plan in planned:
        info = images.inspect(path)
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
        key = images.image_key(digest, plan, config)
        job = images.Job(key, str(folder / key), str(path), digest, info, plan, config=config)
        result = images.run_job(job)
        if result.error:
            raise RuntimeError(result.error)


def reference(planned, config, folder: Path) -> None:
    """A bare Pillow pipeline: draft decode, the same crop, resizes and encodes, written to files."""
    from cucon.images import _draft_size, encode

    folder.mkdir(parents=True, exist_ok=True)
    for index, (path, info, plan) in enumerate(planned):
        with Image.open(path) as image:
            image.draft("RGB", _draft_size(info, plan))
            image = image.convert("RGB")
        width, height = image.size
        side = min(width, height)
        box = (
            ((width - side) / 2, (height - side) / 2, (width + side) / 2, (height + side) / 2)
            if plan.crop
            else (0, 0, width, height)
        )
        largest = plan.largest
        base = image.resize((largest.width, largest.height), Image.Resampling.LANCZOS, box=box)
        for rendition in plan.renditions:
            size = (rendition.width, rendition.height)
            picture = base if size == base.size else base.resize(size, Image.Resampling.LANCZOS)
            encode(picture, rendition, config, folder / f"{index}-{rendition.name}")


@dataclass
class PerPhoto:
    """Seconds per photo of cucon.images and of the bare Pillow reference, on one core."""

    photos: int
    ours: float
    reference: float

    @property
    def ratio(self) -> float:
        """How many times the reference's time ours takes."""
        return self.ours / self.reference if self.reference else float("nan")


def measure_per_photo(photos: list[Path], scratch: Path) -> PerPhoto:
    """Time both pipelines over the same photos, alternating rounds; the fastest round of each counts."""
    planned, config = _plans(photos)
    best = {"ours": float("inf"), "reference": float("inf")}
    for round_number in range(ROUNDS):
        for name, pipeline in (("reference", reference), ("ours", ours)):
            folder = scratch / f"per-photo-{name}-{round_number}"
            shutil.rmtree(folder, ignore_errors=True)
            folder.mkdir(parents=True)
            started = time.perf_counter()
            pipeline(planned, config, folder)
            best[name] = min(best[name], time.perf_counter() - started)
            shutil.rmtree(folder, ignore_errors=True)
    count = max(1, len(planned))
    return PerPhoto(len(planned), best["ours"] / count, best["reference"] / count)


def image_report(first_log: str, second_log: str, per_photo: PerPhoto) -> list[str]:
    """The lines of the report about the image stage."""
    first, second = parse_stages(first_log).get("copy-images"), parse_stages(second_log).get("copy-images")
    counts_first, counts_second = parse_image_stats(first_log), parse_image_stats(second_log)
    lines = ["image stage (the plugin's copy-images: photos and share cards):"]
    if first and counts_first:
        lines.append(
            f"  first build   {first[0]:8.2f} s  {counts_first['processed']:,.0f} photos processed, "
            f"{counts_first['drawn']:,.0f} share cards drawn, {counts_first['files']:,.0f} files, "
            f"{counts_first['workers']:.0f} workers; peak {first[1] or 0:.0f} MiB build process, "
            f"{counts_first['peak']:.0f} MiB per worker"
        )
    if first and second and counts_second:
        share = 100 * second[0] / first[0] if first[0] else float("nan")
        verdict = "ok" if share <= 2 else "over target"
        lines.append(
            f"  second build  {second[0]:8.2f} s  = {share:.1f} % of the first (target <= 2 %: {verdict}); "
            f"{counts_second['processed']:,.0f} photos processed, {counts_second['drawn']:,.0f} cards drawn, "
            f"{counts_second['cached'] + counts_second['cards_cached']:,.0f} from cache"
        )
    verdict = "ok" if per_photo.ratio <= 1.3 else "over target"
    lines.append(
        f"  per photo, one core, {per_photo.photos} photos: cucon.images {1000 * per_photo.ours:.1f} ms, "
        f"bare Pillow {1000 * per_photo.reference:.1f} ms = {per_photo.ratio:.2f}x (target <= 1.3x: {verdict})"
    )
    return lines
