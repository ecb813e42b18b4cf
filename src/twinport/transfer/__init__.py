"""The transfer domain both drivers share: the API handlers that create, show and cancel jobs,
and the engine that runs them.

- `states`: the job state machine: `JobState`, `JobError`, and every state change.
- `registry`: the supported (source, destination) pairs, each declared once.
- `locations`: S3 and workspace locations named in a job's configuration.
- `reports`: a job's status, progress and report as the API and the report file show them.
"""
