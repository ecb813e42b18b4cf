"""moto's S3, called request by request on behalf of one account.

moto keeps one backend per account; the account of a request is passed in the
`x-moto-account-id` header, which moto reads per request (no process-wide "current account").
Two settings make moto fit twinport: buckets are always addressed by path, since the `Host`
header may be anything, and each account has a bucket namespace of its own, so that accounts
never see one another's buckets (see `AccountBucketNames`).

An account's backends are dropped once its last request is done and it holds no bucket: any
access key names an account, and each backend kept would cost memory for good (about 3 KB,
and moto looks accounts up in a list: every S3 request would slow as accounts grow).

moto also keeps every model object it ever made (each key put, even once deleted or
overwritten: about 4 KB a put) in a per-class list, for its own reset and dashboard, which
twinport uses neither of; `MotoS3` turns that list into one that keeps nothing.
"""

from __future__ import annotations

import contextvars
import logging
import os
import threading
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from xml.parsers.expat import ExpatError

from moto import settings as moto_settings
from moto.core.model_instances import model_data
from moto.core.request import Request
from moto.core.utils import get_service_model
from moto.iam.models import iam_backends
from moto.s3.models import FakeBucket, S3Backend, s3_backends
from moto.s3.responses import S3Response
from werkzeug.datastructures import Headers

from twinport.s3.blobkeys import ValueReads, value_reads
from twinport.s3.blobs import BlobRange, BlobReader
from twinport.s3.error_xml import error_xml

log = logging.getLogger("twinport.s3")

ACCOUNT_HEADER = "x-moto-account-id"
PARTITION = "aws"

_account: contextvars.ContextVar[str] = contextvars.ContextVar("twinport_s3_account")


@dataclass(frozen=True)
class S3Call:
    """One S3 request as moto gets it; `target` is the raw (still percent-encoded) path + query."""

    method: str
    target: str
    headers: list[tuple[str, str]]
    body: bytes = b""

    @property
    def path(self) -> str:
        return self.target.split("?", 1)[0]


@dataclass
class Reply:
    """An S3 response: moto's (status, headers, body), the body possibly to be streamed."""

    status: int
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes | BlobRange | BlobReader = b""

    @property
    def ok(self) -> bool:
        return 200 <= self.status < 300


_METHODS = frozenset({"GET", "HEAD", "PUT", "POST", "DELETE", "OPTIONS"})
_MALFORMED_XML = (
    "The XML you provided was not well-formed or did not validate against our published schema"
)


def s3_error(
    status: int, code: str, message: str, details: Iterable[tuple[str, str]] = ()
) -> Reply:
    """S3's XML error; `details` are the elements some errors add after the message."""
    return Reply(status, {"Content-Type": "application/xml"}, error_xml(code, message, details))


class AccountBucketNames:
    """Stands in for moto's registry of bucket names, which spans all accounts.

    moto consults it to refuse a name another account owns and to reach another account's
    bucket. Answering for the account of the request in progress only gives each account a
    namespace of its own: another account's bucket is simply not there (NoSuchBucket).
    """

    def __init__(self) -> None:
        self._owners: dict[tuple[str, str], tuple[str, str]] = {}

    def __setitem__(self, name: str, owner: tuple[str, str]) -> None:
        _, account = owner
        self._owners[(account, name)] = owner

    def __getitem__(self, name: str) -> tuple[str, str]:
        return self._owners[(_account.get(), name)]

    def __contains__(self, name: object) -> bool:
        return (_account.get(None), name) in self._owners

    def keys(self) -> Iterator[str]:
        account = _account.get(None)
        return (name for owner, name in self._owners if owner == account)

    def pop(self, name: str, default: object = None) -> object:
        return self._owners.pop((_account.get(None), name), default)

    def forget(self, account: str) -> None:
        """Drops every name `account` owns."""
        for owner in [owner for owner in self._owners if owner[0] == account]:
            del self._owners[owner]


class _NotTracked(list):
    """Takes moto's new model objects and keeps none of them."""

    def append(self, instance: object) -> None:
        pass


class MotoS3:
    """The state lives in moto's module-level backends: one MotoS3 per process."""

    def __init__(self) -> None:
        moto_settings.S3_IGNORE_SUBDOMAIN_BUCKETNAME = True
        # Set, it would override the account of every request.
        os.environ.pop("MOTO_ACCOUNT_ID", None)
        s3_backends.reset()
        s3_backends.bucket_accounts = AccountBucketNames()  # type: ignore[assignment]
        for models in model_data.values():
            for model in models.values():
                model.instances_tracked = _NotTracked()  # type: ignore[attr-defined]
        self._requests_in_flight: Counter[str] = Counter()
        self._accounts_lock = threading.Lock()

    def load_model(self) -> None:
        """Load moto's own copy of the S3 service model, which its answers are serialized by:
        the first request to need it would wait about 50 ms (moto's loader lists every
        service botocore has before it reads the model)."""
        get_service_model("s3")

    def backend(self, account: str) -> S3Backend:
        return s3_backends[account][PARTITION]

    def bucket(self, account: str, name: str) -> FakeBucket | None:
        return self.backend(account).buckets.get(name)

    def forget(self, account: str | None) -> None:
        """Drops the buckets and settings of `account` (of every account when None); moto
        makes the account a new, empty backend at its next request."""
        accounts = list(s3_backends) if account is None else [account]
        for name in accounts:
            s3_backends.pop(name, None)
            s3_backends.bucket_accounts.forget(name)  # type: ignore[attr-defined]

    def handle(self, account: str, call: S3Call, reads: ValueReads = ValueReads.BYTES) -> Reply:
        with self._accounts_lock:
            self._requests_in_flight[account] += 1
        try:
            return self._dispatch(account, call, reads)
        finally:
            self._done_with(account)

    def _done_with(self, account: str) -> None:
        """Drops the account's backend if no request of it is in flight and it holds no bucket;
        a request in flight may be creating one."""
        with self._accounts_lock:
            self._requests_in_flight[account] -= 1
            if self._requests_in_flight[account]:
                return
            del self._requests_in_flight[account]
            kept = dict.get(s3_backends, account)  # moto's own lookup would create it
            if kept is not None and not any(backend.buckets for backend in kept.values()):
                del s3_backends[account]
                # moto notes each request's account in its IAM backends, making one per account.
                iam_backends.pop(account, None)

    def _dispatch(self, account: str, call: S3Call, reads: ValueReads) -> Reply:
        if call.method not in _METHODS:
            return s3_error(
                405,
                "MethodNotAllowed",
                "The specified method is not allowed against this resource.",
            )
        request = _request(account, call)
        has_key = bool(call.path[1:].partition("/")[2])
        dispatch = S3Response.key_dispatch if has_key else S3Response.bucket_dispatch
        token = _account.set(account)
        try:
            with value_reads(reads):
                status, headers, body = dispatch(request, request.raw_url, dict(request.headers))
        except NotImplementedError as exc:
            return s3_error(501, "NotImplemented", str(exc) or f"{call.method} {call.path}")
        except ExpatError:
            return s3_error(400, "MalformedXML", _MALFORMED_XML)
        except (KeyError, ValueError, TypeError, AttributeError, IndexError):
            # moto reads requests as the SDKs build them; one it cannot read is malformed.
            log.warning("S3 %s %s: moto could not read the request", call.method, call.path)
            return s3_error(400, "InvalidRequest", f"The {call.method} request is not valid")
        except Exception:
            log.exception("S3 %s %s failed", call.method, call.path)
            return s3_error(500, "InternalError", "We encountered an internal error.")
        finally:
            _account.reset(token)
        if isinstance(body, str):
            body = body.encode()
        return Reply(int(status), {k: str(v) for k, v in headers.items() if k != "status"}, body)


class _ServedRequest(Request):
    # A real server answers: it, not moto, adds the Date header.
    from_wsgi_server = True


def _request(account: str, call: S3Call) -> Request:
    headers = Headers([(k, v) for k, v in call.headers if k.lower() != ACCOUNT_HEADER])
    headers[ACCOUNT_HEADER] = account
    url = f"http://{headers.get('host', 'localhost')}{call.target}"
    request = _ServedRequest.from_primitives(call.method, url, headers, call.body)
    # moto reads keys from the raw path, as a WSGI server passes it in RAW_URI.
    request.environ["RAW_URI"] = call.target
    return request
