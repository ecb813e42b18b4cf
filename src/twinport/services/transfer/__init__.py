"""The four metadata transfer job operations of the TwinMaker API."""

from twinport.services.transfer.handlers import HANDLERS

__all__ = ["HANDLERS"]
