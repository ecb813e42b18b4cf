"""Turn a ServiceError into the rest-json error response of the service's model."""

from __future__ import annotations

import orjson
from botocore.model import NoShapeFoundError, ServiceModel

from twinport.errors import ServiceError
from twinport.wire.http import Response

# Errors the front end raises that are not shapes of every model.
_FRONT_END_STATUS = {
    "SerializationException": 400,
    "UnknownOperationException": 404,
    "NotImplementedException": 501,
    "InternalFailure": 500,
}


def error_response(model: ServiceModel, error: ServiceError) -> Response:
    status = error.status or _status_of(model, error.code)
    body = {"message": error.message, **error.fields}
    return Response(
        status=status,
        body=orjson.dumps(body),
        headers=[("x-amzn-errortype", error.code)],
    )


def _status_of(model: ServiceModel, code: str) -> int:
    try:
        shape = model.shape_for(code)
    except NoShapeFoundError:
        return _FRONT_END_STATUS.get(code, 400)
    return shape.metadata.get("error", {}).get("httpStatusCode", 400)
