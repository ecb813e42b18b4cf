"""How each protocol twinport serves finds a request's operation and writes its answer.

rest-json routes by method and path and answers JSON; query names the operation in its
`Action` form parameter and answers XML. Both parse by the operation's input shape, once the
service has checked that it serves the operation; errors are `errors.error_response`'s.
"""

from __future__ import annotations

from collections.abc import Callable

from botocore.model import OperationModel, ServiceModel

from twinport.errors import ServiceError
from twinport.wire.error_formats import XML_CONTENT_TYPE
from twinport.wire.errors import FrontEndErrors
from twinport.wire.http import Request, Response
from twinport.wire.parse import parse_input
from twinport.wire.query_parse import form_params, parse_query_input
from twinport.wire.query_serialize import serialize_query_output
from twinport.wire.routing import Router
from twinport.wire.serialize import serialize_output

# The input of the routed operation, parsed when called.
Parse = Callable[[], dict]
# AWS's common error for a query request that names no action.
_MISSING_ACTION = "MissingAction"
_SHOWN_ACTION = 100  # characters of an unknown action an error quotes


class RestJson:
    def __init__(self, model: ServiceModel, errors: FrontEndErrors):
        self._name = model.service_name
        self._router = Router(model)
        self._errors = errors

    def route(self, request: Request) -> tuple[OperationModel, Parse]:
        found = self._router.match(request.method, request.path)
        if found is None:
            raise self._errors.unknown_operation(
                f"No {self._name} operation matches {request.method} {request.path}"
            )
        operation, labels = found
        return operation, lambda: parse_input(
            operation, labels, request.query, request.headers, request.body
        )

    def answer(self, operation: OperationModel, output: dict, request_id: str) -> Response:
        status, headers, body = serialize_output(operation, output)
        return Response(status=status, body=body, headers=headers)


class Query:
    def __init__(self, model: ServiceModel, errors: FrontEndErrors):
        self._model = model
        self._operations = frozenset(model.operation_names)
        self._errors = errors

    def route(self, request: Request) -> tuple[OperationModel, Parse]:
        params = form_params(request)
        action = params.get("Action")
        if not action:
            raise ServiceError(_MISSING_ACTION, "The request names no Action", status=400)
        version = params.get("Version", "")
        if action not in self._operations or version != self._model.api_version:
            shown = action[:_SHOWN_ACTION] + ("..." if len(action) > _SHOWN_ACTION else "")
            raise self._errors.unknown_operation(
                f"Could not find operation {shown} for version {version[:_SHOWN_ACTION]}"
            )
        operation = self._model.operation_model(action)
        return operation, lambda: parse_query_input(operation, params)

    def answer(self, operation: OperationModel, output: dict, request_id: str) -> Response:
        body = serialize_query_output(self._model, operation, output, request_id)
        return Response(200, body, content_type=XML_CONTENT_TYPE)


def protocol_for(model: ServiceModel, errors: FrontEndErrors) -> RestJson | Query:
    if model.resolved_protocol == "query":
        return Query(model, errors)
    if model.resolved_protocol == "rest-json":
        return RestJson(model, errors)
    raise ValueError(f"twinport serves no {model.resolved_protocol} service: {model.service_name}")
