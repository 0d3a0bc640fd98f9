"""``python -m benchmarks`` (what ``make bench`` runs): the benchmark's command line."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from benchmarks.run import ONLY, run_benchmark
from cucon.cli import configure_logging


def build_parser() -> argparse.ArgumentParser:
    """The benchmark's options: the size of the network, where it goes and whether to verify the rebuilds."""
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks", description="build a synthetic network and measure each stage"
    )
    parser.add_argument("-q", "--quiet", action="store_true", help="log only warnings and errors")
    parser.add_argument(
        "--size",
        type=float,
        default=1.0,
        help="scale: 1 = 10,000 profiles, 2,000 calls, 2,000 news, 70 cities",
    )
    parser.add_argument(
        "--workdir", type=Path, help="where to generate the network (default: a temporary folder)"
    )
    parser.add_argument("--keep", action="store_true", help="keep the generated network")
    parser.add_argument(
        "--verify",
        action="store_true",
        help="after each rebuild, build the same content cleanly into another folder and compare the two "
        "byte for byte (pagefind/ aside); exit 1 on a difference",
    )
    parser.add_argument(
        "--only",
        choices=ONLY,
        help="run only one part: languages = the cold build, then the warm clean build in 5 UI languages "
        "and in 2, and the cost per added language",
    )
    parser.add_argument(
        "--city-bundles",
        action="store_true",
        help="also index the clean build's pages once per city (in a scratch folder) and compare a city's "
        "bundle with the one bundle on a first query's bytes and the queries' median latency",
    )
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark with the options of ``argv``; its exit code."""
    args = build_parser().parse_args(argv)
    configure_logging(args.quiet)
    return run_benchmark(
        scale=args.size,
        workdir=args.workdir,
        keep=args.keep,
        verify=args.verify,
        only=args.only,
        city_bundles=args.city_bundles,
    )


if __name__ == "__main__":
    sys.exit(main())
