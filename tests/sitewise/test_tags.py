"""TagResource, UntagResource and ListTagsForResource of asset models and assets."""

from __future__ import annotations

import pytest

from tests.sitewise.sitewise_support import error_of, make_model
from tests.sitewise_files import PUMP_1, PUMP_MODEL
from tests.transfer.sitewise_plant import create_bucket, imported

_DESCRIBE = {
    "asset-model": ("describe_asset_model", "assetModelId"),
    "asset": ("describe_asset", "assetId"),
}


@pytest.fixture
def pump(sitewise) -> dict[str, tuple[str, str]]:
    """A model and an asset of it, created with tags: (id, ARN) by kind."""
    model = sitewise.create_asset_model(assetModelName="Pump", tags={"team": "ops"})
    asset = sitewise.create_asset(
        assetName="Pump 1",
        assetModelId=model["assetModelId"],
        tags={"site": "north", "floor": "2"},
    )
    return {
        "asset-model": (model["assetModelId"], model["assetModelArn"]),
        "asset": (asset["assetId"], asset["assetArn"]),
    }


def tags(sitewise, arn: str) -> dict:
    return sitewise.list_tags_for_resource(resourceArn=arn)["tags"]


def test_tags_given_at_create_are_listed(sitewise, pump):
    assert tags(sitewise, pump["asset-model"][1]) == {"team": "ops"}
    assert tags(sitewise, pump["asset"][1]) == {"site": "north", "floor": "2"}
    untagged = make_model(sitewise, "Bare")
    arn = pump["asset-model"][1].replace(pump["asset-model"][0], untagged)
    assert tags(sitewise, arn) == {}


@pytest.mark.parametrize("kind", ["asset-model", "asset"])
def test_tag_and_untag_change_only_the_tags(sitewise, pump, kind):
    resource_id, arn = pump[kind]
    operation, member = _DESCRIBE[kind]
    describe = getattr(sitewise, operation)
    before = describe(**{member: resource_id})
    listed = tags(sitewise, arn)

    sitewise.tag_resource(resourceArn=arn, tags={"team": "maintenance", "cost-center": "42"})
    assert tags(sitewise, arn) == listed | {"team": "maintenance", "cost-center": "42"}
    sitewise.untag_resource(resourceArn=arn, tagKeys=["team", "cost-center", "absent"])
    assert tags(sitewise, arn) == {k: v for k, v in listed.items() if k != "team"}

    after = describe(**{member: resource_id})
    assert {k: v for k, v in after.items() if k != "ResponseMetadata"} == {
        k: v for k, v in before.items() if k != "ResponseMetadata"
    }


def test_more_than_50_tags_are_refused(sitewise, pump):
    arn = pump["asset"][1]  # holds two tags
    sitewise.tag_resource(resourceArn=arn, tags={f"k{n}": "v" for n in range(48)})
    sitewise.tag_resource(resourceArn=arn, tags={"site": "south"})  # replaces, adds none
    with pytest.raises(sitewise.exceptions.TooManyTagsException) as refused:
        sitewise.tag_resource(resourceArn=arn, tags={"k48": "v"})
    assert refused.value.response["resourceName"] == arn
    assert len(tags(sitewise, arn)) == 50


def test_an_arn_that_names_no_resource_is_not_found(sitewise, pump):
    model_id, model_arn = pump["asset-model"]
    asset_id, asset_arn = pump["asset"]
    account = model_arn.split(":")[4]
    other = "999999999999" if account != "999999999999" else "111111111111"
    for arn in (
        model_arn.replace(model_id, asset_id),  # an asset's id as a model's
        asset_arn.replace(asset_id, model_id),
        model_arn.replace(f"asset-model/{model_id}", f"gateway/{model_id}"),
        asset_arn.replace(account, other),
        asset_arn.replace("us-east-1", "eu-west-1"),
    ):
        for call, kwargs in (
            (sitewise.list_tags_for_resource, {}),
            (sitewise.tag_resource, {"tags": {"a": "b"}}),
            (sitewise.untag_resource, {"tagKeys": ["a"]}),
        ):
            code = error_of(call, resourceArn=arn, **kwargs)["Error"]["Code"]
            assert code == "ResourceNotFoundException", (arn, call)
    error = error_of(sitewise.list_tags_for_resource, resourceArn="not-an-arn")
    assert error["Error"]["Code"] == "InvalidRequestException"


def test_tags_of_an_import_are_listed_and_the_file_sets_them_again(twinport):
    account = twinport.new_account()
    sitewise = twinport.client("iotsitewise", account)
    bucket = f"tags-{account}"
    create_bucket(twinport, account, bucket)
    content = {
        "assetModels": [{**PUMP_MODEL, "tags": [{"key": "team", "value": "ops"}]}],
        "assets": [{**PUMP_1, "tags": [{"key": "site", "value": "north"}]}],
    }
    assert imported(twinport, account, bucket, content)["status"] == {"state": "COMPLETED"}
    model = sitewise.describe_asset_model(assetModelId="externalId:pump-model")
    asset = sitewise.describe_asset(assetId="externalId:pump-1")
    assert tags(sitewise, model["assetModelArn"]) == {"team": "ops"}
    assert tags(sitewise, asset["assetArn"]) == {"site": "north"}

    # A file's tags are its resources' whole tag sets: importing it again undoes the tagging.
    sitewise.tag_resource(resourceArn=asset["assetArn"], tags={"late": "yes"})
    job = imported(twinport, account, bucket, content)
    assert (job["progress"]["succeededCount"], job["progress"]["skippedCount"]) == (1, 1)
    assert tags(sitewise, asset["assetArn"]) == {"site": "north"}
