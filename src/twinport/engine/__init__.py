"""The job engine: runs metadata transfer jobs in worker processes, never blocking the API."""

from twinport.engine.engine import Engine

__all__ = ["Engine"]
