"""The fixture site builds to exactly the stored golden site (``make golden`` regenerates it)."""

import difflib

from golden import GOLDEN, build_fixture_copy
from support import tree


def test_fixture_site_matches_golden_output(tmp_path):
    """Every file of a fresh build equals the golden copy, and no file is missing or extra."""
    built, golden = tree(build_fixture_copy(tmp_path)), tree(GOLDEN)
    assert sorted(built) == sorted(golden), "files differ; run `make golden` if the change is intended"
    for name, content in built.items():
        if content != golden[name]:
            diff = difflib.unified_diff(
                golden[name].decode("utf-8", "replace").splitlines(),
                content.decode("utf-8", "replace").splitlines(),
                f"golden/{name}",
                f"built/{name}",
                lineterm="",
                n=2,
            )
            raise AssertionError("\n".join(list(diff)[:60]) + "\n(run `make golden` if intended)")
