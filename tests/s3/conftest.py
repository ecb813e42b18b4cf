import pytest


@pytest.fixture
def account(twinport):
    return twinport.new_account()


@pytest.fixture
def s3(twinport, account):
    return twinport.client("s3", account=account)


@pytest.fixture
def bucket(s3):
    s3.create_bucket(Bucket="data")
    return "data"
