"""The S3 client of the job engine: boto3, aimed at the S3 endpoint twinport is set up with.

Without `s3_endpoint_url`, that is twinport's own endpoint: the access key is the account id
of the job, so that the embedded S3 files everything under the job's account. With it, any
S3-compatible endpoint: the credentials are boto3's usual ones (environment, profile, ...),
or the account id when there are none (as endpoints that map access keys to accounts expect).
"""

from __future__ import annotations

from functools import cache
from typing import Any

import boto3
from botocore.config import Config

from twinport.config import Settings
from twinport.context import Scope

DEFAULT_URL_SECONDS = 3600
_SECRET = "twinport"  # signatures are not verified by twinport; any secret will do


@cache
def s3_client(settings: Settings, scope: Scope) -> Any:
    """A boto3 S3 client acting as the scope's account, in the scope's region.

    Clients are kept, one per settings and scope: building one costs a fifth of a second, and
    boto3 clients are safe to share between threads.
    """
    session = boto3.session.Session(region_name=scope.region)
    endpoint = settings.s3_endpoint_url or settings.base_url
    credentials = session.get_credentials() if settings.s3_endpoint_url else None
    if credentials is None:
        session = boto3.session.Session(
            aws_access_key_id=scope.account,
            aws_secret_access_key=_SECRET,
            region_name=scope.region,
        )
    config = Config(
        signature_version="s3v4",
        s3={"addressing_style": "path"},
        retries={"mode": "standard", "max_attempts": 3},
    )
    return session.client("s3", endpoint_url=endpoint, config=config)


def presigned_get_url(
    client: Any, bucket: str, key: str, expires: int = DEFAULT_URL_SECONDS
) -> str:
    """A URL that downloads the object without credentials until it expires."""
    return client.generate_presigned_url(
        "get_object", Params={"Bucket": bucket, "Key": key}, ExpiresIn=expires
    )
