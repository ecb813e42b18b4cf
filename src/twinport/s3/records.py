"""What twinport persists of moto's S3 objects, as JSON-ready dicts, and how it rebuilds them.

The bytes are not here: an object version or an upload part refers to its blob, which the
caller stores beside the record. Bucket configuration is not here either: it is persisted as
the requests that set it (see `mirror`).
"""

from __future__ import annotations

import datetime
from typing import Any

from moto.s3.models import (
    FakeAcl,
    FakeBucket,
    FakeDeleteMarker,
    FakeGrant,
    FakeGrantee,
    FakeKey,
    FakeMultipart,
    S3Backend,
)
from moto.s3.utils import CaseInsensitiveDict

from twinport.s3.blobkeys import BlobKey, back_with_blob
from twinport.s3.blobs import BlobRange

Record = dict[str, Any]
Version = FakeKey | FakeDeleteMarker

# Kept in each version's record; tests/s3/test_moto_contract.py checks moto still has them.
KEY_ATTRIBUTES = (
    "website_redirect_location",
    "checksum_algorithm",
    "checksum_value",
    "checksum_type",
    "checksum_parts",
    "encryption",
    "kms_key_id",
    "bucket_key_enabled",
    "lock_mode",
    "lock_legal_status",
    "lock_until",
)


def _time(value: datetime.datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def _parse_time(value: str | None) -> datetime.datetime | None:
    return datetime.datetime.fromisoformat(value) if value is not None else None


def acl_record(acl: FakeAcl | None) -> list[Record] | None:
    if acl is None:
        return None
    return [
        {
            "grantees": [
                {"id": g.id, "uri": g.uri, "display_name": g.display_name} for g in grant.grantees
            ],
            "permissions": list(grant.permissions),
        }
        for grant in acl.grants
    ]


def acl_from_record(record: list[Record] | None) -> FakeAcl | None:
    if record is None:
        return None
    return FakeAcl(
        [
            FakeGrant(
                [FakeGrantee(g["id"], g["uri"], g["display_name"]) for g in grant["grantees"]],
                grant["permissions"],
            )
            for grant in record
        ]
    )


# -- object versions ---------------------------------------------------------------------


def version_record(version: Version, backend: S3Backend) -> Record:
    if isinstance(version, FakeDeleteMarker):
        return {
            "kind": "delete_marker",
            "version_id": version.version_id,
            "last_modified": _time(version.last_modified),
        }
    record: Record = {
        "kind": "object",
        "version_id": version._version_id,
        "is_versioned": version._is_versioned,
        "last_modified": _time(version.last_modified),
        "size": version.size,
        "etag": version.etag.strip('"'),
        "storage_class": version.storage_class,
        "metadata": dict(version.metadata),
        "acl": acl_record(version.acl),
        "expiry": _time(version._expiry),
        "tags": backend.tagger.get_tag_dict_for_resource(version.arn),
        "multipart": _multipart_record(version.multipart),
    }
    record.update({name: getattr(version, name) for name in KEY_ATTRIBUTES})
    return record


def _multipart_record(multipart: FakeMultipart | None) -> Record | None:
    if multipart is None:
        return None
    parts = [multipart.parts[number] for number in multipart.partlist]
    return {
        "upload_id": multipart.id,
        "parts": [[part.name, part.size, part.etag.strip('"')] for part in parts],
    }


def version_from_record(
    name: str, record: Record, blob: BlobRange | None, bucket: FakeBucket, backend: S3Backend
) -> Version:
    key = _new_key(name, record.get("etag"), bucket, backend)
    if record["kind"] == "delete_marker":
        marker = FakeDeleteMarker(key)
        key.dispose()  # moto only keeps the deleted key for its name
        marker._version_id = record["version_id"]
        marker.last_modified = _parse_time(record["last_modified"])
        return marker
    key._version_id = record["version_id"]
    key._is_versioned = record["is_versioned"]
    key.last_modified = _parse_time(record["last_modified"])
    key._storage_class = record["storage_class"]
    key._metadata.clear()
    key._metadata.update(record["metadata"])
    key.set_acl(acl_from_record(record["acl"]))
    key.set_expiry(_parse_time(record["expiry"]))
    for attribute in KEY_ATTRIBUTES:
        setattr(key, attribute, record[attribute])
    if record["multipart"] is not None:
        key.multipart = _multipart_from_record(name, record["multipart"], blob, bucket, backend)
    back_with_blob(key, blob, record["etag"])
    if record["tags"]:
        backend.tagger.tag_resource(
            key.arn, backend.tagger.convert_dict_to_tags_input(record["tags"])
        )
    return key


def _multipart_from_record(
    name: str, record: Record, blob: BlobRange, bucket: FakeBucket, backend: S3Backend
) -> FakeMultipart:
    """The parts of a completed upload: consecutive ranges of the object's blob."""
    multipart = FakeMultipart(name, CaseInsensitiveDict(), backend.account_id, backend.region_name)
    multipart.id = record["upload_id"]
    offset = 0
    for number, size, etag in record["parts"]:
        part = _new_key(number, etag, bucket, backend)
        multipart.parts[number] = back_with_blob(part, blob[offset : offset + size], etag)
        multipart.partlist.append(number)
        offset += size
    return multipart


def _new_key(name: str | int, etag: str | None, bucket: FakeBucket, backend: S3Backend) -> FakeKey:
    return FakeKey(
        name,  # type: ignore[arg-type] - moto names upload parts by their number
        b"",
        account_id=backend.account_id,
        region_name=backend.region_name,
        etag=etag,
        bucket_name=bucket.name,
    )


# -- multipart uploads in progress -------------------------------------------------------


def upload_record(multipart: FakeMultipart) -> Record:
    return {
        "key": multipart.key_name,
        "metadata": dict(multipart.metadata),
        "storage": multipart.storage,
        "tags": multipart.tags,
        "acl": acl_record(multipart.acl),
        "sse_encryption": multipart.sse_encryption,
        "kms_key_id": multipart.kms_key_id,
    }


def upload_from_record(upload_id: str, record: Record, backend: S3Backend) -> FakeMultipart:
    multipart = FakeMultipart(
        record["key"],
        CaseInsensitiveDict(record["metadata"]),
        backend.account_id,
        backend.region_name,
        storage=record["storage"],
        tags=record["tags"],
        acl=acl_from_record(record["acl"]),
        sse_encryption=record["sse_encryption"],
        kms_key_id=record["kms_key_id"],
    )
    multipart.id = upload_id
    return multipart


def part_record(part: BlobKey) -> Record:
    return {
        "size": part.size,
        "etag": part.etag.strip('"'),
        "last_modified": _time(part.last_modified),
    }


def add_part_from_record(
    multipart: FakeMultipart,
    number: int,
    record: Record,
    blob: BlobRange,
    bucket: FakeBucket,
    backend: S3Backend,
) -> None:
    part = _new_key(number, record["etag"], bucket, backend)
    part.last_modified = _parse_time(record["last_modified"])
    multipart.parts[number] = back_with_blob(part, blob, record["etag"])
    multipart.partlist.append(number)
