"""The request pipeline: every HTTP request passes a short chain of small handlers.

Each handler does one job and either answers the request or passes it on to the next one;
`twinport.app` puts the chain together. Handlers that must see every answer (request id, access
log, error mapping) come first, so nothing a later handler does escapes them.
"""
