"""The AWS SDK for JavaScript v3 against `--auth verify`: good keys pass, and every bad signature
is refused in the calling service's own terms (tests/js/signatures.mjs makes the calls)."""

from __future__ import annotations

import pytest

from tests.auth.test_verify_live import TEAM, server  # noqa: F401  (this module's own server)
from tests.js import node

BUCKET = "js-signatures"
OK = (200, "OK")
SERVICES = {
    "twinmaker ListWorkspaces": "json",
    "sitewise ListAssetModels": "json",
    "s3 ListBuckets": "s3",
    "s3 PutObject stream": "s3",
}
# What each bad signer gets, from the JSON services (TwinMaker, SiteWise) and from S3.
REFUSALS = {
    "wrong secret": {
        "json": (403, "InvalidSignatureException"),
        "s3": (403, "SignatureDoesNotMatch"),
    },
    "unknown key": {
        "json": (403, "UnrecognizedClientException"),
        "s3": (403, "InvalidAccessKeyId"),
    },
    "clock an hour slow": {
        "json": (403, "InvalidSignatureException"),
        "s3": (403, "RequestTimeTooSkewed"),
    },
    "clock an hour fast": {
        "json": (403, "InvalidSignatureException"),
        "s3": (403, "RequestTimeTooSkewed"),
    },
}
EXPECTED = {
    **{f"good: {call}": OK for call in SERVICES},
    **{
        f"{signer}: {call}": answers[family]
        for signer, answers in REFUSALS.items()
        for call, family in SERVICES.items()
    },
    "good: s3 PutObject stream, headers seen": OK,
    "good: twinmaker CreateWorkspace": OK,
    "good: sitewise CreateAssetModel": (202, "OK"),
    "good: s3 PutObject bytes": OK,
    "good: s3 presigned GET": OK,
    "clock corrected by the SDK: twinmaker ListWorkspaces": OK,
    "body changed after signing: twinmaker CreateWorkspace": (403, "InvalidSignatureException"),
    "body changed after signing: sitewise CreateAssetModel": (403, "InvalidSignatureException"),
    # S3 signs the body's SHA-256 in a header, and a streamed body's checksum in its trailer.
    "body changed after signing: s3 PutObject bytes": (400, "XAmzContentSHA256Mismatch"),
    "body changed after signing: s3 PutObject stream": (400, "BadDigest"),
    "key changed after signing: s3 PutObject bytes": (403, "SignatureDoesNotMatch"),
    "expired: s3 presigned GET": (403, "AccessDenied"),
}


@pytest.fixture(scope="module")
def matrix(server):  # noqa: F811
    key, secret, account = TEAM
    return node.run("signatures.mjs", BUCKET, account, url=server.url, key=key, secret=secret)


def test_every_case_ran(matrix):
    assert sorted(matrix["cases"]) == sorted(EXPECTED)


@pytest.mark.parametrize("case", EXPECTED)
def test_each_call_is_answered_as_aws_answers_it(matrix, case):
    answer = matrix["cases"][case]
    assert (answer["status"], answer["code"]) == EXPECTED[case]


def test_a_streamed_upload_is_sent_aws_chunked_with_a_trailing_checksum(matrix):
    # The JavaScript SDK does not sign chunks: it signs the headers, and the trailer carries
    # the body's CRC32 (the chunk-signed form is tested with a hand-made stream elsewhere).
    sent = matrix["streamHeaders"]
    assert sent["x-amz-content-sha256"] == "STREAMING-UNSIGNED-PAYLOAD-TRAILER"
    assert sent["content-encoding"] == "aws-chunked"
    assert sent["x-amz-trailer"] == "x-amz-checksum-crc32"
    assert sent["x-amz-decoded-content-length"] == "200000"
    assert matrix["readBack"] is True


def test_refused_requests_leave_nothing_behind(matrix):
    assert matrix["objects"] == ["bytes", "good-s3-PutObject-stream", "streamed"]
    assert matrix["workspaces"] == [f"{BUCKET}-signed"]
    assert matrix["assetModels"] == [f"{BUCKET} signed"]
