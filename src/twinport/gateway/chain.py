"""The chain itself, and the exchange its handlers share.

A handler is an async callable `handler(exchange, call_next)`: it does its one job and either
answers (through `exchange.send`) or awaits `call_next(exchange)` to pass the request on. Being
around the rest of the chain, a handler can also act after it: time it, catch what it raises.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, MutableMapping, Sequence
from functools import cached_property, partial
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from twinport.gateway.caller import Caller

Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
Next = Callable[["Exchange"], Awaitable[None]]


class Handler(Protocol):
    async def __call__(self, exchange: Exchange, call_next: Next) -> None: ...


class Exchange:
    """One HTTP request on its way through the chain, and what handlers learn about it.

    Handlers that need to see or change the answer wrap `send`; the innermost send notes the
    status, so any handler can tell whether the answer has begun.
    """

    def __init__(self, scope: Message, receive: Receive, send: Send):
        self.scope = scope
        self.receive = receive
        self._server_send = send
        self.send: Send = self._send_noting_status
        self.request_id = ""
        self.caller: Caller | None = None  # None until identified: health answers first
        self.account = ""
        self.operation: str | None = None  # named once a service has routed the request
        self.status: int | None = None  # set when the answer begins

    @cached_property
    def headers(self) -> dict[str, str]:
        """Request headers by lower-case name."""
        return {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in self.scope["headers"]}

    @property
    def query_string(self) -> str:
        return self.scope["query_string"].decode("latin-1")

    async def _send_noting_status(self, message: Message) -> None:
        if message["type"] == "http.response.start":
            self.status = message["status"]
        await self._server_send(message)


class Chain:
    """An ASGI app that runs each HTTP request through `handlers`, in order."""

    def __init__(self, handlers: Sequence[Handler]):
        # Linked once, from the end: a request costs no list walking, only the handlers' calls.
        run: Next = _unanswered
        for handler in reversed(handlers):
            run = partial(handler, call_next=run)
        self._run = run

    async def __call__(self, scope: Message, receive: Receive, send: Send) -> None:
        await self._run(Exchange(scope, receive, send))


async def _unanswered(exchange: Exchange) -> None:
    """The end of the chain: the last handler must answer, so getting here is a wiring error."""
    raise RuntimeError(f"no handler answered {exchange.scope['method']} {exchange.scope['path']}")
