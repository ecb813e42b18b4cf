"""The pytest plugin installed with twinport (entry point `pytest11`): the `twinport` fixture.

Kept apart from `twinport.testing`, so that using `TwinportServer` does not need pytest.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from twinport.testing import TwinportServer


@pytest.fixture(scope="session")
def twinport() -> Iterator[TwinportServer]:
    """One twinport for the whole test session; use `twinport.new_account()` to isolate tests."""
    with TwinportServer() as server:
        yield server
