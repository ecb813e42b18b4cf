"""twinport: AWS IoT TwinMaker metadata transfer jobs and the resources they move, locally."""

__version__ = "0.1.0"
