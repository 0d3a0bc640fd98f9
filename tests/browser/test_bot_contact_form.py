"""A person writes to a profile's owner through the contact form, from headless Chromium.

Only a browser shows that the proof of work (static/pow.js) is solved on this form too, that the
browser's own Origin passes, and what axe-core finds on the page.
"""

from __future__ import annotations

import threading
import time
from dataclasses import replace

import uvicorn
from support import axe_violations, format_violations, free_port, mail_config_for, wait_for

from cucon.bot.app import create_app

ANNA = "c366956d-0e87-4eb2-a349-6a3e06e91872"


def test_a_person_writes_through_the_contact_form_from_a_browser(browser, config, smtp):
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    mailing = replace(mail_config_for(config, smtp), public_url=url)
    app = create_app(mailing, worker_idle=0.05)  # the real clock: the browser waits as a person does
    app.state.service.owners.set(ANNA, "anna.owner@owner.example")
    server = uvicorn.Server(
        uvicorn.Config(app, host="127.0.0.1", port=port, log_config=None, access_log=False, lifespan="on")
    )
    thread = threading.Thread(target=server.run, name="uvicorn", daemon=True)
    thread.start()
    try:
        wait_for(lambda: server.started, timeout=10)
        context = browser.new_context(bypass_csp=True)  # axe-core is injected as a script
        page = context.new_page()
        page.goto(f"{url}/contact/{ANNA}?lang=en")
        opened = time.monotonic()
        assert page.inner_text("h1") == "Write to Anna Kowalska"
        violations = axe_violations(page)
        assert not violations, format_violations(violations)
        page.fill('input[name="name"]', "Ben Sender")
        page.fill('input[name="address"]', "ben@sender.example")
        page.fill('input[name="subject"]', "Duo")
        page.fill('textarea[name="message"]', "Hello Anna,\nshall we play a duo?")
        time.sleep(max(0.0, mailing.min_form_seconds + 0.5 - (time.monotonic() - opened)))
        with page.expect_navigation():
            page.click('button[type="submit"]')
        assert "look in your mailbox" in page.inner_text("main"), page.inner_text("main")
        violations = axe_violations(page)
        assert not violations, format_violations(violations)
        wait_for(lambda: [rcpt for rcpt, _ in smtp.messages] == [["ben@sender.example"]])
        context.close()
    finally:
        server.should_exit = True
        thread.join(timeout=15)
