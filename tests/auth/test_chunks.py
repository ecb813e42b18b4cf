"""AWS's worked example of a streaming upload (sigv4-streaming: 66560 bytes of 'a' in a 64 KiB
chunk, a 1 KiB chunk and the empty last one), and its trailer form."""

from datetime import UTC, datetime

from twinport.auth import Credentials, Refusal, SignedRequest, Verified, authenticate

SEED = "4f232c4386841ef735655705268965c44a0e4690baa4adea153f7db9fa80a0a9"
CHUNKS = [
    (b"a" * 65536, "ad80c730a21e5b8d04586a2213dd63b9a0e99e0e2307b0ade35a65485a288648"),
    (b"a" * 1024, "0055627c9e194cb4542bae2aa5492e3c1575bbb81b612b7d234b86a503ef5497"),
    (b"", "b6c6ea8a5354eaf15b3cb7646744f4275b71ea724fed81ceb9323e279d449df9"),
]
TRAILER = "df5735bd9f3295cd9386572292562fefc93ba94e80a0a1ddcbd652c4e0a75e6c"  # aws-c-auth's test
EXAMPLE = Credentials.parse(
    {
        "AKIAIOSFODNN7EXAMPLE": {
            "secret": "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
            "account": "123456789012",
        }
    }
)
THEN = datetime(2013, 5, 24, 0, 5, tzinfo=UTC)


def example_seed() -> Verified:
    request = SignedRequest.of(
        "PUT",
        "/examplebucket/chunkObject.txt",
        "",
        {
            "Host": "s3.amazonaws.com",
            "x-amz-date": "20130524T000000Z",
            "x-amz-storage-class": "REDUCED_REDUNDANCY",
            "Authorization": "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/"
            "s3/aws4_request,SignedHeaders=content-encoding;content-length;host;x-amz-content-sha256;"
            f"x-amz-date;x-amz-decoded-content-length;x-amz-storage-class,Signature={SEED}",
            "x-amz-content-sha256": "STREAMING-AWS4-HMAC-SHA256-PAYLOAD",
            "Content-Encoding": "aws-chunked",
            "x-amz-decoded-content-length": "66560",
            "Content-Length": "66824",
        },
    )
    seed = authenticate(request, EXAMPLE, THEN)
    assert isinstance(seed, Verified) and seed.chunks is not None, seed
    return seed


def test_the_example_seed_and_chunks_verify_and_chain():
    chunks = example_seed().chunks
    for data, signature in CHUNKS:
        chunks.update(data[:100])
        chunks.update(data[100:])  # chunk data may arrive in pieces
        assert chunks.check(signature) is None
    assert (
        chunks.check_trailer([("first", "1st"), ("second", "2nd"), ("third", "3rd")], TRAILER)
        is None
    )


def test_a_changed_dropped_or_reordered_chunk_is_refused():
    chunks = example_seed().chunks
    chunks.update(b"a" * 65535 + b"b")
    refusal = chunks.check(CHUNKS[0][1])
    assert isinstance(refusal, Refusal) and refusal.s3.code == "SignatureDoesNotMatch"

    chunks = example_seed().chunks
    chunks.update(CHUNKS[1][0])
    assert chunks.check(CHUNKS[1][1]) is not None

    chunks = example_seed().chunks
    for data, signature in CHUNKS:
        chunks.update(data)
        assert chunks.check(signature) is None
    assert chunks.check_trailer([("first", "1st")], TRAILER) is not None
