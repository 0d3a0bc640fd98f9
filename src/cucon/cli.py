"""The ``cucon`` command: check content, scaffold new items, export the schema, benchmark."""

from __future__ import annotations

import argparse
import json
import logging
import sys
from pathlib import Path

from cucon import __version__

logger = logging.getLogger("cucon")


def _check(args: argparse.Namespace) -> int:
    """Validate the whole content folder and report every problem at once."""
    from cucon.content import load_site, problems_in
    from cucon.problems import format_problems

    site = load_site(Path(args.content))
    problems = problems_in(site.problems, args.paths) if args.paths else site.problems
    if problems:
        print(format_problems(problems, args.format))
        if args.format == "text":
            logger.error("%d problem(s) found", len(problems))
        return 1
    if args.format == "json":
        print("[]")
    counts = {name: len(site.of_type(name)) for name in ("city", "profile", "call", "news", "page")}
    logger.info(
        "content is valid: %d cities, %d profiles, %d calls, %d news items, %d pages",
        *counts.values(),
    )
    return 0


def _new(args: argparse.Namespace) -> int:
    """Create a valid content file with a fresh permanent id."""
    from cucon.scaffold import create_item

    if not args.title and not args.translation_of:
        logger.error("give the name or title of the new %s", args.type)
        return 2
    try:
        path = create_item(
            Path(args.content), args.type, args.title, translation_of=args.translation_of, lang=args.lang
        )
    except (FileExistsError, ValueError) as exc:
        logger.error("%s", exc)
        return 1
    logger.info("created %s", path)
    print(path)
    return 0


def _schema(args: argparse.Namespace) -> int:
    """Write the JSON Schema of every content type."""
    from cucon.schema import json_schemas

    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    for name, schema in json_schemas().items():
        target = out / f"{name}.schema.json"
        target.write_text(json.dumps(schema, indent=2, ensure_ascii=False, sort_keys=True) + "\n", "utf-8")
        logger.info("wrote %s", target)
    if args.doc.is_file():
        from cucon.docs import update_content_model_doc

        if update_content_model_doc(args.doc):
            logger.info("updated %s", args.doc)
    return 0


def _bench(args: argparse.Namespace) -> int:
    """Generate a synthetic network, build it, and report time and memory per stage."""
    from cucon.bench import run_benchmark

    return run_benchmark(scale=args.size, workdir=args.workdir, keep=args.keep)


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of the ``cucon`` command."""
    parser = argparse.ArgumentParser(prog="cucon", description="CuCon content tools")
    parser.add_argument("--version", action="version", version=f"cucon {__version__}")
    parser.add_argument("-q", "--quiet", action="store_true", help="only report problems")
    commands = parser.add_subparsers(dest="command", required=True)

    check = commands.add_parser("check", help="validate content and report every problem")
    check.add_argument("paths", nargs="*", type=Path, help="only report problems in these files or folders")
    check.add_argument("--content", default="content", help="the content folder (default: content)")
    check.add_argument("--format", choices=("text", "github", "json"), default="text")
    check.set_defaults(run=_check)

    new = commands.add_parser("new", help="scaffold a valid content file with a permanent id")
    new.add_argument("type", choices=("profile", "call", "news", "city", "page"))
    new.add_argument("title", nargs="?", help="the name or title; the file name (slug) is derived from it")
    new.add_argument("--content", default="content", help="the content folder (default: content)")
    new.add_argument("--translation-of", help="slug of the item this file translates")
    new.add_argument("--lang", help="language of the text (default: de, or en for a translation)")
    new.set_defaults(run=_new)

    schema = commands.add_parser("schema", help="export the JSON Schema of every content type")
    schema.add_argument("--out", default="schema", help="folder to write to (default: schema)")
    schema.add_argument(
        "--doc",
        type=Path,
        default=Path("docs/content-model.md"),
        help="the content-model doc whose reference tables to regenerate",
    )
    schema.set_defaults(run=_schema)

    bench = commands.add_parser("bench", help="build a synthetic network and measure each stage")
    bench.add_argument(
        "--size",
        type=float,
        default=1.0,
        help="scale: 1 = 10,000 profiles, 2,000 calls, 2,000 news, 70 cities",
    )
    bench.add_argument(
        "--workdir", type=Path, help="where to generate the network (default: a temporary folder)"
    )
    bench.add_argument("--keep", action="store_true", help="keep the generated network")
    bench.set_defaults(run=_bench)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``cucon`` command."""
    args = build_parser().parse_args(argv)
    logging.basicConfig(
        level=logging.WARNING if args.quiet else logging.INFO,
        format="%(levelname)s: %(message)s",
        stream=sys.stderr,
    )
    return args.run(args)


if __name__ == "__main__":
    sys.exit(main())
