"""What an API process loads once started, rather than in the first requests that need it.

The first Get of a finished job and the first S3 request each waited 50-110 ms for an S3
service model; the gateway loads both on a thread after start-up, and freezes them for the
collector as start-up does with its imports. Timings belong to `make bench`; this checks what
the thread leaves behind, in a process of its own (start-up changes the collector).
"""

from __future__ import annotations

import subprocess
import sys

import orjson

_STARTED = """
import gc, sys, threading
import orjson
from moto.core.utils import get_service_model
from twinport.app import create_app
from twinport.config import Settings
from twinport.s3 import client

gateway = create_app(Settings.from_env({}, data_dir=sys.argv[1]))
gateway.start()
try:
    for thread in threading.enumerate():
        if thread.name == "twinport-warm-up":
            thread.join(60)
    loaded = {
        "moto": get_service_model.cache_info().currsize,
        "boto3": client._session.cache_info().currsize,
    }
    tracked = {id(o) for o in gc.get_objects()}  # frozen objects are not among them
    frozen = {
        "moto": id(get_service_model("s3")) not in tracked,
        "boto3": id(client._session()) not in tracked,
    }
    print(orjson.dumps({"loaded": loaded, "frozen": frozen}).decode())
finally:
    gateway.stop()
"""


def test_an_api_process_loads_the_s3_models_once_started_and_freezes_them(tmp_path):
    result = subprocess.run(
        [sys.executable, "-c", _STARTED, str(tmp_path / "data")],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    facts = orjson.loads(result.stdout.strip().splitlines()[-1])
    # No request was made: only the warm-up can have loaded them.
    assert facts["loaded"] == {"moto": 1, "boto3": 1}
    assert facts["frozen"] == {"moto": True, "boto3": True}
