"""This node among the nodes that share a database: its id, its engines' owner tokens, how
long a lease lasts, and whether it may join.

A node is one data directory: `twinport serve` (the API and its engine) or `twinport worker`
(an engine only). On a shared database (PostgreSQL) each node says when it starts, and its
engine says every RENEW_SECONDS that it is alive (`store.nodes`); a node not seen for
LEASE_SECONDS is gone, and its jobs' leases have run out too.
"""

from __future__ import annotations

import time
import uuid

from twinport.config import Settings
from twinport.store import nodes
from twinport.store.db import Database

# An engine holds each of its jobs by a lease it renews every RENEW_SECONDS. When its node
# dies, another node's engine takes the job over once the lease has run out, and resumes it
# from its checkpoint; a later run of the same node (the same data directory) takes it at once.
LEASE_SECONDS = 10.0
RENEW_SECONDS = 2.0


class JoinRefused(RuntimeError):
    """This node cannot share the database as set up; the message says what to change."""


def node_id(settings: Settings) -> str:
    """This node's id, kept in its data directory: the same across the node's restarts, and
    another node's (which has a data directory of its own) is another."""
    path = settings.data_dir / "node-id"
    try:
        return path.read_text().strip()
    except FileNotFoundError:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(uuid.uuid4().hex[:16] + "\n")
        return path.read_text().strip()


def new_owner(settings: Settings) -> str:
    """An owner token for an engine that starts: a new one per start fences off any engine of
    an earlier start, and its node part lets this start take at once the jobs an earlier
    start of the node left."""
    return f"{node_id(settings)}.{uuid.uuid4().hex}"


def join(db: Database, settings: Settings, role: str) -> None:
    """Say that this node is here, unless the nodes alive on the database could not share
    their S3 with it: each node's engine reads sources and writes reports through its S3, so
    nodes that share a database must share one S3, which only --s3-endpoint-url names."""
    if not db.shared:
        return
    me = nodes.Node(node_id(settings), role, settings.s3_endpoint_url)
    now = time.time()
    with db.write() as conn:
        others = nodes.seen_since(conn, now - LEASE_SECONDS, me.node_id)
        alone = next((o for o in others if o.s3_endpoint_url is None), None)
        if others and me.s3_endpoint_url is None:
            raise JoinRefused(
                f"another twinport node ({others[0].role}, node {others[0].node_id}) uses this"
                " database, and nodes that share one need one S3 they all reach: start every"
                " node with --s3-endpoint-url, e.g. --s3-endpoint-url http://minio:9000"
            )
        if alone is not None:
            raise JoinRefused(
                f"twinport node {alone.node_id} uses this database with its embedded S3, which"
                " other nodes cannot share: start it with --s3-endpoint-url too, or give this"
                " node a database of its own"
            )
        nodes.join(conn, me, now)


def leave(db: Database, settings: Settings) -> None:
    """This node stops: another may take its place at once."""
    if db.shared:
        with db.write() as conn:
            nodes.leave(conn, node_id(settings))
