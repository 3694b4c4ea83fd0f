"""Real PostgreSQL and Redis servers on free loopback ports, for tests and ``make run``.

Both are ordinary server processes (no Docker): PostgreSQL 15 from the Debian packages
(``/usr/lib/postgresql/15/bin``) and ``redis-server``. ``initdb`` refuses to run as root,
so as root the data directory is handed to the ``postgres`` system user and the server
binaries run through ``runuser``; as any other user they run directly.

    with PostgresServer(data_dir) as pg, RedisServer() as redis:
        pg.create_database("portal")
        print(pg.url("portal"), redis.url)
"""

from __future__ import annotations

import os
import pwd
import secrets
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path
from types import TracebackType
from urllib.parse import quote

from emulator import LOOPBACK, free_port

POSTGRES_BIN_DIRS = (Path("/usr/lib/postgresql/15/bin"), Path("/usr/local/bin"))


class ServiceError(RuntimeError):
    """A server could not be started; the message says what to install or check."""


def port_is_free(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        try:
            sock.bind((LOOPBACK, port))
        except OSError:
            return False
        return True


def wait_for_port(port: int, timeout: float, process: subprocess.Popen | None = None) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise ServiceError(f"server on port {port} exited with code {process.returncode}")
        try:
            with socket.create_connection((LOOPBACK, port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.05)
    raise ServiceError(f"nothing answered on {LOOPBACK}:{port} after {timeout:.0f}s")


def _postgres_binary(name: str) -> str:
    for directory in POSTGRES_BIN_DIRS:
        candidate = directory / name
        if candidate.is_file():
            return str(candidate)
    found = shutil.which(name)
    if found:
        return found
    raise ServiceError(
        f"PostgreSQL's {name} was not found. Install the server "
        "(apt-get install -y postgresql-15) or set DATABASE_URL to an existing database."
    )


class PostgresServer:
    """A throwaway (or persistent, if ``data_dir`` is kept) PostgreSQL cluster."""

    def __init__(
        self,
        data_dir: Path | None = None,
        port: int | None = None,
        password_file: Path | None = None,
    ):
        self._own_tmp = data_dir is None
        self.data_dir = Path(data_dir or tempfile.mkdtemp(prefix="portal-pg-")).resolve()
        self.port = port or free_port()
        self._as_postgres_user = os.geteuid() == 0
        # Every connection needs the superuser's password (scram-sha-256), over loopback or
        # the private socket: nobody else on the machine can connect, let alone drop the
        # audit log's append-only trigger. Kept in ``password_file`` (0600) when given.
        self.password_file = password_file
        if password_file is not None and password_file.exists():
            self.password = password_file.read_text().strip()
        else:
            self.password = secrets.token_urlsafe(24)
            if password_file is not None:
                password_file.parent.mkdir(parents=True, exist_ok=True)
                password_file.touch(mode=0o600)
                password_file.chmod(0o600)
                password_file.write_text(self.password + "\n")

    def _command(self, *argv: str) -> list[str]:
        if self._as_postgres_user:
            return ["runuser", "-u", "postgres", "--", *argv]
        return list(argv)

    def _prepare_data_dir(self) -> None:
        self.data_dir.mkdir(parents=True, exist_ok=True)
        if self._as_postgres_user:
            entry = pwd.getpwnam("postgres")
            os.chown(self.data_dir, entry.pw_uid, entry.pw_gid)
        os.chmod(self.data_dir, 0o700)

    def start(self, timeout: float = 60) -> PostgresServer:
        self._prepare_data_dir()
        if not (self.data_dir / "PG_VERSION").exists():
            self._initdb()
        self._write_hba()
        options = f"-p {self.port} -k {self.data_dir} -c listen_addresses={LOOPBACK} -c fsync=off"
        result = subprocess.run(
            self._command(
                _postgres_binary("pg_ctl"),
                "-D",
                str(self.data_dir),
                "-o",
                options,
                "-l",
                str(self.data_dir / "server.log"),
                "-w",
                "-t",
                str(int(timeout)),
                "start",
            ),
            capture_output=True,
            text=True,
            check=False,
            # Own session: a Ctrl-C in the terminal reaches our launcher, which then stops
            # the servers in order, instead of hitting every server at once.
            start_new_session=True,
        )
        if result.returncode != 0:
            log = self.data_dir / "server.log"
            tail = log.read_text()[-2000:] if log.exists() else result.stderr
            raise ServiceError(f"PostgreSQL did not start on port {self.port}:\n{tail}")
        return self

    def _initdb(self) -> None:
        with tempfile.NamedTemporaryFile("w", prefix="pg-pw-", delete=False) as handle:
            handle.write(self.password + "\n")
        pwfile = Path(handle.name)
        try:
            if self._as_postgres_user:
                entry = pwd.getpwnam("postgres")
                os.chown(pwfile, entry.pw_uid, entry.pw_gid)
            subprocess.run(
                self._command(
                    _postgres_binary("initdb"),
                    "-D",
                    str(self.data_dir),
                    "--auth=scram-sha-256",
                    f"--pwfile={pwfile}",
                    "-U",
                    "postgres",
                    "-E",
                    "UTF8",
                    "--no-instructions",
                ),
                check=True,
                capture_output=True,
                text=True,
            )
        finally:
            pwfile.unlink(missing_ok=True)

    def _write_hba(self) -> None:
        """Password (scram-sha-256) on the socket and on 127.0.0.1, nothing else."""
        hba = self.data_dir / "pg_hba.conf"
        rules = hba.read_text().splitlines() if hba.exists() else []
        if any(line.split()[-1:] == ["trust"] for line in rules if not line.startswith("#")):
            raise ServiceError(
                f"The PostgreSQL cluster in {self.data_dir} was made by an older version and "
                "lets every local user in without a password. Remove it (make clean removes "
                ".run/) and start again; the portal's database is re-created and migrated."
            )
        hba.write_text(
            "# Written by tools.services.PostgresServer: passwords only, loopback only.\n"
            "local all all scram-sha-256\n"
            f"host  all all {LOOPBACK}/32 scram-sha-256\n"
        )

    def stop(self) -> None:
        if (self.data_dir / "postmaster.pid").exists():
            subprocess.run(
                self._command(
                    _postgres_binary("pg_ctl"), "-D", str(self.data_dir), "-m", "fast", "-w", "stop"
                ),
                capture_output=True,
                check=False,
            )
        if self._own_tmp:
            shutil.rmtree(self.data_dir, ignore_errors=True)

    def url(self, database: str = "postgres", driver: str = "postgresql+psycopg") -> str:
        return (
            f"{driver}://postgres:{quote(self.password, safe='')}@{LOOPBACK}:{self.port}/{database}"
        )

    def create_database(self, name: str, exist_ok: bool = True) -> str:
        import psycopg  # only needed by callers that create databases

        with psycopg.connect(self.url(driver="postgresql"), autocommit=True) as conn:
            exists = conn.execute(
                "SELECT 1 FROM pg_database WHERE datname = %s", (name,)
            ).fetchone()
            if exists and not exist_ok:
                raise ServiceError(f"database {name} already exists")
            if not exists:
                conn.execute(f'CREATE DATABASE "{name}"')
        return self.url(name)

    def drop_database(self, name: str) -> None:
        import psycopg

        with psycopg.connect(self.url(driver="postgresql"), autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    def __enter__(self) -> PostgresServer:
        return self.start()

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()


class RedisServer:
    """A redis-server without persistence on a loopback port."""

    def __init__(self, port: int | None = None, binary: str = "redis-server"):
        self.port = port or free_port()
        self.binary = shutil.which(binary)
        self.process: subprocess.Popen | None = None
        if self.binary is None:
            raise ServiceError(
                "redis-server was not found. Install it (apt-get install -y redis-server) "
                "or set REDIS_URL to an existing Redis."
            )

    @property
    def url(self) -> str:
        return f"redis://{LOOPBACK}:{self.port}/0"

    def start(self, timeout: float = 20) -> RedisServer:
        self.process = subprocess.Popen(
            [
                self.binary,
                "--save",
                "",
                "--appendonly",
                "no",
                "--port",
                str(self.port),
                "--bind",
                LOOPBACK,
                "--loglevel",
                "warning",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        wait_for_port(self.port, timeout, self.process)
        return self

    def stop(self, timeout: float = 10) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()

    def __enter__(self) -> RedisServer:
        return self.start()

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()
