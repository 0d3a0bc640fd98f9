"""The service's HTML pages: any page, an error page in its language and those it falls back to, and a form."""

from __future__ import annotations

import json
import secrets
from collections.abc import Mapping
from dataclasses import replace
from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse, Response

from cucon import __version__
from cucon.bot import abuse
from cucon.bot.languages import LANGS, in_order
from cucon.bot.logs import log_event
from cucon.bot.messages import Message
from cucon.bot.pagetext import OWN_NAMES, TEXT
from cucon.bot.service import Service, request_language
from cucon.bot.submission import CONTENT, FORMS, form_fields
from cucon.bot.texts import choice_name, help_text, label
from cucon.frontmatter import read_document
from cucon.problems import ContentError
from cucon.urls import entry, lang_prefix

HONEYPOT = "website_url"
"""The trap field: hidden from people and assistive technology, filled in by form-filling bots."""

MEGABYTE = 1024 * 1024

PRIVACY = "privacy"
"""The file name of the site's privacy statement (content/pages/privacy.md), which the consent box links."""


def page_versions(content_root: Path, slug: str) -> dict[str, str]:
    """The versions of a page of content/pages by language: its own file name (the original's last)."""
    versions: dict[str, str] = {}
    for path in sorted((Path(content_root) / CONTENT / "pages").glob("*.md")):
        try:
            data = read_document(path.read_text("utf-8-sig"), with_body=True).data
        except (ContentError, UnicodeDecodeError, OSError):
            continue
        if not isinstance(data, dict) or not isinstance(data.get("lang"), str):
            continue
        if path.stem == slug or data.get("translation_of") == slug:
            versions.setdefault(data["lang"], path.stem)
    return versions


def privacy_path(content_root: Path, order: tuple[str, ...]) -> str | None:
    """The site path of the privacy statement as the site's footer links it in the UI language
    ``order[0]``: that folder, and the version of the first language of ``order`` the page has (else
    the original); None without the page.

    >>> import tempfile; root = Path(tempfile.mkdtemp()); (root / "content/pages").mkdir(parents=True)
    >>> _ = (root / "content/pages/privacy.md").write_text("---\\nlang: de\\n---\\n")
    >>> _ = (root / "content/pages/privacy-en.md").write_text("---\\nlang: en\\ntranslation_of: privacy\\n---\\n")
    >>> privacy_path(root, ("de", "en")), privacy_path(root, ("ja", "en", "de")), privacy_path(root / "x", ("en",))
    ('privacy/', 'ja/privacy-en/', None)
    """
    versions = page_versions(content_root, PRIVACY)
    if PRIVACY not in versions.values():
        return None
    shown = next((versions[lang] for lang in order if lang in versions), PRIVACY)
    return entry("page", shown, lang_prefix(order[0], "de"))


def page(
    svc: Service, name: str, lang: str, status: int = 200, form_kind: str = "profile", **values: Any
) -> HTMLResponse:
    """The template ``name`` in ``lang`` (German for a language the service does not speak), never cached;
    its language may come from the browser's ``Accept-Language``, so the answer varies with it."""
    lang = in_order(lang)[0]
    html = svc.templates.get_template(name).render(
        lang=lang,
        t=TEXT[lang],
        langs=LANGS,
        own_names=OWN_NAMES,
        site_url=svc.config.site_url,
        privacy_url=_privacy_url(svc, lang),
        upload_bytes=svc.config.max_body_bytes,
        upload_megabytes=svc.config.max_body_bytes // MEGABYTE,
        version=__version__,
        form_kind=form_kind,
        help=lambda name: help_text(
            "email_confirm" if name == "email" and svc.mailer else name, lang, form_kind
        ),
        field_label=lambda name: label(f"field.{name}", lang, form_kind),
        group_label=lambda name: label(f"group.{name}", lang, form_kind),
        choice_name=lambda choice: choice_name(choice, in_order(lang, svc.config.fallback)),
        **values,
    )
    return HTMLResponse(
        html, status_code=status, headers={"Cache-Control": "no-store", "Vary": "Accept-Language"}
    )


def _privacy_url(svc: Service, lang: str) -> str | None:
    """The address of the privacy statement in ``lang`` on the site, or None without the site's address."""
    path = svc.config.site_url and privacy_path(svc.checkout.path, in_order(lang, svc.config.fallback))
    return f"{svc.config.site_url}/{path}" if path else None


def error_page(
    svc: Service, status: int, key: str, lang: str = "de", headers: Mapping[str, str] = (), **fmt
) -> Response:
    """The error page of the text ``key``, in ``lang`` and then in the languages it falls back to."""
    texts = {code: text[key].format(**fmt) for code, text in in_languages(svc, lang).items()}
    response = page(svc, "error.html", lang, status, messages=texts)
    response.headers.update(dict(headers))
    return response


def in_languages(svc: Service, lang: str, every: bool = False) -> dict[str, dict[str, str]]:
    """The pages' texts of ``lang`` and of the languages it falls back to (``CUCON_BOT_FALLBACK``), in
    order; with ``every``, then those of the service's other languages."""
    order = in_order(lang, svc.config.fallback)
    return {code: TEXT[code] for code in (*order, *(c for c in LANGS if every and c not in order))}


def link_refusal(svc: Service, token: str, lang: str) -> Response:
    """The answer to a token that opens no profile: 410 with the way to a new link for one that
    worked once (spent, run out, or minted on a post before links went to owners), else 404."""
    if svc.edit_gone(token):
        log_event("edit_gone", status=410)
        return page(svc, "edit_gone.html", lang, 410, texts=in_languages(svc, lang))
    log_event("edit_unknown", status=404)
    return error_page(svc, 404, "edit_unknown", lang)


def form_page(
    svc: Service,
    lang: str,
    status: int = 200,
    values=None,
    problems=None,
    notice: str | None = None,
    edit_token: str | None = None,
    kind: str = "profile",
):
    """The form of ``kind`` (or the update form of an edit link), with a fresh spam check; the text's
    language is the form's language (where the site has it) until the person chooses another."""
    fields = [
        replace(f, required=True) if f.name == "email" and svc.mailer and edit_token is None else f
        for f in form_fields(FORMS[kind], svc.checkout.path)
    ]
    if edit_token is not None:  # an update keeps the published photo when none is uploaded
        fields = [replace(f, required=False) if f.name == "photo" else f for f in fields]
    return page(
        svc,
        "form.html",
        lang,
        status,
        form_kind=kind,
        upload=FORMS[kind].image,
        edit_token=edit_token,
        fields=fields,
        values={"lang": lang, **(values or {})} if lang in _text_languages(fields) else values or {},
        problems=problems or {},
        notice=notice,
        **spam_fields(svc),
    )


def _text_languages(fields) -> set[str]:
    """The languages a form's text may be in: the choices of its ``lang`` field."""
    return {c.value for f in fields if f.name == "lang" for c in f.choices}


def too_large(svc: Service, request: Request) -> Response:
    """The answer to a body over the limit: a new-submission form again, in its language, saying so at
    its upload field (nothing of the post was read); any other post gets the error page."""
    lang = request_language(request)
    limit = svc.config.max_body_bytes // MEGABYTE
    kind = request.url.path.strip("/")
    if request.method != "POST" or kind not in FORMS:
        return error_page(svc, 413, "too_large", lang, limit=limit)
    log_event("form_too_large", kind=kind)
    message = Message(TEXT[in_order(lang)[0]]["too_large_again"].format(limit=limit), in_order(lang)[0])
    return form_page(svc, lang, 413, problems={FORMS[kind].image: [message]}, kind=kind)


def spam_fields(svc: Service) -> dict[str, str]:
    """What a form's spam controls (macros.html ``spam_controls``) are filled with: a fresh form time
    and proof-of-work challenge, the honeypot's name and an idempotency key."""
    now = svc.clock()
    challenge = abuse.create_challenge(svc.config.secret, svc.config.pow_max_number, now)
    return {
        "honeypot": HONEYPOT,
        "form_time": abuse.sign_form_time(svc.config.secret, now),
        "challenge": json.dumps(challenge, separators=(",", ":")),
        "idempotency_key": secrets.token_urlsafe(18),
    }
