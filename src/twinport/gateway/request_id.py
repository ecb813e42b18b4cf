"""Give every request an id, and every answer the header that carries it.

SDKs show the id as the response's RequestId. Services other than S3 name the header
x-amzn-RequestId; S3 names it x-amz-request-id. The embedded S3 (moto) already sends a request
id of its own, under the other services' name: it is replaced, so that an answer carries
exactly one id, the one the access log shows. (moto's S3 error bodies still name moto's id in
<RequestId>; SDKs take the id from the header.)
"""

from __future__ import annotations

import itertools
import uuid
from collections.abc import Iterator

from twinport.gateway.chain import Exchange, HeaderList
from twinport.gateway.forward import FORWARDED_ID

_S3_HEADER = b"x-amz-request-id"
_HEADER = b"x-amzn-requestid"  # ASGI wants names lower-case; HTTP ignores their case
_ANY_HEADER = {_S3_HEADER, _HEADER}


def _request_ids() -> Iterator[str]:
    """UUID-formed version 4 ids: a random prefix for this process, then a counter.

    As unique as random ones within a server's life and across its starts, at a tenth of the
    cost of `uuid.uuid4()`, which reads the system's random source for each request.
    """
    prefix = uuid.uuid4().hex[:20]
    for count in itertools.count():
        yield f"{prefix[:8]}-{prefix[8:12]}-{prefix[12:16]}-{prefix[16:20]}-{count:012x}"


_ids = _request_ids()


class RequestId:
    async def __call__(self, exchange: Exchange) -> bool:
        # A request another API process passed on keeps the id that process answers with.
        exchange.request_id = exchange.headers.get(FORWARDED_ID) or next(_ids)
        return False

    def answer_headers(self, exchange: Exchange, headers: HeaderList) -> HeaderList:
        # Known only by now: the caller is identified after this handler has run.
        s3 = exchange.caller is not None and exchange.caller.service == "s3"
        kept = [(k, v) for k, v in headers if k.lower() not in _ANY_HEADER]
        return [*kept, (_S3_HEADER if s3 else _HEADER, exchange.request_id.encode())]
