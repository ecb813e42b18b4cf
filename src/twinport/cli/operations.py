"""`twinport operations`: the operations twinport answers, per service."""

from __future__ import annotations

import argparse


def add_parser(commands: argparse._SubParsersAction, name: str, help_text: str) -> None:
    parser = commands.add_parser(name, help=help_text, description=help_text.capitalize() + ".")
    parser.add_argument(
        "--markdown", action="store_true", help="print the list as the README shows it"
    )


def run(args: argparse.Namespace) -> int:
    from twinport import coverage

    print(coverage.as_markdown() if args.markdown else coverage.as_text(), end="")
    return 0
