"""`twinport env`: the environment variables that point the AWS CLI and the SDKs at twinport,
as lines a shell can evaluate."""

from __future__ import annotations

import argparse
import shlex

from twinport.cli import endpoint


def _sh(name: str, value: str) -> str:
    return f"export {name}={shlex.quote(value)}"


def _fish(name: str, value: str) -> str:
    quoted = value.replace("\\", "\\\\").replace("'", "\\'")
    return f"set -gx {name} '{quoted}'"


def _powershell(name: str, value: str) -> str:
    quoted = value.replace("'", "''")
    return f"$env:{name} = '{quoted}'"


# shell → (one variable's line, how to load the lines)
_SHELLS = {
    "sh": (_sh, 'eval "$(twinport env)"'),
    "fish": (_fish, "twinport env --shell fish | source"),
    "powershell": (_powershell, "twinport env --shell powershell | Out-String | Invoke-Expression"),
}


def add_parser(commands: argparse._SubParsersAction, name: str, help_text: str) -> None:
    parser = commands.add_parser(
        name,
        help=help_text,
        description="Print the environment variables that point the AWS CLI and the SDKs at"
        ' twinport, as lines a shell evaluates: eval "$(twinport env)".',
    )
    endpoint.add_flags(parser)
    parser.add_argument(
        "--shell", choices=sorted(_SHELLS), default="sh", help="syntax of the lines (default sh)"
    )


def run(args: argparse.Namespace) -> int:
    assign, load = _SHELLS[args.shell]
    print(f"# twinport at {args.endpoint_url}; load with: {load}")
    for name, value in variables(args.endpoint_url, args.account, args.region).items():
        print(assign(name, value))
    return 0


def variables(endpoint_url: str, account: str, region: str) -> dict[str, str]:
    return {
        "AWS_ENDPOINT_URL": endpoint_url,
        # TwinMaker's operations prefix the host with `api.` or `data.`, a name that does not
        # resolve to a local server; botocore and the AWS CLI leave it off with this set.
        "AWS_DISABLE_HOST_PREFIX_INJECTION": "true",
        # twinport's default auth takes a 12-digit access key as the account and checks no secret
        "AWS_ACCESS_KEY_ID": account,
        "AWS_SECRET_ACCESS_KEY": endpoint.SECRET_KEY,
        "AWS_REGION": region,
        "AWS_DEFAULT_REGION": region,  # botocore and the AWS CLI v1 read only this one
    }
