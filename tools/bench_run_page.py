"""``make bench-portal``'s run-page measurement: a finished run's page opened in headless
Chromium, timed on the page's own clock (first lines on screen, end of the backlog), with
Chromium's long-task observer counting main-thread tasks over 50 ms."""

from __future__ import annotations

import shutil


def store_finished_run(database_url: str, lines: int) -> int:
    """A finished run of bench-ticker with ``lines`` log lines, written straight to the
    database (the page is measured, not Terraform)."""
    from sqlalchemy import create_engine, insert, select
    from sqlalchemy.orm import Session

    from portal.models import Environment, Run, RunLogLine, User

    engine = create_engine(database_url)
    try:
        with Session(engine) as session:
            if session.get(Environment, "bench-ticker") is None:
                session.add(Environment(name="bench-ticker"))
                session.flush()  # environments and runs reference each other
            owner = session.scalars(select(User).where(User.username == "bench-operator"))
            run = Run(
                environment_name="bench-ticker",
                requested_by_id=owner.one().id,
                state="failed",
                message=f"{lines}-line log (benchmark)",
            )
            session.add(run)
            session.flush()
            text = "module.network.aws_subnet.private[1]: Still creating... [10s elapsed]"
            for first in range(1, lines + 1, 10_000):
                rows = [
                    {"run_id": run.id, "offset": n, "phase": "plan", "text": f"{n} {text}"}
                    for n in range(first, min(lines, first + 9_999) + 1)
                ]
                session.execute(insert(RunLogLine), rows)
            session.commit()
            return run.id
    finally:
        engine.dispose()


def measure_run_page(
    base: str, username: str, password: str, runs: list[tuple[int, int]]
) -> dict[str, dict[str, object]]:
    """Per (log lines, run id): from navigation to the first lines on screen and to the end
    of the backlog, on the page's own clock, and the main-thread tasks over 50 ms."""
    from playwright.sync_api import sync_playwright

    chromium = shutil.which("chromium") or "/usr/bin/chromium"
    # Long tasks (> 50 ms) are what a user feels as a frozen page.
    watch_long_tasks = """
      window.__longTasks = [];
      new PerformanceObserver(function (list) {
        list.getEntries().forEach(function (e) { window.__longTasks.push(e.duration); });
      }).observe({ type: "longtask", buffered: true });
    """
    results: dict[str, dict[str, object]] = {}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=chromium, headless=True, args=["--no-sandbox", "--disable-gpu"]
        )
        try:
            context = browser.new_context()
            page = context.new_page()
            page.add_init_script(watch_long_tasks)
            page.set_default_timeout(300_000)
            page.goto(f"{base}/login")
            page.fill("input[name=username]", username)
            page.fill("input[name=password]", password)
            page.click("#login-form button[type=submit]")
            page.wait_for_selector("#whoami")
            for lines, run_id in runs:
                page.goto(f"{base}/runs/{run_id}", wait_until="commit")
                # Each wait returns the page's own clock (ms since navigation started).
                first = page.wait_for_function(
                    "() => Number(document.getElementById('log').dataset.lines || 0) > 0"
                    " && performance.now()",
                    polling="raf",
                ).json_value()
                done = page.wait_for_function(
                    f"() => document.getElementById('log').dataset.lines === '{lines}'"
                    " && document.getElementById('log').dataset.ended === 'true'"
                    " && performance.now()",
                    polling="raf",
                ).json_value()
                long_tasks = page.evaluate("window.__longTasks")
                results[str(lines)] = {
                    "first_screen_ms": round(first, 1),
                    "backlog_done_ms": round(done, 1),
                    # Chromium reports only tasks over 50 ms; none means none that long.
                    "tasks_over_50ms": len(long_tasks),
                    "longest_task_ms": round(max(long_tasks), 1) if long_tasks else None,
                }
        finally:
            browser.close()
    return results
