"""twinport's own endpoints under /_twinport/ besides health: the dashboard, its JSON, reset."""
