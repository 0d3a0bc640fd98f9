"""A stand-in for GitHub's REST API on 127.0.0.1: the subset the submission service calls, kept in memory.

Written from GitHub's documented requests and responses (status codes and JSON shapes) for: get a
reference, get a commit, create a blob, create a tree, create a commit, create a reference, update a
reference (``force``), list, create and update pull requests, add labels to an issue, create an issue
comment, and create a commit status. Every request must carry ``Authorization: Bearer
<token>`` (or ``token <token>``), else 401 "Bad credentials". Object ids are content addresses like
git's (a blob's is git's own blob id), so the same content gives the same tree.

To play an outage, set ``fail_with`` (e.g. 502): every request, or only those whose "METHOD /path"
matches ``fail_match``, answers that status with ``fail_headers`` until ``reset()``. ``delay`` holds
each answer back, to run into a client's timeout.

    with FakeGitHub(files={"README.md": b"# Site\\n"}) as fake:
        host = GitHubHost(fake.url, fake.token, fake.repository)
        ...
        fake.files_of("submissions/profile/anna-1a2b3c4"), fake.pulls
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Self
from urllib.parse import parse_qs, unquote, urlsplit

DOCS = "https://docs.github.com/rest"

Answer = tuple[int, Any, dict[str, str]]
"""Status, JSON body and extra headers of one response."""


class Serving:
    """Start and stop a fake forge's HTTP server on 127.0.0.1 in a thread; answers come from ``answer``."""

    name = "fake-forge"
    path_prefix = ""
    url = ""
    _server: _Server | None = None
    _thread: threading.Thread | None = None
    fail_with: int | None = None
    fail_match: str | None = None
    fail_headers: dict[str, str]
    delay = 0.0

    def answer(self, method: str, target: str, headers: dict[str, str], raw: bytes) -> Answer:
        """The response to one request."""
        raise NotImplementedError

    # --- running ---------------------------------------------------------------------------------

    def start(self) -> Self:
        """Listen on a free port of 127.0.0.1; ``url`` is then the API base URL."""
        server = _Server(("127.0.0.1", 0), _Handler)
        server.fake = self
        self._server = server
        self._thread = threading.Thread(
            target=server.serve_forever, kwargs={"poll_interval": 0.05}, name=self.name, daemon=True
        )
        self._thread.start()
        self.url = f"http://127.0.0.1:{server.server_address[1]}{self.path_prefix}"
        return self

    def stop(self) -> None:
        """Stop listening."""
        if self._server:
            self._server.shutdown()
            self._server.server_close()
            assert self._thread is not None
            self._thread.join(timeout=10)
            self._server = self._thread = None

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def reset(self) -> None:
        """Answer normally again."""
        self.fail_with, self.fail_match, self.fail_headers, self.delay = None, None, {}, 0.0


class FakeGitHub(Serving):
    """One repository on a fake GitHub, served from a thread; use it as a context manager."""

    def __init__(
        self,
        token: str = "test-token",
        repository: str = "cucon/site",
        base_branch: str = "main",
        files: dict[str, bytes] | None = None,
    ) -> None:
        self.token = token
        self.repository = repository
        self.owner = repository.split("/", 1)[0]
        self.base_branch = base_branch
        self.blobs: dict[str, bytes] = {}
        self.trees: dict[str, dict[str, str]] = {}
        self.commits: dict[str, dict[str, Any]] = {}
        self.refs: dict[str, str] = {}
        self._pulls: list[dict[str, Any]] = []
        self._issues: dict[int, dict[str, Any]] = {}
        self.comments: list[dict[str, Any]] = []
        """Comments as created: ``{"issue": number, "body": text, "html_url": …}``."""
        self.statuses: list[dict[str, Any]] = []
        """Commit statuses as created: ``{"sha", "state", "description", "context", "target_url"}``."""
        self.requests: list[dict[str, Any]] = []
        self.fail_with: int | None = None
        self.fail_match: str | None = None
        self.fail_headers: dict[str, str] = {}
        self.delay = 0.0
        self._lock = threading.RLock()
        self.push(base_branch, files or {"README.md": b"# Fixture\n"}, "Initial commit")

    # --- reading back and setting up -------------------------------------------------------------

    def files_of(self, branch: str) -> dict[str, bytes]:
        """Every file on a branch, by path."""
        with self._lock:
            tree = self.trees[self.commits[self.refs[f"refs/heads/{branch}"]]["tree"]]
            return {path: self.blobs[sha] for path, sha in sorted(tree.items())}

    def commit_of(self, branch: str) -> dict[str, Any]:
        """The commit a branch points to: sha, message, tree and parents."""
        with self._lock:
            sha = self.refs[f"refs/heads/{branch}"]
            return {"sha": sha, **self.commits[sha]}

    @property
    def branches(self) -> list[str]:
        """The names of all branches."""
        with self._lock:
            return sorted(ref.removeprefix("refs/heads/") for ref in self.refs)

    @property
    def pulls(self) -> list[dict[str, Any]]:
        """All pull requests in the order they were opened, as the API lists them."""
        with self._lock:
            return [self._pull_json(pull) for pull in self._pulls]

    def open_issue(self, title: str, body: str, labels: tuple[str, ...] = ()) -> int:
        """File an issue as a person on GitHub would; issues and pull requests share their numbers."""
        with self._lock:
            number = self._next_number()
            self._issues[number] = {"number": number, "title": title, "body": body, "labels": list(labels)}
            return number

    def _next_number(self) -> int:
        return 1 + max([p["number"] for p in self._pulls] + list(self._issues), default=0)

    def push(
        self,
        branch: str,
        files: dict[str, bytes],
        message: str,
        deletions: tuple[str, ...] = (),
        sha: str | None = None,
    ) -> str:
        """Commit files onto a branch (made if missing, from nothing) as a person with git would;
        ``sha`` keeps the commit under that id, to stand for a commit of a real local repository."""
        with self._lock:
            parent = self.refs.get(f"refs/heads/{branch}")
            tree = dict(self.trees[self.commits[parent]["tree"]]) if parent else {}
            tree.update({path: self._store_blob(data) for path, data in files.items()})
            for path in deletions:
                tree.pop(path, None)
            commit = self._store_commit(message, self._store_tree(tree), [parent] if parent else [], sha)
            self.refs[f"refs/heads/{branch}"] = commit
            return commit

    # --- the API ---------------------------------------------------------------------------------

    def answer(self, method: str, target: str, headers: dict[str, str], raw: bytes) -> Answer:
        """The response to one request."""
        parts = urlsplit(target)
        path, query = unquote(parts.path), {k: v[0] for k, v in parse_qs(parts.query).items()}
        with self._lock:
            self.requests.append({"method": method, "path": path, "query": query, "headers": headers})
            failing = self.fail_with and (
                not self.fail_match or re.search(self.fail_match, f"{method} {path}")
            )
            if failing:
                return self.fail_with, {"message": "Server Error"}, dict(self.fail_headers)  # type: ignore[return-value]
            authorization = headers.get("authorization", "")
            if authorization not in (f"Bearer {self.token}", f"token {self.token}"):
                return _error(401, "Bad credentials")
            match = re.fullmatch(r"/repos/([^/]+/[^/]+)/(.+)", path)
            if not match or match[1] != self.repository:
                return _error(404, "Not Found")
            try:
                body = json.loads(raw) if raw else {}
            except ValueError:
                return _error(400, "Problems parsing JSON")
            return self._route(method, match[2], query, body)

    def _route(self, method: str, rest: str, query: dict[str, str], body: Any) -> Answer:
        """Dispatch on the path below /repos/{owner}/{repo}/."""
        if method == "GET" and rest.startswith("git/ref/"):
            return self._get_ref(rest.removeprefix("git/ref/"))
        if method == "GET" and rest.startswith("git/commits/"):
            return self._get_commit(rest.removeprefix("git/commits/"))
        posts = {
            "git/blobs": self._create_blob,
            "git/trees": self._create_tree,
            "git/commits": self._create_commit,
            "git/refs": self._create_ref,
            "pulls": self._create_pull,
        }
        if method == "POST" and rest in posts:
            return posts[rest](body) if isinstance(body, dict) else _error(400, "Problems parsing JSON")
        if method == "GET" and rest == "pulls":
            return self._list_pulls(query)
        if method == "PATCH" and rest.startswith("git/refs/"):
            return self._update_ref(rest.removeprefix("git/"), body)
        pull = re.fullmatch(r"pulls/(\d+)", rest)
        if method == "PATCH" and pull:
            return self._update_pull(int(pull[1]), body)
        status = re.fullmatch(r"statuses/([0-9a-f]{40})", rest)
        if method == "POST" and status:
            return self._create_status(status[1], body)
        labels = re.fullmatch(r"issues/(\d+)/labels", rest)
        if method == "POST" and labels:
            return self._add_labels(int(labels[1]), body)
        comments = re.fullmatch(r"issues/(\d+)/comments", rest)
        if method == "POST" and comments:
            return self._create_comment(int(comments[1]), body)
        return _error(404, "Not Found")

    def _get_ref(self, name: str) -> Answer:
        """GET /git/ref/{ref}: 200 with the object, or 404."""
        sha = self.refs.get(f"refs/{name}")
        if sha is None:
            return _error(404, "Not Found")
        return 200, self._ref_json(f"refs/{name}", sha), {}

    def _get_commit(self, sha: str) -> Answer:
        """GET /git/commits/{sha}: 200 with tree and parents, or 404."""
        if sha not in self.commits:
            return _error(404, "Not Found")
        return 200, self._commit_json(sha), {}

    def _create_blob(self, body: dict[str, Any]) -> Answer:
        """POST /git/blobs: 201 {"url", "sha"}; content in utf-8 or base64."""
        content, encoding = body.get("content"), body.get("encoding", "utf-8")
        if not isinstance(content, str) or encoding not in ("utf-8", "base64"):
            return _error(422, "Invalid request.")
        try:
            data = base64.b64decode(content, validate=True) if encoding == "base64" else content.encode()
        except ValueError:
            return _error(422, "Invalid request.")
        sha = self._store_blob(data)
        return 201, {"url": self._api(f"git/blobs/{sha}"), "sha": sha}, {}

    def _create_tree(self, body: dict[str, Any]) -> Answer:
        """POST /git/trees: entries over an optional base tree; ``sha: null`` deletes a path."""
        base = body.get("base_tree")
        if base is not None and base not in self.trees:
            return _error(422, "Invalid tree info")
        tree = dict(self.trees[base]) if base else {}
        entries = body.get("tree")
        if not isinstance(entries, list):
            return _error(422, "Invalid request.")
        for entry in entries:
            path, sha = entry.get("path"), entry.get("sha")
            if not isinstance(path, str) or entry.get("type", "blob") != "blob":
                return _error(422, "Invalid tree info")
            if "content" in entry:
                tree[path] = self._store_blob(str(entry["content"]).encode())
            elif sha is None:
                tree.pop(path, None)
            elif sha in self.blobs:
                tree[path] = sha
            else:
                return _error(422, f"tree.sha {sha} is not a valid blob")
        sha = self._store_tree(tree)
        listed = [
            {"path": p, "mode": "100644", "type": "blob", "sha": s, "size": len(self.blobs[s])}
            for p, s in sorted(tree.items())
        ]
        return 201, {"sha": sha, "url": self._api(f"git/trees/{sha}"), "tree": listed, "truncated": False}, {}

    def _create_commit(self, body: dict[str, Any]) -> Answer:
        """POST /git/commits: 201 with the new commit; tree and parents must exist."""
        message, tree, parents = body.get("message"), body.get("tree"), body.get("parents", [])
        if not isinstance(message, str) or tree not in self.trees:
            return _error(422, "Invalid request.")
        if not isinstance(parents, list) or any(p not in self.commits for p in parents):
            return _error(422, "Parent SHA does not exist or is not a commit object")
        sha = self._store_commit(message, tree, parents)
        return 201, self._commit_json(sha), {}

    def _create_ref(self, body: dict[str, Any]) -> Answer:
        """POST /git/refs: 201 {"ref", "object": {"sha"}}, or 422 when it exists or is malformed."""
        ref, sha = body.get("ref"), body.get("sha")
        if not isinstance(ref, str) or not ref.startswith("refs/") or ref.count("/") < 2:
            return _error(422, "ref must start with refs/ and have at least two slashes.")
        if sha not in self.commits:
            return _error(422, "Object does not exist")
        if ref in self.refs:
            return _error(422, "Reference already exists")
        self.refs[ref] = sha
        return 201, self._ref_json(ref, sha), {}

    def _create_pull(self, body: dict[str, Any]) -> Answer:
        """POST /pulls: 201 {"number", "html_url", ...}, or 422 Validation Failed."""
        head, base, title = body.get("head"), body.get("base"), body.get("title")
        if not isinstance(title, str) or not title:
            return _validation_failed({"resource": "PullRequest", "field": "title", "code": "missing_field"})
        head_ref = str(head).split(":", 1)[-1]
        if f"refs/heads/{head_ref}" not in self.refs:
            return _validation_failed({"resource": "PullRequest", "field": "head", "code": "invalid"})
        if f"refs/heads/{base}" not in self.refs:
            return _validation_failed({"resource": "PullRequest", "field": "base", "code": "invalid"})
        if any(p["head"] == head_ref and p["state"] == "open" for p in self._pulls):
            message = f"A pull request already exists for {self.owner}:{head_ref}."
            return _validation_failed({"resource": "PullRequest", "code": "custom", "message": message})
        if self.refs[f"refs/heads/{head_ref}"] == self.refs[f"refs/heads/{base}"]:
            message = f"No commits between {base} and {head_ref}"
            return _validation_failed({"resource": "PullRequest", "code": "custom", "message": message})
        pull = {
            "number": self._next_number(),
            "state": "open",
            "title": title,
            "body": body.get("body"),
            "head": head_ref,
            "base": base,
            "maintainer_can_modify": bool(body.get("maintainer_can_modify", True)),
            "draft": bool(body.get("draft", False)),
            "labels": [],
        }
        self._pulls.append(pull)
        return 201, self._pull_json(pull), {}

    def _update_ref(self, ref: str, body: Any) -> Answer:
        """PATCH /git/refs/{ref} {"sha", "force"}: 200 with the reference; 422 when it is missing, the
        commit is unknown, or the move is not a fast-forward without ``force``."""
        sha = body.get("sha") if isinstance(body, dict) else None
        if ref not in self.refs:
            return _error(422, "Reference does not exist")
        if sha not in self.commits:
            return _error(422, "Object does not exist")
        if not body.get("force") and not self._descends(sha, self.refs[ref]):
            return _error(422, "Update is not a fast forward")
        self.refs[ref] = sha
        return 200, self._ref_json(ref, sha), {}

    def _descends(self, sha: str, ancestor: str) -> bool:
        """True when ``ancestor`` is ``sha`` or one of its ancestors."""
        seen, todo = set(), [sha]
        while todo:
            current = todo.pop()
            if current == ancestor:
                return True
            if current not in seen:
                seen.add(current)
                todo += self.commits[current]["parents"]
        return False

    def _update_pull(self, number: int, body: Any) -> Answer:
        """PATCH /pulls/{number} {"title", "body", "state"}: 200 with the pull request, 404 without it."""
        pull = next((p for p in self._pulls if p["number"] == number), None)
        if pull is None:
            return _error(404, "Not Found")
        if not isinstance(body, dict) or ("title" in body and not body["title"]):
            return _validation_failed({"resource": "PullRequest", "field": "title", "code": "missing_field"})
        if body.get("state", pull["state"]) not in ("open", "closed"):
            return _validation_failed({"resource": "PullRequest", "field": "state", "code": "invalid"})
        pull.update({key: body[key] for key in ("title", "body", "state") if key in body})
        return 200, self._pull_json(pull), {}

    def _create_status(self, sha: str, body: Any) -> Answer:
        """POST /statuses/{sha} {"state", "description", "context", "target_url"}: 201, or 422 for an
        unknown commit or state."""
        if sha not in self.commits:
            return _validation_failed({"resource": "Status", "field": "sha", "code": "invalid"})
        state = body.get("state") if isinstance(body, dict) else None
        if state not in ("error", "failure", "pending", "success"):
            return _validation_failed({"resource": "Status", "field": "state", "code": "invalid"})
        status = {
            "id": len(self.statuses) + 1,
            "sha": sha,
            "state": state,
            "description": body.get("description"),
            "context": body.get("context") or "default",
            "target_url": body.get("target_url"),
            "url": self._api(f"statuses/{sha}"),
            "creator": {"login": "github-actions[bot]", "type": "Bot"},
        }
        self.statuses.append(status)
        return 201, status, {}

    def _list_pulls(self, query: dict[str, str]) -> Answer:
        """GET /pulls?head=owner:branch&state=open|closed|all: 200 with a list, newest first."""
        state = query.get("state", "open")
        head = query.get("head")
        found = [
            self._pull_json(pull)
            for pull in reversed(self._pulls)
            if (state == "all" or pull["state"] == state)
            and (head is None or head == f"{self.owner}:{pull['head']}")
        ]
        return 200, found, {}

    def _add_labels(self, number: int, body: Any) -> Answer:
        """POST /issues/{number}/labels: 200 with all labels of the issue."""
        pull = next((p for p in self._pulls if p["number"] == number), self._issues.get(number))
        if pull is None:
            return _error(404, "Not Found")
        names = body.get("labels") if isinstance(body, dict) else None
        if not isinstance(names, list) or not all(isinstance(n, str) for n in names):
            return _error(422, "Invalid request.")
        pull["labels"] += [name for name in names if name not in pull["labels"]]
        return 200, [_label_json(name) for name in pull["labels"]], {}

    def _create_comment(self, number: int, body: Any) -> Answer:
        """POST /issues/{number}/comments {"body"}: 201 with the comment, 404 without such an issue
        or pull request, 422 without a body."""
        if number not in self._issues and not any(p["number"] == number for p in self._pulls):
            return _error(404, "Not Found")
        text = body.get("body") if isinstance(body, dict) else None
        if not isinstance(text, str) or not text:
            return _validation_failed({"resource": "IssueComment", "field": "body", "code": "missing_field"})
        comment_id = len(self.comments) + 1
        comment = {
            "id": comment_id,
            "node_id": f"IC_{comment_id}",
            "url": self._api(f"issues/comments/{comment_id}"),
            "html_url": f"{self.url}/{self.repository}/issues/{number}#issuecomment-{comment_id}",
            "issue_url": self._api(f"issues/{number}"),
            "body": text,
            "user": {"login": "github-actions[bot]", "type": "Bot"},
            "created_at": "2026-11-27T12:00:00Z",
            "updated_at": "2026-11-27T12:00:00Z",
            "author_association": "NONE",
        }
        self.comments.append({"issue": number, **comment})
        return 201, comment, {}

    # --- objects ---------------------------------------------------------------------------------

    def _store_blob(self, data: bytes) -> str:
        """Keep a blob under git's own id for it."""
        sha = hashlib.sha1(b"blob %d\0" % len(data) + data).hexdigest()
        self.blobs[sha] = data
        return sha

    def _store_tree(self, tree: dict[str, str]) -> str:
        """Keep a flat tree (path to blob id) under a content address."""
        listing = "".join(f"{path}\0{sha}\n" for path, sha in sorted(tree.items()))
        sha = hashlib.sha1(b"tree\0" + listing.encode()).hexdigest()
        self.trees[sha] = dict(tree)
        return sha

    def _store_commit(self, message: str, tree: str, parents: list[str], sha: str | None = None) -> str:
        """Keep a commit; its id covers its content and the moment, as a real commit's does."""
        text = json.dumps([message, tree, parents, time.time_ns()])
        sha = sha or hashlib.sha1(b"commit\0" + text.encode()).hexdigest()
        self.commits[sha] = {"message": message, "tree": tree, "parents": list(parents)}
        return sha

    def _api(self, rest: str) -> str:
        """The API URL of something in this repository."""
        return f"{self.url}/repos/{self.repository}/{rest}"

    def _ref_json(self, ref: str, sha: str) -> dict[str, Any]:
        """A reference as the API shows it."""
        return {
            "ref": ref,
            "node_id": "REF_" + sha[:12],
            "url": self._api(f"git/{ref}"),
            "object": {"type": "commit", "sha": sha, "url": self._api(f"git/commits/{sha}")},
        }

    def _commit_json(self, sha: str) -> dict[str, Any]:
        """A git commit as the API shows it."""
        commit = self.commits[sha]
        person = {"name": "CuCon", "email": "cucon@localhost", "date": "2026-11-27T12:00:00Z"}
        return {
            "sha": sha,
            "node_id": "C_" + sha[:12],
            "url": self._api(f"git/commits/{sha}"),
            "author": person,
            "committer": person,
            "message": commit["message"],
            "tree": {"sha": commit["tree"], "url": self._api(f"git/trees/{commit['tree']}")},
            "parents": [{"sha": p, "url": self._api(f"git/commits/{p}")} for p in commit["parents"]],
        }

    def _pull_json(self, pull: dict[str, Any]) -> dict[str, Any]:
        """A pull request as the API shows it."""
        number = pull["number"]
        return {
            "number": number,
            "html_url": f"{self.url}/{self.repository}/pull/{number}",
            "url": self._api(f"pulls/{number}"),
            "state": pull["state"],
            "title": pull["title"],
            "body": pull["body"],
            "draft": pull["draft"],
            "maintainer_can_modify": pull["maintainer_can_modify"],
            "head": {"ref": pull["head"], "label": f"{self.owner}:{pull['head']}"},
            "base": {"ref": pull["base"], "label": f"{self.owner}:{pull['base']}"},
            "labels": [_label_json(name) for name in pull["labels"]],
        }


def _error(status: int, message: str) -> Answer:
    """An error body as the API sends it."""
    return status, {"message": message, "documentation_url": DOCS, "status": str(status)}, {}


def _validation_failed(error: dict[str, str]) -> Answer:
    """A 422 Validation Failed with one listed error."""
    return 422, {"message": "Validation Failed", "errors": [error], "documentation_url": DOCS}, {}


def _label_json(name: str) -> dict[str, Any]:
    """A label as the API shows it."""
    return {
        "id": int(hashlib.sha1(name.encode()).hexdigest()[:7], 16),
        "name": name,
        "color": "ededed",
        "default": False,
    }


class _Server(ThreadingHTTPServer):
    """The HTTP server of one fake; a client that hung up early (a timeout test) is no error."""

    daemon_threads = True
    fake: Serving

    def handle_error(self, request: Any, client_address: Any) -> None:
        """Say nothing: the tests look at what the client saw."""


class _Handler(BaseHTTPRequestHandler):
    """Hands each request to the FakeGitHub of its server and writes the JSON answer."""

    server_version = "FakeForge/1"

    def do_GET(self) -> None:
        """Answer a GET."""
        self._handle("GET")

    def do_POST(self) -> None:
        """Answer a POST."""
        self._handle("POST")

    def do_PATCH(self) -> None:
        """Answer a PATCH."""
        self._handle("PATCH")

    def do_PUT(self) -> None:
        """Answer a PUT."""
        self._handle("PUT")

    def do_DELETE(self) -> None:
        """Answer a DELETE."""
        self._handle("DELETE")

    def _handle(self, method: str) -> None:
        """Read the body, ask the fake, write the answer."""
        fake = self.server.fake  # type: ignore[attr-defined]
        raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        headers = {key.lower(): value for key, value in self.headers.items()}
        status, payload, extra = fake.answer(method, self.path, headers, raw)
        if fake.delay:
            time.sleep(fake.delay)
        body = json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        for key, value in extra.items():
            self.send_header(key, value)
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        """Keep the test output quiet."""
