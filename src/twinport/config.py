"""Server settings: defaults, overridden by TWINPORT_<FLAG> environment variables, then by flags."""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field, fields
from pathlib import Path


@dataclass(frozen=True)
class Settings:
    host: str = "127.0.0.1"
    port: int = 4777
    data_dir: Path = field(default=Path(".twinport"))
    # Scripts and bulk files applied once, at the first start of `data_dir` (`twinport.seed`).
    init_dir: Path | None = None
    s3_endpoint_url: str | None = None
    # A postgresql:// URL: the store is that database, which several nodes can share; when
    # unset, SQLite in `data_dir`.
    database_url: str | None = None
    max_running_jobs: int = 1
    max_queued_jobs: int = 100
    default_account: str = "123456789012"
    job_role_name: str = "service-role/TwinportMetadataTransferRole"
    # "full": an acknowledged API write is on disk and survives power loss; "fast": it survives
    # a crash of the server, and power loss may drop the last ones.
    durability: str = "full"
    # Regions accepted besides botocore's, comma-separated (e.g. a private test region).
    regions: str = ""
    # "off": signatures are not checked, a 12-digit access key is the account; "verify": every
    # request must be signed with a key of `credentials_file`, and acts as that key's account.
    auth: str = "off"
    credentials_file: str | None = None
    # The server's log on stderr: "debug", "info" (each request, each job state change),
    # "warning" or "error"; `quiet` keeps warnings and errors only. "text" or "json" lines.
    log_level: str = "info"
    log_format: str = "text"
    quiet: bool = False
    # Where callers reach twinport (e.g. through a proxy), for the URLs it hands them; when
    # unset, the Host each request came in on.
    public_url: str | None = None
    # Processes that answer requests on one port: the main one (with the engine and the
    # embedded S3) and api_processes - 1 more (`twinport.api_processes`).
    api_processes: int = 1

    @property
    def base_url(self) -> str:
        """Where this server is reached from this machine (jobs use it for the embedded S3)."""
        host = {"0.0.0.0": "127.0.0.1", "::": "[::1]", "": "127.0.0.1"}.get(self.host, self.host)
        return f"http://{host}:{self.port}"

    @property
    def extra_regions(self) -> list[str]:
        return [region.strip() for region in self.regions.split(",") if region.strip()]

    @property
    def db_path(self) -> Path:
        return self.data_dir / "twinport.sqlite3"

    @property
    def embedded_s3_dir(self) -> Path:
        """Where the embedded S3 keeps its buckets and objects."""
        return self.data_dir / "s3"

    def to_json(self) -> str:
        values = {f.name: getattr(self, f.name) for f in fields(self)}
        return json.dumps(values, default=str)  # paths as strings

    @classmethod
    def from_json(cls, text: str) -> Settings:
        return cls(**_with_paths(json.loads(text)))

    @classmethod
    def from_env(cls, environ: dict[str, str] | None = None, **overrides: object) -> Settings:
        """Settings from TWINPORT_* variables; keyword overrides that are not None win."""
        environ = os.environ if environ is None else environ
        values: dict[str, object] = {}
        for f in fields(cls):
            raw = environ.get(f"TWINPORT_{f.name.upper()}")
            if raw:
                # Field types are strings here (postponed annotations): "int", "Path", ...
                values[f.name] = _parsed(raw, f.type)
        values.update({k: v for k, v in overrides.items() if v is not None})
        return cls(**_with_paths(values))  # type: ignore[arg-type]


def _with_paths(values: dict[str, object]) -> dict[str, object]:
    """`values` with the path settings given as strings made paths."""
    paths = ("data_dir", "init_dir")
    return {
        k: Path(v) if k in paths and v is not None else v  # type: ignore[arg-type]
        for k, v in values.items()
    }


def _parsed(raw: str, kind: object) -> object:
    """An environment variable's value as its field's type (a string here: "int", "bool")."""
    if kind == "int":
        return int(raw)
    if kind == "bool":
        return raw.strip().lower() in ("1", "true", "yes", "on")
    return raw
