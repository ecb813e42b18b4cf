"""The suite shares one live twinport (the `twinport` fixture of twinport.pytest_plugin)."""

import os

# Clients built by tests themselves (not through the fixture) must not prefix hosts either.
os.environ.setdefault("AWS_DISABLE_HOST_PREFIX_INJECTION", "true")
