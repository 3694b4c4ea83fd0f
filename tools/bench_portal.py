"""``make bench-portal``: how much the portal adds on top of Terraform (measured, not asserted).

Starts throwaway PostgreSQL, Redis, the AWS emulator, one Celery worker and the web server
(gunicorn) on loopback, then measures:

* queue latency: plan requested through the API -> the worker starts ``terraform init``
  (the first command line in the run's log);
* log latency: a line printed by a process under Terraform (it prints its own clock)
  -> the same line received by a Server-Sent Events client;
* page latency: p50/p99 of signed-in page loads under a small concurrent load;
* the run page in headless Chromium, for finished runs with 5,000 and 50,000 log lines:
  time from navigation to the first lines on screen, to the end of the backlog (every
  line received, the final state shown), and the longest main-thread task meanwhile;
* the floor: a raw ``terraform init`` + ``plan`` of terraform/environments/local, next to
  the same plan made through the portal.

Results are printed and written to .cache/bench/portal-<time>.json. (Longer than most
files: one method per measurement around the one stack they share; the run-page
measurement in Chromium is tools/bench_run_page.py.)
"""

from __future__ import annotations

import argparse
import json
import os
import re
import secrets
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from datetime import UTC, datetime
from pathlib import Path

import requests

from emulator import Emulator
from tools import CACHE_DIR, REPO_ROOT
from tools.bench_run_page import measure_run_page, store_finished_run
from tools.local_stack import (
    create_user,
    migrate,
    portal_env,
    wait_for_web,
    wait_for_worker,
    web_argv,
    worker_argv,
)
from tools.services import PostgresServer, RedisServer, free_port
from tools.supervisor import Child, Supervisor
from tools.terraform import terraform_env

TICKER = """\
terraform {
  backend "local" {}
}

resource "terraform_data" "ticker" {
  input = "%(nonce)s"

  provisioner "local-exec" {
    command = "for i in $(seq 1 %(lines)d); do echo \\"TICK $(date +%%s.%%N)\\"; sleep 0.1; done"
  }
}
"""
TICK = re.compile(r"TICK (\d+\.\d+)")


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(fraction * (len(ordered) - 1))))
    return ordered[index]


def summary(values: list[float]) -> dict[str, float]:
    return {
        "n": len(values),
        "p50_ms": round(statistics.median(values) * 1000, 1),
        "p99_ms": round(percentile(values, 0.99) * 1000, 1),
        "max_ms": round(max(values) * 1000, 1),
    }


class Bench:
    def __init__(self, args: argparse.Namespace, workdir: Path):
        self.args = args
        self.workdir = workdir
        self.supervisor = Supervisor()
        self.results: dict[str, object] = {
            "started": datetime.now(UTC).isoformat(),
            "machine_cpus": os.cpu_count(),
        }

    def spawn(self, name: str, argv: list[str], env: dict[str, str]) -> subprocess.Popen[bytes]:
        child = self.supervisor.add(
            Child(
                name=name, argv=argv, env=env, cwd=REPO_ROOT, log_path=self.workdir / f"{name}.log"
            )
        )
        assert child.process is not None
        return child.process

    def stop(self) -> None:
        self.supervisor.stop_all({"worker": 30.0, "web": 10.0})

    # --- setup ---------------------------------------------------------------------------

    def source_tree(self) -> Path:
        source = self.workdir / "source"
        for part in ("terraform", "assets"):
            if (REPO_ROOT / part).is_dir():
                shutil.copytree(
                    REPO_ROOT / part,
                    source / part,
                    ignore=shutil.ignore_patterns(".terraform", "*.tfstate*"),
                )
        ticker = source / "terraform" / "environments" / "bench-ticker"
        ticker.mkdir(parents=True)
        (ticker / "main.tf").write_text(
            TICKER % {"nonce": secrets.token_hex(4), "lines": self.args.log_lines}
        )
        return source

    def start(self, pg: PostgresServer, redis: RedisServer, emulator: Emulator) -> None:
        source = self.source_tree()
        env = portal_env(
            database_url=pg.create_database("bench"),
            redis_url=redis.url,
            secret_key=secrets.token_urlsafe(48),
            data_dir=self.workdir / "data",
            source_dir=source,
            emulator_endpoint=emulator.endpoint,
        )
        self.env = env
        migrate(env)
        self.passwords = {}
        for name, role in (("bench-operator", "operator"), ("bench-approver", "approver")):
            password = secrets.token_urlsafe(16)
            create_user(env, name, role, password).check_returncode()
            self.passwords[name] = password
        worker = self.spawn("worker", worker_argv("bench"), env)
        port = free_port()
        web = self.spawn("web", web_argv(port, workers=2, threads=16), env)
        self.base = wait_for_web(port, web)
        wait_for_worker(self.workdir / "worker.log", worker)

    def session(self, username: str) -> requests.Session:
        http = requests.Session()
        page = http.get(f"{self.base}/login", timeout=10).text
        token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
        response = http.post(
            f"{self.base}/login",
            timeout=10,
            allow_redirects=False,
            data={"csrf_token": token, "username": username, "password": self.passwords[username]},
        )
        assert response.status_code == 302, response.text
        return http

    def api_token(self, http: requests.Session) -> str:
        page = http.get(f"{self.base}/account/tokens", timeout=10).text
        token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
        page = http.post(
            f"{self.base}/account/tokens", timeout=10, data={"csrf_token": token, "name": "bench"}
        ).text
        return re.search(r'id="new-token">(ptk_[^<]+)<', page).group(1)

    # --- measurements ------------------------------------------------------------------

    def run_until(self, token: str, run_id: int, states: set[str], timeout: float) -> dict:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            run = requests.get(
                f"{self.base}/api/v1/runs/{run_id}",
                timeout=10,
                headers={"Authorization": f"Bearer {token}"},
            ).json()
            if run["state"] in states:
                return run
            time.sleep(0.1)
        raise RuntimeError(f"run {run_id} did not reach {states}")

    def queue_latency(self, operator: str, approver: str) -> None:
        """Plan request -> terraform init starting, with the lock free each time."""
        samples = []
        headers = {"Authorization": f"Bearer {operator}"}
        for _ in range(self.args.queue_samples):
            requested = time.time()
            run = requests.post(
                f"{self.base}/api/v1/runs",
                json={"environment": "bench-ticker"},
                headers=headers,
                timeout=10,
            ).json()
            while True:
                lines = requests.get(
                    f"{self.base}/api/v1/runs/{run['id']}/log", headers=headers, timeout=10
                ).json()
                if any("$ terraform init" in line["text"] for line in lines):
                    break
                time.sleep(0.005)
            # The worker's own timestamp of that line would be better; the request/poll
            # round trip (a few ms on loopback) is included here, so this is an upper bound.
            samples.append(time.time() - requested)
            done = self.run_until(
                operator, run["id"], {"awaiting_approval", "no_changes", "failed"}, 120
            )
            if done["state"] == "awaiting_approval":
                requests.post(
                    f"{self.base}/api/v1/runs/{run['id']}/cancel",
                    headers=headers,
                    json={},
                    timeout=10,
                )
        self.results["queue_latency"] = summary(samples)

    def log_latency(self, operator: str, approver: str) -> None:
        """A line printed under Terraform -> received by an SSE client."""
        headers = {"Authorization": f"Bearer {operator}"}
        run = requests.post(
            f"{self.base}/api/v1/runs",
            json={"environment": "bench-ticker"},
            headers=headers,
            timeout=10,
        ).json()
        self.run_until(operator, run["id"], {"awaiting_approval"}, 120)
        requests.post(
            f"{self.base}/api/v1/runs/{run['id']}/approve",
            json={},
            headers={"Authorization": f"Bearer {approver}"},
            timeout=10,
        )
        browser = self.session("bench-operator")
        received: list[float] = []
        ready = threading.Event()

        def follow() -> None:
            with browser.get(
                f"{self.base}/runs/{run['id']}/events", stream=True, timeout=120
            ) as stream:
                ready.set()
                for raw in stream.iter_lines(decode_unicode=True):
                    if raw and raw.startswith("data: "):
                        match = TICK.search(raw)
                        if match:
                            received.append(time.time() - float(match.group(1)))
                        if '"state": "applied"' in raw or '"state": "failed"' in raw:
                            return

        thread = threading.Thread(target=follow, daemon=True)
        thread.start()
        ready.wait(10)
        requests.post(
            f"{self.base}/api/v1/runs/{run['id']}/apply", headers=headers, json={}, timeout=10
        )
        thread.join(180)
        if not received:
            raise RuntimeError("no TICK line reached the SSE client")
        self.results["log_latency"] = summary(received)

    def page_latency(self) -> None:
        sessions = [self.session("bench-operator") for _ in range(self.args.clients)]
        pages = ["/", "/runs", "/approvals", "/audit", "/runs/1"]
        timings: list[float] = []
        lock = threading.Lock()
        stop_at = time.monotonic() + self.args.load_seconds

        def hammer(http: requests.Session) -> None:
            i = 0
            while time.monotonic() < stop_at:
                started = time.perf_counter()
                response = http.get(self.base + pages[i % len(pages)], timeout=30)
                elapsed = time.perf_counter() - started
                response.raise_for_status()
                with lock:
                    timings.append(elapsed)
                i += 1

        threads = [threading.Thread(target=hammer, args=(s,)) for s in sessions]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        self.results["page_latency"] = {
            **summary(timings),
            "clients": self.args.clients,
            "requests_per_second": round(len(timings) / self.args.load_seconds, 1),
        }

    def run_page(self) -> None:
        """Open finished runs' pages in Chromium and time what a user sees."""
        database_url = self.env["DATABASE_URL"]
        self.results["run_page"] = measure_run_page(
            self.base,
            "bench-operator",
            self.passwords["bench-operator"],
            [
                (lines, store_finished_run(database_url, lines))
                for lines in self.args.page_log_lines
            ],
        )

    def plan_floor(self, operator: str, emulator: Emulator) -> None:
        """terraform init+plan of the local platform: raw, then through the portal."""
        env = terraform_env()
        raw = self.workdir / "raw"
        shutil.copytree(self.workdir / "source", raw)
        root = raw / "terraform" / "environments" / "local"
        env.update(TF_DATA_DIR=str(raw / "tf-data"), TF_VAR_aws_endpoint=emulator.endpoint)
        started = time.monotonic()
        for argv in (
            [
                "terraform",
                "init",
                "-input=false",
                "-no-color",
                f"-backend-config=path={raw / 'state.tfstate'}",
            ],
            ["terraform", "plan", "-out=plan.bin", "-input=false", "-no-color"],
        ):
            result = subprocess.run(
                argv, cwd=root, env=env, capture_output=True, text=True, check=False
            )
            if result.returncode != 0:
                self.results["raw_plan_error"] = result.stdout[-1500:] + result.stderr[-1500:]
                return
        raw_seconds = time.monotonic() - started
        headers = {"Authorization": f"Bearer {operator}"}
        started = time.monotonic()
        run = requests.post(
            f"{self.base}/api/v1/runs", json={"environment": "local"}, headers=headers, timeout=10
        ).json()
        done = self.run_until(
            operator, run["id"], {"awaiting_approval", "no_changes", "failed"}, 600
        )
        portal_seconds = time.monotonic() - started
        self.results["plan_local"] = {
            "raw_init_plan_s": round(raw_seconds, 2),
            "portal_request_to_plan_ready_s": round(portal_seconds, 2),
            "portal_overhead_s": round(portal_seconds - raw_seconds, 2),
            "portal_state": done["state"],
            "resources_to_add": (done.get("plan") or {}).get("summary", {}).get("add"),
        }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--queue-samples", type=int, default=5)
    parser.add_argument("--log-lines", type=int, default=30)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--load-seconds", type=float, default=10)
    parser.add_argument(
        "--page-log-lines",
        type=int,
        nargs="+",
        default=[5_000, 50_000],
        help="log sizes of the run-page measurement",
    )
    parser.add_argument(
        "--skip-platform",
        action="store_true",
        help="skip the raw vs portal plan of the whole local platform",
    )
    args = parser.parse_args(argv)
    out_dir = CACHE_DIR / "bench"
    out_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="bench-portal-") as tmp:
        bench = Bench(args, Path(tmp))
        try:
            with (
                PostgresServer() as pg,
                RedisServer() as redis,
                Emulator(log_path=Path(tmp) / "emulator.log") as emulator,
            ):
                bench.start(pg, redis, emulator)
                operator = bench.api_token(bench.session("bench-operator"))
                approver = bench.api_token(bench.session("bench-approver"))
                print("measuring queue latency ...", flush=True)
                bench.queue_latency(operator, approver)
                print("measuring log latency ...", flush=True)
                bench.log_latency(operator, approver)
                print("measuring page latency ...", flush=True)
                bench.page_latency()
                print("measuring the run page in Chromium ...", flush=True)
                bench.run_page()
                if not args.skip_platform:
                    print("planning the local platform raw and through the portal ...", flush=True)
                    bench.plan_floor(operator, emulator)
        finally:
            bench.stop()
    results = bench.results
    path = out_dir / f"portal-{datetime.now(UTC):%Y%m%dT%H%M%SZ}.json"
    path.write_text(json.dumps(results, indent=2) + "\n")
    print()
    for key in ("queue_latency", "log_latency", "page_latency"):
        if key in results:
            r = results[key]
            print(f"{key:15} p50 {r['p50_ms']:8.1f} ms   p99 {r['p99_ms']:8.1f} ms   (n={r['n']})")
    for lines, r in results.get("run_page", {}).items():
        print(
            f"run page {int(lines):>6} lines: first screen {r['first_screen_ms']:8.1f} ms, "
            f"backlog done {r['backlog_done_ms']:8.1f} ms, "
            + (
                f"{r['tasks_over_50ms']} tasks over 50 ms (longest {r['longest_task_ms']} ms)"
                if r["tasks_over_50ms"]
                else "no main-thread task over 50 ms"
            )
        )
    if "plan_local" in results:
        p = results["plan_local"]
        print(
            f"plan of local   raw terraform {p['raw_init_plan_s']} s, through the portal "
            f"{p['portal_request_to_plan_ready_s']} s (+{p['portal_overhead_s']} s)"
        )
    if "raw_plan_error" in results:
        print("raw plan of local failed:\n" + str(results["raw_plan_error"]))
    print(f"results: {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
