"""One real browser session (headless Chromium): sign in, plan, watch the log stream in,
approve as another user, apply, and read the summary. No page reloads while waiting."""

from __future__ import annotations

import shutil
import threading
from collections.abc import Iterator

import pytest

from platformkit.services import free_port
from tests.portal.conftest import PASSWORD

pytestmark = [pytest.mark.portal, pytest.mark.browser]
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(scope="module")
def live_server(app) -> Iterator[str]:  # type: ignore[no-untyped-def]
    from werkzeug.serving import make_server

    port = free_port()
    server = make_server("127.0.0.1", port, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{port}"
    server.shutdown()


@pytest.fixture(scope="module")
def browser():  # type: ignore[no-untyped-def]
    from playwright import sync_api

    # A missing browser fails the test, never skips it: the check must run.
    if not shutil.which(CHROMIUM):
        pytest.fail("chromium is not installed: apt-get install -y chromium")
    with sync_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True
        )
        yield chromium
        chromium.close()


def expect(locator):  # type: ignore[no-untyped-def]
    from playwright.sync_api import expect as playwright_expect

    return playwright_expect(locator)


def sign_in(browser, base: str, username: str):  # type: ignore[no-untyped-def]
    page = browser.new_context().new_page()
    page.set_default_timeout(60_000)
    page.goto(f"{base}/login")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("#login-form button[type=submit]")
    page.wait_for_selector("#whoami")
    return page


def test_plan_watch_approve_apply_in_the_browser(
    browser, live_server, worker, make_user, make_environment
):
    env = make_environment(steps=2, sleep=1, marker="browser")
    operator, approver = make_user("operator"), make_user("approver")

    page = sign_in(browser, live_server, operator.username)
    page.select_option("#plan-form select[name=environment]", env)
    page.fill("#plan-form input[name=message]", "browser test")
    page.click("#plan-form button[type=submit]")
    page.wait_for_url("**/runs/*")
    run_path = page.url.removeprefix(live_server)
    page.evaluate("window.__loadedOnce = true")  # survives only if the page never reloads

    # The log streams in and the panel turns to "awaiting approval" without a reload.
    expect(page.locator("#log")).to_contain_text("saved plan", timeout=60_000)
    page.wait_for_selector("#run-state:text('awaiting_approval')")
    assert "2 to add" in page.inner_text("#plan-summary")
    assert page.evaluate("window.__loadedOnce") is True
    assert page.locator("#approve-button").count() == 0  # not for the requester

    reviewer = sign_in(browser, live_server, approver.username)
    reviewer.goto(f"{live_server}/approvals")
    reviewer.click(f"a[href='{run_path}']")
    reviewer.fill("#decision-form textarea[name=comment]", "reviewed in the browser")
    reviewer.click("#approve-button")
    reviewer.wait_for_selector("#run-state:text('approved')")

    # The requester's page learns about the approval live and offers the apply.
    page.wait_for_selector("#apply-button")
    assert page.evaluate("window.__loadedOnce") is True
    page.click("#apply-button")
    page.wait_for_selector("#log[data-ended='true']", timeout=90_000)
    assert page.inner_text("#run-state") == "applied"
    log = page.inner_text("#log")
    assert "Apply complete! Resources: 2 added" in log
    assert "step 1 done" in log
    summary = page.inner_text("#plan-summary")
    assert "terraform_data.step[0]" in summary and "terraform_data.step[1]" in summary
    assert "reviewed in the browser" in page.content()
