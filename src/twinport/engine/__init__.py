"""The job engine: runs metadata transfer jobs in worker processes, never blocking the API."""

from twinport.engine.engine import Engine, WakeThrough

__all__ = ["Engine", "WakeThrough"]
