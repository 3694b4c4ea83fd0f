"""The local AWS emulator: moto server on 127.0.0.1 with our compatibility layer.

Use it from Python::

    from emulator import Emulator
    with Emulator() as emulator:          # free port, waits until it answers
        print(emulator.endpoint)          # http://127.0.0.1:PORT

or from a shell: ``python -m emulator serve --port 5000`` (foreground).
``Emulator(action_log=path)`` / ``serve --action-log PATH`` also record every AWS API
action served, one JSON line each (emulator/recording.py).
The server only ever binds to 127.0.0.1 and is stopped when the context exits, even
on errors.
"""

from __future__ import annotations

import argparse
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from types import TracebackType
from typing import Any

from emulator.recording import ACTION_LOG_VARIABLE

LOOPBACK = "127.0.0.1"
DEFAULT_REGION = "eu-west-1"
# moto accepts any keys; these are deliberately not credential-shaped.
FAKE_KEY = "emulator"
# Attaching AWS managed policies (e.g. AmazonSSMManagedInstanceCore) needs them loaded.
SERVER_ENVIRONMENT = {"MOTO_IAM_LOAD_MANAGED_POLICIES": "true"}


class EmulatorError(RuntimeError):
    """The emulator could not be started or did not answer."""


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((LOOPBACK, 0))
        return int(sock.getsockname()[1])


def is_answering(endpoint: str, timeout: float = 1.0) -> bool:
    """Whether an HTTP server answers at ``endpoint`` (any status counts).

    Not moto's ``/moto-api/data.json``: it serialises every resource and fails
    (HTTP 500) on some models once a platform is deployed.
    """
    # The endpoint is always our own http://127.0.0.1:PORT.
    url = f"{endpoint}/moto-api/"
    try:
        with urllib.request.urlopen(url, timeout=timeout):  # noqa: S310
            return True
    except urllib.error.HTTPError:
        return True
    except (urllib.error.URLError, OSError):
        return False


class Emulator:
    """A moto server subprocess on a loopback port, stopped on exit."""

    def __init__(
        self,
        port: int | None = None,
        log_path: Path | None = None,
        start_timeout: float = 60,
        action_log: Path | None = None,
    ):
        self.port = port or free_port()
        self.log_path = log_path
        self.action_log = action_log
        self.start_timeout = start_timeout
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def endpoint(self) -> str:
        return f"http://{LOOPBACK}:{self.port}"

    def start(self) -> Emulator:
        if is_answering(self.endpoint):
            raise EmulatorError(f"port {self.port} is already serving something; choose another")
        env = {**os.environ, **SERVER_ENVIRONMENT}
        env.pop(ACTION_LOG_VARIABLE, None)
        if self.action_log:
            env[ACTION_LOG_VARIABLE] = str(Path(self.action_log).resolve())
        log = open(self.log_path, "ab") if self.log_path else subprocess.DEVNULL  # noqa: SIM115
        try:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "emulator", "serve", "--port", str(self.port)],
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                start_new_session=True,  # our own process group: stopped as one
            )
        finally:
            if self.log_path:
                log.close()
        deadline = time.monotonic() + self.start_timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise EmulatorError(
                    f"moto server exited with code {self.process.returncode} while starting"
                    + (f"; see {self.log_path}" if self.log_path else "")
                )
            if is_answering(self.endpoint):
                return self
            time.sleep(0.2)
        self.stop()
        raise EmulatorError(
            f"moto server did not answer on {self.endpoint} within {self.start_timeout}s"
        )

    def stop(self, timeout: float = 10) -> None:
        process, self.process = self.process, None
        if process is None or process.poll() is not None:
            return
        try:
            os.killpg(process.pid, signal.SIGTERM)
            process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=timeout)
        except ProcessLookupError:
            pass

    def reset(self) -> None:
        """Forget every emulated resource (moto's reset API)."""
        request = urllib.request.Request(f"{self.endpoint}/moto-api/reset", method="POST")  # noqa: S310
        with urllib.request.urlopen(request, timeout=10):  # noqa: S310
            pass

    def __enter__(self) -> Emulator:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()


def client(endpoint: str, service: str, region: str = DEFAULT_REGION) -> Any:
    """A boto3 client for ``service`` on the emulator at ``endpoint``."""
    import boto3

    return boto3.client(
        service,
        endpoint_url=endpoint,
        region_name=region,
        aws_access_key_id=FAKE_KEY,
        aws_secret_access_key=FAKE_KEY,
    )


def serve(port: int, host: str = LOOPBACK, action_log: Path | None = None) -> None:
    """Run moto server in the foreground with the compatibility layer applied.

    With ``action_log`` (or :data:`~emulator.recording.ACTION_LOG_VARIABLE` set), the
    app is built here as ``moto.server.main`` builds it, wrapped in the recorder.
    """
    for key, value in SERVER_ENVIRONMENT.items():
        os.environ.setdefault(key, value)
    from moto import server

    from emulator import moto_compat

    fixes = moto_compat.apply()
    print(f"emulator: moto compatibility fixes applied: {', '.join(fixes)}", flush=True)
    print(f"emulator: serving on http://{host}:{port}", flush=True)
    if action_log is None and os.environ.get(ACTION_LOG_VARIABLE):
        action_log = Path(os.environ[ACTION_LOG_VARIABLE])
    if action_log is None:
        server.main(["--host", host, "--port", str(port)])
        return
    _serve_recording(host, port, action_log)


def _serve_recording(host: str, port: int, action_log: Path) -> None:
    """``moto.server.main`` (moto 5.2) without its options, behind the recorder."""
    from moto.moto_server.werkzeug_app import (
        DomainDispatcherApplication,
        MotoRequestHandler,
        create_backend_app,
    )
    from werkzeug.serving import run_simple

    from emulator.recording import ActionRecorder

    os.environ.setdefault("MOTO_PORT", str(port))
    signal.signal(signal.SIGINT, lambda signum, frame: sys.exit(0))
    signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(0))
    moto_app = DomainDispatcherApplication(create_backend_app)
    moto_app.debug = True  # type: ignore[attr-defined]
    print(f"emulator: recording AWS API actions to {action_log}", flush=True)
    run_simple(
        host,
        port,
        ActionRecorder(moto_app, action_log),
        threaded=True,
        request_handler=MotoRequestHandler,
    )


def _main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m emulator")
    commands = parser.add_subparsers(dest="command", required=True)
    serve_parser = commands.add_parser("serve", help="run the emulator in the foreground")
    serve_parser.add_argument("--port", type=int, default=5000)
    serve_parser.add_argument(
        "--host",
        default=LOOPBACK,
        help="address to bind; 127.0.0.1 unless inside a container (docker-compose uses 0.0.0.0)",
    )
    serve_parser.add_argument(
        "--action-log",
        type=Path,
        default=None,
        help="append one JSON line per AWS API request (service, operation, IAM action, status)",
    )
    args = parser.parse_args(argv)
    serve(args.port, args.host, args.action_log)
    return 0


if __name__ == "__main__":
    sys.exit(_main())
