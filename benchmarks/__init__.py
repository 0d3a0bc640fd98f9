"""``make bench``: build a synthetic network every way it is built and report time and memory (see run.py)."""

from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
"""The repository whose settings, theme and plugins the benchmark builds with."""
