"""The one exception domain code raises; the wire layer turns it into an AWS error response.

`code` is the name of an error shape of the service model (ValidationException,
ResourceNotFoundException, ...); the HTTP status comes from that shape. Extra keyword fields
become members of the error body where the shape has them (SiteWise's resourceId, ...).
"""

from __future__ import annotations


class ServiceError(Exception):
    def __init__(self, code: str, message: str, status: int | None = None, **fields: object):
        super().__init__(message)
        self.code = code
        self.message = message
        self.status = status
        self.fields = fields


def validation(message: str) -> ServiceError:
    return ServiceError("ValidationException", message)


def not_found(message: str) -> ServiceError:
    return ServiceError("ResourceNotFoundException", message)


def conflict(message: str) -> ServiceError:
    return ServiceError("ConflictException", message)
