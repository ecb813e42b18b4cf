"""Errors on the wire: a ServiceError as the rest-json answer of its service's model, and the
errors the front end raises itself, each answered with one of the service's own error shapes.

A client catches `client.exceptions.<Shape>`: an error code its model lacks would reach it as a
bare ClientError. So the front end's refusals are kinds, and each service answers a kind with
the shape its model has for it: bad input with the operation's validation shape (TwinMaker's
ValidationException, SiteWise's InvalidRequestException), an unknown path with
ResourceNotFoundException, an operation twinport lacks or a failure with the internal shape.
"""

from __future__ import annotations

import orjson
from botocore.model import OperationModel, ServiceModel

from twinport.errors import ServiceError
from twinport.wire.http import Response

# An operation's own validation shape, in order of preference...
_VALIDATION_SHAPES = ("ValidationException", "InvalidRequestException")
# ...and the service's, for refusals before an operation is known: SiteWise's model has both,
# InvalidRequestException for most of its operations.
_SERVICE_VALIDATION_SHAPES = ("InvalidRequestException", "ValidationException")
_INTERNAL_SHAPES = ("InternalServerException", "InternalFailureException")
_NOT_FOUND_SHAPE = "ResourceNotFoundException"


class InvalidInput(Exception):
    """A request that breaks its input shape: wrong type, or a model constraint."""


class FrontEndErrors:
    """The error shapes one service answers the front end's refusals with."""

    def __init__(self, model: ServiceModel):
        names = [shape.name for shape in model.error_shapes]
        self._validation = _first_of(_SERVICE_VALIDATION_SHAPES, names)
        self._internal = _first_of(_INTERNAL_SHAPES, names)
        self._not_found = _NOT_FOUND_SHAPE if _NOT_FOUND_SHAPE in names else self._validation

    def invalid(self, operation: OperationModel, message: str) -> ServiceError:
        """Bad input, as this operation's own validation shape where it lists one."""
        listed = [shape.name for shape in operation.error_shapes]
        code = next((c for c in _VALIDATION_SHAPES if c in listed), self._validation)
        return ServiceError(code, message)

    def refuse(self, message: str) -> ServiceError:
        """A request the front end refuses before it names an operation."""
        return ServiceError(self._validation, message)

    def too_large(self, message: str) -> ServiceError:
        """A request body past the front end's limit: the validation shape, HTTP 413."""
        return ServiceError(self._validation, message, status=413)

    def unknown_operation(self, message: str) -> ServiceError:
        return ServiceError(self._not_found, message, status=404)

    def not_implemented(self, message: str) -> ServiceError:
        return ServiceError(self._internal, message, status=501)

    def internal(self, message: str) -> ServiceError:
        return ServiceError(self._internal, message, status=500)


def _first_of(wanted: tuple[str, ...], names: list[str]) -> str:
    return next(name for name in wanted if name in names)


def error_response(model: ServiceModel, error: ServiceError) -> Response:
    status = error.status or _status_of(model, error.code)
    body = {"message": error.message, **error.fields}
    return Response(
        status=status,
        body=orjson.dumps(body),
        headers=[("x-amzn-errortype", error.code)],
    )


def _status_of(model: ServiceModel, code: str) -> int:
    shape = model.shape_for(code)
    return shape.metadata.get("error", {}).get("httpStatusCode", 400)
