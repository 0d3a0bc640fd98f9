"""A person sends the call form from headless Chromium to the running service, as in docs/bot.md.

The other service tests post with httpx and set the Origin header themselves; only a browser shows
what a browser really sends (its Origin follows the page's referrer policy), and that the proof of
work (static/pow.js, Web Crypto) is solved in the page.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import time

from support import SITE_ORIGIN, LiveServer, branches, free_port, mail_config_for, wait_for

from cucon.bot.app import create_app

"""A bare repository with the fixture site, and the service's configuration for it."""


def test_a_person_sends_the_call_form_from_a_browser(browser, config, bare_repo):
    app = create_app(config, worker_idle=0.05)  # the real clock: the browser waits as a person does
    with LiveServer(app) as url:
        context = browser.new_context()
        page = context.new_page()
        page.goto(f"{url}/call/new?lang=en")
        opened = time.monotonic()
        page.select_option('select[name="kind"]', "residency")
        page.fill('input[name="title"]', "Residenz Klang und Raum 2027")
        page.fill('[name="summary"]', "Vier Wochen Residenz für Klangkunst in Hannover.")
        page.fill('input[name="organiser_name"]', "Kulturbüro Hannover")
        page.check('input[name="cities"][value="hannover"]')
        page.check('input[name="open_to_everyone"]')
        page.check('input[name="disciplines"][value="music"]')
        page.fill('input[name="deadline_date"]', (dt.date.today() + dt.timedelta(days=40)).isoformat())
        page.fill('input[name="deadline_time"]', "18:00")
        page.fill('input[name="apply"]', "residenz@example.org")
        page.select_option('select[name="lang"]', "de")
        page.fill('input[name="email"]', "tester@example.org")
        page.check('input[name="consent"]')
        time.sleep(max(0.0, config.min_form_seconds + 0.5 - (time.monotonic() - opened)))
        with page.expect_navigation():
            page.click('button[type="submit"]')
        assert "Thank you!" in page.inner_text("main"), page.inner_text("main")
        wait_for(lambda: app.state.spool.counts()["proposed"] == 1)
        context.close()
    [branch] = branches(bare_repo)
    assert branch.startswith("submissions/call/residenz-klang-und-raum-2027-")


def test_a_person_orders_the_newsletter_from_a_browser(browser, config, smtp):
    """The newsletter's form in Chromium: the proof of work is solved in the page, the post is taken,
    and the opt-in mail reaches the SMTP server."""
    port = free_port()  # the service's public address is the page's origin: its posts pass the Origin check
    public = f"http://127.0.0.1:{port}"
    mail = dataclasses.replace(mail_config_for(config, smtp), public_url=public, site_url=SITE_ORIGIN)
    app = create_app(mail, worker_idle=0.05)
    with LiveServer(app, port) as url:
        context = browser.new_context()
        page = context.new_page()
        page.goto(f"{url}/newsletter?lang=en")
        opened = time.monotonic()
        page.check('input[name="cities"][value="hannover"]')
        page.check('input[name="kinds"][value="events"]')
        page.fill('input[name="email"]', "reader@example.org")
        time.sleep(max(0.0, config.min_form_seconds + 0.5 - (time.monotonic() - opened)))
        with page.expect_navigation():
            page.click('button[type="submit"]')
        assert "Please look in your mailbox" in page.inner_text("main"), page.inner_text("main")
        context.close()
    [(to, message)] = smtp.messages
    assert to == ["reader@example.org"]
    assert f"{public}/newsletter/confirm/" in message.get_body(("plain",)).get_content()


def test_the_browser_refuses_a_photo_over_the_limit_before_sending(browser, config, bare_repo, tmp_path):
    """static/upload.js: a file over the service's limit is marked invalid at its field; a smaller one is not."""
    app = create_app(dataclasses.replace(config, max_body_bytes=1024 * 1024), worker_idle=0.05)
    big, small = tmp_path / "big.jpg", tmp_path / "small.jpg"
    big.write_bytes(b"\xff\xd8" + bytes(2 * 1024 * 1024))
    small.write_bytes(b"\xff\xd8" + bytes(1024))
    with LiveServer(app) as url:
        page = browser.new_context().new_page()
        page.goto(f"{url}/profile/new?lang=en")
        page.set_input_files("#f-photo", str(big))
        message = page.eval_on_selector("#f-photo", "input => input.validationMessage")
        assert message == "This file is larger than 1 MB. Please choose a smaller one."
        page.set_input_files("#f-photo", str(small))
        assert page.eval_on_selector("#f-photo", "input => input.validity.valid")
    assert branches(bare_repo) == []
