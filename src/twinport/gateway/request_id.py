"""Give every request an id, and every answer the header that carries it.

SDKs show the id as the response's RequestId. Services other than S3 name the header
x-amzn-RequestId; S3 names it x-amz-request-id. The embedded S3 (moto) already sends a request
id of its own, under the other services' name: it is replaced, so that an answer carries
exactly one id, the one the access log shows. (moto's S3 error bodies still name moto's id in
<RequestId>; SDKs take the id from the header.)
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable

from twinport.gateway.chain import Exchange, Message, Next

_S3_HEADER = b"x-amz-request-id"
_HEADER = b"x-amzn-requestid"  # ASGI wants names lower-case; HTTP ignores their case
_ANY_HEADER = {_S3_HEADER, _HEADER}


class RequestId:
    async def __call__(self, exchange: Exchange, call_next: Next) -> None:
        exchange.request_id = str(uuid.uuid4())
        send = exchange.send

        async def send_with_id(message: Message) -> None:
            if message["type"] == "http.response.start":
                message = {**message, "headers": _with_id(exchange, message.get("headers", ()))}
            await send(message)

        exchange.send = send_with_id
        await call_next(exchange)


def _with_id(
    exchange: Exchange, headers: Iterable[tuple[bytes, bytes]]
) -> list[tuple[bytes, bytes]]:
    # Known only by now: the caller is identified after this handler has run.
    s3 = exchange.caller is not None and exchange.caller.service == "s3"
    kept = [(k, v) for k, v in headers if k.lower() not in _ANY_HEADER]
    return [*kept, (_S3_HEADER if s3 else _HEADER, exchange.request_id.encode())]
