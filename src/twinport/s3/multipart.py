"""Completing a multipart upload without holding the object in memory.

moto validates the completion (parts, ETags, sizes) and computes the ETag from the parts'
ETags; it is run with empty part values. twinport concatenates the listed parts' blobs into
the object's blob, computes the checksum moto would have computed, and makes each part a
range of the new blob (so that `partNumber` reads still work and the part blobs can go).
"""

from __future__ import annotations

from dataclasses import dataclass
from xml.etree import ElementTree

from moto.s3.models import FakeKey, FakeMultipart

from twinport.s3.blobkeys import back_with_blob, is_blob_backed
from twinport.s3.blobs import BlobRange, BlobStore, BlobWriter
from twinport.s3.checksums import MultipartChecksum


def listed_part_numbers(body: bytes) -> tuple[int, ...]:
    """The part numbers a CompleteMultipartUpload body lists, in order; () if unreadable."""
    try:
        root = ElementTree.fromstring(body)
        return tuple(int(e.text or "") for e in root.iter() if e.tag.endswith("PartNumber"))
    except (ElementTree.ParseError, ValueError):
        return ()


@dataclass(frozen=True)
class Plan:
    """What the completed object will be made of."""

    parts: tuple[tuple[int, BlobRange], ...]
    checksum_algorithm: str | None
    checksum_type: str | None


def plan(multipart: FakeMultipart | None, numbers: tuple[int, ...]) -> Plan | None:
    """None when the parts cannot make an object (moto will say why)."""
    if multipart is None or not numbers:
        return None
    parts = [multipart.parts.get(number) for number in numbers]
    if not all(part is not None and is_blob_backed(part) for part in parts):
        return None
    return Plan(
        tuple((number, part.blob) for number, part in zip(numbers, parts, strict=True)),
        multipart.metadata.get("x-amz-checksum-algorithm"),
        multipart.metadata.get("x-amz-checksum-type"),
    )


@dataclass
class Staged:
    plan: Plan
    writer: BlobWriter
    checksum: tuple[str, str, int]


def stage(plan: Plan, blobs: BlobStore) -> Staged:
    """Concatenates the parts into a new, uncommitted blob. Raises OSError if a part is gone."""
    checksum = MultipartChecksum(plan.checksum_algorithm, plan.checksum_type)
    writer = blobs.writer()
    try:
        for _, blob in plan.parts:
            for chunk in blob.open():
                writer.write(chunk)
                checksum.update(chunk)
            checksum.end_part()
    except BaseException:
        writer.discard()
        raise
    return Staged(plan, writer, checksum.result())


def finish(key: FakeKey, staged: Staged) -> None:
    """Gives the key moto created (empty) its bytes, checksum and parts."""
    blob = staged.writer.commit()
    back_with_blob(key, blob)
    key.checksum_type, key.checksum_value, key.checksum_parts = staged.checksum
    multipart = key.multipart
    parts, offset = {}, 0
    for number, part_blob in staged.plan.parts:
        part = multipart.parts[number]
        parts[number] = back_with_blob(part, blob[offset : offset + part_blob.length])
        offset += part_blob.length
    # Parts uploaded but not listed are not part of the object.
    multipart.parts = parts
    multipart.partlist = list(parts)
