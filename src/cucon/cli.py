"""The ``cucon`` command: check content, scaffold new items, export the schema, review changes, run the bot."""

from __future__ import annotations

import argparse
import json
import logging
import sys
from pathlib import Path

from cucon import __version__
from cucon.bot.languages import LANGS

logger = logging.getLogger("cucon")


def _check(args: argparse.Namespace) -> int:
    """Validate the whole content folder and report every problem at once."""
    from cucon.content import problems_in
    from cucon.problems import format_problems
    from cucon.site.settings import SettingsError
    from cucon.snapshot import COUNTED, check_content, valid_counts

    try:
        languages, search_bundle, state = _site_languages(args.settings, Path(args.content))
    except (SettingsError, OSError) as error:
        logger.error("%s: %s", args.settings, error)
        return 2
    where = {"languages": languages, "search_bundle": search_bundle}
    # Content found valid and unchanged since: the verdict stands without loading the snapshot.
    counts = valid_counts(Path(args.content), state, **where) if state is not None else None
    if counts is None:
        site = check_content(Path(args.content), state, **where).site
        problems = problems_in(site.problems, args.paths) if args.paths else site.problems
        if problems:
            print(format_problems(problems, args.format))
            if args.format == "text":
                logger.error("%d problem(s) found", len(problems))
            return 1
        counts = {name: len(site.of_type(name)) for name in COUNTED}
    if args.format == "json":
        print("[]")
    logger.info(
        "content is valid: %d cities, %d profiles, %d calls, %d news items, %d pages",
        *counts.values(),
    )
    return 0


def _site_languages(settings_file: Path | None, content: Path) -> tuple[tuple[str, ...], str, Path | None]:
    """The UI languages and the search index's folder of the site the content is built into: read from its
    Pelican settings file as the build reads them, else the defaults (names a page may not take depend on them);
    and the build's state folder, where the check keeps its snapshot for the build (:mod:`cucon.snapshot`),
    if ``content`` is the folder that site builds and it builds incrementally."""
    from cucon import urls

    if settings_file is None:
        return urls.LANGUAGES, urls.SEARCH_BUNDLE, None
    from pelican.settings import DEFAULT_CONFIG, get_settings_from_file

    from cucon.incremental import STATE_FOLDER
    from cucon.site.settings import SiteSettings

    found = get_settings_from_file(str(settings_file))
    settings = SiteSettings.from_pelican(found)

    def folder(name: str) -> Path:
        """A path setting as Pelican reads it: from the file's folder if the file sets it, else from here."""
        value = found.get(name)
        return settings_file.resolve().parent / value if value else Path(DEFAULT_CONFIG[name]).resolve()

    builds = folder("PATH").resolve() == content.resolve()
    state = folder("CACHE_PATH") / STATE_FOLDER if builds and settings.incremental else None
    return settings.languages, settings.search_bundle, state


def _new(args: argparse.Namespace) -> int:
    """Create a content file with a fresh permanent id and placeholders to replace."""
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


def _remove(args: argparse.Namespace) -> int:
    """Remove a profile at the person's request, with every mention; leave a tombstone."""
    import datetime as dt

    from cucon.erasure import RemovalRefused, remove_profile

    try:
        today = dt.date.fromisoformat(args.today) if args.today else dt.date.today()
    except ValueError:
        logger.error("--today %r is not a date; write it as YYYY-MM-DD", args.today)
        return 2
    try:
        caches = args.cache or [Path(args.content).parent / "cache"]
        removal = remove_profile(Path(args.content), args.slug, today, dry_run=args.dry_run, caches=caches)
    except RemovalRefused as exc:
        logger.error("%s", exc)
        return 1
    print(removal.report())
    return 1 if removal.problems else 0


def _summary(args: argparse.Namespace) -> int:
    """Describe in plain German and English what the commits of a pull request change in content/."""
    from cucon.review.pr_summary import summarise
    from cucon.review.revisions import ReviewError

    try:
        print(summarise(args.repo, args.base, args.head, args.content), end="")
    except ReviewError as exc:
        logger.error("%s", exc)
        return 2
    return 0


def _links(args: argparse.Namespace) -> int:
    """Check the external links a pull request adds, or those of given files; block only with --strict."""
    from cucon.review.links import link_report, links_in_changes, links_in_files
    from cucon.review.revisions import ReviewError, Revisions

    if bool(args.paths) == bool(args.base or args.head) or bool(args.base) != bool(args.head):
        logger.error("give content files, or both --base and --head")
        return 2
    try:
        if args.paths:
            uses = list(links_in_files(args.paths))
        else:
            uses = list(links_in_changes(Revisions(args.repo, args.base, args.head), args.content))
    except ReviewError as exc:
        logger.error("%s", exc)
        return 2
    report, broken = link_report(uses, args.timeout)
    print(report, end="")
    return 1 if broken and args.strict else 0


def _scope(args: argparse.Namespace) -> int:
    """Print ``content`` when every path a pull request changes is a plain file in content/, else ``code``."""
    from cucon.review.revisions import ReviewError
    from cucon.scope import changed_paths, code_change

    try:
        reason = code_change(changed_paths(args.repo, args.base, args.head), args.content)
    except ReviewError as exc:
        logger.error("%s", exc)
        return 2
    if reason:
        logger.info("a code change: %s", reason)
    print("code" if reason else "content")
    return 0


def _iso_day(text: str):
    """An argument type: a day written YYYY-MM-DD."""
    import datetime as dt

    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date; write it as YYYY-MM-DD") from None


def _report(args: argparse.Namespace) -> int:
    """List profiles, calls and news that staff may want to update or archive."""
    import datetime as dt

    from cucon.checks import load_site
    from cucon.review.staleness import render_report, stale_items

    today = args.today or dt.date.today()
    site = load_site(Path(args.content))
    print(render_report(stale_items(site, today), today, args.format, len(site.problems)), end="")
    return 0


def _serve(args: argparse.Namespace) -> int:
    """Serve a built site at a local address until interrupted (``make serve``)."""
    from cucon.devserver import site_server

    if not args.folder.is_dir():
        logger.error("%s is not a folder: build the site first (make html)", args.folder)
        return 2
    with site_server(args.folder, args.bind, args.port) as server:
        host, port = server.server_address[:2]
        logger.info("serving %s at http://%s:%d/ (Ctrl-C stops)", args.folder, host, port)
        try:
            server.serve_forever()
        except KeyboardInterrupt:
            logger.info("stopped")
    return 0


def _preview(args: argparse.Namespace) -> int:
    """Build, serve and rebuild the site on change, reloading the browser (``make serve``)."""
    from cucon.preview import Preview, serve

    overrides = {"PATH": str(args.content.resolve()), "OUTPUT_PATH": str(args.output.resolve())}
    for setting in args.extra_settings:
        key, _, value = setting.partition("=")
        overrides[key] = json.loads(value)
    serve(Preview(args.settings, overrides), args.output, args.bind, args.port)
    return 0


def _bot(args: argparse.Namespace) -> int:
    """Run the submission service (forms that open pull requests), configured by CUCON_BOT_* variables."""
    import uvicorn

    from cucon.bot.app import create_app
    from cucon.bot.logs import JsonFormatter

    config = _bot_config()
    if config is None:
        return 2
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(JsonFormatter())
    for name in ("cucon.bot", "uvicorn.error"):
        bot_logger = logging.getLogger(name)
        bot_logger.handlers[:] = [handler]
        bot_logger.propagate = False
        bot_logger.setLevel(logging.WARNING if args.quiet else logging.INFO)
    # No access log: it would write every client's IP address.
    uvicorn.run(create_app(config), host=args.host, port=args.port, access_log=False, log_config=None)
    return 0


def _bot_config():
    """The service's configuration from the environment, or None after logging what is wrong."""
    from cucon.bot.config import BotConfig, ConfigError

    try:
        return BotConfig.from_env()
    except ConfigError as exc:
        logger.error("%s", exc)
        return None


def _bot_new_key(args: argparse.Namespace) -> int:
    """Print a new key for CUCON_BOT_DATA_KEYS."""
    from cucon.bot.vault import new_key

    print(new_key())
    return 0


def _bot_rotate_key(args: argparse.Namespace) -> int:
    """Seal every private value again with the first key of CUCON_BOT_DATA_KEYS."""
    from cucon.bot.vault import Vault, VaultError, rotate

    config = _bot_config()
    if config is None:
        return 2
    if not config.data_keys:
        logger.error("CUCON_BOT_DATA_KEYS is not set: there is nothing to rotate to")
        return 2
    if not config.private_path.exists():
        logger.info("no private store yet at %s: nothing to rotate", config.private_path)
        return 0
    try:
        counts = rotate(config.private_path, Vault(config.data_keys))
    except VaultError as exc:
        logger.error("rotate-key: %s; nothing was changed", exc)
        return 1
    for table, count in sorted(counts.items()):
        logger.info("rotate-key: %s: %d rows sealed with the first key", table, count)
    return 0


def _bot_backup(args: argparse.Namespace) -> int:
    """Copy the service's databases into a folder while the service runs (SQLite's online backup)."""
    from cucon.bot.vault import backup

    config = _bot_config()
    if config is None:
        return 2
    sources = [config.spool_path, config.workdir / "replays.sqlite3", config.private_path]
    for copy in backup(sources, args.folder):
        logger.info("backup: %s", copy)
    return 0


def _bot_owner(args: argparse.Namespace) -> int:
    """``cucon bot owner set|drop|list``: the owners of profiles, from the server (docs/bot.md, "Owners")."""
    from cucon.bot.checkout import Checkout
    from cucon.bot.mail import Mailer, MailRefused, MailUnavailable
    from cucon.bot.owners import OwnerError
    from cucon.bot.ownership import profile_id

    config = _bot_config()
    ownership = _bot_ownership(config)
    if ownership is None:
        return 2
    try:
        if args.action == "list":
            head = Checkout(config.checkout, config.git_base).head()
            for permanent_id, slug in ownership.listing(config.checkout, head):
                print(f"{permanent_id}\t{slug or '-'}")
            return 0
        permanent_id = profile_id(config.checkout, args.slug)
        if permanent_id is None:
            logger.error("no profile %r in the checkout %s", args.slug, config.checkout)
            return 1
        if args.action == "drop":
            print("dropped" if ownership.owners.drop(permanent_id) else "no owner record")
            return 0
        mailer = Mailer.from_config(config)
        if mailer is None:
            logger.error("CUCON_BOT_SMTP_HOST is not set: the opt-in mail cannot be sent")
            return 2
        print("The owner's e-mail address: ", end="", file=sys.stderr, flush=True)
        try:
            ownership.invite(mailer, permanent_id, sys.stdin.readline(), args.lang)
        except (OwnerError, MailRefused, MailUnavailable) as exc:
            logger.error("no opt-in mail sent: %s", exc)
            return 1
        print("Opt-in mail sent; the owner is recorded when its link is confirmed (within 7 days).")
        return 0
    finally:
        ownership.close()
        ownership.owners.close()


def _bot_ownership(config):
    """The owner records of a configuration, or None after logging why there are none."""
    from cucon.bot.ownership import open_ownership

    ownership = open_ownership(config) if config is not None else None
    if config is not None and ownership is None:
        logger.error("CUCON_BOT_DATA_KEYS is not set: there are no owner records")
    return ownership


def _bot_sync(args: argparse.Namespace) -> int:
    """Bring the service's checkout up to the base branch and drop the owners of tombstoned profiles."""
    from cucon.bot.checkout import Checkout

    config = _bot_config()
    ownership = _bot_ownership(config)
    if ownership is None:
        return 2
    checkout = Checkout(config.checkout, config.git_base, remote=config.git_remote)
    try:
        with checkout.lock:
            checkout.refresh()
        print(f"{ownership.sync(checkout.path, checkout.head())} owner record(s) dropped")
    finally:
        ownership.close()
        ownership.owners.close()
    return 0 if checkout.last_error is None else 1


def _iso_week(text: str) -> str:
    """An argument type: an ISO week written YYYY-Www."""
    from cucon.bot.newsletter import week_days

    try:
        week_days(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"{text!r} is not a week; write it as YYYY-Www, e.g. 2026-W48"
        ) from None
    return text


def _bot_send_newsletter(args: argparse.Namespace) -> int:
    """Send the week's newsletter to every subscriber it has items for (idempotent per week)."""
    import time

    from cucon.bot.mail import Mailer
    from cucon.bot.newsletter import content_snapshot, last_week, send_week
    from cucon.bot.service import subscriber_store

    config = _bot_config()
    if config is None:
        return 2
    mailer = Mailer.from_config(config)
    store = subscriber_store(config, mailer, time.time)
    if store is None:
        logger.error("the newsletter needs CUCON_BOT_SMTP_HOST, CUCON_BOT_DATA_KEYS and CUCON_BOT_SITE_URL")
        return 2
    try:
        with content_snapshot(config) as checkout:
            counts = send_week(config, store, mailer, args.week or last_week(time.time()), checkout)
    except RuntimeError as exc:
        logger.error("%s", exc)
        return 75
    finally:
        store.close()
    print(" ".join(f"{name}={count}" for name, count in counts.items()))
    return 75 if counts["unavailable"] else 0  # EX_TEMPFAIL: the mail server was down; run again


def _bot_from_issue(args: argparse.Namespace) -> int:
    """Turn an issue of the profile, call or news form into a checked pull request and answer on the
    issue: ``--prepare DIR`` without a token, ``--publish DIR`` with one, or both in one run."""
    import datetime as dt
    import os

    from cucon.bot.githost import ForgeRefused, ForgeUnavailable, GitHubHost
    from cucon.bot.issueform import Proposal, prepare_issue, publish_proposal

    token = os.environ.get("GITHUB_TOKEN", "")
    repository = args.repository or os.environ.get("GITHUB_REPOSITORY", "")
    if not repository or (args.prepare is None and not token):
        logger.error("--repository (or GITHUB_REPOSITORY) is required, and GITHUB_TOKEN unless --prepare")
        return 2
    if args.prepare is not None and token:
        logger.error("--prepare reads the issue's content: run it without GITHUB_TOKEN")
        return 2
    if args.publish is None:
        try:
            body = args.body_file.read_text("utf-8") if args.body_file else None
        except (OSError, UnicodeDecodeError) as exc:
            body, problem = None, str(exc)
        else:
            problem = "--body-file is required"
        if body is None:
            logger.error("cannot read the issue body: %s", problem)
            return 2
        try:
            proposal = prepare_issue(
                body, args.issue_number, args.checkout, dt.date.today(), repository=repository
            )
        except RuntimeError as exc:
            logger.error("%s", exc)
            return 1
        if args.prepare is not None:
            args.prepare.mkdir(parents=True, exist_ok=True)
            (args.prepare / "proposal.json").write_text(proposal.to_json(), "utf-8")
            (args.prepare / "summary.md").write_text(
                proposal.checks.summary if proposal.checks else "", "utf-8"
            )
            state = proposal.checks.state if proposal.checks else "no pull request (the issue is answered)"
            logger.info("prepared issue #%d: %s", args.issue_number, state)
            return 0
    else:
        try:
            proposal = Proposal.from_json((args.publish / "proposal.json").read_text("utf-8"))
        except (OSError, UnicodeDecodeError, ValueError) as exc:
            logger.error("cannot read the prepared proposal: %s", exc)
            return 2
    api = os.environ.get("GITHUB_API_URL") or "https://api.github.com"
    run = [os.environ.get(name, "") for name in ("GITHUB_SERVER_URL", "GITHUB_REPOSITORY", "GITHUB_RUN_ID")]
    target_url = f"{run[0]}/{run[1]}/actions/runs/{run[2]}" if all(run) else None
    try:
        with GitHubHost(api, token, repository, base_branch=args.base) as host:
            outcome = publish_proposal(proposal, args.issue_number, host, target_url)
    except (ForgeUnavailable, ForgeRefused, ValueError) as exc:
        logger.error("%s", exc)
        return 1
    if outcome.url:
        print(outcome.url)
        logger.info("checks: %s", outcome.state)
    else:
        logger.info("the issue has problems; they were commented on it, and no pull request was opened")
    return 0


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
    default_settings = Path("pelicanconf.py") if Path("pelicanconf.py").is_file() else None
    check.add_argument(
        "--settings",
        type=Path,
        default=default_settings,
        help="the site's Pelican settings, for its languages (default: pelicanconf.py if there is one here)",
    )
    check.set_defaults(run=_check)

    new = commands.add_parser(
        "new", help="scaffold a content file with a permanent id; replace its placeholders"
    )
    new.add_argument("type", choices=("profile", "call", "news", "city", "page"))
    new.add_argument("title", nargs="?", help="the name or title; the file name (slug) is derived from it")
    new.add_argument("--content", default="content", help="the content folder (default: content)")
    new.add_argument("--translation-of", help="the file name (without .md) of the item this file translates")
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

    remove = commands.add_parser("remove", help="remove a profile at the person's request (GDPR Art. 17)")
    remove.add_argument("slug", help="the profile's slug: its file name without .md")
    remove.add_argument("--content", default="content", help="the content folder (default: content)")
    remove.add_argument("--dry-run", action="store_true", help="show what would change; write nothing")
    remove.add_argument(
        "--cache",
        action="append",
        type=Path,
        metavar="PATH",
        help="a build cache folder (Pelican's CACHE_PATH) to delete the person's photos, share cards and "
        "texts from; repeat for several (default: cache/ beside the content folder)",
    )
    remove.add_argument("--today", help="the day of the removal, YYYY-MM-DD (default: today)")
    remove.set_defaults(run=_remove)

    summary = commands.add_parser("summary", help="describe a pull request's changes in German and English")
    summary.add_argument("--base", required=True, help="the revision the pull request starts from")
    summary.add_argument("--head", required=True, help="the revision of the pull request")
    summary.add_argument("--repo", type=Path, default=Path("."), help="the git repository (default: .)")
    summary.add_argument("--content", default="content", help="the content folder in the repository")
    summary.set_defaults(run=_summary)

    links = commands.add_parser("links", help="check external links: those a pull request adds, or of files")
    links.add_argument("paths", nargs="*", type=Path, help="content files or folders to check")
    links.add_argument("--base", help="with --head: check only the links added since this revision")
    links.add_argument("--head", help="the revision of the pull request")
    links.add_argument("--repo", type=Path, default=Path("."), help="the git repository (default: .)")
    links.add_argument("--content", default="content", help="the content folder in the repository")
    links.add_argument("--timeout", type=float, default=10.0, help="seconds to wait per link (default: 10)")
    links.add_argument("--strict", action="store_true", help="exit 1 when a link is broken")
    links.set_defaults(run=_links)

    scope = commands.add_parser(
        "scope", help="say whether a pull request changes content only (`content`) or also code (`code`)"
    )
    scope.add_argument("--base", required=True, help="the revision the pull request starts from")
    scope.add_argument("--head", required=True, help="the revision of the pull request")
    scope.add_argument("--repo", type=Path, default=Path("."), help="the git repository (default: .)")
    scope.add_argument("--content", default="content", help="the content folder in the repository")
    scope.set_defaults(run=_scope)

    report = commands.add_parser("report", help="list stale profiles, and calls and news to archive")
    report.add_argument("--content", default="content", help="the content folder (default: content)")
    report.add_argument("--today", type=_iso_day, help="the day to report for, YYYY-MM-DD (default: today)")
    report.add_argument("--format", choices=("text", "markdown"), default="text")
    report.set_defaults(run=_report)

    serve = commands.add_parser(
        "serve", help="serve the built site locally; a missing path gets its 404 page"
    )
    serve.add_argument(
        "folder", type=Path, nargs="?", default=Path("output"), help="the built site (default: output)"
    )
    serve.add_argument("--bind", default="127.0.0.1", help="address to listen on (default: 127.0.0.1)")
    serve.add_argument(
        "--port", type=int, default=8000, help="port to listen on, 0 for a free one (default: 8000)"
    )
    serve.set_defaults(run=_serve)

    preview = commands.add_parser(
        "preview",
        help="build the site, serve it and build it again on every change, reloading the browser (make serve)",
    )
    preview.add_argument(
        "content", type=Path, nargs="?", default=Path("content"), help="the content (default: content)"
    )
    preview.add_argument(
        "-s", "--settings", type=Path, default=Path("pelicanconf.py"), help="Pelican's settings file"
    )
    preview.add_argument("-o", "--output", type=Path, default=Path("output"), help="the output folder")
    preview.add_argument(
        "-e",
        "--extra-settings",
        nargs="*",
        default=[],
        metavar="KEY=JSON",
        help="settings to override, as for pelican -e",
    )
    preview.add_argument("--bind", default="127.0.0.1", help="address to listen on (default: 127.0.0.1)")
    preview.add_argument(
        "--port", type=int, default=8000, help="port to listen on, 0 for a free one (default: 8000)"
    )
    preview.set_defaults(run=_preview)

    bot = commands.add_parser("bot", help="run the submission service: forms that open pull requests")
    bot.add_argument("--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1)")
    bot.add_argument("--port", type=int, default=8080, help="port to listen on (default: 8080)")
    bot.set_defaults(run=_bot)
    bot_commands = bot.add_subparsers(dest="bot_command")
    from_issue = bot_commands.add_parser(
        "from-issue",
        help="turn an issue of the profile, call or news form (told apart by its fields) into a pull request "
        "and answer on the issue",
    )
    from_issue.add_argument("--issue-number", type=int, required=True, help="the issue's number")
    from_issue.add_argument(
        "--body-file", type=Path, help="a file holding the issue's body (not with --publish)"
    )
    phase = from_issue.add_mutually_exclusive_group()
    phase.add_argument(
        "--prepare",
        type=Path,
        metavar="DIR",
        help="without a token: make the entry's branch commit, run the checks and write DIR/proposal.json "
        "and DIR/summary.md",
    )
    phase.add_argument(
        "--publish",
        type=Path,
        metavar="DIR",
        help="with GITHUB_TOKEN: push DIR/proposal.json's branch, open or update its pull request, set "
        "the checks' status and answer on the issue",
    )
    from_issue.add_argument("--repository", help="owner/name (default: $GITHUB_REPOSITORY)")
    from_issue.add_argument("--base", default="main", help="the branch pull requests target (default: main)")
    from_issue.add_argument(
        "--checkout", type=Path, default=Path("."), help="the repository's checkout (default: .)"
    )
    from_issue.set_defaults(run=_bot_from_issue)
    bot_commands.add_parser("new-key", help="print a new key for CUCON_BOT_DATA_KEYS").set_defaults(
        run=_bot_new_key
    )
    bot_commands.add_parser(
        "rotate-key",
        help="seal every private value again with the first key of CUCON_BOT_DATA_KEYS (see docs/bot.md)",
    ).set_defaults(run=_bot_rotate_key)
    backup = bot_commands.add_parser(
        "backup", help="copy the spool and the private store into a folder while the service runs"
    )
    backup.add_argument("folder", type=Path, metavar="PATH", help="the folder to write the copies to")
    backup.set_defaults(run=_bot_backup)
    owner = bot_commands.add_parser(
        "owner", help="set (with an opt-in mail), drop or list the owners of profiles"
    )
    owner.add_argument("action", choices=("set", "drop", "list"))
    owner.add_argument("slug", nargs="?", default="", help="the profile's slug (set, drop)")
    owner.add_argument("--lang", choices=LANGS, default="de", help="the opt-in mail's language")
    owner.set_defaults(run=_bot_owner)
    bot_commands.add_parser(
        "sync", help="update the checkout and drop the owners of profiles removed with `cucon remove`"
    ).set_defaults(run=_bot_sync)
    send_newsletter = bot_commands.add_parser(
        "send-newsletter", help="send the week's newsletter by e-mail (a rerun sends no one a second mail)"
    )
    send_newsletter.add_argument(
        "--week", type=_iso_week, help="the ISO week to send, YYYY-Www (default: the last whole week)"
    )
    send_newsletter.set_defaults(run=_bot_send_newsletter)
    return parser


def configure_logging(quiet: bool) -> None:
    """Log to stderr as ``LEVEL: message``: warnings and errors only when ``quiet``, else from INFO up."""
    logging.basicConfig(
        level=logging.WARNING if quiet else logging.INFO,
        format="%(levelname)s: %(message)s",
        stream=sys.stderr,
    )


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``cucon`` command."""
    args = build_parser().parse_args(argv)
    configure_logging(args.quiet)
    return args.run(args)


if __name__ == "__main__":
    sys.exit(main())
