"""Map (method, path) to an operation of a service model, from its `requestUri` templates."""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import unquote

from botocore.model import OperationModel, ServiceModel

_LABEL = re.compile(r"\{([^}]+)\}")


@dataclass(frozen=True)
class Route:
    method: str
    pattern: re.Pattern[str]
    operation: OperationModel
    # Literal characters in the template: the more, the more specific the route.
    specificity: int


class Router:
    def __init__(self, model: ServiceModel):
        routes = [_route(model.operation_model(name)) for name in model.operation_names]
        routes.sort(key=lambda r: -r.specificity)
        self._by_method: dict[str, list[Route]] = {}
        for route in routes:
            self._by_method.setdefault(route.method, []).append(route)

    def match(self, method: str, raw_path: str) -> tuple[OperationModel, dict[str, str]] | None:
        """The operation for this request and its URI labels, percent-decoded."""
        path = raw_path.rstrip("/") or "/"
        for route in self._by_method.get(method, ()):
            found = route.pattern.fullmatch(path)
            if found:
                labels = {k: unquote(v) for k, v in found.groupdict().items()}
                return route.operation, labels
        return None


def _route(operation: OperationModel) -> Route:
    template = operation.http["requestUri"].split("?", 1)[0].rstrip("/") or "/"
    regex, pos, literal = [], 0, 0
    for label in _LABEL.finditer(template):
        chunk = template[pos : label.start()]
        regex.append(re.escape(chunk))
        literal += len(chunk)
        name = label.group(1)
        greedy = name.endswith("+")
        name = name.rstrip("+")
        regex.append(f"(?P<{name}>{'.+' if greedy else '[^/]+'})")
        pos = label.end()
    tail = template[pos:]
    regex.append(re.escape(tail))
    literal += len(tail)
    return Route(operation.http["method"], re.compile("".join(regex)), operation, literal)
