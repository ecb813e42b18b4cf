"""The nesting limits requests and bulk files share, and the check that finds a breach.

Every layer that walks a request or a bulk item recursively (parsing, validation, the rules,
orjson, which stops at 255 levels) stays far below its limit with them; the deepest real
documents (a DataValue list of maps inside a component's property) stay far below them too.
"""

from __future__ import annotations

# How deep JSON may nest: a request body, or one item of a bulk file.
MAX_JSON_DEPTH = 64
# How many component types may build on one another through extendsFrom (the type included).
MAX_INHERITANCE_DEPTH = 32


def nests_deeper_than(document: object, limit: int) -> bool:
    """Whether `document` nests lists and objects deeper than `limit`, found without recursion."""
    pending = [(document, 1)]
    while pending:
        value, depth = pending.pop()
        if isinstance(value, dict):
            children = value.values()
        elif isinstance(value, list):
            children = value
        else:
            continue
        if depth > limit:
            return True
        pending.extend((child, depth + 1) for child in children)
    return False
