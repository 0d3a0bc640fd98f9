"""The shape of the tests: fixtures in conftest.py, helpers in support.py, no test module importing another.

A test module that imports another makes pytest collect the other's fixtures twice and ties the
two files together; what both need belongs in conftest.py (fixtures) or support.py (helpers).
"""

from __future__ import annotations

import ast

from support import REPO

TESTS = REPO / "tests"
TEST_MODULES = sorted(path for path in TESTS.rglob("*.py") if "fixtures" not in path.relative_to(TESTS).parts)


def imported_test_modules(source: str) -> set[str]:
    """The test modules (``test_*``, ``conftest``) that a Python source imports, by their last name.

    >>> sorted(imported_test_modules("import test_a as a\\nfrom tests.test_b import x\\nfrom tests import conftest"))
    ['conftest', 'test_a', 'test_b']
    >>> imported_test_modules("import support\\nfrom support import git\\nfrom cucon import testing")
    set()
    """
    found = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module:
            names = [node.module] + [f"{node.module}.{alias.name}" for alias in node.names]
        else:
            continue
        for name in names:
            last = name.rsplit(".", 1)[-1]
            if last.startswith("test_") or last == "conftest":
                found.add(last)
    return found


def test_the_scan_sees_every_test_module():
    assert TESTS / "test_bot_app.py" in TEST_MODULES
    assert TESTS / "browser" / "test_bot_form.py" in TEST_MODULES
    assert TESTS / "support.py" in TEST_MODULES


def test_no_test_module_imports_another():
    offenders = {
        str(path.relative_to(TESTS)): sorted(imported)
        for path in TEST_MODULES
        if (imported := imported_test_modules(path.read_text("utf-8")))
    }
    assert offenders == {}, "put shared fixtures in tests/conftest.py and helpers in tests/support.py"
