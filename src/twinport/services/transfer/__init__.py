"""The four metadata transfer job operations of the TwinMaker API."""

from twinport.services.transfer.api_jobs import HANDLERS

__all__ = ["HANDLERS"]
