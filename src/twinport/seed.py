"""`--init-dir`: seed a data directory, once, with scripts and bulk files.

Once the server answers, at the first start of a data directory, the entries of the init
directory are applied in name order, as the default account in us-east-1:

- `*.sh` runs with bash and `*.py` with the server's Python, in the init directory, with the
  AWS CLI and SDKs pointed at the server (AWS_ENDPOINT_URL, the default account's key,
  AWS_REGION, AWS_DISABLE_HOST_PREFIX_INJECTION);
- `sitewise/`: each of its `*.json`, in name order, is a SiteWise bulk file;
- any other directory, `<workspace-id>/`: each of its `*.json` is a TwinMaker bulk file for
  that workspace, which is created if missing.

A bulk file goes through a metadata transfer job like any import, so the same checks apply:
it is uploaded to the bucket `twinport-init-<account>` (also the bucket of the workspaces the
seed creates), under `init/<entry>/<file>`, and must end COMPLETED.

Each applied file is recorded in the data directory (`RECORD_FILE`). The first one that fails
(a script's non-zero exit, a job that does not complete) stops the seed, and the log says why;
the next start applies it and the files after it again. Once every file is applied the data
directory is seeded, and later starts apply nothing, whatever the init directory holds.
"""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

import boto3
from boto3.exceptions import Boto3Error
from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError

from twinport.auth import Credentials
from twinport.config import Settings
from twinport.s3.client import s3_client
from twinport.scope import Scope

log = logging.getLogger("twinport.init")

RECORD_FILE = "init.json"
SITEWISE_DIR = "sitewise"
REGION = "us-east-1"
_SECRET = "twinport"  # signatures are not checked unless --auth verify
_POLL_SECONDS = 0.1
_TERMINAL = ("COMPLETED", "ERROR", "CANCELLED")
# The server's own environment may name other credentials, which scripts must not sign with.
_NOT_INHERITED = ("AWS_PROFILE", "AWS_SESSION_TOKEN")

Stopping = Callable[[], bool]


class Server(Protocol):
    """What the seed needs of the HTTP server (uvicorn's)."""

    started: bool
    should_exit: bool


class SeedFailed(Exception):
    """A file of the init directory could not be applied; the message says why."""


def seed_once_started(settings: Settings, server: Server) -> None:
    """Seed from `settings.init_dir` in the background, as soon as `server` has started."""

    def seed_when_started() -> None:
        while not server.started:
            if server.should_exit:
                return
            time.sleep(_POLL_SECONDS)
        try:
            seed(settings, lambda: server.should_exit)
        except Exception:
            log.exception("seeding stopped on an internal failure; the next start tries again")

    threading.Thread(target=seed_when_started, name="twinport-init", daemon=True).start()


def seed(settings: Settings, stopping: Stopping) -> None:
    """Apply what is left to apply of the init directory, up to a file that fails."""
    assert settings.init_dir is not None
    record = _Record(settings.data_dir / RECORD_FILE)
    if record.complete:
        log.info("this data directory was seeded at an earlier start")
        return
    if not settings.init_dir.is_dir():
        log.error("init directory %s is not a directory; nothing applied", settings.init_dir)
        return
    try:
        apply = _Applier(settings, *_keys(settings), stopping)
    except SeedFailed as failed:
        log.error("%s; nothing applied", failed)
        return
    for step in _steps(settings.init_dir):
        if step.name in record.applied:
            continue
        if stopping():
            return
        try:
            apply(step)
        except SeedFailed as failed:
            log.error("%s failed: %s; the next start applies it again", step.name, failed)
            return
        record.add(step.name)
        log.info("applied %s", step.name)
    record.finish()
    log.info("%s applied; later starts of this data directory skip it", settings.init_dir)


@dataclass(frozen=True)
class _Step:
    name: str  # as recorded: the script's name, or <directory>/<file> for a bulk file
    path: Path
    kind: str  # "script" | "sitewise" | "twinmaker"


def _steps(init_dir: Path) -> Iterator[_Step]:
    """The files to apply, in name order (a directory's files where its name sorts)."""
    for entry in sorted(init_dir.iterdir(), key=lambda path: path.name):
        if entry.name.startswith("."):
            continue
        if entry.is_dir():
            kind = "sitewise" if entry.name == SITEWISE_DIR else "twinmaker"
            for file in sorted(entry.glob("*.json"), key=lambda path: path.name):
                yield _Step(f"{entry.name}/{file.name}", file, kind)
        elif entry.suffix in (".sh", ".py"):
            yield _Step(entry.name, entry, "script")
        else:
            log.warning("%s skipped: neither a .sh or .py script nor a directory", entry.name)


def _keys(settings: Settings) -> tuple[str, str]:
    """The access key and secret of the default account, as the server checks them."""
    account = settings.default_account
    if settings.auth != "verify":
        return account, _SECRET
    credentials = Credentials.load(settings.credentials_file or "")
    key = credentials.first_key_of(account)
    found = credentials.lookup(key) if key is not None else None
    if key is None or found is None:
        raise SeedFailed(f"the credentials file has no key of the default account {account}")
    return key, found.secret


class _Applier:
    def __init__(self, settings: Settings, key: str, secret: str, stopping: Stopping):
        self.settings = settings
        self.account = settings.default_account
        self.stopping = stopping
        self.bucket = f"twinport-init-{self.account}"
        inherited = {k: v for k, v in os.environ.items() if k not in _NOT_INHERITED}
        self.environment = {
            **inherited,
            "AWS_ENDPOINT_URL": settings.base_url,
            "AWS_DISABLE_HOST_PREFIX_INJECTION": "true",
            "AWS_ACCESS_KEY_ID": key,
            "AWS_SECRET_ACCESS_KEY": secret,
            "AWS_REGION": REGION,
            "AWS_DEFAULT_REGION": REGION,  # read by the AWS CLI v1
        }
        session = boto3.session.Session(
            aws_access_key_id=key, aws_secret_access_key=secret, region_name=REGION
        )
        config = Config(inject_host_prefix=False, retries={"mode": "standard", "max_attempts": 3})
        self.twinmaker = session.client(
            "iottwinmaker", endpoint_url=settings.base_url, config=config
        )
        self._bucket_made = False

    def __call__(self, step: _Step) -> None:
        if step.kind == "script":
            self._run(step.path)
            return
        try:
            if step.kind == "sitewise":
                self._import(step, {"type": "iotsitewise"})
            else:
                workspace = self._workspace(step.path.parent.name)
                configuration = {"workspace": workspace}
                self._import(
                    step, {"type": "iottwinmaker", "iotTwinMakerConfiguration": configuration}
                )
        except (ClientError, BotoCoreError, Boto3Error, OSError) as error:
            raise SeedFailed(str(error)) from None

    # -- scripts ----------------------------------------------------------------------------

    def _run(self, script: Path) -> None:
        command = ["bash", script.name] if script.suffix == ".sh" else [sys.executable, script.name]
        with tempfile.TemporaryFile("w+", errors="replace") as output:
            process = subprocess.Popen(
                command,
                cwd=script.parent,
                env=self.environment,
                stdin=subprocess.DEVNULL,
                stdout=output,
                stderr=subprocess.STDOUT,
            )
            while process.poll() is None:
                if self.stopping():
                    process.terminate()
                    process.wait()
                    raise SeedFailed("stopped: the server is stopping")
                time.sleep(_POLL_SECONDS)
            output.seek(0)
            level = logging.INFO if process.returncode == 0 else logging.ERROR
            for line in output.read().splitlines():
                log.log(level, "%s: %s", script.name, line)
        if process.returncode != 0:
            raise SeedFailed(f"exit status {process.returncode}")

    # -- bulk files -------------------------------------------------------------------------

    def _workspace(self, workspace_id: str) -> str:
        """The ARN of the workspace, created first if missing."""
        try:
            return self.twinmaker.get_workspace(workspaceId=workspace_id)["arn"]
        except ClientError as error:
            if error.response["Error"]["Code"] != "ResourceNotFoundException":
                raise
        self._make_bucket()
        return self.twinmaker.create_workspace(
            workspaceId=workspace_id,
            s3Location=f"arn:aws:s3:::{self.bucket}",
            role=f"arn:aws:iam::{self.account}:role/twinport-init",
        )["arn"]

    def _import(self, step: _Step, destination: dict[str, Any]) -> None:
        self._make_bucket()
        key = f"init/{step.name}"
        self._s3().upload_file(str(step.path), self.bucket, key)
        source = {
            "type": "s3",
            "s3Configuration": {"location": f"arn:aws:s3:::{self.bucket}/{key}"},
        }
        job_id = self.twinmaker.create_metadata_transfer_job(
            sources=[source], destination=destination
        )["metadataTransferJobId"]
        status = self._wait(job_id)
        if status["state"] != "COMPLETED":
            message = status.get("error", {}).get("message", "")
            raise SeedFailed(f"job {job_id} ended {status['state']}: {message}".rstrip(": "))

    def _wait(self, job_id: str) -> dict[str, Any]:
        while True:
            status = self.twinmaker.get_metadata_transfer_job(metadataTransferJobId=job_id)[
                "status"
            ]
            if status["state"] in _TERMINAL:
                return status
            if self.stopping():
                raise SeedFailed(f"stopped while job {job_id} was {status['state']}")
            time.sleep(_POLL_SECONDS)

    def _s3(self) -> Any:
        # The S3 the jobs read from: the embedded one, or the --s3-endpoint-url.
        return s3_client(self.settings, Scope(self.account, REGION))

    def _make_bucket(self) -> None:
        if self._bucket_made:
            return
        try:
            self._s3().create_bucket(Bucket=self.bucket)
        except ClientError as error:
            if error.response["Error"]["Code"] != "BucketAlreadyOwnedByYou":
                raise
        self._bucket_made = True


class _Record:
    """The files of the init directory applied so far, kept in the data directory."""

    def __init__(self, path: Path):
        self.path = path
        stored = json.loads(path.read_text()) if path.exists() else {}
        self.applied: list[str] = stored.get("applied", [])
        self.complete: bool = stored.get("complete", False)

    def add(self, name: str) -> None:
        self.applied.append(name)
        self._save()

    def finish(self) -> None:
        self.complete = True
        self._save()

    def _save(self) -> None:
        partial = self.path.with_name(self.path.name + ".part")
        partial.write_text(json.dumps({"applied": self.applied, "complete": self.complete}))
        partial.replace(self.path)
