"""Fuzzed requests built from botocore's input shapes, and the client that sends them.

A request is a parameter dict boto3 can serialize (mostly valid: members near their length
limits, enum values, patterns where they are simple, ids of resources that exist) and, often,
a mutation of the JSON body on its way out, for what boto3 would never send: a wrong JSON type,
a missing or extra member, deep nesting, a huge string or list. Mutations act on the serialized
body, so they reach every member of every operation without knowing its shape.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, fields

import boto3
from botocore import xform_name
from botocore.config import Config
from botocore.exceptions import ClientError
from botocore.model import OperationModel, Shape
from hypothesis import strategies as st

from tests.response_shapes import ResponseShapes

# Deeper than the front end's 64 levels, so that both sides of the limit are tried.
MAX_DEPTH = 100
# Below this depth a shape gets its optional members; deeper, only the required ones, so that
# recursive shapes (DataValue holds DataValues) end.
_FULL_DEPTH = 4
_HUGE_STRINGS = (10_000, 100_000, 1_000_000)
_HUGE_LISTS = (1_000, 10_000, 100_000)
# A mutated body stays under the 10 MiB limit: past it, nothing but the limit is tested.
_MAX_BODY = 9 << 20
# Values in a URL or header reach past the server's 16 KiB limit on URLs, and stay under its
# 1 MiB of headers, past which no service is known yet to answer in its protocol.
_MAX_LOCATED = 100_000
_WRONG_TYPES = (None, True, 0, -1, 1.5, 1e300, 2**63, 2**64, "", "x", [], {}, [1], {"a": 1})
_TIMESTAMP_RANGE = (dt.datetime(1970, 1, 2), dt.datetime(2200, 1, 1))


@dataclass(frozen=True)
class Mutation:
    """Where in the body (each step picks a child, modulo their count) and what to do there."""

    steps: tuple[int, ...]
    kind: str
    choice: int


@dataclass(frozen=True)
class FuzzedRequest:
    params: dict
    mutation: Mutation | None


def requests(
    operation: OperationModel, known: Mapping[str, Sequence[str]]
) -> st.SearchStrategy[FuzzedRequest]:
    """Requests of `operation`; `known` gives values by member name, e.g. existing ids."""
    shape = operation.input_shape
    params = _Inputs(known).structure(shape, 0, top=True) if shape else st.just({})
    # One request in four has its body mutated.
    mutated = st.one_of(st.none(), st.none(), st.none(), mutations())
    return st.builds(FuzzedRequest, params, mutated)


def mutations() -> st.SearchStrategy[Mutation]:
    return st.builds(
        Mutation,
        st.lists(st.integers(0, 50), max_size=8).map(tuple),
        st.sampled_from(("type", "drop", "extra", "huge_string", "huge_list", "deep")),
        st.integers(0, 1000),
    )


class _Inputs:
    def __init__(self, known: Mapping[str, Sequence[str]]):
        self.known = known

    def value(self, shape: Shape, name: str, depth: int, location: str | None) -> st.SearchStrategy:
        kind = shape.type_name
        if kind == "structure":
            return self.structure(shape, depth)
        if kind == "list":
            low, high = _list_size(shape, depth)
            if not high:
                return st.just([])
            items = self.value(shape.member, name, depth + 1, location)
            return st.lists(items, min_size=low, max_size=high)
        if kind == "map":
            if depth >= _FULL_DEPTH:
                return st.just({})
            keys = self.value(shape.key, name, depth + 1, location)
            values = self.value(shape.value, name, depth + 1, location)
            return st.dictionaries(keys, values, max_size=3)
        if kind == "string":
            return self.string(shape, name, location)
        if kind in ("integer", "long"):
            return _numbers(shape, st.integers)
        if kind in ("float", "double"):
            return _numbers(shape, st.floats) | st.sampled_from((float("nan"), float("inf")))
        if kind == "boolean":
            return st.booleans()
        if kind == "timestamp":
            return st.datetimes(*_TIMESTAMP_RANGE, timezones=st.just(dt.UTC))
        if kind == "blob":
            return st.binary(max_size=64)
        return st.none()

    def structure(self, shape: Shape, depth: int, top: bool = False) -> st.SearchStrategy:
        if shape.metadata.get("document"):
            return st.dictionaries(st.text(max_size=8), st.integers() | st.text(max_size=8))
        required = set(shape.required_members) | {
            name for name, member in shape.members.items() if top and _in_uri(member)
        }
        # Deep down only the required members: building the others would never end.
        members = {
            name: self.value(member, name, depth + 1, _location(member) if top else None)
            for name, member in shape.members.items()
            if depth < _FULL_DEPTH or name in required
        }
        if shape.metadata.get("union"):
            return st.one_of(
                [value.map(lambda v, n=name: {n: v}) for name, value in members.items()]
            )
        optional = {n: s for n, s in members.items() if n not in required}
        plain = st.fixed_dictionaries({n: members[n] for n in required}, optional=optional)
        cycle = _cycle(shape)
        if cycle is None or depth:
            return plain
        return plain | st.builds(_nest, plain, st.just(cycle), st.integers(1, MAX_DEPTH))

    def string(self, shape: Shape, name: str, location: str | None) -> st.SearchStrategy:
        # An empty URI label would make the path another operation's (`/asset-models/`).
        low = shape.metadata.get("min", 0) or (1 if location == "uri" else 0)
        high = shape.metadata.get("max", 1_000_000)
        if location is not None:
            # Printable ASCII, short: http.client sends no other header, and a server refuses
            # a huge request line before any service sees it.
            high = min(high, _MAX_LOCATED)
            alphabet = st.characters(min_codepoint=32, max_codepoint=126)
        else:
            alphabet = st.characters()
        lengths = {low, high, high + 1} | ({low - 1} if low > (location == "uri") else set())
        hostile = [
            st.text(alphabet, min_size=low, max_size=min(high, low + 40)),
            st.sampled_from(sorted(lengths)).map(lambda n: "a" * n),
        ]
        # Mostly values that pass the front end, so that the rules behind it are reached too.
        pattern = shape.metadata.get("pattern")
        if self.known.get(name):
            valid = st.sampled_from(self.known[name])
        elif shape.enum:
            valid = st.sampled_from(shape.enum)
        elif pattern and _simple(pattern):
            valid = st.from_regex(pattern, fullmatch=True).map(lambda s: s[:high])
        else:
            return st.one_of(hostile)
        return st.one_of([valid] * 6 + hostile)


def _list_size(shape: Shape, depth: int) -> tuple[int, int]:
    """A few items near the minimum; deep down, the fewest the shape allows."""
    low = shape.metadata.get("min", 0)
    high = shape.metadata.get("max", low + 3)
    return low, min(high, low + 3) if depth < _FULL_DEPTH else low


def _numbers(shape: Shape, make) -> st.SearchStrategy:
    low, high = shape.metadata.get("min"), shape.metadata.get("max")
    edges = [v for bound in (low, high) if bound is not None for v in (bound - 1, bound, bound + 1)]
    return make(low, high) | make() | st.sampled_from(edges or [0])


def _simple(pattern: str) -> bool:
    """A pattern Python's `re` reads as Java does, and quick for from_regex to satisfy."""
    if len(pattern) > 120 or "\\p" in pattern or "(?" in pattern:
        return False
    try:
        re.compile(pattern)
    except re.error:
        return False
    return True


def _location(member: Shape) -> str | None:
    return member.serialization.get("location")


def _in_uri(member: Shape) -> bool:
    # boto3 cannot render a URI without its labels: they are always sent.
    return _location(member) == "uri"


def _cycle(shape: Shape) -> tuple[str | int, ...] | None:
    """A path of member names and list indexes that leads from `shape` back to itself."""
    pending: list[tuple[Shape, tuple[str | int, ...]]] = [(shape, ())]
    seen = set()
    while pending:
        current, path = pending.pop(0)
        for step, child in _children(current):
            if child.name == shape.name:
                return (*path, step)
            if child.name not in seen:
                seen.add(child.name)
                pending.append((child, (*path, step)))
    return None


def _children(shape: Shape) -> list[tuple[str | int, Shape]]:
    if shape.type_name == "structure":
        return list(shape.members.items())
    if shape.type_name == "list":
        return [(0, shape.member)]
    if shape.type_name == "map":
        return [("k", shape.value)]
    return []


def _nest(bottom: dict, cycle: tuple[str | int, ...], levels: int) -> dict:
    """`levels` copies of a recursive shape, each holding the next along `cycle`."""
    value = bottom
    for _ in range(levels):
        for step in reversed(cycle):
            value = [value] if isinstance(step, int) else {step: value}
    return value


def mutate(body: bytes, mutation: Mutation) -> bytes:
    """The body with one part of its JSON replaced, dropped or added to."""
    # The standard json module, unlike orjson, carries NaN and integers past 64 bits.
    try:
        document = json.loads(body) if body else {}
    except ValueError:
        return body
    holder = [document]
    parent: list | dict = holder
    key: int | str = 0
    for step in mutation.steps:
        node = parent[key]
        if isinstance(node, dict) and node:
            parent, key = node, sorted(node)[step % len(node)]
        elif isinstance(node, list) and node:
            parent, key = node, step % len(node)
        else:
            break
    _apply(parent, key, mutation)
    return json.dumps(holder[0]).encode()


def _apply(parent: list | dict, key: int | str, mutation: Mutation) -> None:
    node, choice = parent[key], mutation.choice
    if mutation.kind == "type":
        parent[key] = _WRONG_TYPES[choice % len(_WRONG_TYPES)]
    elif mutation.kind == "drop":
        if isinstance(node, dict) and node:
            del node[sorted(node)[choice % len(node)]]
        elif isinstance(parent, dict):
            del parent[key]
    elif mutation.kind == "extra":
        target = node if isinstance(node, dict) else parent
        if isinstance(target, dict):
            target[f"extra{choice}"] = _WRONG_TYPES[choice % len(_WRONG_TYPES)]
    elif mutation.kind == "huge_string":
        size = _HUGE_STRINGS[choice % len(_HUGE_STRINGS)]
        parent[key] = ("é" if choice % 2 else "x") * size
    elif mutation.kind == "huge_list":
        item_size = len(json.dumps(node)) + 1
        count = min(_HUGE_LISTS[choice % len(_HUGE_LISTS)], _MAX_BODY // item_size)
        parent[key] = [node] * count
    elif mutation.kind == "deep":
        for _ in range(MAX_DEPTH):
            node = [node] if choice % 2 else {"a": node}
        parent[key] = node


@dataclass
class Answer:
    status: int
    error: str | None  # the error shape the answer names, None for a success


# One session for every client: each new session would load the service models again.
_SESSION = boto3.session.Session()


def raw_client(url: str, service: str, account: str):
    """A client that skips boto3's own checks and retries, and waits 10 s for an answer."""
    return _SESSION.client(
        service,
        endpoint_url=url,
        region_name="us-east-1",
        aws_access_key_id=account,
        aws_secret_access_key="secret",
        config=Config(
            parameter_validation=False,
            inject_host_prefix=False,
            s3={"addressing_style": "path"},
            retries={"max_attempts": 1},
            connect_timeout=10,
            read_timeout=10,
        ),
    )


class Fuzzer:
    """A raw client of one service that sends fuzzed requests and checks each answer."""

    def __init__(self, url: str, service: str, account: str):
        self.client = raw_client(url, service, account)
        self.model = self.client.meta.service_model
        self.error_shapes = frozenset(shape.name for shape in self.model.error_shapes)
        self.shapes = ResponseShapes()
        self._mutation: Mutation | None = None
        events = self.client.meta.events
        events.register("before-sign", self._mutate_body)
        events.register("before-parse", self.shapes.hook)

    def send(self, operation: OperationModel, request: FuzzedRequest) -> Answer:
        method = getattr(self.client, xform_name(operation.name))
        self._mutation = request.mutation
        try:
            response = method(**request.params)
        except ClientError as error:
            meta = error.response["ResponseMetadata"]
            return Answer(meta["HTTPStatusCode"], error.response["Error"]["Code"])
        finally:
            self._mutation = None
        return Answer(response["ResponseMetadata"]["HTTPStatusCode"], None)

    def modeled(self, answer: Answer) -> bool:
        return answer.error is None or answer.error in self.error_shapes

    def _mutate_body(self, request, **_: object) -> None:
        if self._mutation is not None:
            body = request.data if isinstance(request.data, bytes) else request.data.encode()
            request.data = mutate(body, self._mutation)


@dataclass
class Count:
    sent: int = 0
    succeeded: int = 0
    server_errors: int = 0
    unmodeled: int = 0

    def row(self, name: str, width: int) -> str:
        numbers = (self.sent, self.succeeded, self.server_errors, self.unmodeled)
        return f"{name:<{width}}" + "".join(f"{n:>13}" for n in numbers)


class Tally:
    """What the fuzzer sent per operation and what came back, for the stress table."""

    def __init__(self) -> None:
        self.counts: dict[str, Count] = {}

    def add(self, operation: str, answer: Answer, modeled: bool) -> None:
        count = self.counts.setdefault(operation, Count())
        count.sent += 1
        count.succeeded += answer.status < 300
        count.server_errors += answer.status >= 500
        count.unmodeled += not modeled

    def table(self) -> list[str]:
        width = max(len(name) for name in self.counts) + 2
        header = "".join(f"{title:>13}" for title in ("sent", "succeeded", "5xx", "non-modeled"))
        total = Count()
        for count in self.counts.values():
            for field in fields(Count):
                setattr(total, field.name, getattr(total, field.name) + getattr(count, field.name))
        rows = [count.row(name, width) for name, count in sorted(self.counts.items())]
        return [f"{'operation':<{width}}{header}", *rows, total.row("total", width)]


TALLY = Tally()
