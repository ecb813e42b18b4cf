"""Persistence: the repositories the API and the job workers share, over one database.

Everything above the store talks to its repositories (`jobs`, `twinmaker`, `sitewise`,
`objects`, ...) and holds a `Connection` only to pass it back to them: no SQL is written
anywhere else. The database is SQLite in the data directory or PostgreSQL (`store.db`).
"""

from twinport.store.db import Connection

__all__ = ["Connection"]
