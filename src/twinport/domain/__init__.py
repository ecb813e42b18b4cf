"""The rules of each service's resources, shared by the API handlers and the job engine."""
