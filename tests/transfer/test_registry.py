"""The registry of transfer pairs: one declaration serves Create's checks and the engine."""

from __future__ import annotations

import pytest

from twinport.errors import ServiceError
from twinport.scope import Scope
from twinport.store.jobs import NewJob
from twinport.store.sqlite import SqliteDatabase as Database
from twinport.transfer import states
from twinport.transfer.registry import PAIRS, TWINMAKER, Pair, Registry, ReportPlace


class CopyWorkspace:
    """A transfer of a pair twinport does not have: one workspace into another."""

    def validate(self, env, job, workdir) -> int:
        return 0

    def run(self, env, control, workdir) -> None:
        pass


COPY = CopyWorkspace()
_COPY_PAIR = Pair(
    "iottwinmaker",
    "iottwinmaker",
    TWINMAKER,
    TWINMAKER,
    ReportPlace.WORKSPACE_BUCKET,
    f"{__name__}:COPY",
)
_WORKSPACE = "arn:aws:iottwinmaker:us-east-1:123456789012:workspace/plant"
_SIDE = {"type": "iottwinmaker", "iotTwinMakerConfiguration": {"workspace": _WORKSPACE}}


def test_a_pair_added_to_the_registry_is_accepted_and_run(tmp_path):
    registry = Registry([*PAIRS, _COPY_PAIR])
    assert registry.check_request(_SIDE, _SIDE) is _COPY_PAIR
    with pytest.raises(ServiceError, match="requires iotTwinMakerConfiguration"):
        registry.check_request(_SIDE, {"type": "iottwinmaker"})

    db = Database(tmp_path / "db.sqlite3").open()
    with db.write() as conn:
        new = NewJob(Scope("123456789012", "us-east-1"), "copy-1", None, [_SIDE], _SIDE, "plant")
        job = states.create(conn, new)
    assert registry.of(job) is _COPY_PAIR
    assert registry.transfer(registry.of(job)) is COPY
    assert _COPY_PAIR.report.location(job, "plant-bucket") == (
        "plant-bucket",
        "metadata-transfer-reports/copy-1.json",
    )
    db.close()


def test_the_registry_without_the_pair_refuses_it_naming_what_it_has():
    with pytest.raises(ServiceError) as refused:
        PAIRS.check_request(_SIDE, _SIDE)
    assert refused.value.code == "ValidationException"
    for pair in PAIRS:
        assert str(pair) in refused.value.message


@pytest.mark.parametrize("pair", list(PAIRS), ids=str)
def test_every_declared_pair_has_a_transfer(pair):
    transfer = PAIRS.transfer(pair)
    assert callable(transfer.validate) and callable(transfer.run)
