"""A TwinMaker bulk import made with the AWS SDK for JavaScript v3, end to end."""

from __future__ import annotations

import orjson

from tests.js import node
from tests.transfer.helpers import entities_file


def test_a_javascript_user_imports_a_bulk_file_and_lists_what_it_made(twinport, tmp_path):
    node.require_node()
    account = twinport.new_account()
    bulk = entities_file(25, width=5)
    (tmp_path / "bulk.json").write_bytes(orjson.dumps(bulk))

    # With signatures off, the access key names the account; the secret can be anything.
    summary = node.run(
        "import_job.mjs",
        str(tmp_path / "bulk.json"),
        account,
        "js-plant",
        url=twinport.url,
        key=account,
        secret="any",
    )

    assert summary["state"] == "COMPLETED", summary
    assert summary["workspaceArn"] == (
        f"arn:aws:iottwinmaker:us-east-1:{account}:workspace/js-plant"
    )
    resources = len(bulk["entities"]) + len(bulk["componentTypes"])
    assert summary["progress"] == {
        "totalCount": resources,
        "succeededCount": resources,
        "skippedCount": 0,
        "failedCount": 0,
    }
    assert summary["entityIds"] == sorted(entity["entityId"] for entity in bulk["entities"])
    assert "com.example.sensor" in summary["componentTypeIds"]
    # What the SDK listed is what boto3 reads: the same workspace, not a copy in another account.
    entity = twinport.client("iottwinmaker", account).get_entity(
        workspaceId="js-plant", entityId="e7"
    )
    assert entity["parentEntityId"] == "e1"
