"""`twinport.testing` is for any test runner: it must import without pytest."""

from __future__ import annotations

import subprocess
import sys


def test_testing_module_imports_without_pytest():
    code = "import sys; sys.modules['pytest'] = None; import twinport.testing"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
