"""Tag changes both services share, and their limit: at most 50 tags on a resource."""

from __future__ import annotations

from collections.abc import Iterable

from twinport.errors import ServiceError

MAX_TAGS = 50


def with_added(current: dict[str, str], added: dict[str, str], resource_arn: str, **fields) -> dict:
    """`current` with `added` set on it; TooManyTagsException (with the service's own `fields`)
    when the resource would hold more than MAX_TAGS."""
    merged = current | added
    if len(merged) > MAX_TAGS:
        raise ServiceError(
            "TooManyTagsException",
            f"Resource {resource_arn} would have {len(merged)} tags: at most {MAX_TAGS} are"
            " allowed.",
            **fields,
        )
    return merged


def without(current: dict[str, str], keys: Iterable[str]) -> dict[str, str]:
    """`current` without the tags of these keys; keys it does not have are ignored."""
    removed = set(keys)
    return {k: v for k, v in current.items() if k not in removed}
