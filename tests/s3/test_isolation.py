"""Each account has buckets of its own: another account neither sees nor reaches them."""

import pytest
from botocore.exceptions import ClientError


def test_accounts_do_not_see_each_other(twinport):
    alice = twinport.client("s3", account=twinport.new_account())
    bob = twinport.client("s3", account=twinport.new_account())
    alice.create_bucket(Bucket="shared-name")
    alice.put_object(Bucket="shared-name", Key="secret", Body=b"alice")

    assert bob.list_buckets()["Buckets"] == []
    with pytest.raises(ClientError) as error:
        bob.get_object(Bucket="shared-name", Key="secret")
    assert error.value.response["Error"]["Code"] == "NoSuchBucket"

    bob.create_bucket(Bucket="shared-name")
    bob.put_object(Bucket="shared-name", Key="secret", Body=b"bob")
    assert alice.get_object(Bucket="shared-name", Key="secret")["Body"].read() == b"alice"
    assert bob.get_object(Bucket="shared-name", Key="secret")["Body"].read() == b"bob"
    assert [b["Name"] for b in alice.list_buckets()["Buckets"]] == ["shared-name"]


def test_creating_an_own_bucket_again_in_us_east_1_is_idempotent(s3, bucket):
    s3.put_object(Bucket=bucket, Key="k", Body=b"kept")
    s3.create_bucket(Bucket=bucket)
    assert s3.get_object(Bucket=bucket, Key="k")["Body"].read() == b"kept"
