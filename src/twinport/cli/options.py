"""What `twinport serve` and `twinport worker` share: the flags of a node's store, S3, jobs
and log, and the checks of their values that the flags' choices cannot make (TWINPORT_*
variables bypass them)."""

from __future__ import annotations

import argparse
from pathlib import Path
from urllib.parse import urlsplit

from twinport.config import Settings
from twinport.logs import FORMATS, LEVELS


def add_node_options(parser: argparse.ArgumentParser, defaults: Settings) -> None:
    parser.add_argument(
        "--data-dir", type=Path, help=f"where state is kept (default ./{defaults.data_dir})"
    )
    parser.add_argument(
        "--s3-endpoint-url",
        help="use this S3 endpoint for jobs instead of the embedded S3 (default: embedded);"
        " nodes that share a database need one",
    )
    parser.add_argument(
        "--database-url",
        help="keep state in this PostgreSQL database, e.g. postgresql://twinport@db/twinport,"
        " which several twinport nodes can share (default: SQLite in the data directory)",
    )
    parser.add_argument(
        "--max-running-jobs",
        type=int,
        help=f"jobs that run at once per account and region (default {defaults.max_running_jobs})",
    )


def add_log_options(parser: argparse.ArgumentParser, defaults: Settings) -> None:
    parser.add_argument(
        "--log-level",
        choices=LEVELS,
        help=f"log records of this level and above on stderr (default {defaults.log_level}:"
        " one line per request and per job state change)",
    )
    parser.add_argument(
        "--log-format",
        choices=FORMATS,
        help=f"text lines, or one JSON object a line (default {defaults.log_format})",
    )
    parser.add_argument(
        "--quiet",
        action="store_true",
        default=None,
        help="log warnings and errors only",
    )


def node_settings(args: argparse.Namespace, **more: object) -> Settings:
    """Settings from TWINPORT_* variables, overridden by the shared flags and `more`."""
    return Settings.from_env(
        data_dir=args.data_dir,
        s3_endpoint_url=args.s3_endpoint_url,
        database_url=args.database_url,
        max_running_jobs=args.max_running_jobs,
        log_level=args.log_level,
        log_format=args.log_format,
        quiet=args.quiet,
        **more,
    )


def log_problem(settings: Settings) -> str | None:
    if settings.log_level not in LEVELS:
        return f"the log level must be one of {', '.join(LEVELS)}"
    if settings.log_format not in FORMATS:
        return f"the log format must be one of {', '.join(FORMATS)}"
    return None


def database_url_problem(url: str | None) -> str | None:
    if url is None:
        return None
    if urlsplit(url).scheme not in ("postgresql", "postgres"):
        return (
            f"--database-url must be a postgresql:// URL, e.g."
            f" postgresql://twinport:secret@db:5432/twinport (got {url!r})"
        )
    try:
        import psycopg  # noqa: F401
    except ImportError:
        return "--database-url needs the PostgreSQL driver: pip install 'twinport[postgres]'"
    return None
