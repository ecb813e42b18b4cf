"""The chain itself, and the exchange its handlers share.

A request runs through three lists, the way LocalStack's handler chain does it:

- request handlers, in order: each does its one job and returns True when it has answered the
  request (through `exchange.send`), which ends the list;
- error handlers, given whatever a request handler raised;
- finalizers, called once the request is done, answered or not (the access log).

A handler with an `answer_headers(exchange, headers)` method also edits the headers of every
answer, whoever sends it. The lists are walked, not nested: a request costs one call per
handler and no closures. No per-request object refers back to the exchange, so a request's
objects are freed by reference counting the moment it is answered.
"""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable, MutableMapping, Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from twinport.gateway.caller import Caller

Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
HeaderList = list[tuple[bytes, bytes]]

RequestHandler = Callable[["Exchange"], Awaitable[bool]]  # True: answered, stop here
ErrorHandler = Callable[["Exchange", Exception], Awaitable[None]]
Finalizer = Callable[["Exchange"], None]
# Edits an answer's headers as it starts: (exchange, headers) -> headers.
EditHeaders = Callable[["Exchange", HeaderList], HeaderList]


class Exchange:
    """One HTTP request on its way through the chain, and what handlers learn about it.

    `send` notes the status, so any handler can tell whether the answer has begun, and lets
    the chain's header editors change the answer's headers.
    """

    def __init__(
        self, scope: Message, receive: Receive, send: Send, edits: Sequence[EditHeaders] = ()
    ):
        self.scope = scope
        self.receive = receive
        self._server_send = send
        self._edits = edits
        self.started = time.perf_counter()
        self.request_id = ""
        self.caller: Caller | None = None  # None until identified: health answers first
        self.account = ""
        self.operation: str | None = None  # named once a service has routed the request
        self.status: int | None = None  # set when the answer begins
        self.body: bytes | None = None  # once a handler has read it (S3 bodies stream instead)
        self.forwarded = False  # passed on to the main process, which logs it (`forward`)
        # Request headers by lower-case name: every request needs them, to find its caller.
        self.headers = {
            k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]
        }

    @property
    def query_string(self) -> str:
        return self.scope["query_string"].decode("latin-1")

    async def send(self, message: Message) -> None:
        if message["type"] == "http.response.start":
            self.status = message["status"]
            if self._edits:
                headers = list(message.get("headers", ()))
                for edit in self._edits:
                    headers = edit(self, headers)
                message["headers"] = headers  # the message is the answering handler's own
        await self._server_send(message)


class Chain:
    """An ASGI app that runs each HTTP request through its handlers."""

    def __init__(
        self,
        requests: Sequence[RequestHandler],
        errors: Sequence[ErrorHandler] = (),
        finalizers: Sequence[Finalizer] = (),
    ):
        self._requests = tuple(requests)
        self._errors = tuple(errors)
        self._finalizers = tuple(finalizers)
        every = (*requests, *errors, *finalizers)
        self._edits = tuple(h.answer_headers for h in every if hasattr(h, "answer_headers"))

    async def __call__(self, scope: Message, receive: Receive, send: Send) -> None:
        exchange = Exchange(scope, receive, send, self._edits)
        try:
            for handler in self._requests:
                if await handler(exchange):
                    return
            # The last handler must answer: getting here is a wiring error.
            raise RuntimeError(f"no handler answered {scope['method']} {scope['path']}")
        except Exception as error:
            if not self._errors:
                raise
            for on_error in self._errors:
                await on_error(exchange, error)
        finally:
            for finalize in self._finalizers:
                finalize(exchange)
