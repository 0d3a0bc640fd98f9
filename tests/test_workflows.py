"""The pipeline can't be hijacked: .github/ passes zizmor and actionlint, and our own rules.

zizmor and actionlint are test requirements (requirements-test.txt), run from this environment's
scripts folder, offline. The rules below restate what a review must never let through: no
`pull_request_target`, no expression inside a script, actions pinned to commits, read-only tokens
except where a job must write, and nothing deployed that was not tested.
"""

from __future__ import annotations

import json
import re
import subprocess
import sysconfig
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from support import REPO, run

GITHUB = REPO / ".github"
WORKFLOW_FILES = sorted([*(GITHUB / "workflows").glob("*.yml"), *(GITHUB / "workflows").glob("*.yaml")])
ISSUE_FORMS = sorted(path for path in (GITHUB / "ISSUE_TEMPLATE").glob("*.yml") if path.name != "config.yml")

ZIZMOR_PERSONA = "pedantic"
"""zizmor's persona: "regular" findings plus code smells; "auditor" would add known false positives."""

ALLOWED_WRITES = {
    ("publish.yml", "deploy"): {"pages": "write", "id-token": "write"},
    ("issue-to-pr.yml", "publish"): {
        "contents": "write",
        "pull-requests": "write",
        "issues": "write",
        "statuses": "write",
    },
}
"""The only jobs whose token may write, and exactly what: publishing to GitHub Pages; turning an
issue of the profile, call or news form into a pull request (push its branch, open or update it,
comment, set the checks' commit status)."""

EXPECTED_TRIGGERS = {
    "pr.yml": {"pull_request"},
    "publish.yml": {"push", "schedule", "workflow_dispatch"},
    "issue-to-pr.yml": {"issues"},
}
"""The events each workflow runs on; every workflow has a row."""

PINNED_USES = re.compile(r"^\s*(?:-\s+)?uses:\s+[\w.-]+/[\w./-]+@[0-9a-f]{40}\s+#\s+v\d+\.\d+\.\d+\s*$")
"""`uses: owner/repo@<full commit SHA> # vX.Y.Z`: a tag can be moved, a commit cannot."""

REQUIRED_LABELS = {
    "new-profile",
    "new-call",
    "new-news",
    "news",
    "correction",
    "removal-request",
    "needs-review",
    "bot",
    "dependencies",
}
"""Labels the staff workflow, the forms, the bot and Dependabot rely on."""

FORM_ELEMENT_TYPES = {"markdown", "input", "textarea", "dropdown", "checkboxes"}
"""The element types GitHub's issue forms know."""


def tool(name: str) -> Path:
    """The path of a test tool installed in this environment, or a failure that says how to install it."""
    path = Path(sysconfig.get_path("scripts")) / name
    if not path.is_file():
        pytest.fail(
            f"{name} is not installed in {path.parent}: it is a test requirement, pinned in "
            "requirements-test.txt; run `make setup-test` (or `make test`)",
            pytrace=False,
        )
    return path


def run_tool(*command: str | Path) -> subprocess.CompletedProcess:
    """Run a tool in the repository's root and capture what it prints."""
    return run(list(command), REPO)


def load_yaml(path: Path) -> Any:
    """A YAML file of .github/, parsed as GitHub reads it."""
    return yaml.safe_load(path.read_text("utf-8"))


@pytest.fixture(scope="module")
def workflows() -> dict[str, dict]:
    """Every workflow in .github/workflows/, parsed, by file name."""
    return {path.name: load_yaml(path) for path in WORKFLOW_FILES}


@pytest.fixture(scope="module")
def labels() -> list[dict]:
    """The entries of .github/labels.yml."""
    return load_yaml(GITHUB / "labels.yml")


def triggers(workflow: dict) -> dict:
    """A workflow's `on:` as a mapping (YAML 1.1 reads the bare key `on` as True)."""
    events = workflow.get("on", workflow.get(True))
    if isinstance(events, str):
        return {events: None}
    if isinstance(events, list):
        return dict.fromkeys(events)
    return events or {}


def all_jobs(workflows: dict[str, dict]) -> Iterator[tuple[str, str, dict]]:
    """(file name, job id, job) for every job of every workflow."""
    for name, workflow in workflows.items():
        for job_id, job in (workflow.get("jobs") or {}).items():
            yield name, job_id, job


def all_steps(workflows: dict[str, dict]) -> Iterator[tuple[str, str, dict]]:
    """(file name, job id, step) for every step of every job."""
    for name, job_id, job in all_jobs(workflows):
        for step in job.get("steps") or []:
            yield name, job_id, step


def step_name(step: dict) -> str:
    """How a step is named in a failure message."""
    return step.get("name") or step.get("uses") or step.get("run", "").splitlines()[0]


# --- zizmor and actionlint ---------------------------------------------------------------------


def describe_zizmor_finding(finding: dict) -> str:
    """One zizmor finding as `audit: description at file:line (annotation)`."""
    where = []
    for location in finding.get("locations", []):
        path = location["symbolic"]["key"].get("Local", {}).get("verbatim_path", "?")
        row = location["concrete"]["location"]["start_point"]["row"] + 1
        where.append(f"{path}:{row} ({location['symbolic'].get('annotation', '')})")
    return f"{finding['ident']}: {finding['desc']} at {'; '.join(where)}"


def test_zizmor_reports_nothing():
    """zizmor, offline, as the pedantic persona, finds nothing in .github/ (workflows and Dependabot).

    No configuration file and no `# zizmor: ignore` comment can silence it: a finding is fixed, or
    this test is changed in review.
    """
    zizmor = tool("zizmor")
    result = run_tool(
        zizmor,
        "--offline",
        "--persona",
        ZIZMOR_PERSONA,
        "--no-config",
        "--no-ignores",
        "--strict-collection",
        "--no-progress",
        "--format",
        "json",
        ".github",
    )
    try:
        findings = json.loads(result.stdout)
    except json.JSONDecodeError:
        pytest.fail(f"zizmor did not run (exit {result.returncode}):\n{result.stdout}\n{result.stderr}")
    assert findings == [], "zizmor found:\n" + "\n".join(map(describe_zizmor_finding, findings))
    assert result.returncode == 0, result.stderr


def test_actionlint_reports_nothing():
    """actionlint finds nothing in the workflows (with shellcheck on the scripts where it is installed)."""
    actionlint = tool("actionlint")
    result = run_tool(actionlint, "-no-color", "-format", "{{json .}}", *WORKFLOW_FILES)
    try:
        errors = json.loads(result.stdout or "null") or []
    except json.JSONDecodeError:
        pytest.fail(f"actionlint did not run (exit {result.returncode}):\n{result.stdout}\n{result.stderr}")
    assert errors == [], "actionlint found:\n" + "\n".join(
        f"{error['filepath']}:{error['line']}:{error['column']}: {error['message']} [{error['kind']}]"
        for error in errors
    )
    assert result.returncode == 0, result.stderr


# --- our rules -----------------------------------------------------------------------------------


def test_the_pipeline_is_the_pull_request_and_publish_workflows(workflows):
    """pr.yml and publish.yml replaced ci.yml, every workflow is in the table, and each runs on
    exactly its events."""
    assert "ci.yml" not in workflows
    assert set(workflows) == set(EXPECTED_TRIGGERS), "a workflow without a row in EXPECTED_TRIGGERS"
    for name, expected in EXPECTED_TRIGGERS.items():
        assert name in workflows, f".github/workflows/{name} is missing"
        assert set(triggers(workflows[name])) == expected, name


@pytest.mark.parametrize("path", WORKFLOW_FILES, ids=lambda path: path.name)
def test_no_workflow_runs_on_pull_request_target(path):
    """`pull_request_target` runs a fork's pull request with the base repository's token and secrets."""
    assert "pull_request_target" not in triggers(load_yaml(path))
    code = [line for line in path.read_text("utf-8").splitlines() if not line.lstrip().startswith("#")]
    assert not [line for line in code if "pull_request_target" in line]


@pytest.mark.parametrize("path", WORKFLOW_FILES, ids=lambda path: path.name)
def test_every_action_is_pinned_to_a_commit_with_its_version(path):
    """Every `uses:` line reads `owner/repo@<40 hex> # vX.Y.Z`, and no `uses:` hides elsewhere."""
    text = path.read_text("utf-8")
    uses_lines = [line for line in text.splitlines() if re.match(r"^\s*(?:-\s+)?uses:", line)]
    unpinned = [line.strip() for line in uses_lines if not PINNED_USES.match(line)]
    assert not unpinned, f"{path.name}: not pinned to a commit with its version in a comment: {unpinned}"
    parsed = [step["uses"] for _, _, step in all_steps({path.name: load_yaml(path)}) if "uses" in step]
    parsed += [job["uses"] for _, _, job in all_jobs({path.name: load_yaml(path)}) if "uses" in job]
    assert len(parsed) == len(uses_lines), f"{path.name}: a `uses:` is not on a line of its own"


def test_no_expression_reaches_a_script(workflows):
    """No `${{ }}` inside `run:` (or a github-script `script:`): values reach scripts through `env:`.

    An expression is pasted into the script before the shell reads it, so a pull request's title,
    branch name or body could run as code; an environment variable is only ever data.
    """
    offending = []
    for name, job_id, step in all_steps(workflows):
        for key, script in (
            ("run", step.get("run")),
            ("with.script", (step.get("with") or {}).get("script")),
        ):
            if isinstance(script, str) and "${{" in script:
                offending.append(f"{name} › {job_id} › {step_name(step)} ({key})")
    assert not offending, f"expressions inside scripts; pass them through `env:` instead: {offending}"


def test_every_checkout_drops_its_credentials(workflows):
    """actions/checkout never leaves the token in .git/config, where later steps could read it."""
    checkouts = [
        (name, job_id, step)
        for name, job_id, step in all_steps(workflows)
        if step.get("uses", "").startswith("actions/checkout@")
    ]
    assert checkouts
    for name, job_id, step in checkouts:
        assert (step.get("with") or {}).get("persist-credentials") is False, f"{name} › {job_id}"


def test_tokens_are_read_only_except_where_the_table_allows(workflows):
    """Workflows grant nothing by default; a job raises only what it needs, and only the jobs of
    ALLOWED_WRITES write, exactly what the table says."""
    for name, workflow in workflows.items():
        assert workflow.get("permissions") in ({}, {"contents": "read"}), f"{name}: top-level permissions"
    for name, job_id, job in all_jobs(workflows):
        permissions = job.get("permissions", {})
        assert isinstance(permissions, dict), f"{name} › {job_id}: {permissions!r}, not a mapping"
        writes = {scope: level for scope, level in permissions.items() if level == "write"}
        assert writes == ALLOWED_WRITES.get((name, job_id), {}), f"{name} › {job_id} writes {writes}"


def test_only_tested_commits_are_deployed(workflows):
    """The deploy job needs the job that runs the whole suite, deploys through the protected
    `github-pages` environment, and publications never overlap."""
    publish = workflows["publish.yml"]
    jobs = publish["jobs"]
    test_jobs = {
        job_id
        for job_id, job in jobs.items()
        if any("bash .ci/run" in s.get("run", "") for s in job["steps"])
    }
    assert test_jobs == {"test"}
    deploy = jobs["deploy"]
    needs = deploy["needs"] if isinstance(deploy["needs"], list) else [deploy["needs"]]
    assert "test" in needs
    assert jobs["build"]["needs"] == "test"  # and it builds the commit the test job checked out
    assert "needs.test.outputs.sha" in json.dumps(jobs["build"]["steps"])
    assert deploy["environment"]["name"] == "github-pages"
    assert publish["concurrency"]["cancel-in-progress"] is False
    assert triggers(publish)["push"]["branches"] == ["main"]
    assert triggers(publish)["schedule"][0]["cron"]


def test_issues_become_pull_requests_without_their_text_reaching_a_script(workflows):
    """issue-to-pr.yml runs for open issues of the profile, call and news forms only, one run per issue
    at a time; the issue's body reaches the step only through `env:` and is written to a file with printf."""
    workflow = workflows["issue-to-pr.yml"]
    assert triggers(workflow)["issues"]["types"] == ["opened", "edited"]
    assert workflow["concurrency"]["group"] == "${{ github.workflow }}-${{ github.event.issue.number }}"
    job = workflow["jobs"]["prepare"]
    for label in ("new-profile", "new-call", "new-news"):
        assert f"contains(github.event.issue.labels.*.name, '{label}')" in job["if"]
    assert "github.event.issue.state == 'open'" in job["if"]
    text = json.dumps(workflow)
    assert text.count("github.event.issue.body") == 1
    [step] = [step for step in job["steps"] if "env" in step and "ISSUE_BODY" in step["env"]]
    assert step["env"]["ISSUE_BODY"] == "${{ github.event.issue.body }}"
    assert step["run"].startswith("printf '%s' \"$ISSUE_BODY\" > ")
    assert step["run"].count("$ISSUE_BODY") == 1
    assert "cucon bot from-issue" in step["run"]
    assert "--prepare" in step["run"]


def test_no_write_token_meets_the_issues_content(workflows):
    """issue-to-pr.yml: the job that reads the issue and runs the checks (`prepare`) has a read-only
    token that no step gets; the job that writes (`publish`) needs it, never reads the body, and hands
    its token to exactly one step, its last, after every install; both install only with hashes."""
    jobs = workflows["issue-to-pr.yml"]["jobs"]
    assert set(jobs) == {"prepare", "publish"}
    prepare, publish = jobs["prepare"], jobs["publish"]
    assert prepare["permissions"] == {"contents": "read"}
    assert not re.search(r"github\.token|GITHUB_TOKEN|GH_TOKEN|secrets\.", json.dumps(prepare["steps"]))
    assert "secrets." not in json.dumps(jobs)
    assert publish["needs"] == "prepare"
    assert "github.event.issue.body" not in json.dumps(publish)
    with_token = [i for i, step in enumerate(publish["steps"]) if "GITHUB_TOKEN" in (step.get("env") or {})]
    assert with_token == [len(publish["steps"]) - 1]
    last = publish["steps"][-1]
    assert last["env"]["GITHUB_TOKEN"] == "${{ github.token }}"
    assert "--publish" in last["run"]
    assert "--body-file" not in last["run"]
    assert "github.token" not in json.dumps(publish["steps"][:-1])
    for job in (prepare, publish):
        installs = [step["run"] for step in job["steps"] if "make setup" in step.get("run", "")]
        assert installs == ["make setup"]
    uploads = [s for s in prepare["steps"] if s.get("uses", "").startswith("actions/upload-artifact@")]
    downloads = [s for s in publish["steps"] if s.get("uses", "").startswith("actions/download-artifact@")]
    assert [s["with"]["name"] for s in uploads] == [s["with"]["name"] for s in downloads] == ["proposal"]


def test_pull_requests_and_issue_pull_requests_report_checks_under_one_name(workflows):
    """pr.yml's job is named as the commit status the issue-form path sets (cucon/checks), so staff and
    branch protection require one name for both kinds of pull request."""
    from cucon.bot.checks import CONTEXT

    assert workflows["pr.yml"]["jobs"]["test"]["name"] == CONTEXT
    assert "statuses" in workflows["issue-to-pr.yml"]["jobs"]["publish"]["permissions"]


PULL_REQUEST_STEPS = [
    ("cucon check --format github", None),
    ('cucon summary --base "$BASE_SHA" --head "$HEAD_SHA" >> "$GITHUB_STEP_SUMMARY"', None),
    ('cucon links --base "$BASE_SHA" --head "$HEAD_SHA" >> "$GITHUB_STEP_SUMMARY"', True),
    ("make html", None),
    ('cucon scope --base "$BASE_SHA" --head "$HEAD_SHA"', None),
    ("make test-content", None),
    ("bash .ci/run", None),
]
"""Commands of the pull-request workflow, and whether their step may fail without failing the run."""


@pytest.mark.parametrize(("command", "continue_on_error"), PULL_REQUEST_STEPS)
def test_pull_requests_are_checked_summarised_built_and_tested(workflows, command, continue_on_error):
    """Each command runs in pr.yml; only the advisory link check may fail without failing the run."""
    steps = [
        step for _, _, step in all_steps({"pr.yml": workflows["pr.yml"]}) if command in step.get("run", "")
    ]
    assert len(steps) == 1, command
    assert steps[0].get("continue-on-error") is continue_on_error


def test_pull_requests_keep_the_built_site_and_the_history(workflows):
    """Reviewers get the built site as an artifact; the summary gets the base commit to compare with."""
    steps = [step for _, _, step in all_steps({"pr.yml": workflows["pr.yml"]})]
    uploads = [step for step in steps if step.get("uses", "").startswith("actions/upload-artifact@")]
    assert [step["with"]["path"] for step in uploads] == ["output/"]
    checkout = next(step for step in steps if step.get("uses", "").startswith("actions/checkout@"))
    assert checkout["with"]["fetch-depth"] == 0


def test_content_only_pull_requests_run_the_content_tests_and_all_others_the_whole_suite(workflows):
    """pr.yml runs `make test-content` only where `cucon scope` said content, and the whole suite
    otherwise (also when the scope step printed nothing); publish.yml always runs the whole suite."""
    steps = [step for _, _, step in all_steps({"pr.yml": workflows["pr.yml"]})]
    [scope] = [step for step in steps if "cucon scope" in step.get("run", "")]
    assert scope["id"] == "scope"
    assert set(scope["env"]) == {"BASE_SHA", "HEAD_SHA"}
    assert 'echo "scope=$scope" >> "$GITHUB_OUTPUT"' in scope["run"]
    conditions = {
        command: step.get("if")
        for step in steps
        for command in ("make test-content", "bash .ci/run")
        if command in step.get("run", "")
    }
    assert conditions == {
        "make test-content": "steps.scope.outputs.scope == 'content'",
        "bash .ci/run": "steps.scope.outputs.scope != 'content'",
    }
    assert steps.index(scope) < min(
        steps.index(step) for step in steps if step.get("if") in conditions.values()
    )
    publish = [step for _, _, step in all_steps({"publish.yml": workflows["publish.yml"]})]
    [suite] = [step for step in publish if "bash .ci/run" in step.get("run", "")]
    assert "if" not in suite


def test_browser_tests_use_the_runners_chrome(workflows):
    """Ubuntu's chromium package is a snap stub on GitHub's runner; every suite run uses Chrome."""
    runs = [
        step
        for _, _, step in all_steps(workflows)
        if any(command in step.get("run", "") for command in ("bash .ci/run", "make test-content"))
    ]
    assert len(runs) == 3
    for step in runs:
        assert step["env"]["CUCON_CHROMIUM"] == "/usr/bin/google-chrome"


# --- issue forms, labels, Dependabot, code owners ------------------------------------------------


@pytest.mark.parametrize("path", ISSUE_FORMS, ids=lambda path: path.name)
def test_issue_forms_are_valid(path, labels):
    """Each form has a name, a description and a body of known elements; inputs have unique ids and
    labels; dropdowns and checkboxes have options; the labels it applies exist in labels.yml."""
    form = load_yaml(path)
    assert {"name", "description", "body"} <= set(form), path.name
    assert set(form.get("labels", [])) <= {label["name"] for label in labels}, path.name
    ids = []
    for element in form["body"]:
        assert element["type"] in FORM_ELEMENT_TYPES, element
        attributes = element["attributes"]
        if element["type"] == "markdown":
            assert attributes["value"].strip()
            assert "validations" not in element
            continue
        assert re.fullmatch(r"[A-Za-z0-9_-]+", element["id"]), element["id"]
        ids.append(element["id"])
        assert attributes["label"].strip(), element["id"]
        if element["type"] in ("dropdown", "checkboxes"):
            assert attributes["options"], element["id"]
    assert ids, f"{path.name}: a form needs at least one field"
    assert len(ids) == len(set(ids)), f"{path.name}: duplicate ids"


def test_the_issue_forms_exist():
    """A new profile, call and news item without git, a correction or removal request, and a bug report."""
    names = {load_yaml(path)["name"] for path in ISSUE_FORMS}
    for expected in (
        "New profile without git",
        "New call without git",
        "News or event tip without git",
        "Correction or removal request",
        "Bug report",
    ):
        assert any(expected in name for name in names), expected


def test_the_removal_form_says_email_works_and_warns_about_private_data():
    """Removal under GDPR Art. 17 is possible by e-mail, and private data stays out of public issues."""
    text = (GITHUB / "ISSUE_TEMPLATE" / "correction-or-removal.yml").read_text("utf-8")
    for needed in (
        "Art. 17",
        "kulturbuero@hannover-stadt.de",
        "keine privaten Daten",
        "not put private data",
    ):
        assert needed in text, needed


def test_blank_issues_are_off_and_contact_links_are_complete():
    """The "New issue" page offers the forms and links only, each with a name, https address and text."""
    config = load_yaml(GITHUB / "ISSUE_TEMPLATE" / "config.yml")
    assert config["blank_issues_enabled"] is False
    assert config["contact_links"]
    for link in config["contact_links"]:
        assert link["name"], link
        assert link["about"], link
        assert link["url"].startswith("https://"), link


def form_options(form: str, element_id: str) -> list[str]:
    """The options of a dropdown of an issue form."""
    body = load_yaml(GITHUB / "ISSUE_TEMPLATE" / form)["body"]
    return next(e for e in body if e.get("id") == element_id)["attributes"]["options"]


@pytest.mark.parametrize(
    ("form", "city_fields"),
    [
        ("new-profile.yml", ["cities"]),
        ("new-call.yml", ["cities", "open-to-cities"]),
        ("new-news.yml", ["cities"]),
    ],
)
def test_the_entry_forms_offer_the_contents_cities_and_disciplines(form, city_fields):
    """The forms' cities start with the English names in content/cities/ (the network members follow:
    tests/test_network_cities.py), their disciplines are "German / English" from content/disciplines.yaml,
    so the bot can map every choice back to a slug."""
    cities = {load_yaml(path)["names"]["en"] for path in (REPO / "content" / "cities").glob("*.yaml")}
    for element_id in city_fields:
        assert set(form_options(form, element_id)[: len(cities)]) == cities
    names = [d["names"] for d in load_yaml(REPO / "content" / "disciplines.yaml")["disciplines"]]
    expected = {n["de"] if n["de"] == n["en"] else f"{n['de']} / {n['en']}" for n in names}
    assert set(form_options(form, "disciplines")) == expected


def test_each_entry_form_sets_the_label_the_workflow_reacts_to():
    """new-profile, new-call and new-news: the label each form sets is in issue-to-pr.yml's `if:`."""
    job_if = next(iter(load_yaml(GITHUB / "workflows" / "issue-to-pr.yml")["jobs"].values()))["if"]
    for form, label in (
        ("new-profile.yml", "new-profile"),
        ("new-call.yml", "new-call"),
        ("new-news.yml", "new-news"),
    ):
        assert label in load_yaml(GITHUB / "ISSUE_TEMPLATE" / form)["labels"]
        assert f"'{label}'" in job_if


def test_labels_are_complete_and_well_formed(labels):
    """labels.yml lists every label the workflow relies on, each once, with a colour and a short text."""
    names = [label["name"] for label in labels]
    assert len(names) == len(set(names))
    assert set(names) >= REQUIRED_LABELS
    for label in labels:
        assert re.fullmatch(r"[0-9a-f]{6}", label["color"]), label
        assert 0 < len(label["description"]) <= 100, label  # GitHub's limit


def test_dependabot_updates_pip_and_actions_weekly_in_groups():
    """Dependabot proposes the pinned Python packages (requirements*.txt) and actions weekly, grouped."""
    config = load_yaml(GITHUB / "dependabot.yml")
    assert config["version"] == 2
    updates = {update["package-ecosystem"]: update for update in config["updates"]}
    assert {"pip", "github-actions"} <= set(updates)
    for update in updates.values():
        assert update["directory"] == "/"
        assert update["schedule"]["interval"] == "weekly"
        assert update["groups"]


def test_code_owners_split_content_and_code():
    """Staff own content/, developers own the rest, and only developers own the workflows."""
    owners = {}
    for line in (GITHUB / "CODEOWNERS").read_text("utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            pattern, *teams = line.split()
            owners[pattern] = set(teams)
    assert owners["/content/"] == {"@kulturbuero-hannover/staff"}
    assert owners["*"] == {"@kulturbuero-hannover/developers"}
    assert owners["/.github/workflows/"] == {"@kulturbuero-hannover/developers"}
