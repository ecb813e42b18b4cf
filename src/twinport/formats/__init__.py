"""Bulk metadata file formats: stream-read, check, plan and write them.

- `jsonstream`: streaming of a root object of arrays (`iter_root_arrays`, `write_root_arrays`).
- `schema`: declarative schema nodes compiled into fast checkers with error paths.
- `ordering`: stable dependency ordering of a file section, with cycle detection.
- `twinmaker_schema`, `twinmaker`: the TwinMaker bulk file (schema, scan and plan, export).
- `sitewise_schema`, `sitewise`: the SiteWise bulk file, built from the same parts.
"""
