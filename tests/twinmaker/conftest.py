from __future__ import annotations

import pytest

WORKSPACE = "plant"


@pytest.fixture
def account(twinport) -> str:
    return twinport.new_account()


@pytest.fixture
def twinmaker(twinport, account):
    """A TwinMaker client of an account no other test uses."""
    return twinport.client("iottwinmaker", account=account)


@pytest.fixture
def workspace(twinmaker, account) -> str:
    """The id of an empty workspace of the test's own account."""
    twinmaker.create_workspace(
        workspaceId=WORKSPACE,
        s3Location="arn:aws:s3:::plant-bucket",
        role=f"arn:aws:iam::{account}:role/twinmaker",
    )
    return WORKSPACE
