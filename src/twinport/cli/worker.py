"""`twinport worker`: an engine without an API, running the jobs of a shared database."""

from __future__ import annotations

import argparse
import logging
import os
import signal
import sys
from threading import Event
from urllib.parse import urlsplit

from twinport.cli import options
from twinport.config import Settings
from twinport.logs import setup as setup_logs

_EXAMPLE = """example:
  twinport worker --database-url postgresql://twinport@db/twinport \\
      --s3-endpoint-url http://s3:4777 --data-dir ./worker-1

It runs jobs that the `twinport serve` nodes on the same database accept, beside
their own engines, until Ctrl-C or SIGTERM. A job it holds when it is killed is
finished by another node once its lease runs out (10 s).
"""

log = logging.getLogger("twinport.engine")


def add_parser(commands: argparse._SubParsersAction, name: str, help_text: str) -> None:
    worker = commands.add_parser(
        name,
        help=help_text,
        description="Run metadata transfer jobs from a PostgreSQL database that twinport"
        " serve nodes share. Needs --database-url and --s3-endpoint-url.",
        epilog=_EXAMPLE,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    defaults = Settings()
    options.add_node_options(worker, defaults)
    options.add_log_options(worker, defaults)


def run(args: argparse.Namespace) -> int:
    settings = options.node_settings(args)
    problem = (
        _needs(settings)
        or options.log_problem(settings)
        or options.database_url_problem(settings.database_url)
    )
    if problem:
        print(f"twinport worker: {problem}", file=sys.stderr)
        return 2
    setup_logs(settings.log_level, settings.log_format, settings.quiet)
    os.umask(0o077)  # the data directory holds jobs' files of every account
    from twinport.engine.nodes import JoinRefused, join, new_owner, node_id
    from twinport.engine.worker import run_engine, warm_up
    from twinport.store.backend import open_database
    from twinport.store.db import StoreUnavailable

    db = open_database(settings, durable=False)
    try:
        db.open()
        join(db, settings, "worker")
    except (StoreUnavailable, JoinRefused) as exc:
        log.error("twinport worker failed to start: %s", exc)
        return 1
    finally:
        db.close()
    stop, wake = Event(), Event()

    def stopping(signum: int, frame: object) -> None:
        stop.set()
        wake.set()

    signal.signal(signal.SIGTERM, stopping)
    signal.signal(signal.SIGINT, stopping)
    warm_up(settings)
    log.info(
        "twinport worker running jobs from %s (node %s)",
        _where(settings.database_url),
        node_id(settings),
    )
    run_engine(settings, new_owner(settings), wake, stop)
    return 0


def _needs(settings: Settings) -> str | None:
    if not settings.database_url:
        return (
            "--database-url is required: the PostgreSQL database that the twinport serve"
            " nodes share, e.g. --database-url postgresql://twinport@db/twinport"
        )
    if not settings.s3_endpoint_url:
        return (
            "--s3-endpoint-url is required: the S3 endpoint that every node of the database"
            " uses, e.g. --s3-endpoint-url http://minio:9000"
        )
    return None


def _where(url: str) -> str:
    """The database's host and name, without credentials, for the log."""
    parts = urlsplit(url)
    return f"{parts.hostname or 'localhost'}{parts.path or ''}"
