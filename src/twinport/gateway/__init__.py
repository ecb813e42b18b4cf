"""The request pipeline: every HTTP request passes a short chain of small handlers.

Request handlers run in order until one answers; error handlers turn what one raised into the
calling service's error; finalizers (the access log) run once the request is done.
`twinport.app` puts the chain together; `chain` says how it runs.
"""
