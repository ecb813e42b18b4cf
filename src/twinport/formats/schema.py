"""Declarative JSON-schema building blocks, compiled once into fast checker functions.

A bulk file format describes its item shapes with the nodes below (`String`, `Enum`,
`Integer`, `Number`, `Boolean`, `Array`, `Object`, `Map`, and `Ref` for recursion) in a
dict of named definitions, and compiles it with `compile_definitions`. Each definition
becomes a `Checker`: a plain function `check(value) -> None | list[Problem]` that returns
None when the value is valid (the fast path allocates nothing) and otherwise every problem
found, each as `(path, message)` with `path` relative to the checked value. `render` turns
problems into messages such as
`entities[12].components.temp.properties.x.value.stringValue: length 300 is greater than
maximum 256`.

Semantics follow JSON Schema with the service's reading of it: a pattern must match the
whole string (as Java's `String.matches`), a string's length counts characters, booleans
are not numbers, and an object accepts only the properties it declares unless
`additional=True`.

Speed matters (a file can hold a million items), so each definition gets two checkers: a
fast one that only decides "valid", generated as Python source with every node inlined (a
call only where a `Ref` leads to another definition), and a thorough one, made of a closure
per node and run only when the fast one fails, that collects every problem with its path.
"""

from __future__ import annotations

import re
import sys
from abc import ABC, abstractmethod
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import orjson
import regex

__all__ = [
    "Array",
    "Boolean",
    "Checker",
    "Enum",
    "Integer",
    "Map",
    "Node",
    "Number",
    "Object",
    "Path",
    "Problem",
    "Ref",
    "String",
    "compile_definitions",
    "render",
]

Path = tuple[str | int, ...]
Problem = tuple[Path, str]
Checker = Callable[[Any], list[Problem] | None]

_SHOWN_CHARS = 60
# Strings seen often (component type ids, property names) skip the regex; ids that are all
# different only cost a lookup, and the memo is emptied when full.
_PATTERN_MEMO_SIZE = 4096
_PATTERN_MEMO_MAX_CHARS = 128
_UNBOUNDED = sys.maxsize
_PLAIN_KEY = re.compile(r"[A-Za-z0-9_\-]+")
_ANY_LINE = ".*"


def render(root: str, problems: Sequence[Problem]) -> list[str]:
    """Messages `"<root><path>: <message>"` for problems found in the value at `root`."""
    return [f"{_render_path(root, path)}: {message}" for path, message in problems]


def _render_path(root: str, path: Path) -> str:
    parts = [root]
    for part in path:
        if type(part) is int:
            parts.append(f"[{part}]")
        elif _PLAIN_KEY.fullmatch(part):
            parts.append(f".{part}")
        else:
            parts.append(f"[{orjson.dumps(part).decode()}]")
    return "".join(parts)


def _json_type(value: Any) -> str:
    if value is None:
        return "null"
    if type(value) is bool:
        return "boolean"
    if type(value) is int:
        return "integer"
    if type(value) is float:
        return "number"
    if type(value) is str:
        return "string"
    if type(value) is list:
        return "array"
    if type(value) is dict:
        return "object"
    return type(value).__name__


def _show(value: Any) -> str:
    shown = repr(value)
    if len(shown) <= _SHOWN_CHARS:
        return shown
    if type(value) is str:
        return f"{shown[:_SHOWN_CHARS]}... ({len(value)} characters)"
    return f"{shown[:_SHOWN_CHARS]}..."


def _wrong_type(expected: str, value: Any) -> list[Problem]:
    return [((), f"expected {expected}, got {_json_type(value)}")]


def _one_line(value: str) -> bool:
    return "\n" not in value


class _PatternTest:
    """Full-match test of one pattern, remembering recent answers (see _PATTERN_MEMO_SIZE)."""

    def __init__(self, pattern: str):
        self.memo: dict[str, bool] = {}
        if pattern == _ANY_LINE:
            self.learn = _one_line  # what `.` matches: every character but a newline
            return
        try:
            self._fullmatch = re.compile(pattern).fullmatch
        except re.error:
            # Unicode property classes (\p{L}) need the regex module; re is faster otherwise.
            self._fullmatch = regex.compile(pattern).fullmatch

    def learn(self, value: str) -> bool:
        matched = self._fullmatch(value) is not None
        if len(value) <= _PATTERN_MEMO_MAX_CHARS:
            if len(self.memo) >= _PATTERN_MEMO_SIZE:
                self.memo.clear()
            self.memo[value] = matched
        return matched

    def __call__(self, value: str) -> bool:
        known = self.memo.get(value)
        return self.learn(value) if known is None else known


class Node(ABC):
    """A schema node; `compile_definitions` turns it into a `Checker`."""

    @abstractmethod
    def compile(self, compiler: _Compiler) -> Checker:
        """The thorough checker: every problem, with its path."""

    @abstractmethod
    def emit(self, source: _FastSource, value: str, indent: int) -> None:
        """Statements of the fast check: `return False` unless the variable `value` is valid."""


@dataclass(frozen=True, eq=False)
class String(Node):
    min_length: int = 0
    max_length: int | None = None
    pattern: str | None = None

    def compile(self, compiler: _Compiler) -> Checker:
        min_length, pattern = self.min_length, self.pattern
        max_length = _UNBOUNDED if self.max_length is None else self.max_length
        matches = compiler.pattern_test(pattern) if pattern is not None else None

        def explain(value: Any) -> list[Problem] | None:
            if type(value) is not str:
                return _wrong_type("string", value)
            length = len(value)
            if length < min_length:
                return [((), f"length {length} is less than minimum {min_length}")]
            if length > max_length:
                return [((), f"length {length} is greater than maximum {max_length}")]
            if matches is not None and not matches(value):
                return [((), f"{_show(value)} does not match pattern {pattern}")]
            return None

        if matches is None:

            def check_string(value: Any) -> list[Problem] | None:
                if type(value) is str and min_length <= len(value) <= max_length:
                    return None
                return explain(value)

        else:
            remembered, learn = matches.memo.get, matches.learn

            def check_string(value: Any) -> list[Problem] | None:
                if type(value) is str and min_length <= len(value) <= max_length:
                    known = remembered(value)
                    if known is None:
                        known = learn(value)
                    if known:
                        return None
                return explain(value)

        return check_string

    def emit(self, source: _FastSource, value: str, indent: int) -> None:
        condition = f"type({value}) is not str"
        if self.min_length > 0 or self.max_length is not None:
            high = _UNBOUNDED if self.max_length is None else self.max_length
            condition += f" or not {self.min_length} <= len({value}) <= {high}"
        source.line(indent, f"if {condition}: return False")
        if self.pattern is not None:
            test = source.compiler.pattern_test(self.pattern)
            known = source.name()
            source.line(indent, f"{known} = {source.constant(test.memo.get)}({value})")
            source.line(
                indent, f"if {known} is None: {known} = {source.constant(test.learn)}({value})"
            )
            source.line(indent, f"if not {known}: return False")


@dataclass(frozen=True, eq=False)
class Enum(Node):
    values: tuple[Any, ...]

    def compile(self, compiler: _Compiler) -> Checker:
        allowed = frozenset(self.values)
        allowed_types = frozenset(type(v) for v in self.values)
        listed = ", ".join(str(v) for v in self.values)

        def check_enum(value: Any) -> list[Problem] | None:
            if type(value) in allowed_types and value in allowed:
                return None
            return [((), f"{_show(value)} is not one of {listed}")]

        return check_enum

    def emit(self, source: _FastSource, value: str, indent: int) -> None:
        types = source.constant(frozenset(type(v) for v in self.values))
        allowed = source.constant(frozenset(self.values))
        source.line(
            indent, f"if type({value}) not in {types} or {value} not in {allowed}: return False"
        )


def _range_problem(value: Any, minimum: Any, maximum: Any) -> list[Problem] | None:
    if minimum is not None and value < minimum:
        return [((), f"{value} is less than minimum {minimum}")]
    if maximum is not None and value > maximum:
        return [((), f"{value} is greater than maximum {maximum}")]
    return None


@dataclass(frozen=True, eq=False)
class Integer(Node):
    """A JSON number without fraction or exponent (read as `int`)."""

    minimum: int | None = None
    maximum: int | None = None

    def compile(self, compiler: _Compiler) -> Checker:
        minimum, maximum = self.minimum, self.maximum
        low = -float("inf") if minimum is None else minimum
        high = float("inf") if maximum is None else maximum

        def check_integer(value: Any) -> list[Problem] | None:
            if type(value) is int and low <= value <= high:
                return None
            if type(value) is not int:
                return _wrong_type("integer", value)
            return _range_problem(value, minimum, maximum)

        return check_integer

    def emit(self, source: _FastSource, value: str, indent: int) -> None:
        bounds = _bounds(source, self.minimum, self.maximum, value)
        source.line(indent, f"if type({value}) is not int or not {bounds}: return False")


@dataclass(frozen=True, eq=False)
class Number(Node):
    minimum: float | None = None
    maximum: float | None = None

    def compile(self, compiler: _Compiler) -> Checker:
        minimum, maximum = self.minimum, self.maximum
        low = -float("inf") if minimum is None else minimum
        high = float("inf") if maximum is None else maximum

        def check_number(value: Any) -> list[Problem] | None:
            if (type(value) is float or type(value) is int) and low <= value <= high:
                return None
            if type(value) is not float and type(value) is not int:
                return _wrong_type("number", value)
            return _range_problem(value, minimum, maximum)

        return check_number

    def emit(self, source: _FastSource, value: str, indent: int) -> None:
        bounds = _bounds(source, self.minimum, self.maximum, value)
        number = f"(type({value}) is float or type({value}) is int)"
        source.line(indent, f"if not {number} or not {bounds}: return False")


@dataclass(frozen=True, eq=False)
class Boolean(Node):
    def compile(self, compiler: _Compiler) -> Checker:
        def check_boolean(value: Any) -> list[Problem] | None:
            if type(value) is not bool:
                return _wrong_type("boolean", value)
            return None

        return check_boolean

    def emit(self, source: _FastSource, value: str, indent: int) -> None:
        source.line(indent, f"if type({value}) is not bool: return False")


def _prefixed(key: str | int, problems: list[Problem]) -> list[Problem]:
    return [((key, *path), message) for path, message in problems]


def _unique_key(item: Any) -> Any:
    # Strings compare as themselves; anything else by its canonical JSON text, which also
    # keeps true and 1 apart as JSON equality does.
    if type(item) is str:
        return item
    return orjson.dumps(item, option=orjson.OPT_SORT_KEYS)


@dataclass(frozen=True, eq=False)
class Array(Node):
    items: Node
    min_items: int = 0
    max_items: int | None = None
    unique: bool = False

    def compile(self, compiler: _Compiler) -> Checker:
        check_item = compiler.compile(self.items)
        min_items, unique = self.min_items, self.unique
        max_items = _UNBOUNDED if self.max_items is None else self.max_items

        def explain(value: Any) -> list[Problem] | None:
            if type(value) is not list:
                return _wrong_type("array", value)
            count = len(value)
            if count < min_items:
                return [((), f"has {count} items, fewer than the minimum {min_items}")]
            if count > max_items:
                return [((), f"has {count} items, more than the maximum {max_items}")]
            problems: list[Problem] = []
            first_seen: dict[Any, int] = {}
            for index, item in enumerate(value):
                found = check_item(item)
                if found is not None:
                    problems += _prefixed(index, found)
                elif unique:
                    earlier = first_seen.setdefault(_unique_key(item), index)
                    if earlier != index:
                        problems.append(((index,), f"repeats item {earlier}; items must be unique"))
            return problems or None

        def check_array(value: Any) -> list[Problem] | None:
            if type(value) is not list or not min_items <= len(value) <= max_items:
                return explain(value)
            for item in value:
                if check_item(item) is not None:
                    return explain(value)
            if unique:
                try:
                    distinct = len(set(value)) == len(value)
                except TypeError:  # unhashable items: let the thorough pass compare them
                    distinct = False
                if not distinct:
                    return explain(value)
            return None

        return check_array

    def emit(self, source: _FastSource, value: str, indent: int) -> None:
        condition = f"type({value}) is not list"
        if self.min_items > 0 or self.max_items is not None:
            high = _UNBOUNDED if self.max_items is None else self.max_items
            condition += f" or not {self.min_items} <= len({value}) <= {high}"
        source.line(indent, f"if {condition}: return False")
        item = source.name()
        source.line(indent, f"for {item} in {value}:")
        self.items.emit(source, item, indent + 1)
        if self.unique:
            distinct = source.name()
            # Unhashable items, or items a set deems equal (true and 1): the thorough pass decides.
            source.line(indent, "try:")
            source.line(indent + 1, f"{distinct} = len(set({value})) == len({value})")
            source.line(indent, "except TypeError:")
            source.line(indent + 1, "return False")
            source.line(indent, f"if not {distinct}: return False")


@dataclass(frozen=True, eq=False)
class Object(Node):
    """An object with declared properties.

    `required`: properties that must be present. `require_any`: groups of alternatives, at
    least one property of each group must be present (JSON Schema's anyOf of required).
    `additional`: accept undeclared properties (unchecked).
    """

    properties: Mapping[str, Node]
    required: tuple[str, ...] = ()
    require_any: tuple[tuple[str, ...], ...] = ()
    additional: bool = False

    def compile(self, compiler: _Compiler) -> Checker:
        checkers = {name: compiler.compile(node) for name, node in self.properties.items()}
        get_checker = checkers.get
        required = frozenset(self.required)
        required_order = self.required
        require_any = tuple(frozenset(group) for group in self.require_any)
        require_any_listed = [", ".join(map(repr, group)) for group in self.require_any]
        additional = self.additional

        def explain(value: Any) -> list[Problem] | None:
            if type(value) is not dict:
                return _wrong_type("object", value)
            problems: list[Problem] = []
            for key, item in value.items():
                check = get_checker(key)
                if check is not None:
                    found = check(item)
                    if found is not None:
                        problems += _prefixed(key, found)
                elif not additional:
                    problems.append(((), f"unexpected property {key!r}"))
            problems += [
                ((), f"missing required property {name!r}")
                for name in required_order
                if name not in value
            ]
            for group, listed in zip(require_any, require_any_listed, strict=True):
                if value.keys().isdisjoint(group):
                    problems.append(((), f"needs one of the properties {listed}"))
            return problems or None

        def check_object(value: Any) -> list[Problem] | None:
            if type(value) is not dict:
                return explain(value)
            for key, item in value.items():
                check = get_checker(key)
                if check is None:
                    if not additional:
                        return explain(value)
                elif check(item) is not None:
                    return explain(value)
            if required and not value.keys() >= required:
                return explain(value)
            for group in require_any:
                if value.keys().isdisjoint(group):
                    return explain(value)
            return None

        return check_object

    def emit(self, source: _FastSource, value: str, indent: int) -> None:
        source.line(indent, f"if type({value}) is not dict: return False")
        key, item = source.name(), source.name()
        source.line(indent, f"for {key}, {item} in {value}.items():")
        keyword = "if"
        for name, node in self.properties.items():
            source.line(indent + 1, f"{keyword} {key} == {name!r}:")
            node.emit(source, item, indent + 2)
            keyword = "elif"
        if not self.additional:
            if self.properties:
                source.line(indent + 1, "else:")
                source.line(indent + 2, "return False")
            else:
                source.line(indent + 1, "return False")
        elif not self.properties:
            source.line(indent + 1, "pass")
        if self.required:
            required = source.constant(frozenset(self.required))
            source.line(indent, f"if not {value}.keys() >= {required}: return False")
        for group in self.require_any:
            names = source.constant(frozenset(group))
            source.line(indent, f"if {value}.keys().isdisjoint({names}): return False")


@dataclass(frozen=True, eq=False)
class Map(Node):
    """An object used as a map: any keys (optionally checked by `keys`), uniform values."""

    values: Node
    keys: String | None = None
    min_entries: int = 0
    max_entries: int | None = None

    def compile(self, compiler: _Compiler) -> Checker:
        check_value = compiler.compile(self.values)
        check_key = compiler.compile(self.keys) if self.keys is not None else None
        min_entries = self.min_entries
        max_entries = _UNBOUNDED if self.max_entries is None else self.max_entries

        def explain(value: Any) -> list[Problem] | None:
            if type(value) is not dict:
                return _wrong_type("object", value)
            count = len(value)
            if count < min_entries:
                return [((), f"has {count} entries, fewer than the minimum {min_entries}")]
            if count > max_entries:
                return [((), f"has {count} entries, more than the maximum {max_entries}")]
            problems: list[Problem] = []
            for key, item in value.items():
                bad_key = check_key(key) if check_key is not None else None
                if bad_key is not None:
                    problems += [((), f"key {_show(key)}: {message}") for _, message in bad_key]
                found = check_value(item)
                if found is not None:
                    problems += _prefixed(key, found)
            return problems or None

        def check_map(value: Any) -> list[Problem] | None:
            if type(value) is not dict or not min_entries <= len(value) <= max_entries:
                return explain(value)
            for key, item in value.items():
                if check_value(item) is not None or (
                    check_key is not None and check_key(key) is not None
                ):
                    return explain(value)
            return None

        return check_map

    def emit(self, source: _FastSource, value: str, indent: int) -> None:
        condition = f"type({value}) is not dict"
        if self.min_entries > 0 or self.max_entries is not None:
            high = _UNBOUNDED if self.max_entries is None else self.max_entries
            condition += f" or not {self.min_entries} <= len({value}) <= {high}"
        source.line(indent, f"if {condition}: return False")
        key, item = source.name(), source.name()
        source.line(indent, f"for {key}, {item} in {value}.items():")
        if self.keys is not None:
            self.keys.emit(source, key, indent + 1)
        self.values.emit(source, item, indent + 1)


@dataclass(frozen=True, eq=False)
class Ref(Node):
    """The named definition; how a definition refers to itself or to one defined later."""

    name: str

    def compile(self, compiler: _Compiler) -> Checker:
        return compiler.definition(self.name)

    def emit(self, source: _FastSource, value: str, indent: int) -> None:
        source.reference(self.name, value, indent)


def _bounds(source: _FastSource, minimum: Any, maximum: Any, value: str) -> str:
    low = source.constant(-float("inf") if minimum is None else minimum)
    high = source.constant(float("inf") if maximum is None else maximum)
    return f"{low} <= {value} <= {high}"


@dataclass
class _Compiler:
    definitions: Mapping[str, Node]
    compiled: dict[str, Checker] = field(default_factory=dict)
    _compiling: set[str] = field(default_factory=set)
    _by_node: dict[int, Checker] = field(default_factory=dict)
    _patterns: dict[str, _PatternTest] = field(default_factory=dict)

    def pattern_test(self, pattern: str) -> _PatternTest:
        """One test (and memo) per pattern, shared by the fast and the thorough checkers."""
        test = self._patterns.get(pattern)
        if test is None:
            test = self._patterns[pattern] = _PatternTest(pattern)
        return test

    def compile(self, node: Node) -> Checker:
        # A node object reused in several places is compiled once.
        checker = self._by_node.get(id(node))
        if checker is None:
            checker = self._by_node[id(node)] = node.compile(self)
        return checker

    def definition(self, name: str) -> Checker:
        if name in self.compiled:
            return self.compiled[name]
        if name not in self.definitions:
            raise KeyError(f"reference to an undefined schema definition {name!r}")
        if name in self._compiling:
            return self._late_bound(name)
        self._compiling.add(name)
        checker = self.compiled[name] = self.compile(self.definitions[name])
        self._compiling.discard(name)
        return checker

    def _late_bound(self, name: str) -> Checker:
        compiled = self.compiled

        # A definition that refers to itself: looked up when called, once it is compiled.
        def check_reference(value: Any) -> list[Problem] | None:
            return compiled[name](value)

        return check_reference


class _FastSource:
    """The source of one module holding the fast check of every definition, one function each.

    Constants (pattern memos, sets of names) are passed in as globals of the module, so the
    source never holds a value of the schema except property names, written with `repr`.
    """

    def __init__(self, compiler: _Compiler):
        self.compiler = compiler
        self.lines: list[str] = []
        self.constants: dict[str, Any] = {}
        self._functions = {name: f"_fast{i}" for i, name in enumerate(compiler.definitions)}
        self._inlining: list[str] = []
        self._names = 0

    def line(self, indent: int, text: str) -> None:
        self.lines.append("    " * indent + text)

    def name(self) -> str:
        self._names += 1
        return f"v{self._names}"

    def constant(self, value: Any) -> str:
        name = f"_c{len(self.constants)}"
        self.constants[name] = value
        return name

    def reference(self, definition: str, value: str, indent: int) -> None:
        """A definition's check inlined, or a call to its function where it recurs."""
        if definition in self._inlining:
            self.line(indent, f"if not {self._functions[definition]}({value}): return False")
            return
        self._inlining.append(definition)
        self.compiler.definitions[definition].emit(self, value, indent)
        self._inlining.pop()

    def functions(self) -> dict[str, Callable[[Any], bool]]:
        for definition, function in self._functions.items():
            value = self.name()
            self.line(0, f"def {function}({value}):")
            self.reference(definition, value, 1)
            self.line(1, "return True")
        namespace = dict(self.constants)
        exec(compile("\n".join(self.lines), "<schema fast checks>", "exec"), namespace)  # noqa: S102
        return {definition: namespace[function] for definition, function in self._functions.items()}


def _checker(fast: Callable[[Any], bool], thorough: Checker) -> Checker:
    def check(value: Any) -> list[Problem] | None:
        if fast(value):
            return None
        return thorough(value)

    return check


def compile_definitions(definitions: Mapping[str, Node]) -> dict[str, Checker]:
    """Compile every named definition; `Ref(name)` nodes resolve among them."""
    compiler = _Compiler(definitions)
    thorough = {name: compiler.definition(name) for name in definitions}
    fast = _FastSource(compiler).functions()
    return {name: _checker(fast[name], thorough[name]) for name in definitions}
