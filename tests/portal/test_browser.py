"""One real browser session (headless Chromium): sign in, plan, watch the log stream in,
approve as another user, apply, and read the summary. No page reloads while waiting."""

from __future__ import annotations

import shutil
import threading
from collections.abc import Iterator

import pytest

from tests.portal.conftest import PASSWORD
from tools.services import free_port

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

    # The log streams in and the bar turns to "awaiting approval" without a reload; every
    # wait is on the condition itself (Playwright's expect retries until it holds).
    expect(page.locator("#log")).to_contain_text("saved plan", timeout=60_000)
    expect(page.locator("#run-state")).to_have_text("awaiting_approval", timeout=60_000)
    expect(page.locator("#plan-summary h2")).to_contain_text("2 to add")
    assert page.evaluate("window.__loadedOnce") is True
    expect(page.locator("#approve-button")).to_have_count(0)  # not for the requester
    expect(page.locator("#action-bar")).to_contain_text("Waiting for an approver other than you")

    reviewer = sign_in(browser, live_server, approver.username)
    reviewer.goto(f"{live_server}/approvals")
    reviewer.click(f"a[href='{run_path}']")
    # The reviewer reads the values they approve: a create shows its known input.
    resource = reviewer.locator("#plan-resources details", has_text="terraform_data.step[0]")
    resource.locator("summary").click()
    expect(resource.locator("table.diff")).to_contain_text("browser-0")
    reviewer.fill("#decision-form textarea[name=comment]", "reviewed in the browser")
    reviewer.click("#approve-button")
    expect(reviewer.locator("#run-state")).to_have_text("approved")

    # The requester's page learns about the approval live and offers the apply.
    expect(page.locator("#apply-button")).to_be_visible(timeout=60_000)
    assert page.evaluate("window.__loadedOnce") is True
    page.click("#apply-button")  # a form post: the run page loads again and follows the apply
    # The page marks the stream ended only once the final state is on screen, so the
    # badge is read after that mark, never in between.
    expect(page.locator("#log")).to_have_attribute("data-ended", "true", timeout=120_000)
    expect(page.locator("#run-state")).to_have_text("applied", timeout=1)
    log = page.inner_text("#log")
    assert "Apply complete! Resources: 2 added" in log
    assert "step 1 done" in log
    summary = page.inner_text("#plan-summary")
    assert "terraform_data.step[0]" in summary and "terraform_data.step[1]" in summary
    assert "reviewed in the browser" in page.inner_text("#action-bar")


LONG_LOG_LINES = 5_000


def test_a_long_log_is_shown_windowed_filterable_and_downloadable(browser, live_server, stored_run):
    # A finished run with the log size of a plan and apply of our own `local` platform.
    owner, run_id = stored_run("failed", lines=LONG_LOG_LINES)
    page = sign_in(browser, live_server, owner.username)
    page.goto(f"{live_server}/runs/{run_id}")
    log = page.locator("#log")
    expect(log).to_have_attribute("data-lines", str(LONG_LOG_LINES))
    expect(log).to_have_attribute("data-ended", "true")
    # The newest line is in view, and the DOM holds a window, not every line.
    last = f"line {LONG_LOG_LINES:05d} of the plan"
    expect(page.locator("#log .log-window")).to_contain_text(last)
    drawn = page.evaluate(
        "document.querySelector('#log .log-window').textContent.split('\\n').length"
    )
    assert drawn < 1_500, f"{drawn} lines in the DOM for a {LONG_LOG_LINES}-line log"
    expect(page.locator("#log-count")).to_have_text(f"{LONG_LOG_LINES} lines")

    # Scrolling to the top draws the first lines.
    page.evaluate("document.getElementById('log').scrollTop = 0")
    expect(page.locator("#log .log-window")).to_contain_text("line 00001 of the plan")
    expect(page.locator("#log .log-window")).not_to_contain_text(last)

    # The filter narrows the view to the matching lines.
    page.fill("#log-filter", "line 0424")
    expect(page.locator("#log-count")).to_have_text(f"10 of {LONG_LOG_LINES} lines match")
    expect(page.locator("#log .log-window")).to_contain_text("line 04249 of the plan")
    expect(page.locator("#log .log-window")).not_to_contain_text("line 04250")

    # The whole log can be downloaded as text.
    body = page.request.get(f"{live_server}/runs/{run_id}/log.txt").text()
    assert body.splitlines() == [f"line {n:05d} of the plan" for n in range(1, LONG_LOG_LINES + 1)]
