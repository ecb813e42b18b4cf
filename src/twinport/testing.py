"""Run an isolated twinport for tests, and get boto3 clients already pointed at it.

    from twinport.testing import TwinportServer

    with TwinportServer() as twinport:
        twinmaker = twinport.client("iottwinmaker")
        twinmaker.create_workspace(workspaceId="plant", s3Location="arn:aws:s3:::bucket",
                                   role="arn:aws:iam::123456789012:role/twinmaker")

Needs no pytest; under pytest, the `twinport` fixture of `twinport.pytest_plugin` yields one
running server for the session, and `twinport.new_account()` gives each test an account of its
own, so tests sharing the server never see each other's resources.

With TWINPORT_TEST_POSTGRES_URL set to a PostgreSQL server where it may create databases (e.g.
postgresql://postgres@127.0.0.1:5432/postgres), each server keeps its state in a new database
there, dropped when the server is closed, instead of SQLite in its data directory.
"""

from __future__ import annotations

import itertools
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import boto3
from botocore.config import Config

DEFAULT_ACCOUNT = "123456789012"
DEFAULT_REGION = "us-east-1"
_accounts = itertools.count(100000000001)
_databases = itertools.count(1)


class TwinportServer:
    """A `twinport serve` child process on a free loopback port with its own data directory."""

    def __init__(
        self,
        data_dir: Path | str | None = None,
        *,
        port: int | None = None,
        args: tuple[str, ...] = (),
        env: dict[str, str] | None = None,
        startup_timeout: float = 30.0,
    ):
        self._own_data_dir = data_dir is None
        self.data_dir = Path(data_dir or tempfile.mkdtemp(prefix="twinport-"))
        self._own_port = port is None
        self.port = port or free_port()
        self.args = args
        self.env = env or {}
        self.startup_timeout = startup_timeout
        self.process: subprocess.Popen | None = None
        self._clients: dict[tuple[str, str, str], object] = {}
        self.log_path = self.data_dir.parent / f"{self.data_dir.name}.log"
        self._own_database: str | None = None  # created on the server of `_admin_url`
        self._admin_url = admin_url = os.environ.get("TWINPORT_TEST_POSTGRES_URL")
        if (
            admin_url
            and "TWINPORT_DATABASE_URL" not in self.env
            and not any(arg.startswith("--database-url") for arg in args)
        ):
            self.env["TWINPORT_DATABASE_URL"] = self._create_database()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> TwinportServer:
        for attempt in range(3):
            try:
                self._launch()
                return self
            except PortTaken:
                # Another process took the free port between its choice and the bind (tests
                # running in parallel do): a port of its own choosing is chosen again.
                if not self._own_port or attempt == 2:
                    raise
                self.port = free_port()
        return self

    def _launch(self) -> None:
        env = {**os.environ, **self.env}
        command = [sys.executable, "-m", "twinport", "serve", "--host", "127.0.0.1"]
        command += ["--port", str(self.port), "--data-dir", str(self.data_dir), *self.args]
        with open(self.log_path, "ab") as log:
            self.process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, env=env)
        self._wait_until_healthy()

    def stop(self) -> None:
        """Graceful stop, as with Ctrl-C."""
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.process = None

    def kill(self) -> None:
        """Abrupt stop, as with `kill -9`: nothing gets to clean up."""
        if self.process is not None:
            self.process.kill()
            self.process.wait()
        self.process = None

    def restart(self) -> TwinportServer:
        self.stop()
        return self.start()

    def close(self) -> None:
        self.stop()
        if self._own_data_dir:
            shutil.rmtree(self.data_dir, ignore_errors=True)
            self.log_path.unlink(missing_ok=True)
        if self._own_database is not None:
            self._admin(f'DROP DATABASE IF EXISTS "{self._own_database}" WITH (FORCE)')
            self._own_database = None

    def _create_database(self) -> str:
        """A new database on the server `_admin_url` names; its URL."""
        self._own_database = f"twinport_{os.getpid()}_{next(_databases)}"
        self._admin(f'CREATE DATABASE "{self._own_database}"')
        return self._admin_url.rsplit("/", 1)[0] + "/" + self._own_database

    def _admin(self, statement: str) -> None:
        import psycopg  # only for a PostgreSQL store

        with psycopg.connect(self._admin_url, autocommit=True) as conn:
            conn.execute(statement)

    def __enter__(self) -> TwinportServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.close()

    def client(self, service: str, account: str = DEFAULT_ACCOUNT, region: str = DEFAULT_REGION):
        """A boto3 client for `service` as `account` in `region`."""
        key = (service, account, region)
        if key not in self._clients:
            session = boto3.session.Session(
                aws_access_key_id=account,
                aws_secret_access_key="twinport",
                region_name=region,
            )
            config = Config(
                inject_host_prefix=False,
                s3={"addressing_style": "path"},
                retries={"mode": "standard", "max_attempts": 3},
            )
            self._clients[key] = session.client(service, endpoint_url=self.url, config=config)
        return self._clients[key]

    @staticmethod
    def new_account() -> str:
        """A fresh 12-digit account id: a namespace of its own on the shared server."""
        return str(next(_accounts))

    def log(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""

    def _wait_until_healthy(self) -> None:
        deadline = time.monotonic() + self.startup_timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                self.process = None
                log = self.log()[-4000:]
                if "address already in use" in log.lower():
                    raise PortTaken(log)
                raise RuntimeError(f"twinport exited during start-up:\n{log}")
            try:
                with urllib.request.urlopen(f"{self.url}/_twinport/health", timeout=1) as r:
                    if r.status == 200:
                        return
            except OSError:
                time.sleep(0.05)
        self.kill()
        raise RuntimeError(f"twinport did not become healthy:\n{self.log()[-4000:]}")


class PortTaken(RuntimeError):
    """The server could not bind its port: another process holds it."""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]
