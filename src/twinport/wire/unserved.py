"""The answer to a request for a service twinport does not serve, in that service's protocol.

botocore's model of the service the signature names says how its clients read errors (JSON,
XML of the query, EC2 or rest-xml protocols, CBOR), so that an SDK raises a ClientError that
names the service instead of failing to parse the answer. A name botocore has no model of
(a signing name that differs from its model's, like CloudWatch's `monitoring`) gets JSON that
both JSON protocols read: the code in `__type` and in `x-amzn-errortype`.

HTTP 501, as for an operation a served service lacks: the request is a valid AWS request
twinport does not implement, and no SDK retries a 501.
"""

from __future__ import annotations

from functools import cache

import botocore.loaders
from botocore.model import ServiceModel

from twinport.wire.error_formats import Dialect, error_answer
from twinport.wire.http import Response

CODE = "UnknownServiceException"
STATUS = 501
_SHOWN_NAME = 64  # characters of the service's name the message quotes
_ANY_JSON = Dialect("json")


def unserved_answer(name: str, request_id: str) -> Response:
    """Loads the service's model the first time it is named: call it off the event loop."""
    shown = name[:_SHOWN_NAME]
    dialect = _dialect_of(name) if name in _service_names() else _ANY_JSON
    message = f"twinport does not serve the '{shown}' service"
    return error_answer(dialect, CODE, message, STATUS, request_id)


@cache
def _service_names() -> frozenset[str]:
    return frozenset(botocore.loaders.Loader().list_available_services("service-2"))


@cache  # one small value per service botocore has: the model itself is not kept
def _dialect_of(name: str) -> Dialect:
    loader = botocore.loaders.Loader()
    return Dialect.of(ServiceModel(loader.load_service_model(name, "service-2"), name))
