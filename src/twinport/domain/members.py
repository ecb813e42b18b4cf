"""Documents with only the members that have a value.

AWS omits an absent member rather than sending `null`, in answers and in exported files alike.
"""

from __future__ import annotations


def compact(**fields: object) -> dict:
    return {name: value for name, value in fields.items() if value is not None}
