"""Time series (data streams) and the account configuration reads through the SiteWise API."""

from __future__ import annotations

import uuid

from tests.sitewise.sitewise_support import error_of, make_model
from tests.sitewise_files import attribute, measurement


def _plant(client) -> dict:
    """Two assets of a model with a DOUBLE and an INTEGER measurement and an attribute."""
    model = make_model(
        client,
        "Pump",
        assetModelProperties=[
            measurement("Temp"),
            measurement("Count", dataType="INTEGER"),
            attribute("Serial"),
        ],
    )
    props = {
        p["name"]: p["id"]
        for p in client.describe_asset_model(assetModelId=model)["assetModelProperties"]
    }
    assets = [
        client.create_asset(assetName=f"Pump {n}", assetModelId=model)["assetId"] for n in (1, 2)
    ]
    return {"assets": assets, **props}


def _alias_of(client, asset_id: str, property_id: str) -> str | None:
    described = client.describe_asset_property(assetId=asset_id, propertyId=property_id)
    return described["assetProperty"].get("alias")


def _code(call, **kwargs) -> str:
    return error_of(call, **kwargs)["Error"]["Code"]


def test_a_property_alias_is_an_associated_time_series(sitewise):
    plant = _plant(sitewise)
    asset, temp = plant["assets"][0], plant["Temp"]
    assert sitewise.list_time_series()["TimeSeriesSummaries"] == []
    sitewise.update_asset_property(assetId=asset, propertyId=temp, propertyAlias="/p1/temp")

    by_alias = sitewise.describe_time_series(alias="/p1/temp")
    by_property = sitewise.describe_time_series(assetId=asset, propertyId=temp)
    for answer in (by_alias, by_property):
        answer.pop("ResponseMetadata")
    assert by_alias == by_property
    assert by_alias["assetId"] == asset and by_alias["propertyId"] == temp
    assert by_alias["alias"] == "/p1/temp" and by_alias["dataType"] == "DOUBLE"
    assert by_alias["timeSeriesId"] == f"{asset}_{temp}"
    assert by_alias["timeSeriesArn"].endswith(f":time-series/{asset}_{temp}")
    assert by_alias["timeSeriesCreationDate"] == by_alias["timeSeriesLastUpdateDate"]

    listed = sitewise.list_time_series()["TimeSeriesSummaries"]
    assert [s["timeSeriesId"] for s in listed] == [by_alias["timeSeriesId"]]
    assert len(sitewise.list_time_series(assetId=asset)["TimeSeriesSummaries"]) == 1
    assert len(sitewise.list_time_series(aliasPrefix="/p1/")["TimeSeriesSummaries"]) == 1
    assert sitewise.list_time_series(aliasPrefix="/p2/")["TimeSeriesSummaries"] == []
    assert sitewise.list_time_series(timeSeriesType="DISASSOCIATED")["TimeSeriesSummaries"] == []
    other = plant["assets"][1]
    assert sitewise.list_time_series(assetId=other)["TimeSeriesSummaries"] == []

    # A new alias is a new time series; an alias cleared takes it away.
    sitewise.update_asset_property(assetId=asset, propertyId=temp, propertyAlias="/p1/t")
    assert _code(sitewise.describe_time_series, alias="/p1/temp") == "ResourceNotFoundException"
    assert sitewise.describe_time_series(assetId=asset, propertyId=temp)["alias"] == "/p1/t"
    sitewise.update_asset_property(assetId=asset, propertyId=temp)
    assert _code(sitewise.describe_time_series, assetId=asset, propertyId=temp) == (
        "ResourceNotFoundException"
    )


def test_naming_a_time_series(sitewise):
    plant = _plant(sitewise)
    asset, temp = plant["assets"][0], plant["Temp"]
    sitewise.update_asset_property(assetId=asset, propertyId=temp, propertyAlias="/p1/temp")
    assert _code(sitewise.describe_time_series) == "InvalidRequestException"
    assert _code(sitewise.describe_time_series, assetId=asset) == "InvalidRequestException"
    both = sitewise.describe_time_series(alias="/p1/temp", assetId=asset, propertyId=temp)
    assert both["alias"] == "/p1/temp"
    assert _code(sitewise.describe_time_series, alias="/other", assetId=asset, propertyId=temp) == (
        "ResourceNotFoundException"
    )
    missing = str(uuid.uuid4())
    assert _code(sitewise.describe_time_series, assetId=missing, propertyId=temp) == (
        "ResourceNotFoundException"
    )
    assert _code(sitewise.list_time_series, assetId=missing) == "ResourceNotFoundException"


def test_disassociate_and_associate_again(sitewise):
    plant = _plant(sitewise)
    (first, second), temp = plant["assets"], plant["Temp"]
    sitewise.update_asset_property(assetId=first, propertyId=temp, propertyAlias="/p1/temp")
    created = sitewise.describe_time_series(alias="/p1/temp")["timeSeriesCreationDate"]

    sitewise.disassociate_time_series_from_asset_property(
        alias="/p1/temp", assetId=first, propertyId=temp
    )
    loose = sitewise.describe_time_series(alias="/p1/temp")
    assert "assetId" not in loose and "propertyId" not in loose
    assert loose["dataType"] == "DOUBLE" and loose["timeSeriesCreationDate"] == created
    assert uuid.UUID(loose["timeSeriesId"])
    assert _alias_of(sitewise, first, temp) is None
    disassociated = sitewise.list_time_series(timeSeriesType="DISASSOCIATED")
    assert [s["alias"] for s in disassociated["TimeSeriesSummaries"]] == ["/p1/temp"]
    assert sitewise.list_time_series(timeSeriesType="ASSOCIATED")["TimeSeriesSummaries"] == []

    sitewise.associate_time_series_to_asset_property(
        alias="/p1/temp", assetId=second, propertyId=temp
    )
    moved = sitewise.describe_time_series(alias="/p1/temp")
    assert moved["assetId"] == second and moved["timeSeriesId"] == f"{second}_{temp}"
    assert moved["timeSeriesCreationDate"] == created
    assert _alias_of(sitewise, second, temp) == "/p1/temp"
    assert sitewise.list_time_series(timeSeriesType="DISASSOCIATED")["TimeSeriesSummaries"] == []

    assert _code(
        sitewise.disassociate_time_series_from_asset_property,
        alias="/p1/temp",
        assetId=first,
        propertyId=temp,
    ) == ("InvalidRequestException")


def test_association_rules(sitewise):
    plant = _plant(sitewise)
    (first, second), temp = plant["assets"], plant["Temp"]
    for asset, alias in ((first, "/p1/temp"), (second, "/p2/temp")):
        sitewise.update_asset_property(assetId=asset, propertyId=temp, propertyAlias=alias)
    sitewise.disassociate_time_series_from_asset_property(
        alias="/p1/temp", assetId=first, propertyId=temp
    )

    def associate(alias: str, asset: str, prop: str) -> str:
        return _code(
            sitewise.associate_time_series_to_asset_property,
            alias=alias,
            assetId=asset,
            propertyId=prop,
        )

    # An alias in use by another property, a property that has a time series, a property that
    # is not a measurement, another data type, an alias that names nothing.
    assert associate("/p2/temp", first, temp) == "InvalidRequestException"
    assert associate("/p1/temp", second, temp) == "InvalidRequestException"
    assert associate("/p1/temp", first, plant["Serial"]) == "InvalidRequestException"
    assert associate("/p1/temp", first, plant["Count"]) == "InvalidRequestException"
    assert associate("/nothing", first, temp) == "ResourceNotFoundException"
    assert associate("/p1/temp", str(uuid.uuid4()), temp) == "ResourceNotFoundException"
    assert sitewise.describe_time_series(alias="/p1/temp").get("assetId") is None


def test_an_alias_set_on_a_property_takes_over_a_disassociated_time_series(sitewise):
    plant = _plant(sitewise)
    (first, second), temp = plant["assets"], plant["Temp"]
    sitewise.update_asset_property(assetId=first, propertyId=temp, propertyAlias="/p1/temp")
    sitewise.disassociate_time_series_from_asset_property(
        alias="/p1/temp", assetId=first, propertyId=temp
    )
    created = sitewise.describe_time_series(alias="/p1/temp")["timeSeriesCreationDate"]
    sitewise.update_asset_property(assetId=second, propertyId=temp, propertyAlias="/p1/temp")
    taken = sitewise.describe_time_series(alias="/p1/temp")
    assert taken["assetId"] == second and taken["timeSeriesCreationDate"] == created
    assert len(sitewise.list_time_series()["TimeSeriesSummaries"]) == 1


def test_delete_time_series(sitewise):
    plant = _plant(sitewise)
    (first, second), temp = plant["assets"], plant["Temp"]
    for asset, alias in ((first, "/p1/temp"), (second, "/p2/temp")):
        sitewise.update_asset_property(assetId=asset, propertyId=temp, propertyAlias=alias)

    # An associated one, by its property: the property keeps no alias.
    sitewise.delete_time_series(assetId=first, propertyId=temp)
    assert _alias_of(sitewise, first, temp) is None
    assert _code(sitewise.describe_time_series, alias="/p1/temp") == "ResourceNotFoundException"

    # A disassociated one, by its alias.
    sitewise.disassociate_time_series_from_asset_property(
        alias="/p2/temp", assetId=second, propertyId=temp
    )
    sitewise.delete_time_series(alias="/p2/temp")
    assert sitewise.list_time_series()["TimeSeriesSummaries"] == []
    assert _code(sitewise.delete_time_series, alias="/p2/temp") == "ResourceNotFoundException"

    # Deleting an asset deletes the time series of its properties.
    sitewise.update_asset_property(assetId=second, propertyId=temp, propertyAlias="/p2/temp")
    sitewise.delete_asset(assetId=second)
    assert sitewise.list_time_series()["TimeSeriesSummaries"] == []


def test_paging_time_series(sitewise):
    plant = _plant(sitewise)
    for asset in plant["assets"]:
        for name in ("Temp", "Count", "Serial"):
            alias = f"/{asset}/{name}"
            sitewise.update_asset_property(
                assetId=asset, propertyId=plant[name], propertyAlias=alias
            )
    first = sitewise.list_time_series(maxResults=4)
    rest = sitewise.list_time_series(maxResults=4, nextToken=first["nextToken"])
    assert "nextToken" not in rest
    listed = first["TimeSeriesSummaries"] + rest["TimeSeriesSummaries"]
    assert len({s["alias"] for s in listed}) == 6
    # A page holds series of one model's three properties: each has its own property's type.
    types = {(s["alias"].rsplit("/", 1)[1], s["dataType"]) for s in listed}
    assert types == {("Temp", "DOUBLE"), ("Count", "INTEGER"), ("Serial", "STRING")}
    serial = sitewise.describe_time_series(alias=f"/{plant['assets'][0]}/Serial")
    assert serial["dataType"] == "STRING"


def test_configuration_reads(sitewise):
    storage = sitewise.describe_storage_configuration()
    assert storage["storageType"] == "SITEWISE_DEFAULT_STORAGE"
    assert storage["configurationStatus"] == {"state": "ACTIVE"}
    assert storage["disassociatedDataStorage"] == "ENABLED"
    assert storage["retentionPeriod"] == {"unlimited": True}
    assert storage["warmTier"] == "DISABLED"
    encryption = sitewise.describe_default_encryption_configuration()
    assert encryption["encryptionType"] == "SITEWISE_DEFAULT_ENCRYPTION"
    assert encryption["configurationStatus"] == {"state": "ACTIVE"}


def test_an_alias_belongs_to_one_property_of_the_account(sitewise):
    plant = _plant(sitewise)
    first, second = plant["assets"]
    sitewise.update_asset_property(assetId=first, propertyId=plant["Temp"], propertyAlias="/a")
    code = _code(
        sitewise.update_asset_property,
        assetId=second,
        propertyId=plant["Temp"],
        propertyAlias="/a",
    )
    assert code == "InvalidRequestException"
    assert _alias_of(sitewise, second, plant["Temp"]) is None
    assert sitewise.describe_time_series(alias="/a")["assetId"] == first
