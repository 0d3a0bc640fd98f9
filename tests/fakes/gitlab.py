"""A stand-in for GitLab's REST API v4 on 127.0.0.1: the subset the submission service calls, in memory.

Written from GitLab's documented requests and responses for: get a single branch, get a file from the
repository (``ref``, base64 content), create a commit with multiple files and actions (``branch``,
``start_branch``, ``actions`` create/update/delete), create a merge request and list merge requests
(``source_branch``, ``state``), get a single merge request, create a merge request note and set a
commit's pipeline status. The project is addressed by its numeric id or its URL-encoded path
(``cucon%2Fsite``). Every request must carry ``PRIVATE-TOKEN: <token>`` or ``Authorization: Bearer
<token>``, else 401 "401 Unauthorized".

Outages are played as in :class:`fakes.github.FakeGitHub`: ``fail_with``, ``fail_match``,
``fail_headers``, ``delay``, ``reset()``.

    with FakeGitLab(files={"README.md": b"# Site\\n"}) as fake:
        host = GitLabHost(fake.url, fake.token, fake.project)
        ...
        fake.files_of("submissions/profile/anna-1a2b3c4"), fake.merge_requests
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
import threading
import time
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

from fakes.github import Answer, Serving


class FakeGitLab(Serving):
    """One project on a fake GitLab, served from a thread; use it as a context manager."""

    name = "fake-gitlab"
    path_prefix = "/api/v4"

    def __init__(
        self,
        token: str = "test-token",
        project: str = "cucon/site",
        project_id: int = 42,
        base_branch: str = "main",
        files: dict[str, bytes] | None = None,
    ) -> None:
        self.token = token
        self.project = project
        self.project_id = project_id
        self.base_branch = base_branch
        self.commits: dict[str, dict[str, Any]] = {}
        """Commits by id: ``{"message", "files", "parent"}``, ``files`` every file of the tree."""
        self.branches: dict[str, str] = {}
        self.merge_requests: list[dict[str, Any]] = []
        """Merge requests as the API shows them, in the order they were opened."""
        self.statuses: list[dict[str, Any]] = []
        """Commit statuses as created: ``{"sha", "status", "name", "description", "target_url"}``."""
        self.notes: list[dict[str, Any]] = []
        """Notes as created on merge requests: ``{"merge_request": iid, "id", "body"}``."""
        self.requests: list[dict[str, Any]] = []
        self._lock = threading.RLock()
        self.reset()
        self.push(base_branch, files or {"README.md": b"# Fixture\n"}, "Initial commit")

    # --- reading back and setting up -------------------------------------------------------------

    def files_of(self, branch: str) -> dict[str, bytes]:
        """Every file on a branch, by path."""
        with self._lock:
            return dict(sorted(self.commits[self.branches[branch]]["files"].items()))

    def commit_of(self, branch: str) -> dict[str, Any]:
        """The commit a branch points to: id, message, files and parent."""
        with self._lock:
            return {"id": self.branches[branch], **self.commits[self.branches[branch]]}

    def push(self, branch: str, files: dict[str, bytes], message: str) -> str:
        """Commit files onto a branch (made from nothing if missing) as a person with git would."""
        with self._lock:
            parent = self.branches.get(branch)
            tree = dict(self.commits[parent]["files"]) if parent else {}
            return self._commit(branch, tree | files, message, parent)

    # --- the API ---------------------------------------------------------------------------------

    def answer(self, method: str, target: str, headers: dict[str, str], raw: bytes) -> Answer:
        """The response to one request; path segments are decoded one by one (``%2F`` stays inside)."""
        parts = urlsplit(target)
        query = {k: v[0] for k, v in parse_qs(parts.query).items()}
        with self._lock:
            self.requests.append({"method": method, "path": parts.path, "query": query, "headers": headers})
            failing = self.fail_with and (
                not self.fail_match or re.search(self.fail_match, f"{method} {parts.path}")
            )
            if failing:
                return self.fail_with, {"message": "500 Internal Server Error"}, dict(self.fail_headers)  # type: ignore[return-value]
            if self.token not in (headers.get("private-token"), headers.get("authorization", "")[7:]):
                return _error(401, "401 Unauthorized")
            match = re.fullmatch(r"/api/v4/projects/([^/]+)/(.+)", parts.path)
            if not match or unquote(match[1]) not in (self.project, str(self.project_id)):
                return _error(404, "404 Project Not Found")
            try:
                body = json.loads(raw) if raw else {}
            except ValueError:
                return _error(400, "400 Bad request - JSON parse error")
            return self._route(method, match[2].split("/"), query, body)

    def _route(self, method: str, rest: list[str], query: dict[str, str], body: Any) -> Answer:
        """Dispatch on the (still encoded) segments below /projects/:id/."""
        if method == "GET" and len(rest) == 3 and rest[:2] == ["repository", "branches"]:
            return self._get_branch(unquote(rest[2]))
        if method == "GET" and len(rest) == 3 and rest[:2] == ["repository", "files"]:
            return self._get_file(unquote(rest[2]), query.get("ref"))
        if method == "POST" and rest == ["repository", "commits"] and isinstance(body, dict):
            return self._create_commit(body)
        if method == "POST" and rest == ["merge_requests"] and isinstance(body, dict):
            return self._create_merge_request(body)
        if method == "GET" and rest == ["merge_requests"]:
            return self._list_merge_requests(query)
        if method == "GET" and len(rest) == 3 and rest[:2] == ["repository", "commits"]:
            return self._get_commit(rest[2])
        if method == "GET" and rest == ["repository", "compare"]:
            return self._compare(query.get("from", ""), query.get("to", ""))
        if method == "GET" and len(rest) == 2 and rest[0] == "merge_requests" and rest[1].isdigit():
            return self._get_merge_request(int(rest[1]))
        if method == "PUT" and len(rest) == 2 and rest[0] == "merge_requests" and rest[1].isdigit():
            return self._update_merge_request(int(rest[1]), body)
        if method == "POST" and len(rest) == 3 and rest[0] == "merge_requests" and rest[2] == "notes":
            return self._create_note(int(rest[1]) if rest[1].isdigit() else 0, body)
        if method == "POST" and len(rest) == 2 and rest[0] == "statuses":
            return self._create_status(rest[1], body)
        return _error(404, "404 Not Found")

    def _get_branch(self, name: str) -> Answer:
        """GET /repository/branches/:branch: 200 with the branch and its commit, or 404."""
        if name not in self.branches:
            return _error(404, "404 Branch Not Found")
        commit = {"id": self.branches[name], "message": self.commits[self.branches[name]]["message"]}
        return 200, {"name": name, "merged": False, "protected": False, "commit": commit}, {}

    def _get_file(self, path: str, ref: str | None) -> Answer:
        """GET /repository/files/:file_path?ref= (a branch or a commit): 200 with base64 content, 400
        without ref, or 404."""
        if not ref:
            return _error(400, "ref is missing")
        sha = self.branches.get(ref, ref)
        files = self.commits[sha]["files"] if sha in self.commits else {}
        if path not in files:
            return _error(404, "404 File Not Found")
        data = files[path]
        return (
            200,
            {
                "file_name": path.rsplit("/", 1)[-1],
                "file_path": path,
                "size": len(data),
                "encoding": "base64",
                "content": base64.b64encode(data).decode("ascii"),
                "ref": ref,
                "commit_id": sha,
            },
            {},
        )

    def _create_commit(self, body: dict[str, Any]) -> Answer:
        """POST /repository/commits: 201 with the commit; 400 when the branch exists (with a
        ``start_branch``), an action does not fit the files, or a field is missing."""
        branch, start, message, actions = (
            body.get(k) for k in ("branch", "start_branch", "commit_message", "actions")
        )
        if not isinstance(branch, str) or not isinstance(message, str) or not isinstance(actions, list):
            return _error(400, "branch, commit_message, actions are missing")
        start_sha, force = body.get("start_sha"), bool(body.get("force"))
        if (start or start_sha) and branch in self.branches and not force:
            return _error(
                400,
                f"A branch called '{branch}' already exists. Switch to that branch in order to make changes",
            )
        if start_sha is not None and start_sha not in self.commits:
            return _error(400, "Cannot find start_sha")
        starting = force or branch not in self.branches
        parent = (start_sha or self.branches.get(start or "")) if starting else self.branches[branch]
        if parent is None:
            return _error(400, "You can only create or edit files when you are on a branch")
        files = dict(self.commits[parent]["files"])
        for action in actions:
            kind, path = action.get("action"), action.get("file_path")
            if kind in ("create", "update"):
                if (kind == "create") == (path in files):
                    return _error(
                        400,
                        "A file with this name already exists"
                        if kind == "create"
                        else "A file with this name doesn't exist",
                    )
                content = action.get("content", "")
                files[path] = (
                    base64.b64decode(content) if action.get("encoding") == "base64" else content.encode()
                )
            elif kind == "delete" and path in files:
                del files[path]
            else:
                return _error(400, "A file with this name doesn't exist")
        sha = self._commit(branch, files, message, parent)
        return (
            201,
            {
                "id": sha,
                "short_id": sha[:8],
                "title": message.split("\n", 1)[0],
                "message": message,
                "parent_ids": [parent],
            },
            {},
        )

    def _create_merge_request(self, body: dict[str, Any]) -> Answer:
        """POST /merge_requests: 201 with the merge request, 409 when the source branch has an open
        one already, 400/404 for missing fields or branches."""
        source, target, title = body.get("source_branch"), body.get("target_branch"), body.get("title")
        if not (isinstance(source, str) and isinstance(target, str) and isinstance(title, str) and title):
            return _error(400, "source_branch, target_branch, title are missing")
        if source not in self.branches or target not in self.branches:
            return _error(404, "404 Branch Not Found")
        if any(m["source_branch"] == source and m["state"] == "opened" for m in self.merge_requests):
            iid = next(m["iid"] for m in self.merge_requests if m["source_branch"] == source)
            return (
                409,
                {"message": [f"Another open merge request already exists for this source branch: !{iid}"]},
                {},
            )
        iid = len(self.merge_requests) + 1
        labels = [name.strip() for name in str(body.get("labels") or "").split(",") if name.strip()]
        request = {
            "id": 1000 + iid,
            "iid": iid,
            "project_id": self.project_id,
            "title": title,
            "description": body.get("description"),
            "state": "opened",
            "source_branch": source,
            "target_branch": target,
            "labels": labels,
            "force_remove_source_branch": bool(body.get("remove_source_branch")),
            "sha": self.branches[source],
            "web_url": f"{self.url.removesuffix('/api/v4')}/{self.project}/-/merge_requests/{iid}",
        }
        self.merge_requests.append(request)
        return 201, request, {}

    def _list_merge_requests(self, query: dict[str, str]) -> Answer:
        """GET /merge_requests?source_branch=&state=opened|closed|merged|all: newest first."""
        state, source = query.get("state", "all"), query.get("source_branch")
        found = [
            m
            for m in reversed(self.merge_requests)
            if (state == "all" or m["state"] == state) and source in (None, m["source_branch"])
        ]
        return 200, found, {}

    def _get_commit(self, sha: str) -> Answer:
        """GET /repository/commits/:sha: 200 with the commit and its parent_ids, or 404."""
        if sha not in self.commits:
            return _error(404, "404 Commit Not Found")
        commit = self.commits[sha]
        parents = [commit["parent"]] if commit["parent"] else []
        return 200, {"id": sha, "short_id": sha[:8], "message": commit["message"], "parent_ids": parents}, {}

    def _compare(self, base: str, head: str) -> Answer:
        """GET /repository/compare?from=&to=: 200 with the diffs of the files that differ, or 404."""
        if base not in self.commits or head not in self.commits:
            return _error(404, "404 Ref Not Found")
        old, new = self.commits[base]["files"], self.commits[head]["files"]
        diffs = [
            {"old_path": path, "new_path": path, "new_file": path not in old, "deleted_file": path not in new}
            for path in sorted(set(old) | set(new))
            if old.get(path) != new.get(path)
        ]
        return (
            200,
            {"commit": {"id": head}, "commits": [], "diffs": diffs, "compare_same_ref": base == head},
            {},
        )

    def _update_merge_request(self, iid: int, body: Any) -> Answer:
        """PUT /merge_requests/:iid {"title", "description", "state_event"}: 200 with it, or 404."""
        found = next((m for m in self.merge_requests if m["iid"] == iid), None)
        if found is None:
            return _error(404, "404 Not found")
        if not isinstance(body, dict) or ("title" in body and not body["title"]):
            return _error(400, "title is empty")
        found.update({key: body[key] for key in ("title", "description") if key in body})
        if body.get("state_event") in ("close", "reopen"):
            found["state"] = "closed" if body["state_event"] == "close" else "opened"
        return 200, found, {}

    def _get_merge_request(self, iid: int) -> Answer:
        """GET /merge_requests/:iid: 200 with the merge request, or 404."""
        found = next((m for m in self.merge_requests if m["iid"] == iid), None)
        return (200, found, {}) if found else _error(404, "404 Not found")

    def _create_note(self, iid: int, body: Any) -> Answer:
        """POST /merge_requests/:iid/notes {"body"}: 201 with the note, 404 without the merge request,
        400 without a body."""
        if not any(m["iid"] == iid for m in self.merge_requests):
            return _error(404, "404 Not found")
        text = body.get("body") if isinstance(body, dict) else None
        if not isinstance(text, str) or not text:
            return _error(400, "body is missing")
        note = {
            "id": 500 + len(self.notes),
            "body": text,
            "noteable_type": "MergeRequest",
            "noteable_iid": iid,
        }
        self.notes.append({"merge_request": iid, **note})
        return 201, note, {}

    def _create_status(self, sha: str, body: Any) -> Answer:
        """POST /statuses/:sha {"state", "name", "description", "target_url"}: 201, 404 for an unknown
        commit, 400 for a state GitLab does not have."""
        if sha not in self.commits:
            return _error(404, "404 Commit Not Found")
        state = body.get("state") if isinstance(body, dict) else None
        if state not in ("pending", "running", "success", "failed", "canceled", "skipped"):
            return _error(400, "state does not have a valid value")
        status = {
            "id": len(self.statuses) + 1,
            "sha": sha,
            "status": state,
            "name": body.get("name") or "default",
            "description": body.get("description"),
            "target_url": body.get("target_url"),
        }
        self.statuses.append(status)
        return 201, status, {}

    def _commit(self, branch: str, files: dict[str, bytes], message: str, parent: str | None) -> str:
        """Keep a commit and point the branch at it; its id covers its content and the moment."""
        text = json.dumps([message, sorted(files), parent, time.time_ns()])
        sha = hashlib.sha1(text.encode()).hexdigest()
        self.commits[sha] = {"message": message, "files": files, "parent": parent}
        self.branches[branch] = sha
        return sha


def _error(status: int, message: str) -> Answer:
    """An error body as the API sends it."""
    return status, {"message": message}, {}
