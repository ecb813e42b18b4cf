"""Run a command beside a throw-away PostgreSQL cluster, for the suite's PostgreSQL pass.

    python tests/postgres_cluster.py -- python -m pytest -n 2

starts a cluster from Debian's `postgresql` package in a temporary directory, runs the command
with TWINPORT_TEST_POSTGRES_URL naming it (each `TwinportServer` then gets a database of its
own), stops the cluster and removes it, and exits with the command's status.
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from twinport.testing import free_port

# Throw-away data, for tests: nothing needs to reach the disk; many servers connect at once.
_SETTINGS = "-c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=400"


def _bin(name: str) -> str:
    found = shutil.which(name) or next(
        iter(sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"))), None
    )
    if found is None:
        sys.exit(f"{name} not found: install Debian's postgresql package")
    return found


def _as_owner(command: list[str]) -> list[str]:
    """PostgreSQL refuses to run as root: as root, run its commands as the `postgres` user."""
    return ["runuser", "-u", "postgres", "--", *command] if os.geteuid() == 0 else command


@contextmanager
def cluster(settings: str = _SETTINGS) -> Iterator[str]:
    """A new cluster with these server `settings` while the block runs: its admin URL."""
    root = Path(tempfile.mkdtemp(prefix="twinport-pg-"))
    if os.geteuid() == 0:
        owner = pwd.getpwnam("postgres")
        os.chown(root, owner.pw_uid, owner.pw_gid)
    data, port = root / "data", free_port()
    subprocess.run(
        _as_owner(
            [
                _bin("initdb"),
                "-D",
                str(data),
                "-U",
                "postgres",
                "--auth=trust",
                "-E",
                "UTF8",
                # A default collation unlike SQLite's byte order (en-US sorts "aa" before
                # "BB"): the suite shows twinport's pages keep their order whatever it is.
                "--locale-provider=icu",
                "--icu-locale=en-US",
                "--locale=C.UTF-8",
            ]
        ),
        check=True,
        stdout=subprocess.DEVNULL,
    )
    options = f"-p {port} -k {root} -c listen_addresses=127.0.0.1 {settings}"
    subprocess.run(
        _as_owner(
            [_bin("pg_ctl"), "-D", str(data), "-o", options, "-l", str(root / "log"), "-w", "start"]
        ),
        check=True,
        stdout=subprocess.DEVNULL,
    )
    try:
        yield f"postgresql://postgres@127.0.0.1:{port}/postgres"
    finally:
        subprocess.run(
            _as_owner([_bin("pg_ctl"), "-D", str(data), "-m", "immediate", "stop"]),
            stdout=subprocess.DEVNULL,
        )
        shutil.rmtree(root, ignore_errors=True)


def main(command: list[str]) -> int:
    with cluster() as url:
        env = {**os.environ, "TWINPORT_TEST_POSTGRES_URL": url}
        return subprocess.run(command, env=env).returncode


if __name__ == "__main__":
    arguments = sys.argv[1:]
    if arguments[:1] == ["--"]:
        arguments = arguments[1:]
    if not arguments:
        sys.exit(__doc__)
    sys.exit(main(arguments))
