"""Persistence: one SQLite database in the data directory, shared by the API and the job workers."""
