"""twinport: AWS IoT TwinMaker metadata transfer jobs, and the resources they move, on your machine."""

__version__ = "0.1.0"
