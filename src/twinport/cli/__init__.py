"""The `twinport` command: one module per subcommand, each with `add_parser` and `run`.

A subcommand's module is imported only when the command line names it, so `twinport jobs`
does not pay for the server's imports, nor `twinport serve` for the terminal's.
"""

from __future__ import annotations

import argparse
import importlib
import sys

from twinport import __version__

# name → (module under twinport.cli, one-line help)
COMMANDS: dict[str, tuple[str, str]] = {
    "serve": ("serve", "serve the AWS APIs on one endpoint"),
    "worker": ("worker", "run jobs of a PostgreSQL database that twinport serve nodes share"),
    "operations": ("operations", "list the operations twinport answers, per service"),
    "jobs": ("jobs", "list, show, watch and cancel metadata transfer jobs"),
    "env": ("env", "print the variables that point the AWS CLI and SDKs at twinport"),
    "validate": ("validate", "check a bulk file offline as an import job's validation would"),
}


def build_parser(argv: list[str] | None = None) -> argparse.ArgumentParser:
    """The parser, with the full options of the subcommand `argv` names (every subcommand's
    when `argv` is None, as the tests and the README check them)."""
    parser = argparse.ArgumentParser(
        prog="twinport",
        description="Local AWS IoT TwinMaker metadata transfer jobs, TwinMaker, SiteWise and S3.",
    )
    parser.add_argument("--version", action="version", version=f"twinport {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    named = next((arg for arg in argv or [] if not arg.startswith("-")), None)
    for name, (module, help_text) in COMMANDS.items():
        if argv is None or name == named:
            _module(module).add_parser(commands, name, help_text)
        else:
            commands.add_parser(name, help=help_text)
    return parser


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    args = build_parser(argv).parse_args(argv)
    return _module(COMMANDS[args.command][0]).run(args)


def _module(name: str):
    return importlib.import_module(f"twinport.cli.{name}")
