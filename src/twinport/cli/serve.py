"""`twinport serve`: the server, with its settings from flags and TWINPORT_* variables."""

from __future__ import annotations

import argparse
import gc
import os
import sys
from pathlib import Path
from urllib.parse import urlsplit

from twinport.cli import options
from twinport.config import Settings
from twinport.logs import setup as setup_logs

MAX_API_PROCESSES = 64
_EXAMPLE = """example:
  twinport serve --port 4777 --data-dir ./.twinport
  AWS_DISABLE_HOST_PREFIX_INJECTION=true aws iottwinmaker list-workspaces \\
      --endpoint-url http://127.0.0.1:4777 --region us-east-1

Every flag can also be set with an environment variable TWINPORT_<FLAG>,
for example TWINPORT_PORT=4888 or TWINPORT_S3_ENDPOINT_URL=http://localhost:9000.
"""


def add_parser(commands: argparse._SubParsersAction, name: str, help_text: str) -> None:
    serve = commands.add_parser(
        name,
        help=help_text,
        description="Serve IoT TwinMaker, IoT SiteWise and S3 on one HTTP endpoint.",
        epilog=_EXAMPLE,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    defaults = Settings()
    serve.add_argument("--host", help=f"address to listen on (default {defaults.host})")
    serve.add_argument("--port", type=int, help=f"port to listen on (default {defaults.port})")
    options.add_node_options(serve, defaults)
    serve.add_argument(
        "--init-dir",
        type=Path,
        help="scripts (*.sh, *.py) and bulk files (<workspace-id>/*.json, sitewise/*.json)"
        " applied in name order at the first start of the data directory",
    )
    serve.add_argument(
        "--durability",
        choices=["full", "fast"],
        help="full: each acknowledged write is on disk and survives power loss; fast: it"
        " survives a crash of the server, power loss may drop the last ones (default full)",
    )
    serve.add_argument(
        "--regions",
        help="regions to accept besides AWS's, comma-separated (default: AWS's regions only)",
    )
    serve.add_argument(
        "--auth",
        choices=["off", "verify"],
        help="verify: refuse requests not signed with a key of --credentials-file"
        " (default off: any key acts as the account its 12 digits name)",
    )
    serve.add_argument(
        "--credentials-file",
        help='with --auth verify: JSON {"<access key>": {"secret": "...", "account": "<12'
        ' digits>"}}',
    )
    serve.add_argument(
        "--api-processes",
        type=int,
        help="processes that answer requests, on one port and one store; more than one takes"
        " a busy server's load onto more cores (default 1)",
    )
    options.add_log_options(serve, defaults)
    serve.add_argument(
        "--public-url",
        help="where callers reach twinport, e.g. http://twinport:4777 behind a proxy, for the"
        " URLs it returns (default: the Host each request came in on)",
    )


def run(args: argparse.Namespace) -> int:
    # Start-up allocates much and frees next to nothing: collections during it would cost
    # ~70 ms to find no garbage. The gateway turns the collector back on once it has started.
    gc.disable()
    from twinport.app import create_app
    from twinport.server import AnnouncingServer, server_config

    settings = options.node_settings(
        args,
        host=args.host,
        port=args.port,
        init_dir=args.init_dir,
        durability=args.durability,
        regions=args.regions,
        auth=args.auth,
        credentials_file=args.credentials_file,
        public_url=args.public_url,
        api_processes=args.api_processes,
    )
    if settings.auth == "verify" and not settings.credentials_file:
        print("twinport: --auth verify needs --credentials-file", file=sys.stderr)
        return 2
    problem = (
        options.log_problem(settings)
        or _public_url_problem(settings.public_url)
        or options.database_url_problem(settings.database_url)
        or _api_processes_problem(settings.api_processes)
    )
    if problem:
        print(f"twinport: {problem}", file=sys.stderr)
        return 2
    threshold = setup_logs(settings.log_level, settings.log_format, settings.quiet)
    # The data directory holds every account's resources and objects: what the server and its
    # engine create there is readable by their owner only.
    os.umask(0o077)
    sockets = None
    api_processes = None
    if settings.api_processes > 1:
        from twinport.api_processes import ApiProcesses, listen

        try:
            api_processes = ApiProcesses(settings, listen(settings))
        except OSError as exc:
            print(f"twinport: cannot listen on {settings.base_url}: {exc}", file=sys.stderr)
            return 1
        sockets = [api_processes.listener, api_processes.forward]
    config = server_config(create_app(settings, api_processes), settings, threshold)
    announcement = f"twinport serving on {settings.base_url} (data in {settings.data_dir})"
    server = AnnouncingServer(config, announcement)
    if settings.init_dir is not None:
        from twinport.seed import seed_once_started

        seed_once_started(settings, server)
    server.run(sockets)
    return 0 if server.started else 1


def _api_processes_problem(count: int) -> str | None:
    if 1 <= count <= MAX_API_PROCESSES:
        return None
    return f"--api-processes takes 1 to {MAX_API_PROCESSES}, e.g. --api-processes 2 (got {count})"


def _public_url_problem(url: str | None) -> str | None:
    if url is None:
        return None
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return f"--public-url must start with http:// or https:// and name a host: {url}"
    if parts.path.strip("/") or parts.query or parts.fragment:
        # Signed URLs sign their path: a prefix a proxy strips would break them.
        return f"--public-url must be a scheme and host (and port) only, no path: {url}"
    return None
