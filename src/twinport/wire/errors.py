"""Errors on the wire: a ServiceError as the rest-json answer of its service's model, and the
errors the front end raises itself, each answered with one of the service's own error shapes.

A client catches `client.exceptions.<Shape>`: an error code its model lacks would reach it as a
bare ClientError. So the front end's refusals are kinds, and each service answers a kind with
the shape its model has for it: bad input with the operation's validation shape (TwinMaker's
ValidationException, SiteWise's InvalidRequestException), an unknown path with
ResourceNotFoundException, an operation twinport lacks or a failure with the internal shape.
The query services' models list none of these: they answer AWS's common errors instead
(ValidationError, InvalidAction, InternalFailure), as AWS's front end does.
"""

from __future__ import annotations

from botocore.model import OperationModel, ServiceModel

from twinport.errors import ServiceError
from twinport.wire.error_formats import Dialect, error_answer
from twinport.wire.http import Response

# An operation's own validation shape, in order of preference...
_VALIDATION_SHAPES = ("ValidationException", "InvalidRequestException")
# ...and the service's, for refusals before an operation is known: SiteWise's model has both,
# InvalidRequestException for most of its operations.
_SERVICE_VALIDATION_SHAPES = ("InvalidRequestException", "ValidationException")
_INTERNAL_SHAPES = ("InternalServerException", "InternalFailureException")
_NOT_FOUND_SHAPE = "ResourceNotFoundException"
# AWS's common errors of the query protocol: bad input; an action the service lacks (an
# action twinport lacks too, with 501); a failure.
_QUERY_VALIDATION = "ValidationError"
_QUERY_INVALID_ACTION = "InvalidAction"
_QUERY_INTERNAL = "InternalFailure"


class InvalidInput(Exception):
    """A request that breaks its input shape: wrong type, or a model constraint."""


class FrontEndErrors:
    """The error shapes one service answers the front end's refusals with."""

    def __init__(self, model: ServiceModel):
        if model.resolved_protocol == "query":
            self._validation, self._internal = _QUERY_VALIDATION, _QUERY_INTERNAL
            self._not_found = self._not_implemented = _QUERY_INVALID_ACTION
            return
        names = [shape.name for shape in model.error_shapes]
        self._validation = _first_of(_SERVICE_VALIDATION_SHAPES, names)
        self._internal = self._not_implemented = _first_of(_INTERNAL_SHAPES, names)
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
        # A rest-json path no operation has is 404; a query Action the model lacks, 400 as AWS.
        status = 400 if self._not_found == _QUERY_INVALID_ACTION else 404
        return ServiceError(self._not_found, message, status=status)

    def not_implemented(self, message: str) -> ServiceError:
        return ServiceError(self._not_implemented, message, status=501)

    def internal(self, message: str) -> ServiceError:
        return ServiceError(self._internal, message, status=500)


def _first_of(wanted: tuple[str, ...], names: list[str]) -> str:
    return next(name for name in wanted if name in names)


def error_response(model: ServiceModel, error: ServiceError, request_id: str = "") -> Response:
    """The error in the service's protocol; query answers carry `request_id` in their body."""
    shape = _error_shape(model, error.code)
    wire = shape.metadata.get("error", {}) if shape is not None else {}
    status = error.status or wire.get("httpStatusCode", 400)
    # A query service names a modeled error by its own code (MalformedPolicyDocument for the
    # shape MalformedPolicyDocumentException): the code botocore maps back to the shape.
    code = wire.get("code", error.code) if model.resolved_protocol == "query" else error.code
    return error_answer(
        Dialect.of(model),
        code,
        error.message,
        status,
        request_id,
        error.fields,
        wire.get("senderFault"),
    )


def _error_shape(model: ServiceModel, code: str):
    """The error shape named `code`; None for AWS's common errors, which no model lists."""
    return next((shape for shape in model.error_shapes if shape.name == code), None)
