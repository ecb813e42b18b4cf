"""Serve one AWS service: route, parse, validate, call its handler, serialize, in the
protocol its model names (`protocols`)."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass

from botocore.model import OperationModel

from twinport.context import RequestContext
from twinport.errors import ServiceError
from twinport.scope import Scope
from twinport.wire.errors import FrontEndErrors, InvalidInput, error_response
from twinport.wire.http import Request, Response
from twinport.wire.models import service_model
from twinport.wire.protocols import protocol_for
from twinport.wire.validate import Validator

Handler = Callable[[RequestContext, dict], dict]
_READ_PREFIXES = ("Get", "List", "Describe")
log = logging.getLogger("twinport.wire")


class WireService:
    def __init__(self, name: str, handlers: dict[str, Handler], make_context):
        self.name = name
        self.model = service_model(name)
        self.validator = Validator()
        self.handlers = handlers
        self._make_context = make_context
        self.errors = FrontEndErrors(self.model)
        self.protocol = protocol_for(self.model, self.errors)
        unknown = set(handlers) - set(self.model.operation_names)
        if unknown:
            raise ValueError(f"handlers for operations {self.name} does not have: {unknown}")

    def _resolve(self, request: Request) -> tuple[OperationModel, dict]:
        """The operation and its validated input; ServiceError if the request has none."""
        operation, parse = self.protocol.route(request)
        if operation.name not in self.handlers:
            raise self.errors.not_implemented(
                f"twinport does not implement {self.name} {operation.name} yet"
            )
        try:
            data = parse()
            self.validator.validate(operation.input_shape, data)
        except InvalidInput as invalid:
            raise self.errors.invalid(operation, str(invalid)) from None
        return operation, data

    def prepare(self, request: Request, scope: Scope) -> Call:
        """Route, parse and validate now; the handler runs when the returned call is made."""
        try:
            operation, data = self._resolve(request)
        except ServiceError as error:
            response = error_response(self.model, error, request.request_id)
            return Call(None, True, lambda: response)
        context = self._make_context(scope, self.name, operation.name, request.headers.get("host"))
        handler = self.handlers[operation.name]

        def run() -> Response:
            try:
                output = handler(context, data)
                return self.protocol.answer(operation, output or {}, request.request_id)
            except ServiceError as error:
                return error_response(self.model, error, request.request_id)
            except Exception:
                log.exception("%s %s failed", self.name, operation.name)
                failure = self.errors.internal(
                    "twinport failed to serve the request; see the server log"
                )
                return error_response(self.model, failure, request.request_id)

        return Call(operation.name, operation.name.startswith(_READ_PREFIXES), run)


@dataclass(frozen=True)
class Call:
    """A prepared request; read-only ones may run on the event loop (WAL readers never wait)."""

    operation: str | None  # None when the request names no operation this service serves
    read_only: bool
    run: Callable[[], Response]
