"""Run the scripts of this folder (AWS SDK for JavaScript v3) under Node, as pytest tests do.

Each script prints one JSON document on stdout; `run` returns it. The SDK's packages are those
of package-lock.json, installed by `npm install` in this folder.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import orjson
import pytest

FOLDER = Path(__file__).parent


def require_node() -> str:
    """The node command; the calling test is skipped where Node.js is not installed."""
    node = shutil.which("node")
    if node is None:
        pytest.skip("Node.js is not installed: the AWS SDK for JavaScript v3 needs `node`")
    if not (FOLDER / "node_modules" / "@aws-sdk").is_dir():
        pytest.fail("the SDK is not installed: run `npm install` in tests/js first")
    return node


def run(
    script: str,
    *args: str,
    url: str,
    key: str,
    secret: str,
    region: str = "us-east-1",
    timeout: float = 180,
) -> dict:
    """`node script args...` against twinport at `url` in `region`, signing with `key`/`secret`."""
    env = {
        **os.environ,
        "TWINPORT_URL": url,
        "AWS_REGION": region,
        "AWS_ACCESS_KEY_ID": key,
        "AWS_SECRET_ACCESS_KEY": secret,
        # Node 20 works; the SDK's notice that later versions will need Node 22 is noise here.
        "AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED": "true",
    }
    done = subprocess.run(
        [require_node(), script, *args],
        cwd=FOLDER,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    assert done.returncode == 0, f"node {script} failed:\n{done.stderr[-4000:]}"
    return orjson.loads(done.stdout)
