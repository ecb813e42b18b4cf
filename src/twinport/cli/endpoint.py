"""Where the client commands find twinport: the --endpoint-url, --account and --region flags,
their environment defaults, a TwinMaker client built from them, and errors as one line for users."""

from __future__ import annotations

import argparse
import os
import re
from urllib.parse import urlsplit

from twinport.config import Settings

DEFAULT_ACCOUNT = Settings().default_account  # the account of requests whose key names none
DEFAULT_REGION = "us-east-1"
SECRET_KEY = "twinport"  # twinport's default auth reads only the access key
_ACCOUNT = re.compile(r"\d{12}")


def add_flags(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--endpoint-url",
        type=_url,
        default=default_endpoint_url(),
        help="the twinport server (default: TWINPORT_ENDPOINT_URL, else AWS_ENDPOINT_URL,"
        f" else {Settings().base_url})",
    )
    parser.add_argument(
        "--account",
        type=_account,
        default=DEFAULT_ACCOUNT,
        help=f"12-digit account, sent as the access key (default {DEFAULT_ACCOUNT})",
    )
    parser.add_argument(
        "--region",
        default=os.environ.get("AWS_REGION")
        or os.environ.get("AWS_DEFAULT_REGION")
        or DEFAULT_REGION,
        help=f"region (default: AWS_REGION, else AWS_DEFAULT_REGION, else {DEFAULT_REGION})",
    )


def default_endpoint_url() -> str:
    return (
        os.environ.get("TWINPORT_ENDPOINT_URL")
        or os.environ.get("AWS_ENDPOINT_URL")
        or Settings().base_url
    )


def twinmaker(args: argparse.Namespace):
    """A boto3 IoT TwinMaker client of the server the flags name, as their account."""
    import boto3
    from botocore.config import Config

    session = boto3.session.Session(
        aws_access_key_id=args.account,
        aws_secret_access_key=SECRET_KEY,
        region_name=args.region,
    )
    config = Config(
        # TwinMaker's operations prefix the host with `api.` or `data.`: a name that does not
        # resolve to a local server.
        inject_host_prefix=False,
        connect_timeout=5,
        # One quick retry rides over a blip; a server that is down is reported within a second.
        retries={"mode": "standard", "max_attempts": 2},
    )
    return session.client("iottwinmaker", endpoint_url=args.endpoint_url, config=config)


def describe(error: Exception, endpoint_url: str) -> str:
    """A botocore error as one line a user can act on."""
    from botocore.exceptions import ClientError, EndpointConnectionError, ReadTimeoutError

    if isinstance(error, EndpointConnectionError):
        return f"cannot reach twinport at {endpoint_url}: is `twinport serve` running there?"
    if isinstance(error, ReadTimeoutError):
        return f"twinport at {endpoint_url} did not answer in time"
    if isinstance(error, ClientError):
        details = error.response.get("Error", {})
        code = details.get("Code", "error")
        return f"{details.get('Message') or code} ({code})"
    return str(error)


def _account(value: str) -> str:
    if not _ACCOUNT.fullmatch(value):
        raise argparse.ArgumentTypeError(f"{value!r} is not a 12-digit account id")
    return value


def _url(value: str) -> str:
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise argparse.ArgumentTypeError(f"{value!r} is not an http:// or https:// URL")
    return value
