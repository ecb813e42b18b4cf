from __future__ import annotations

import pytest


@pytest.fixture
def sitewise(twinport):
    """A SiteWise client of an account no other test uses."""
    return twinport.client("iotsitewise", account=twinport.new_account())
