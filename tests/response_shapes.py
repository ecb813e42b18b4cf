"""Every JSON answer a test receives, held against botocore's model of it.

AWS omits an absent member rather than sending `null`, and never sends a member its output
shape lacks; an error answer names one of the service's own error shapes. boto3 itself
forgives all of that, so a client hook checks each answer before boto3 parses it and keeps what
it finds; the suite's autouse fixture fails the test that received a bad answer.
"""

from __future__ import annotations

import orjson
from botocore.model import OperationModel, Shape

_JSON_PROTOCOLS = ("rest-json", "json")
# The errors AWS lists as common to every API ("Common Errors"): its front end answers them
# for a request's signature before any operation, so no service's model lists them.
# twinport's answer for a service it does not serve: no model of that service can list it.
_UNSERVED_SERVICE = "UnknownServiceException"
_COMMON_ERRORS = frozenset(
    {
        "IncompleteSignature",
        "InvalidSignatureException",
        "MissingAuthenticationTokenException",
        "UnrecognizedClientException",
    }
)


class ResponseShapes:
    def __init__(self) -> None:
        self.checked = 0
        self.violations: list[str] = []

    def hook(self, operation_model: OperationModel, response_dict: dict, **_: object) -> None:
        """The `before-parse` handler botocore calls with each raw answer."""
        model = operation_model.service_model
        if model.protocol not in _JSON_PROTOCOLS or response_dict.get("body") is None:
            return
        if operation_model.has_streaming_output:
            return
        self.checked += 1
        where = f"{model.service_name} {operation_model.name}"
        status = response_dict["status_code"]
        try:
            body = orjson.loads(response_dict["body"] or b"{}")
        except orjson.JSONDecodeError:
            self.violations.append(f"{where}: the body is not JSON")
            return
        if status >= 300:
            self._check_error(where, model, response_dict["headers"], body)
        elif operation_model.output_shape is not None:
            self._check(where, operation_model.output_shape, body, "")

    def _check_error(self, where: str, model, headers, body: object) -> None:
        code = (headers.get("x-amzn-errortype") or "").split(":")[0]
        if code in _COMMON_ERRORS or code == _UNSERVED_SERVICE:
            return
        shape = next((s for s in model.error_shapes if s.name == code), None)
        if shape is None:
            self.violations.append(f"{where}: error {code!r} is not an error shape of the model")
            return
        self._check(where, shape, body, "")

    def _check(self, where: str, shape: Shape, value: object, path: str) -> None:
        if value is None:
            self.violations.append(f"{where}: null at {path or 'the body'}")
            return
        kind = shape.type_name
        if kind == "structure":
            if not isinstance(value, dict):
                self.violations.append(f"{where}: {path or 'the body'} is not an object")
                return
            members = {
                name: member
                for name, member in shape.members.items()
                if member.serialization.get("location") in (None, "body")
            }
            for name, item in value.items():
                if name not in members:
                    # Error bodies may carry the error type beside the message, as AWS's do.
                    if name not in ("__type", "code") or "error" not in shape.metadata:
                        self.violations.append(f"{where}: {path}{name} is not in {shape.name}")
                    continue
                self._check(where, members[name], item, f"{path}{name}.")
        elif kind == "list":
            if not isinstance(value, list):
                self.violations.append(f"{where}: {path} is not a list")
                return
            for index, item in enumerate(value):
                self._check(where, shape.member, item, f"{path}[{index}].")
        elif kind == "map":
            if not isinstance(value, dict):
                self.violations.append(f"{where}: {path} is not a map")
                return
            for key, item in value.items():
                self._check(where, shape.value, item, f"{path}{key}.")
