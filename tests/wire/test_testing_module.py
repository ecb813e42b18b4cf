"""`twinport.testing` is for any test runner: it imports without pytest, and its servers start
even when tests run in parallel."""

from __future__ import annotations

import socket
import subprocess
import sys
import urllib.request

from twinport.testing import TwinportServer


def test_testing_module_imports_without_pytest():
    code = "import sys; sys.modules['pytest'] = None; import twinport.testing"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


def test_a_server_whose_free_port_was_taken_meanwhile_starts_on_another():
    with socket.socket() as holder:
        holder.bind(("127.0.0.1", 0))
        holder.listen()
        server = TwinportServer()
        server.port = holder.getsockname()[1]  # as if another process took it since
        with server:
            assert server.port != holder.getsockname()[1]
            with urllib.request.urlopen(f"{server.url}/_twinport/health") as answer:
                assert answer.status == 200
