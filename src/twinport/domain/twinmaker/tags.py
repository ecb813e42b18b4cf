"""Tags of workspaces, component types, entities and scenes: where they are read and changed.

Tags live in the resource's document (`tags`, absent when there are none), where Create and
bulk imports put them with the rest of the definition. Tagging and untagging rewrite only that
member: not the update time, and nothing else of the resource.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import NamedTuple

from twinport.domain.tags import with_added, without
from twinport.domain.twinmaker import ids
from twinport.domain.twinmaker.documents import Doc, decode, encode
from twinport.errors import ServiceError, not_found
from twinport.scope import Scope
from twinport.store import Connection, scenes
from twinport.store import twinmaker as store


@dataclass(frozen=True)
class _Tagged:
    """A resource found by its ARN: its document, and how to write the document back."""

    doc: Doc
    save: Callable[[Doc], None]

    @property
    def tags(self) -> dict[str, str]:
        return self.doc.get("tags") or {}

    def with_tags(self, tags: dict[str, str]) -> None:
        doc = {k: v for k, v in self.doc.items() if k != "tags"}
        if tags:
            doc["tags"] = tags
        self.save(doc)


class _Kind(NamedTuple):
    """A kind of resource inside a workspace, by the ARN's `<kind>/<id>` after the workspace."""

    read: Callable[[Connection, int, str], bytes | None]  # (ws_key, id) -> its doc, if any
    write: Callable[[Connection, int, str, bytes], None]  # (ws_key, id, doc)


def _write_component_type(conn: Connection, ws_key: int, type_id: str, doc: bytes) -> None:
    store.set_component_type_doc(conn, ws_key, type_id, doc)
    # The workspace's cached catalog holds the type's document (exports read it from there).
    store.renew_types_token(conn, ws_key)


def _doc_of(row: store.ResourceRow | store.EntityRow | scenes.SceneRow | None) -> bytes | None:
    return None if row is None else row.doc


# AWS has sync jobs too; an ARN of a kind not here names no resource.
_KINDS = {
    "scene": _Kind(
        lambda conn, ws_key, scene_id: _doc_of(scenes.get_scene(conn, ws_key, scene_id)),
        scenes.set_scene_doc,
    ),
    "component-type": _Kind(
        lambda conn, ws_key, type_id: _doc_of(store.get_component_type(conn, ws_key, type_id)),
        _write_component_type,
    ),
    "entity": _Kind(
        lambda conn, ws_key, entity_id: _doc_of(store.get_entity(conn, ws_key, entity_id)),
        store.set_entity_doc,
    ),
}


def tags_of(conn: Connection, scope: Scope, resource_arn: str) -> dict[str, str]:
    return _find(conn, scope, resource_arn).tags


def tag(conn: Connection, scope: Scope, resource_arn: str, tags: dict[str, str]) -> None:
    """Add `tags` to the resource's, replacing the values of keys it has."""
    resource = _find(conn, scope, resource_arn)
    merged = with_added(resource.tags, tags, resource_arn)
    if merged != resource.tags:
        resource.with_tags(merged)


def untag(conn: Connection, scope: Scope, resource_arn: str, keys: Iterable[str]) -> None:
    """Remove the tags with these keys; keys the resource does not have are ignored."""
    resource = _find(conn, scope, resource_arn)
    kept = without(resource.tags, keys)
    if kept != resource.tags:
        resource.with_tags(kept)


def _find(conn: Connection, scope: Scope, resource_arn: str) -> _Tagged:
    found = ids.parse_arn(scope, resource_arn)
    if found is None:
        raise _not_found(resource_arn)
    ws = store.get_workspace(conn, scope, found.workspace_id)
    if ws is None:
        raise _not_found(resource_arn)
    if found.kind is None:
        return _Tagged(
            decode(ws.doc), lambda doc: store.set_workspace_doc(conn, ws.ws_key, encode(doc))
        )
    kind, resource_id = _KINDS.get(found.kind), found.resource_id
    if kind is None or (blob := kind.read(conn, ws.ws_key, resource_id)) is None:
        raise _not_found(resource_arn)
    return _Tagged(decode(blob), lambda doc: kind.write(conn, ws.ws_key, resource_id, encode(doc)))


def _not_found(resource_arn: str) -> ServiceError:
    return not_found(f"Resource {resource_arn} not found")
