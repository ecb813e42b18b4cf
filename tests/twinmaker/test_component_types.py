from __future__ import annotations

from tests.twinmaker.helpers import all_pages, refused
from twinport.domain.twinmaker.builtins import BUILT_IN_TYPES

STRING = {"dataType": {"type": "STRING"}}
# Every workspace has AWS's built-in types (tests/twinmaker/test_built_in_types.py).
BUILT_IN = sorted(BUILT_IN_TYPES)
LAMBDA = {"lambda": {"arn": "arn:aws:lambda:us-east-1:123456789012:function:reader"}}


def test_create_then_get(twinmaker, workspace, account):
    created = twinmaker.create_component_type(
        workspaceId=workspace,
        componentTypeId="com.example.pump",
        componentTypeName="Pump",
        description="A pump",
        propertyDefinitions={
            "serial": {**STRING, "isRequiredInEntity": True},
            "rpm": {"dataType": {"type": "DOUBLE"}, "defaultValue": {"doubleValue": 1500.0}},
        },
        functions={"dataReader": {"implementedBy": LAMBDA}},
        propertyGroups={"main": {"groupType": "TABULAR", "propertyNames": ["serial", "rpm"]}},
        tags={"team": "ops"},
    )
    arn = (
        f"arn:aws:iottwinmaker:us-east-1:{account}:workspace/{workspace}"
        "/component-type/com.example.pump"
    )
    assert created["arn"] == arn
    assert created["state"] == "CREATING"

    got = twinmaker.get_component_type(workspaceId=workspace, componentTypeId="com.example.pump")
    assert got["arn"] == arn
    assert got["workspaceId"] == workspace
    assert got["componentTypeName"] == "Pump"
    assert got["description"] == "A pump"
    assert got["status"] == {"state": "ACTIVE"}
    assert got["isSingleton"] is False
    assert got["isAbstract"] is False
    assert got["isSchemaInitialized"] is False
    assert got["creationDateTime"] == created["creationDateTime"]
    assert got["propertyDefinitions"]["serial"] == {
        "dataType": {"type": "STRING"},
        "isRequiredInEntity": True,
        "isTimeSeries": False,
        "isExternalId": False,
        "isStoredExternally": False,
        "isImported": False,
        "isFinal": False,
        "isInherited": False,
    }
    assert got["propertyDefinitions"]["rpm"]["defaultValue"] == {"doubleValue": 1500.0}
    assert got["functions"]["dataReader"] == {"implementedBy": LAMBDA, "isInherited": False}
    assert got["propertyGroups"]["main"] == {
        "groupType": "TABULAR",
        "propertyNames": ["serial", "rpm"],
        "isInherited": False,
    }


def test_duplicate_id_is_a_conflict(twinmaker, workspace):
    twinmaker.create_component_type(workspaceId=workspace, componentTypeId="com.example.pump")
    code, _ = refused(
        twinmaker.create_component_type, workspaceId=workspace, componentTypeId="com.example.pump"
    )
    assert code == "ConflictException"


def test_unknown_workspace_or_type_is_not_found(twinmaker, workspace):
    assert (
        refused(
            twinmaker.create_component_type, workspaceId="nowhere", componentTypeId="com.example.x"
        )[0]
        == "ResourceNotFoundException"
    )
    code, message = refused(
        twinmaker.get_component_type, workspaceId=workspace, componentTypeId="com.example.x"
    )
    assert code == "ResourceNotFoundException"
    assert "com.example.x" in message


def test_the_amazon_namespace_is_reserved(twinmaker, workspace):
    code, message = refused(
        twinmaker.create_component_type,
        workspaceId=workspace,
        componentTypeId="com.amazon.mine",
    )
    assert code == "ValidationException"
    assert "reserved namespace" in message


def test_definitions_are_checked_against_each_other(twinmaker, workspace):
    create = twinmaker.create_component_type
    cases = [
        {"extendsFrom": ["com.example.missing"]},
        {"propertyGroups": {"g": {"groupType": "TABULAR", "propertyNames": ["undefined"]}}},
        {"functions": {"f": {"requiredProperties": ["undefined"]}}},
        {"propertyDefinitions": {"p": {**STRING, "defaultValue": {"integerValue": 3}}}},
    ]
    for case in cases:
        code, _ = refused(create, workspaceId=workspace, componentTypeId="com.example.bad", **case)
        assert code == "ValidationException", case
    summaries = twinmaker.list_component_types(workspaceId=workspace)["componentTypeSummaries"]
    assert [s["componentTypeId"] for s in summaries] == BUILT_IN


def test_a_subtype_shows_what_it_inherits(twinmaker, workspace):
    twinmaker.create_component_type(
        workspaceId=workspace,
        componentTypeId="com.example.alarm",
        propertyDefinitions={"alarm_key": {**STRING, "isExternalId": True}, "level": STRING},
        functions={"dataReader": {}},
        propertyGroups={"all": {"groupType": "TABULAR", "propertyNames": ["alarm_key"]}},
    )
    twinmaker.create_component_type(
        workspaceId=workspace,
        componentTypeId="com.example.alarm.timestream",
        extendsFrom=["com.example.alarm"],
        propertyDefinitions={"level": {"dataType": {"type": "INTEGER"}}, "table": STRING},
        functions={"dataReader": {"implementedBy": LAMBDA}},
    )
    parent = twinmaker.get_component_type(
        workspaceId=workspace, componentTypeId="com.example.alarm"
    )
    child = twinmaker.get_component_type(
        workspaceId=workspace, componentTypeId="com.example.alarm.timestream"
    )
    assert parent["isAbstract"] is True  # a function without an implementation
    assert child["isAbstract"] is False
    assert child["extendsFrom"] == ["com.example.alarm"]
    definitions = child["propertyDefinitions"]
    assert definitions["alarm_key"]["isInherited"] is True
    assert definitions["alarm_key"]["isExternalId"] is True
    assert definitions["table"]["isInherited"] is False
    # An own definition overrides the inherited one of the same name.
    assert definitions["level"]["dataType"] == {"type": "INTEGER"}
    assert definitions["level"]["isInherited"] is False
    assert child["functions"]["dataReader"] == {"implementedBy": LAMBDA, "isInherited": False}
    assert child["propertyGroups"]["all"]["isInherited"] is True


def test_list_filters(twinmaker, workspace):
    create = twinmaker.create_component_type
    create(workspaceId=workspace, componentTypeId="com.example.base", functions={"r": {}})
    create(
        workspaceId=workspace, componentTypeId="com.example.mid", extendsFrom=["com.example.base"]
    )
    create(
        workspaceId=workspace, componentTypeId="com.example.leaf", extendsFrom=["com.example.mid"]
    )
    create(workspaceId=workspace, componentTypeId="org.other.thing")

    def ids(*filters) -> list[str]:
        response = twinmaker.list_component_types(workspaceId=workspace, filters=list(filters))
        assert response["workspaceId"] == workspace
        return [s["componentTypeId"] for s in response["componentTypeSummaries"]]

    assert ids() == sorted(
        [*BUILT_IN, "com.example.base", "com.example.leaf", "com.example.mid", "org.other.thing"]
    )
    assert ids({"extendsFrom": "com.example.base"}) == ["com.example.leaf", "com.example.mid"]
    assert ids({"extendsFrom": "com.example.mid"}) == ["com.example.leaf"]
    assert ids({"namespace": "com.example"}) == [
        "com.example.base",
        "com.example.leaf",
        "com.example.mid",
    ]
    assert ids({"namespace": "org"}) == ["org.other.thing"]
    assert ids({"namespace": "com.exam"}) == []
    abstract = ["com.amazon.iottwinmaker.alarm.basic"]
    assert ids({"isAbstract": True}) == [
        *abstract,
        "com.example.base",
        "com.example.leaf",
        "com.example.mid",
    ]
    concrete = [type_id for type_id in BUILT_IN if type_id not in abstract]
    assert ids({"isAbstract": False}) == [*concrete, "org.other.thing"]
    code, _ = refused(
        twinmaker.list_component_types,
        workspaceId=workspace,
        filters=[{"namespace": "com"}, {"isAbstract": True}],
    )
    assert code == "ValidationException"


def test_list_pages_with_summaries(twinmaker, workspace):
    for index in range(5):
        twinmaker.create_component_type(
            workspaceId=workspace,
            componentTypeId=f"com.example.t{index}",
            componentTypeName=f"T{index}",
            description="d",
        )
    summaries, pages = all_pages(
        twinmaker.list_component_types,
        "componentTypeSummaries",
        workspaceId=workspace,
        filters=[{"namespace": "com.example"}],
        maxResults=2,
    )
    assert [s["componentTypeId"] for s in summaries] == [f"com.example.t{i}" for i in range(5)]
    assert pages == 3
    first = summaries[0]
    assert first["componentTypeName"] == "T0"
    assert first["description"] == "d"
    assert first["status"] == {"state": "ACTIVE"}
    assert first["arn"].endswith(f"workspace/{workspace}/component-type/com.example.t0")


def test_update_replaces_the_given_members_and_keeps_the_rest(twinmaker, workspace):
    twinmaker.create_component_type(
        workspaceId=workspace,
        componentTypeId="com.example.pump",
        description="old",
        isSingleton=True,
        propertyDefinitions={"a": STRING, "b": STRING},
    )
    before = twinmaker.get_component_type(workspaceId=workspace, componentTypeId="com.example.pump")
    response = twinmaker.update_component_type(
        workspaceId=workspace,
        componentTypeId="com.example.pump",
        propertyDefinitions={"c": STRING},
    )
    assert response["state"] == "UPDATING"
    assert response["componentTypeId"] == "com.example.pump"
    assert response["workspaceId"] == workspace
    after = twinmaker.get_component_type(workspaceId=workspace, componentTypeId="com.example.pump")
    assert list(after["propertyDefinitions"]) == ["c"]
    assert after["description"] == "old"
    assert after["isSingleton"] is True
    assert after["creationDateTime"] == before["creationDateTime"]
    assert after["updateDateTime"] > before["updateDateTime"]


def test_update_refusals(twinmaker, workspace):
    update = twinmaker.update_component_type
    assert refused(update, workspaceId=workspace, componentTypeId="com.example.none")[0] == (
        "ResourceNotFoundException"
    )
    twinmaker.create_component_type(workspaceId=workspace, componentTypeId="com.example.a")
    twinmaker.create_component_type(
        workspaceId=workspace, componentTypeId="com.example.b", extendsFrom=["com.example.a"]
    )
    code, message = refused(
        update,
        workspaceId=workspace,
        componentTypeId="com.example.a",
        extendsFrom=["com.example.b"],
    )
    assert code == "ValidationException"
    assert "cycle" in message


def test_delete(twinmaker, workspace):
    twinmaker.create_component_type(workspaceId=workspace, componentTypeId="com.example.pump")
    response = twinmaker.delete_component_type(
        workspaceId=workspace, componentTypeId="com.example.pump"
    )
    assert response["state"] == "DELETING"
    assert (
        refused(
            twinmaker.get_component_type, workspaceId=workspace, componentTypeId="com.example.pump"
        )[0]
        == "ResourceNotFoundException"
    )
    assert (
        refused(
            twinmaker.delete_component_type,
            workspaceId=workspace,
            componentTypeId="com.example.pump",
        )[0]
        == "ResourceNotFoundException"
    )


def test_a_type_in_use_or_extended_cannot_be_deleted(twinmaker, workspace):
    create = twinmaker.create_component_type
    create(workspaceId=workspace, componentTypeId="com.example.base")
    create(
        workspaceId=workspace, componentTypeId="com.example.used", extendsFrom=["com.example.base"]
    )
    twinmaker.create_entity(
        workspaceId=workspace,
        entityId="pump-1",
        entityName="Pump 1",
        components={"main": {"componentTypeId": "com.example.used"}},
    )
    for type_id in ("com.example.base", "com.example.used"):
        code, message = refused(
            twinmaker.delete_component_type, workspaceId=workspace, componentTypeId=type_id
        )
        assert code == "ValidationException"
        assert type_id in message
    twinmaker.delete_entity(workspaceId=workspace, entityId="pump-1")
    twinmaker.delete_component_type(workspaceId=workspace, componentTypeId="com.example.used")
    twinmaker.delete_component_type(workspaceId=workspace, componentTypeId="com.example.base")
