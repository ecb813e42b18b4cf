"""Small steps the TwinMaker tests share."""

from __future__ import annotations

import pytest
from botocore.exceptions import ClientError


def refused(call, *args, **kwargs) -> tuple[str, str]:
    """The (code, message) of the error the call must raise."""
    with pytest.raises(ClientError) as excinfo:
        call(*args, **kwargs)
    error = excinfo.value.response["Error"]
    return error["Code"], error["Message"]


def all_pages(call, key: str, **kwargs) -> tuple[list, int]:
    """Every item of a paginated list, and how many pages it took."""
    items, token, pages = [], None, 0
    while True:
        page = call(**kwargs, **({"nextToken": token} if token else {}))
        items += page[key]
        pages += 1
        token = page.get("nextToken")
        if not token:
            return items, pages
