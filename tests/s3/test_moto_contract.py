"""What the embedded S3 relies on inside moto, checked against the moto installed.

The embedded S3 reaches into moto's S3 backend: private attributes of its keys, the class of
a key, the registry of bucket names, its request type, its response handlers and the service
model they serialize answers with. None of that is moto's public API, so a moto release may
change it; these tests say which piece changed before a user's data directory meets it. One
test per piece, in the order of the modules that use it (`moto_s3`, `blobkeys`, `multipart`,
`records`, `mirror`, `embedded`).
"""

from __future__ import annotations

import copy
import datetime
import hashlib
import tomllib
import weakref
from importlib.metadata import version
from pathlib import Path

import pytest
from moto import settings as moto_settings
from moto.core.request import Request
from moto.core.utils import get_service_model
from moto.iam.models import iam_backends
from moto.s3.exceptions import NoSuchUpload
from moto.s3.models import (
    FakeAcl,
    FakeBucket,
    FakeDeleteMarker,
    FakeGrant,
    FakeGrantee,
    FakeKey,
    FakeMultipart,
    S3Backend,
    s3_backends,
)
from moto.s3.responses import S3Response
from moto.s3.utils import CaseInsensitiveDict
from moto.s3bucket_path.utils import parse_key_name
from packaging.requirements import Requirement
from packaging.specifiers import SpecifierSet
from werkzeug.datastructures import Headers

from twinport.s3 import records
from twinport.s3.blobkeys import BlobKey, ValueReads, back_with_blob, value_reads
from twinport.s3.blobs import BlobRange, BlobStore
from twinport.s3.moto_s3 import ACCOUNT_HEADER, PARTITION, MotoS3, S3Call

ACCOUNT = "111111111111"
OTHER = "222222222222"
REGION = "us-east-1"
PYPROJECT = Path(__file__).resolve().parents[2] / "pyproject.toml"


@pytest.fixture(autouse=True)
def moto_state(monkeypatch):
    """moto keeps S3 in module-level state: each test starts from it empty and leaves it so."""
    monkeypatch.setattr(moto_settings, "S3_IGNORE_SUBDOMAIN_BUCKETNAME", True)
    monkeypatch.setattr(s3_backends, "bucket_accounts", {})
    monkeypatch.delenv("MOTO_ACCOUNT_ID", raising=False)
    s3_backends.reset()
    yield
    s3_backends.reset()


@pytest.fixture
def blobs(tmp_path) -> BlobStore:
    return BlobStore(tmp_path)


def _blob(blobs: BlobStore, data: bytes) -> BlobRange:
    writer = blobs.writer()
    writer.write(data)
    return writer.commit()


def _md5(data: bytes) -> str:
    return hashlib.md5(data).hexdigest()


class _ServedRequest(Request):
    from_wsgi_server = True


def _dispatch(
    method: str,
    target: str,
    body: bytes = b"",
    headers: dict[str, str] | None = None,
    request_class: type[Request] = _ServedRequest,
) -> tuple[int, dict, object]:
    """A request as `MotoS3.handle` makes it (signed, so that moto does not check ACLs)."""
    request_headers = Headers(
        {ACCOUNT_HEADER: ACCOUNT, "Authorization": "signed", **(headers or {})}
    )
    request = request_class.from_primitives(
        method, f"http://localhost{target}", request_headers, body
    )
    request.environ["RAW_URI"] = target
    has_key = bool(target.split("?", 1)[0][1:].partition("/")[2])
    dispatch = S3Response.key_dispatch if has_key else S3Response.bucket_dispatch
    status, response_headers, response_body = dispatch(
        request, request.raw_url, dict(request.headers)
    )
    return int(status), response_headers, response_body


def _backend(account: str = ACCOUNT) -> S3Backend:
    return s3_backends[account][PARTITION]


def _new_key(name: str | int = "k", value: bytes = b"", etag: str | None = None) -> FakeKey:
    """A key made the way `records` makes one."""
    return FakeKey(
        name, value, account_id=ACCOUNT, region_name=REGION, etag=etag, bucket_name="data"
    )


# -- version ---------------------------------------------------------------------------------


def test_installed_moto_is_in_the_declared_range():
    project = tomllib.loads(PYPROJECT.read_text())["project"]
    declared = [*project["dependencies"], *project["optional-dependencies"]["bench"]]
    ranges = {str(r.specifier) for r in map(Requirement, declared) if r.name == "moto"}
    assert len(ranges) == 1, ranges  # the package and the benchmarks' server: one range
    (moto_range,) = ranges
    assert SpecifierSet(moto_range).contains(version("moto")), (version("moto"), moto_range)


# -- moto_s3: settings, accounts, backends, requests, dispatch ------------------------------


def test_path_style_buckets_setting_is_read_per_request(monkeypatch):
    request = Request.from_primitives("GET", "http://data.s3.amazonaws.com/key", {})
    monkeypatch.setattr(moto_settings, "S3_IGNORE_SUBDOMAIN_BUCKETNAME", False)
    assert S3Response.subdomain_based_buckets(request)
    monkeypatch.setattr(moto_settings, "S3_IGNORE_SUBDOMAIN_BUCKETNAME", True)
    assert not S3Response.subdomain_based_buckets(request)


def test_account_is_the_header_unless_the_environment_overrides_it(monkeypatch):
    assert _dispatch("PUT", "/by-header", headers={ACCOUNT_HEADER: OTHER})[0] == 200
    assert "by-header" in _backend(OTHER).buckets
    monkeypatch.setenv("MOTO_ACCOUNT_ID", ACCOUNT)
    assert _dispatch("PUT", "/by-environment", headers={ACCOUNT_HEADER: OTHER})[0] == 200
    assert "by-environment" in _backend(ACCOUNT).buckets


def test_backends_are_by_account_and_partition_and_reset_together():
    backend = _backend()
    assert isinstance(backend, S3Backend)
    assert (backend.account_id, backend.region_name) == (ACCOUNT, PARTITION)
    backend.create_bucket("data", REGION)
    assert isinstance(backend.buckets["data"], FakeBucket)
    s3_backends.reset()
    assert _backend().buckets == {}


def test_answers_are_serialized_with_the_model_get_service_model_keeps():
    get_service_model("s3")  # MotoS3.load_model, at start-up: the first request need not
    before = get_service_model.cache_info()
    assert _dispatch("PUT", "/serialized")[0] == 200
    after = get_service_model.cache_info()
    assert after.hits > before.hits
    assert after.misses == before.misses


def test_bucket_registry_is_written_as_name_to_partition_and_account():
    FakeBucket("data", ACCOUNT, REGION)
    assert s3_backends.bucket_accounts["data"] == (PARTITION, ACCOUNT)


def test_bucket_registry_replaced_by_one_namespace_per_account():
    moto = MotoS3()  # installs AccountBucketNames, which has only the methods moto calls
    for account in (ACCOUNT, OTHER):
        assert moto.handle(account, S3Call("PUT", "/shared", [])).ok
    assert moto.handle(ACCOUNT, S3Call("PUT", "/mine", [])).ok
    assert moto.handle(OTHER, S3Call("HEAD", "/mine", [])).status == 404
    assert moto.handle(ACCOUNT, S3Call("DELETE", "/mine", [])).status == 204
    assert moto.handle(ACCOUNT, S3Call("HEAD", "/mine", [])).status == 404
    assert moto.handle(OTHER, S3Call("HEAD", "/shared", [])).ok


def test_requests_make_account_backends_which_moto_s3_drops_while_empty():
    moto = MotoS3()
    assert moto.handle(OTHER, S3Call("GET", "/", [])).ok
    # moto notes each request's account in IAM, making a backend for it.
    assert OTHER not in dict.keys(s3_backends) and OTHER not in dict.keys(iam_backends)
    assert moto.handle(OTHER, S3Call("PUT", "/kept", [])).ok
    assert OTHER in dict.keys(s3_backends)
    assert moto.handle(OTHER, S3Call("HEAD", "/kept", [])).ok


def test_every_model_object_is_appended_to_its_class_list_which_moto_s3_empties():
    moto = MotoS3()
    assert moto.handle(ACCOUNT, S3Call("PUT", "/tracked", [])).ok
    FakeKey.instances_tracked = []  # what moto sets, and MotoS3 replaces
    signed = [("authorization", "signed"), ("content-length", "1")]  # no ACL check
    put = S3Call("PUT", "/tracked/key", signed, b"x")
    assert moto.handle(ACCOUNT, put).ok
    assert [key.name for key in FakeKey.instances_tracked] == ["key"]
    MotoS3()
    assert moto.handle(ACCOUNT, S3Call("PUT", "/tracked", [])).ok
    assert moto.handle(ACCOUNT, put).ok
    first = weakref.ref(_backend(ACCOUNT).buckets["tracked"].keys["key"])
    assert moto.handle(ACCOUNT, put).ok  # overwritten: nothing else holds the first key
    assert first() is None and FakeKey.instances_tracked == []


def test_request_keeps_the_raw_path_given_in_raw_uri():
    target = "/data/a%2Fb%20c+d?tagging"
    request = Request.from_primitives("GET", f"http://localhost{target}", Headers())
    request.environ["RAW_URI"] = target
    assert request.raw_path == "/data/a%2Fb%20c+d"
    assert request.raw_url == f"http://localhost{target}"


def test_served_request_leaves_the_date_header_to_the_server():
    assert "date" in _dispatch("PUT", "/data", request_class=Request)[1]
    assert "date" not in _dispatch("GET", "/data", request_class=_ServedRequest)[1]


def test_dispatch_entry_points_answer_status_headers_body():
    assert _dispatch("PUT", "/data")[0] == 200
    status, headers, body = _dispatch("PUT", "/data/key", b"hello")
    assert (status, headers["ETag"], body) == (200, f'"{_md5(b"hello")}"', b"")
    status, _, body = _dispatch("GET", "/data/key")
    assert (status, body) == (200, b"hello")


def test_key_names_are_the_unquoted_raw_path_after_the_bucket():
    _dispatch("PUT", "/data")
    _dispatch("PUT", "/data/a%2Fb%20c+d", b"x")
    assert list(_backend().buckets["data"].keys) == [parse_key_name("/data/a/b c+d")]
    assert parse_key_name("/data/a/b c+d") == "a/b c+d"
    assert parse_key_name("/data") == ""


# -- blobkeys: FakeKey internals -------------------------------------------------------------


def test_key_value_is_a_property_over_the_value_buffer():
    assert isinstance(FakeKey.__dict__["value"], property)
    key = _new_key(value=b"hello")
    with key.lock:  # how the mirror copies the bytes of a key moto made itself
        key._value_buffer.seek(0)
        assert key._value_buffer.read() == b"hello"
    assert (key.contentsize, key.size, key.value) == (5, 5, b"hello")
    key.dispose()


def test_key_etag_is_computed_into_and_read_from_the_private_etag():
    key = _new_key(value=b"hello")
    assert key._etag is None
    assert key.etag == f'"{_md5(b"hello")}"'
    assert key._etag == _md5(b"hello")
    key._etag = "0" * 32
    assert key.etag == f'"{"0" * 32}"'
    key.dispose()


def test_key_class_can_become_blob_key_and_keep_its_state(blobs):
    key = _new_key(value=b"old")
    key._metadata["x-amz-meta-n"] = "1"
    blob = _blob(blobs, b"new bytes")
    assert back_with_blob(key, blob, "e" * 32) is key
    assert type(key) is BlobKey and isinstance(key, FakeKey)
    assert (key.name, key.metadata["x-amz-meta-n"], key.etag) == ("k", "1", f'"{"e" * 32}"')
    assert (key.size, key.value) == (9, b"new bytes")
    key.dispose()  # closes the value buffer: the blob range
    assert key.disposed


def test_key_copies_go_through_getstate_and_setstate(blobs):
    assert {"__getstate__", "__setstate__"} <= FakeKey.__dict__.keys()
    key = back_with_blob(_new_key(value=b"x"), _blob(blobs, b"bytes"))
    assert {"lock", "_value_buffer"} <= key.__dict__.keys()
    copied = copy.deepcopy(key)
    assert (type(copied), copied.blob, copied.value) == (BlobKey, key.blob, b"bytes")
    assert copied.lock is not key.lock
    copied.dispose()
    key.dispose()


def test_download_returns_the_key_value_as_it_is_and_slices_it_for_a_range(blobs):
    _dispatch("PUT", "/data")
    _dispatch("PUT", "/data/key")
    back_with_blob(_backend().buckets["data"].keys["key"], _blob(blobs, b"0123456789"))
    with value_reads(ValueReads.RANGES):
        whole = _dispatch("GET", "/data/key")[2]
        part = _dispatch("GET", "/data/key", headers={"Range": "bytes=2-5"})[2]
    assert isinstance(whole, BlobRange) and whole.read() == b"0123456789"
    assert isinstance(part, BlobRange) and part.read() == b"2345"


# -- multipart: completing an upload ---------------------------------------------------------


def test_completion_reads_parts_through_value_and_sizes_through_contentsize(blobs):
    _dispatch("PUT", "/data")
    _dispatch("POST", "/data/big?uploads", headers={"x-amz-checksum-algorithm": "CRC32"})
    bucket = _backend().buckets["data"]
    (upload,) = bucket.multiparts.values()
    assert upload.metadata.get("x-amz-checksum-algorithm") == "CRC32"
    assert upload.metadata.get("x-amz-checksum-type") is None
    first, last = b"a" * 5 * 1024 * 1024, b"b"  # all parts but the last: 5 MiB at least
    for number, data in ((1, first), (2, last)):
        _dispatch("PUT", f"/data/big?uploadId={upload.id}&partNumber={number}")
        back_with_blob(upload.parts[number], _blob(blobs, data), _md5(data))
    listed = "".join(
        f"<Part><PartNumber>{n}</PartNumber><ETag>{_md5(d)}</ETag></Part>"
        for n, d in ((1, first), (2, last))
    )
    body = f"<CompleteMultipartUpload>{listed}</CompleteMultipartUpload>".encode()
    with value_reads(ValueReads.NOTHING):
        assert _dispatch("POST", f"/data/big?uploadId={upload.id}", body)[0] == 200
    key = bucket.keys["big"]
    assert upload.id not in bucket.multiparts
    assert (key.multipart, key.multipart.partlist, key.size) == (upload, [1, 2], 0)
    parts_md5 = _md5(bytes.fromhex(_md5(first)) + bytes.fromhex(_md5(last)))
    assert key.etag == f'"{parts_md5}-2"'
    assert (key.checksum_algorithm, key.checksum_type, key.checksum_parts) == (
        "CRC32",
        "COMPOSITE",
        2,
    )
    assert isinstance(key.checksum_value, str)


# -- records: the objects rebuilt at start ---------------------------------------------------


def test_key_constructor_and_the_attributes_records_keep():
    key = _new_key(3, etag="f" * 32)
    assert (key.name, key.bucket_name, key.etag) == (3, "data", f'"{"f" * 32}"')
    key._version_id, key._is_versioned = "v1", True
    key._storage_class = "GLACIER"
    key._metadata.clear()
    key._metadata.update({"content-type": "text/plain"})
    key.set_expiry(datetime.datetime(2030, 1, 1, tzinfo=datetime.UTC))
    key.last_modified = datetime.datetime(2020, 1, 1, tzinfo=datetime.UTC)
    assert (key.version_id, key.storage_class) == ("v1", "GLACIER")
    assert dict(key.metadata) == {"content-type": "text/plain"}
    assert key._expiry.year == 2030 and key.multipart is None
    assert key.arn == "arn:aws:s3:::data/3/v1"
    for name in records.KEY_ATTRIBUTES:
        assert name in key.__dict__, name
    key.dispose()


def test_delete_marker_is_made_from_a_key_and_keeps_its_version_privately():
    key = _new_key()
    marker = FakeDeleteMarker(key)
    key.dispose()
    marker._version_id = "v2"
    marker.last_modified = datetime.datetime(2020, 1, 1, tzinfo=datetime.UTC)
    assert (marker.name, marker.version_id) == ("k", "v2")


def test_acl_is_grants_of_grantees_and_permissions():
    acl = FakeAcl([FakeGrant([FakeGrantee("id", "uri", "name")], ["READ"])])
    (grant,) = acl.grants
    (grantee,) = grant.grantees
    assert (grantee.id, grantee.uri, grantee.display_name) == ("id", "uri", "name")
    assert grant.permissions == ["READ"]
    key = _new_key()
    (default,) = key.acl.grants  # the ACLs moto makes itself are built the same way
    assert isinstance(default, FakeGrant)
    assert all(isinstance(g, FakeGrantee) for g in default.grantees)
    key.set_acl(acl)
    assert key.acl is acl
    key.dispose()


def test_multipart_constructor_and_the_attributes_records_keep():
    metadata = CaseInsensitiveDict({"Content-Type": "text/plain"})
    upload = FakeMultipart(
        "big",
        metadata,
        ACCOUNT,
        REGION,
        storage="STANDARD",
        tags={"a": "b"},
        acl=None,
        sse_encryption="AES256",
        kms_key_id=None,
    )
    upload.id = "upload-1"
    assert upload.metadata["content-type"] == "text/plain"
    assert (upload.key_name, upload.storage, upload.tags) == ("big", "STANDARD", {"a": "b"})
    assert (upload.acl, upload.sse_encryption, upload.kms_key_id) == (None, "AES256", None)
    assert (upload.parts, upload.partlist) == ({}, [])


def test_object_tags_are_kept_by_the_backend_tagger_under_the_key_arn():
    tagger = _backend().tagger
    arn = "arn:aws:s3:::data/k/null"
    tagger.tag_resource(arn, tagger.convert_dict_to_tags_input({"team": "twin"}))
    assert tagger.get_tag_dict_for_resource(arn) == {"team": "twin"}


# -- mirror and embedded: buckets, versions, uploads -------------------------------------------


def test_bucket_keeps_versions_in_a_list_per_key_the_latest_last():
    _dispatch("PUT", "/data")
    versioning = b"<VersioningConfiguration><Status>Enabled</Status></VersioningConfiguration>"
    _dispatch("PUT", "/data?versioning", versioning)
    bucket = _backend().buckets["data"]
    _dispatch("PUT", "/data/k", b"1")
    _dispatch("PUT", "/data/k", b"2")
    first, second = bucket.keys.getlist("k", [])
    assert (first.value, second.value) == (b"1", b"2")
    assert bucket.keys.get("k") is second and list(bucket.keys.keys()) == ["k"]
    assert bucket.keys.getlist("missing", []) == []
    bucket.keys.setlist("k", [second])
    assert bucket.keys.getlist("k") == [second] and first.disposed
    assert (bucket.account_id, bucket.name) == (ACCOUNT, "data")
    bucket.creation_date = datetime.datetime(2020, 1, 1, tzinfo=datetime.UTC)
    assert "2020-01-01" in _dispatch("GET", "/")[2].decode()


def test_uploaded_part_is_the_upload_part_under_its_number():
    _dispatch("PUT", "/data")
    _dispatch("POST", "/data/big?uploads")
    (upload_id, upload), *_ = _backend().buckets["data"].multiparts.items()
    assert _dispatch("PUT", f"/data/big?uploadId={upload_id}&partNumber=1")[0] == 200
    assert isinstance(upload.parts[1], FakeKey) and upload.partlist == [1]
    assert upload.id == upload_id


def test_no_such_upload_has_the_aws_message():
    assert NoSuchUpload("upload-1").message.startswith("The specified upload does not exist.")
