"""Every SiteWise export re-imports into an empty account and reproduces what it holds, ids
included (the export gives the ids SiteWise generated for resources a file named only by
external id)."""

from __future__ import annotations

from hypothesis import given

from tests.roundtrip.places import SiteWiseAccount, round_trip
from tests.roundtrip.sitewise_files import sitewise_files
from tests.roundtrip.test_twinmaker_round_trip import ROUND_TRIPS


@ROUND_TRIPS
@given(content=sitewise_files())
def test_a_generated_file_round_trips_through_export(twinport, content):
    round_trip(SiteWiseAccount, twinport, content)
