"""SiteWise's own error shapes, built in one place so every rule breach reads the same."""

from __future__ import annotations

from twinport.errors import ServiceError


def invalid_request(message: str) -> ServiceError:
    return ServiceError("InvalidRequestException", message)


def not_found(message: str) -> ServiceError:
    return ServiceError("ResourceNotFoundException", message)


def already_exists(message: str, resource_id: str, resource_arn: str) -> ServiceError:
    return ServiceError(
        "ResourceAlreadyExistsException", message, resourceId=resource_id, resourceArn=resource_arn
    )


def conflicting(message: str, resource_id: str, resource_arn: str) -> ServiceError:
    return ServiceError(
        "ConflictingOperationException", message, resourceId=resource_id, resourceArn=resource_arn
    )


def precondition_failed(message: str, resource_id: str, resource_arn: str) -> ServiceError:
    return ServiceError(
        "PreconditionFailedException", message, resourceId=resource_id, resourceArn=resource_arn
    )
