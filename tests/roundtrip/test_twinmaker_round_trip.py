"""Every TwinMaker export re-imports into an empty workspace and reproduces what it holds."""

from __future__ import annotations

import os

from hypothesis import HealthCheck, Phase, given, settings

from tests.roundtrip.places import Workspace, round_trip
from tests.roundtrip.twinmaker_files import twinmaker_files

# Each example runs jobs on the live server: few examples (many more under `make stress`), the
# same ones on every run, and no shrinking (minutes of jobs for a smaller example; the failing
# one is printed as it is).
ROUND_TRIPS = settings(
    max_examples=60 if os.environ.get("TWINPORT_STRESS") == "1" else 6,
    deadline=None,
    derandomize=True,
    database=None,
    phases=(Phase.explicit, Phase.generate),
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@ROUND_TRIPS
@given(content=twinmaker_files())
def test_a_generated_file_round_trips_through_export(twinport, content):
    round_trip(Workspace, twinport, content)
