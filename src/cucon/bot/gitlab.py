"""Propose a change on GitLab (gitlab.com, openCode.de or any instance): one commit on a new branch
and a merge request, through GitLab's REST API v4.

A third implementation of :class:`cucon.bot.githost.GitHost`, idempotent as the others: the branch
name is the key, so a retry finds the branch and its open merge request instead of making new ones.
Failures are sorted as GitHubHost sorts them (:func:`cucon.bot.githost.forge_request`). GitLab runs
"quick actions" (lines such as ``/close``) in a merge request's description, so every line that could
read as one gets a zero-width space in front (:func:`inert_description`). With ``replace``,
``set_status`` and ``comment`` it is a :class:`cucon.bot.githost.PullRequestHost` too.
"""

from __future__ import annotations

import base64
import logging
import re
from typing import Any
from urllib.parse import quote

import httpx

from cucon.bot.githost import (
    USER_AGENT,
    ApiHost,
    BranchCommit,
    ChangeResult,
    ForgeRefused,
    ForgeUnavailable,
    checked_status,
)
from cucon.inert import BREAK

logger = logging.getLogger(__name__)

GITLAB_API = "https://gitlab.com/api/v4"
PROJECT = re.compile(r"[0-9]+|[A-Za-z0-9_.][A-Za-z0-9_.-]*(?:/[A-Za-z0-9_.][A-Za-z0-9_.-]*)+")
"""A project: its numeric id, or its path ``group/name`` (subgroups allowed)."""
STATES = {"success": "success", "failure": "failed", "error": "failed", "pending": "pending"}
"""GitLab's commit state for each of :data:`cucon.bot.githost.COMMIT_STATES`."""
QUICK_ACTION = re.compile(r"^(?=[ \t]*/)", re.MULTILINE)


def checked_project(project: str) -> str:
    """A project id or ``group/name`` path as given, or ValueError.

    >>> checked_project("kulturamt/cucon-site"), checked_project("1234")
    ('kulturamt/cucon-site', '1234')
    >>> checked_project("../x")
    Traceback (most recent call last):
    ...
    ValueError: project must be a number or group/name, not '../x'
    """
    if not PROJECT.fullmatch(project) or ".." in project:
        raise ValueError(f"project must be a number or group/name, not {project!r}")
    return project


def inert_description(text: str) -> str:
    """Text with a zero-width space before every line that GitLab could run as a quick action.

    >>> inert_description("Anna\\n/close\\n  /assign @eve\\na/b") == f"Anna\\n{BREAK}/close\\n{BREAK}  /assign @eve\\na/b"
    True
    """
    return QUICK_ACTION.sub(BREAK, text)


class GitLabHost(ApiHost):
    """Open merge requests through GitLab's REST API v4: one commit with actions, a merge request."""

    forge = "GitLab"

    def __init__(
        self,
        api_url: str,
        token: str,
        project: str,
        base_branch: str = "main",
        timeout: float = 20.0,
        client: httpx.Client | None = None,
    ) -> None:
        super().__init__(api_url, base_branch, timeout, client)
        self.project = checked_project(project)
        self._headers = {"PRIVATE-TOKEN": token, "User-Agent": USER_AGENT}

    def __repr__(self) -> str:
        return f"GitLabHost({self.api_url!r}, project={self.project!r})"

    def propose(self, change: BranchCommit) -> ChangeResult:
        """Commit the change onto a new branch and open its merge request, or find the one there is."""
        return self._guarded(change, lambda: self._propose(change))

    def _propose(self, change: BranchCommit) -> ChangeResult:
        """The API calls of one proposal: the branch's existence, the base's files, the commit, the MR."""
        if self._head(change.branch) is not None:
            return self._find_merge_request(change.branch) or self._open_merge_request(change)
        actions = self._actions(change)
        commit = {
            "branch": change.branch,
            "start_branch": self.base_branch,
            "commit_message": change.message,
            "actions": actions,
        }
        response = self._call("POST", "repository/commits", json=commit, accept={400})
        if response.status_code == 400:
            message = str(response.json().get("message", ""))
            if "already exists" not in message:
                raise ForgeRefused(f"GitLab refused the commit: {message[:300]}", 400)
            return self._find_merge_request(change.branch) or self._open_merge_request(change)
        logger.info("committed %s on a new branch", str(response.json()["short_id"]))
        return self._open_merge_request(change, str(response.json()["id"]))

    def _replace(self, change: BranchCommit, base: str | None) -> ChangeResult:
        """The API calls of one replacement: the commit (forced onto the branch), the merge request."""
        base = base or self._head(self.base_branch)
        if base is None:
            raise ForgeRefused("the project has no base branch to start from")
        actions = self._actions(change, base)
        head = self._head(change.branch)
        if head is not None and self._holds(head, base, actions):
            found = self._find_merge_request(change.branch)
            if found:
                return ChangeResult(change.branch, found.url, found.number, False, head=head)
            return self._open_merge_request(change, head)
        commit = {
            "branch": change.branch,
            "start_sha": base,
            "force": True,
            "commit_message": change.message,
            "actions": actions,
        }
        sha = str(self._call("POST", "repository/commits", json=commit).json()["id"])
        found = self._find_merge_request(change.branch)
        if found is None:
            return self._open_merge_request(change, sha)
        update = {"title": change.title, "description": inert_description(change.body)}
        self._call("PUT", f"merge_requests/{int(found.number or 0)}", json=update)
        logger.info("updated merge request !%d", found.number)
        return ChangeResult(change.branch, found.url, found.number, False, updated=True, head=sha)

    def _head(self, branch: str) -> str | None:
        """The commit a branch points to, or None without the branch."""
        response = self._call(
            "GET",
            f"repository/branches/{_segment(branch)}",
            accept={404},
            label="repository/branches/<branch>",
        )
        return None if response.status_code == 404 else str(response.json()["commit"]["id"])

    def _holds(self, head: str, base: str, actions: list[dict[str, str]]) -> bool:
        """True when ``head`` is one commit on ``base`` that makes exactly these actions."""
        if self._call("GET", f"repository/commits/{head}").json()["parent_ids"] != [base]:
            return False
        diffs = self._call("GET", "repository/compare", params={"from": base, "to": head}).json()["diffs"]
        if sorted(d["new_path"] for d in diffs) != sorted(a["file_path"] for a in actions):
            return False
        return all(
            self._file(a["file_path"], head) == base64.b64decode(a["content"])
            for a in actions
            if a["action"] != "delete"
        )

    def set_status(
        self, sha: str, state: str, description: str, context: str, target_url: str | None = None
    ) -> None:
        """Set a commit status on ``sha``, GitHub's states mapped to GitLab's (:data:`STATES`)."""
        checked_status(state, sha)
        status = {"state": STATES[state], "description": description[:140], "name": context}
        if target_url:
            status["target_url"] = target_url
        self._call("POST", f"statuses/{sha}", json=status)

    def comment(self, number: int, body: str) -> str:
        """Write a note on a merge request, no line of it a quick action, and return its address."""
        note = self._call(
            "POST", f"merge_requests/{int(number)}/notes", json={"body": inert_description(body)}
        )
        request = self._call("GET", f"merge_requests/{int(number)}")
        try:
            return f"{request.json()['web_url']}#note_{int(note.json()['id'])}"
        except (KeyError, TypeError, ValueError):
            raise ForgeUnavailable("GitLab's answer could not be read") from None

    def _actions(self, change: BranchCommit, ref: str | None = None) -> list[dict[str, str]]:
        """The commit's actions: create or update what differs from ``ref`` (default the base branch),
        delete what it has; refuse a change that leaves the repository as it is."""
        actions = []
        for path, data in sorted(change.files.items()):
            existing = self._file(path, ref)
            if existing != data:
                content = base64.b64encode(data).decode("ascii")
                action = "create" if existing is None else "update"
                actions.append(
                    {"action": action, "file_path": path, "encoding": "base64", "content": content}
                )
        actions += [
            {"action": "delete", "file_path": path}
            for path in sorted(change.deletions)
            if self._file(path, ref) is not None
        ]
        if not actions:
            raise ForgeRefused("the change leaves the repository as it is")
        return actions

    def _file(self, path: str, ref: str | None = None) -> bytes | None:
        """A file's bytes at ``ref`` (default the base branch), or None without it."""
        response = self._call(
            "GET",
            f"repository/files/{_segment(path)}",
            params={"ref": ref or self.base_branch},
            accept={404},
            label="repository/files/<path>",
        )
        if response.status_code == 404:
            return None
        return base64.b64decode(response.json()["content"], validate=True)

    def _open_merge_request(self, change: BranchCommit, head: str | None = None) -> ChangeResult:
        """Open the merge request of a pushed branch, labelled, its description without quick actions."""
        request = {
            "source_branch": change.branch,
            "target_branch": self.base_branch,
            "title": change.title,
            "description": inert_description(change.body),
            "labels": ",".join(change.labels),
            "remove_source_branch": True,
        }
        response = self._call("POST", "merge_requests", json=request, accept={409})
        if response.status_code == 409:
            found = self._find_merge_request(change.branch)
            if found:
                return found
            raise ForgeRefused("GitLab refused the merge request: it conflicts with another", 409)
        created = response.json()
        result = ChangeResult(change.branch, str(created["web_url"]), int(created["iid"]), True, head=head)
        logger.info("opened merge request !%d", result.number)
        return result

    def _find_merge_request(self, branch: str) -> ChangeResult | None:
        """The newest open merge request whose source is this branch."""
        params = {"source_branch": branch, "state": "opened"}
        found = self._call("GET", "merge_requests", params=params).json()
        if not found:
            return None
        newest = max(found, key=lambda request: int(request["iid"]))
        return ChangeResult(branch, str(newest["web_url"]), int(newest["iid"]), created=False)

    def _call(
        self,
        method: str,
        path: str,
        *,
        json: Any = None,
        params: dict[str, str] | None = None,
        accept: frozenset[int] | set[int] = frozenset(),
        label: str | None = None,
    ) -> httpx.Response:
        """One request to the project's API; 2xx and ``accept`` come back, the rest is raised. Errors
        name ``label`` for the path, where the path holds a branch or file name (they carry slugs)."""
        url = f"{self.api_url}/projects/{_segment(self.project)}/{path}"
        return self._request(method, url, label or path, json=json, params=params, accept=accept)


def _segment(value: str) -> str:
    """A path or name as one URL path segment, slashes included, as GitLab wants ids and file paths.

    >>> _segment("content/profiles/anna.md")
    'content%2Fprofiles%2Fanna.md'
    """
    return quote(value, safe="")
