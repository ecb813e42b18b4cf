"""Persistence: one SQLite database in the data directory, shared by the API and the job workers.

Everything above the store talks to its repositories (`jobs`, `twinmaker`, `sitewise`,
`objects`) and holds a `Connection` only to pass it back to them: no SQL is written anywhere
else, so another backend can implement the same repositories.
"""

from sqlite3 import Connection

__all__ = ["Connection"]
