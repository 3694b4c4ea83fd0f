"""The PostgreSQL that `make run` (and the tests) start: passwords only, loopback only."""

from __future__ import annotations

import shutil
import stat
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest

from tools.services import LOOPBACK, PostgresServer

pytestmark = pytest.mark.portal


@pytest.fixture
def data_dir() -> Iterator[Path]:
    # Directly under /tmp: the postgres user must reach it (pytest's tmp_path is 0700 root).
    path = Path(tempfile.gettempdir()) / f"portal-pg-test-{uuid.uuid4().hex[:8]}"
    yield path
    shutil.rmtree(path, ignore_errors=True)


def test_only_the_password_holder_connects_and_only_over_loopback(tmp_path, data_dir):
    password_file = tmp_path / "postgres-password"
    server = PostgresServer(data_dir, password_file=password_file)
    with server:
        assert stat.S_IMODE(password_file.stat().st_mode) == 0o600
        assert password_file.read_text().strip() == server.password
        with psycopg.connect(server.url(driver="postgresql")) as conn:
            assert conn.execute("SHOW listen_addresses").fetchone() == (LOOPBACK,)
            assert conn.execute("SHOW password_encryption").fetchone() == ("scram-sha-256",)
        without = f"postgresql://postgres@{LOOPBACK}:{server.port}/postgres"
        with pytest.raises(psycopg.OperationalError, match="password"):
            psycopg.connect(without, connect_timeout=10)
        wrong = f"postgresql://postgres:guess@{LOOPBACK}:{server.port}/postgres"
        with pytest.raises(psycopg.OperationalError, match="password authentication failed"):
            psycopg.connect(wrong, connect_timeout=10)
        # The socket lives in the cluster's own directory, closed to other users.
        socket_dir = server.data_dir
        assert stat.S_IMODE(socket_dir.stat().st_mode) == 0o700
        with pytest.raises(psycopg.OperationalError):
            psycopg.connect(
                host=str(socket_dir),
                port=server.port,
                user="postgres",
                dbname="postgres",
                connect_timeout=10,
            )

    # A restart reads the same password from the file.
    again = PostgresServer(data_dir, password_file=password_file)
    assert again.password == server.password
    with again, psycopg.connect(again.url(driver="postgresql")) as conn:
        assert conn.execute("SELECT 1").fetchone() == (1,)


def test_an_old_cluster_that_trusts_everyone_is_refused_with_guidance(data_dir):
    server = PostgresServer(data_dir)
    with server:
        pass
    hba = server.data_dir / "pg_hba.conf"
    hba.write_text("local all all trust\n")
    with pytest.raises(Exception, match="without a password"):
        PostgresServer(server.data_dir).start()
