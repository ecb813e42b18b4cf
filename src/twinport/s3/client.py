"""The S3 client of the job engine: boto3, aimed at the S3 endpoint twinport is set up with.

Without `s3_endpoint_url`, that is twinport's own endpoint: the access key is the account id
of the job, so that the embedded S3 files everything under the job's account. With it, any
S3-compatible endpoint: the credentials are boto3's usual ones (environment, profile, ...),
or the account id when there are none (as endpoints that map access keys to accounts expect).
When twinport verifies signatures, a key of the job's account from its credentials file.
"""

from __future__ import annotations

import threading
from functools import cache, lru_cache
from typing import TYPE_CHECKING, Any

from twinport.auth import Credentials
from twinport.config import Settings
from twinport.scope import Scope

if TYPE_CHECKING:
    import boto3.session

_SECRET = "twinport"  # signatures are not verified by twinport; any secret will do
_lock = threading.Lock()
_CLIENTS_KEPT = 64


@cache
def _session() -> boto3.session.Session:
    # One session for every client: a session loads and keeps the S3 service model (a fifth
    # of a second and megabytes), which clients of the same session share. boto3 itself
    # loads here, with the first client: the server needs it for nothing else on an S3 of
    # its own choosing (with the embedded S3, moto has loaded it already).
    import boto3.session

    return boto3.session.Session()


@lru_cache(maxsize=_CLIENTS_KEPT)
def s3_client(settings: Settings, scope: Scope, endpoint: str | None = None) -> Any:
    """A boto3 S3 client acting as the scope's account, in the scope's region, on `endpoint`
    (by default the S3 endpoint twinport is set up with).

    Clients are kept, one per settings and scope (boto3 clients are safe to share between
    threads), for the most recent scopes: each holds about a megabyte, and callers of many
    accounts must not make the server keep one for each forever. They are made one at a time
    (a boto3 session is not).
    """
    from botocore.config import Config

    with _lock:
        session = _session()
        endpoint = endpoint or settings.s3_endpoint_url or settings.base_url
        config = Config(
            signature_version="s3v4",
            s3={"addressing_style": "path"},
            retries={"mode": "standard", "max_attempts": 3},
        )
        keys = _keys(settings, scope, session)
        return session.client(
            "s3", region_name=scope.region, endpoint_url=endpoint, config=config, **keys
        )


def _keys(settings: Settings, scope: Scope, session: boto3.session.Session) -> dict[str, str]:
    """The credentials the client signs with, as the endpoint expects them."""
    if settings.s3_endpoint_url and session.get_credentials() is not None:
        return {}  # boto3's usual ones, for an endpoint of its own
    if settings.auth == "verify":
        # twinport checks signatures: sign as the account, with a key of it that it knows.
        credentials = _credentials(settings.credentials_file)
        key = credentials.first_key_of(scope.account)
        found = credentials.lookup(key) if key is not None else None
        if found is None:
            raise ValueError(f"The credentials file has no key of account {scope.account}")
        return {"aws_access_key_id": key, "aws_secret_access_key": found.secret}
    return {"aws_access_key_id": scope.account, "aws_secret_access_key": _SECRET}


@cache
def _credentials(path: str) -> Credentials:
    return Credentials.load(path)


def load_s3_model() -> None:
    """Load the S3 service model into the shared session now (a fifth of a second), for the
    clients made later; the throwaway client signs nothing."""
    with _lock:
        _session().client(
            "s3", region_name="us-east-1", aws_access_key_id="load", aws_secret_access_key="model"
        )


def presigned_get_url(client: Any, bucket: str, key: str, expires: int) -> str:
    """A URL that downloads the object without credentials until it expires."""
    return client.generate_presigned_url(
        "get_object", Params={"Bucket": bucket, "Key": key}, ExpiresIn=expires
    )
