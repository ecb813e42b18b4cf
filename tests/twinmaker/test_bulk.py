"""The import/export functions of transfer jobs, where the API cannot reach them: bulk-only
fields, bulk spellings, outcomes and export selection. Run on a database of their own."""

from __future__ import annotations

import pytest

from twinport.domain.twinmaker import bulk
from twinport.domain.twinmaker.documents import decode, encode
from twinport.errors import ServiceError
from twinport.scope import Scope
from twinport.store import twinmaker as store
from twinport.store.sqlite import SqliteDatabase as Database

SCOPE = Scope("123456789012", "us-east-1")


@pytest.fixture
def conn(tmp_path):
    db = Database(tmp_path / "twinport.sqlite3").open()
    with db.write() as conn:
        for workspace_id in ("source", "target"):
            doc = {"s3Location": f"arn:aws:s3:::{workspace_id}-bucket"}
            store.insert_workspace(conn, SCOPE, workspace_id, encode(doc), 0.0)
        yield conn
    db.close()


def import_all(conn, workspace_id: str, export: bulk.Export) -> None:
    for doc in export.component_types:
        bulk.put_component_type(conn, SCOPE, workspace_id, doc)
    for doc in export.entities:
        bulk.put_entity(conn, SCOPE, workspace_id, doc)
    for doc in export.entity_components:
        bulk.put_entity_component(conn, SCOPE, workspace_id, doc)


def exported(conn, workspace_id: str, entity_ids=None, type_ids=None) -> dict[str, list]:
    export = bulk.export_resources(conn, SCOPE, workspace_id, entity_ids, type_ids)
    return {section: list(items) for section, items in export._asdict().items()}


def fill_source(conn) -> None:
    put = bulk.put_component_type
    put(
        conn,
        SCOPE,
        "source",
        {"componentTypeId": "com.example.base", "componentTypeExternalId": "ct-1"},
    )
    put(
        conn,
        SCOPE,
        "source",
        {
            "componentTypeId": "com.example.link",
            "extendsFrom": ["com.example.base"],
            "propertyDefinitions": {"to": {"dataType": {"type": "RELATIONSHIP"}}},
        },
    )
    put(conn, SCOPE, "source", {"componentTypeId": "com.example.unused"})
    bulk.put_entity(
        conn, SCOPE, "source", {"entityId": "site", "entityName": "Site", "entityExternalId": "X-1"}
    )
    bulk.put_entity(
        conn,
        SCOPE,
        "source",
        {
            "entityId": "line",
            "entityName": "Line",
            "parentEntityId": "site",
            "components": {
                "next": {
                    "componentTypeId": "com.example.link",
                    "properties": {
                        "to": {"value": {"relationshipValue": {"TargetEntityId": "site"}}}
                    },
                }
            },
        },
    )
    bulk.put_entity_component(
        conn,
        SCOPE,
        "source",
        {
            "entityId": "site",
            "componentName": "tag",
            "componentExternalId": "comp-7",
            "componentTypeId": "com.example.base",
        },
    )


def test_export_then_import_reproduces_every_resource(conn):
    fill_source(conn)
    first = exported(conn, "source")
    import_all(conn, "target", bulk.export_resources(conn, SCOPE, "source", None, None))
    assert exported(conn, "target") == first
    # Bulk-only external ids are kept, and the component holding one travels on its own.
    types = {t["componentTypeId"]: t for t in first["component_types"]}
    assert types["com.example.base"]["componentTypeExternalId"] == "ct-1"
    entities = {e["entityId"]: e for e in first["entities"]}
    assert entities["site"]["entityExternalId"] == "X-1"
    assert "components" not in entities["site"]
    assert first["entity_components"] == [
        {
            "entityId": "site",
            "componentName": "tag",
            "componentExternalId": "comp-7",
            "componentTypeId": "com.example.base",
        }
    ]
    # Defaults the API adds are written out, so that they round-trip.
    assert entities["site"]["parentEntityId"] == "$ROOT"
    assert types["com.example.base"]["isSingleton"] is False


def test_relationship_keys_are_stored_in_the_api_spelling(conn):
    fill_source(conn)
    line = next(e for e in exported(conn, "source")["entities"] if e["entityId"] == "line")
    value = line["components"]["next"]["properties"]["to"]["value"]
    assert value == {"relationshipValue": {"targetEntityId": "site"}}


def test_exports_are_ordered_for_import(conn):
    fill_source(conn)
    everything = exported(conn, "source")
    type_ids = [t["componentTypeId"] for t in everything["component_types"]]
    assert type_ids.index("com.example.base") < type_ids.index("com.example.link")
    assert [e["entityId"] for e in everything["entities"]] == ["site", "line"]


def test_filtered_exports_bring_what_they_depend_on(conn):
    fill_source(conn)
    by_entity = exported(conn, "source", entity_ids={"line"})
    assert [e["entityId"] for e in by_entity["entities"]] == ["site", "line"]
    assert [t["componentTypeId"] for t in by_entity["component_types"]] == [
        "com.example.base",
        "com.example.link",
    ]
    by_type = exported(conn, "source", entity_ids=None, type_ids={"com.example.link"})
    assert by_type["entities"] == []
    assert [t["componentTypeId"] for t in by_type["component_types"]] == [
        "com.example.base",
        "com.example.link",
    ]
    both = exported(conn, "source", entity_ids={"site"}, type_ids={"com.example.unused"})
    assert {t["componentTypeId"] for t in both["component_types"]} == {
        "com.example.base",
        "com.example.unused",
    }
    # The component that travels on its own comes with its entity.
    assert [(c["entityId"], c["componentName"]) for c in both["entity_components"]] == [
        ("site", "tag")
    ]
    with pytest.raises(ServiceError) as excinfo:
        bulk.export_resources(conn, SCOPE, "source", {"ghost"}, None)
    assert excinfo.value.code == "ResourceNotFoundException"
    assert "ghost" in excinfo.value.message
    with pytest.raises(ServiceError) as excinfo:
        bulk.export_resources(conn, SCOPE, "source", None, {"com.example.ghost"})
    assert excinfo.value.code == "ResourceNotFoundException"
    assert "com.example.ghost" in excinfo.value.message


def test_outcomes(conn):
    doc = {"entityId": "pump", "entityName": "Pump"}
    ws_key = store.get_workspace(conn, SCOPE, "target").ws_key
    assert bulk.put_entity(conn, SCOPE, "target", doc) == "created"
    written = store.get_entity(conn, ws_key, "pump")
    # The schema default a bulk reader may fill in is the same as no description.
    assert bulk.put_entity(conn, SCOPE, "target", {**doc, "description": ""}) == "unchanged"
    assert store.get_entity(conn, ws_key, "pump") == written
    assert bulk.put_entity(conn, SCOPE, "target", {**doc, "entityName": "P"}) == "updated"
    type_doc = {"componentTypeId": "com.example.t"}
    assert bulk.put_component_type(conn, SCOPE, "target", type_doc) == "created"
    assert bulk.put_component_type(conn, SCOPE, "target", {**type_doc, "isSingleton": False}) == (
        "unchanged"
    )
    assert bulk.put_component_type(conn, SCOPE, "target", {**type_doc, "description": "d"}) == (
        "updated"
    )


def test_an_entity_is_replaced_as_a_whole(conn):
    bulk.put_component_type(conn, SCOPE, "target", {"componentTypeId": "com.example.t"})
    with_component = {
        "entityId": "pump",
        "entityName": "Pump",
        "components": {"c": {"componentTypeId": "com.example.t"}},
    }
    bulk.put_entity(conn, SCOPE, "target", with_component)
    bulk.put_entity(conn, SCOPE, "target", {"entityId": "pump", "entityName": "Pump"})
    (entity,) = exported(conn, "target")["entities"]
    assert "components" not in entity


def test_failures_name_the_resource(conn):
    cases = [
        (bulk.put_entity, {"entityId": "orphan", "entityName": "O", "parentEntityId": "gone"}),
        (
            bulk.put_entity,
            {
                "entityId": "typed",
                "entityName": "T",
                "components": {"c": {"componentTypeId": "x.y"}},
            },
        ),
        (
            bulk.put_entity_component,
            {"entityId": "ghost", "componentName": "c", "componentTypeId": "x.y"},
        ),
        (bulk.put_component_type, {"componentTypeId": "com.example.t", "extendsFrom": ["x.y"]}),
    ]
    for put, doc in cases:
        with pytest.raises(ServiceError) as excinfo:
            put(conn, SCOPE, "target", doc)
        assert excinfo.value.code == "ValidationException"
        named = doc.get("entityId") or doc["componentTypeId"]
        assert named in excinfo.value.message
    with pytest.raises(ServiceError) as excinfo:
        bulk.put_entity(conn, SCOPE, "nowhere", {"entityId": "e1", "entityName": "E"})
    assert excinfo.value.code == "ResourceNotFoundException"


def test_workspace_lookups(conn):
    assert bulk.workspace_exists(conn, SCOPE, "source")
    assert not bulk.workspace_exists(conn, SCOPE, "nowhere")
    assert not bulk.workspace_exists(conn, Scope("123456789012", "eu-west-1"), "source")
    assert bulk.workspace_bucket(conn, SCOPE, "source") == "source-bucket"
    assert bulk.workspace_bucket(conn, SCOPE, "nowhere") is None


def test_many_entities_at_once_follow_the_rules_of_one(conn):
    ws_key = store.get_workspace(conn, SCOPE, "target").ws_key
    bulk.put_entity(conn, SCOPE, "target", {"entityId": "site", "entityName": "Site"})
    bulk.put_entity(
        conn, SCOPE, "target", {"entityId": "old", "entityName": "Old", "parentEntityId": "site"}
    )
    docs = [
        {"entityId": "site", "entityName": "Site"},
        {"entityId": "line", "entityName": "Line", "parentEntityId": "site"},
        # a parent made earlier in the same run is found before anything is written
        {"entityId": "cell", "entityName": "Cell", "parentEntityId": "line"},
        {"entityId": "stray", "entityName": "Stray", "parentEntityId": "nowhere"},
        {"entityId": "old", "entityName": "Renamed", "parentEntityId": "line"},
        # moving an entity below its own descendant is refused, writes held or not
        {"entityId": "line", "entityName": "Line", "parentEntityId": "cell"},
    ]
    entities = bulk.EntityImport(conn, SCOPE, "target")
    entities.read_ahead(docs)
    outcomes = []
    for doc in docs:
        try:
            outcomes.append(entities.put(doc))
        except ServiceError as error:
            outcomes.append(error.code)
    entities.flush()

    assert outcomes == [
        "unchanged",
        "created",
        "created",
        "ValidationException",
        "updated",
        "ValidationException",
    ]
    assert store.get_entity(conn, ws_key, "stray") is None
    assert store.parent_of(conn, ws_key, "cell") == "line"
    assert store.parent_of(conn, ws_key, "line") == "site"
    old = store.get_entity(conn, ws_key, "old")
    assert (old.parent_id, decode(old.doc)["entityName"]) == ("line", "Renamed")
    # the same rules one at a time give the same store
    assert bulk.put_entity(conn, SCOPE, "target", docs[2]) == "unchanged"
