"""The AWS CLI against `--auth verify`: good keys pass, and every bad signature is refused in the
calling service's own terms.

The CLI has no clock flag nor a hook between signing and sending: a CLI plugin (written to a
temporary folder, named in the config file the CLI reads) moves its signing clock or changes a
body after signing when asked by an environment variable. Over http the CLI signs each body's
SHA-256 (aws-chunked trailers are for https only), a large `aws s3 cp` in parts.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from tests.auth.test_verify_live import TEAM, server  # noqa: F401  (this module's own server)

MULTIPART_SIZE = 9 * 1024 * 1024  # above the CLI's 8 MB multipart threshold
BUCKET = "cli-signatures"
OTHER_TIME, TAMPER = "TWINPORT_TEST_CLOCK_OFFSET", "TWINPORT_TEST_TAMPER"

_PLUGIN = f'''
"""Test plugin: a signing clock moved by ${OTHER_TIME} seconds; with ${TAMPER}, every body
has "tampered" changed to "tamperee" after signing."""
import datetime
import os

import botocore.auth


def awscli_initialize(events):
    offset = float(os.environ.get("{OTHER_TIME}", "0"))
    if offset:
        now = botocore.auth.get_current_datetime
        botocore.auth.get_current_datetime = lambda *args, **kwargs: (
            now(*args, **kwargs) + datetime.timedelta(seconds=offset)
        )
    if os.environ.get("{TAMPER}"):
        events.register("before-send", _tamper)


def _tamper(request, **_):
    body = request.body if isinstance(request.body, bytes) else request.body.read()
    request.body = body.replace(b"tampered", b"tamperee")
'''


class Cli:
    """`aws` as a user runs it, with twinport's endpoint and a key of the credentials file."""

    def __init__(self, url: str, folder: Path):
        self.url = url
        self.folder = folder
        (folder / "twinport_cli_test_plugin.py").write_text(_PLUGIN)
        (folder / "config").write_text(
            "[default]\nregion = us-east-1\n[plugins]\ntwinport = twinport_cli_test_plugin\n"
        )
        (folder / "credentials").write_text("")

    def __call__(
        self, *args: str, key: str = TEAM[0], secret: str = TEAM[1], **extra: str
    ) -> subprocess.CompletedProcess:
        env = {name: value for name, value in os.environ.items() if not name.startswith("AWS_")}
        env.update(
            AWS_CA_BUNDLE=os.environ.get("AWS_CA_BUNDLE", ""),
            AWS_CONFIG_FILE=str(self.folder / "config"),
            AWS_SHARED_CREDENTIALS_FILE=str(self.folder / "credentials"),
            AWS_ACCESS_KEY_ID=key,
            AWS_SECRET_ACCESS_KEY=secret,
            AWS_ENDPOINT_URL=self.url,
            AWS_DISABLE_HOST_PREFIX_INJECTION="true",
            AWS_MAX_ATTEMPTS="1",  # a refusal is answered once, not retried
            PYTHONPATH=str(self.folder),
            **extra,
        )
        return subprocess.run(
            ["aws", *args],
            capture_output=True,
            text=True,
            env=env,
            cwd=self.folder,
            timeout=120,
            check=False,
        )

    def ok(self, *args: str, **extra: str) -> str:
        done = self(*args, **extra)
        assert done.returncode == 0, done.stderr
        return done.stdout


@pytest.fixture(scope="module")
def cli(server, tmp_path_factory):  # noqa: F811
    if shutil.which("aws") is None:
        pytest.skip("the AWS CLI is not installed: these tests run `aws`")
    made = Cli(server.url, tmp_path_factory.mktemp("cli"))
    made.ok("s3", "mb", f"s3://{BUCKET}")
    (made.folder / "big.bin").write_bytes(os.urandom(MULTIPART_SIZE))
    (made.folder / "small.txt").write_text("signed by the CLI")
    return made


def refusal(done: subprocess.CompletedProcess) -> str:
    """The error code the CLI reports for a refused call."""
    assert done.returncode != 0, done.stdout
    found = re.search(r"An error occurred \((\w+)\)", done.stderr)
    assert found, done.stderr
    return found.group(1)


WORKSPACE = ("--s3-location", f"arn:aws:s3:::{BUCKET}", "--role")
ROLE = f"arn:aws:iam::{TEAM[2]}:role/twinmaker"
LISTS = {
    "iottwinmaker": ("iottwinmaker", "list-workspaces"),
    "iotsitewise": ("iotsitewise", "list-asset-models"),
    "s3": ("s3api", "list-buckets"),
}


def test_good_keys_pass_for_every_service(cli):
    for command in LISTS.values():
        cli.ok(*command)
    created = cli.ok("iottwinmaker", "create-workspace", "--workspace-id", "cli", *WORKSPACE, ROLE)
    assert f":{TEAM[2]}:workspace/cli" in created
    cli.ok("iotsitewise", "create-asset-model", "--asset-model-name", "cli model")
    cli.ok("s3", "cp", "small.txt", f"s3://{BUCKET}/small.txt")
    assert cli.ok("s3", "cp", f"s3://{BUCKET}/small.txt", "-") == "signed by the CLI"


def test_a_large_upload_goes_in_signed_parts_and_comes_back_whole(cli):
    cli.ok("s3", "cp", "big.bin", f"s3://{BUCKET}/big.bin")
    head = cli.ok("s3api", "head-object", "--bucket", BUCKET, "--key", "big.bin")
    assert re.search(r'"ETag": "\\"[0-9a-f]{32}-2\\""', head), head  # two parts
    cli.ok("s3", "cp", f"s3://{BUCKET}/big.bin", "back.bin")
    assert (cli.folder / "back.bin").read_bytes() == (cli.folder / "big.bin").read_bytes()


@pytest.mark.parametrize(
    ("service", "wrong_secret", "unknown_key", "other_time"),
    [
        (
            "iottwinmaker",
            "InvalidSignatureException",
            "UnrecognizedClientException",
            "InvalidSignatureException",
        ),
        (
            "iotsitewise",
            "InvalidSignatureException",
            "UnrecognizedClientException",
            "InvalidSignatureException",
        ),
        ("s3", "SignatureDoesNotMatch", "InvalidAccessKeyId", "RequestTimeTooSkewed"),
    ],
)
def test_bad_keys_and_times_are_refused_in_each_services_terms(
    cli, service, wrong_secret, unknown_key, other_time
):
    command = LISTS[service]
    assert refusal(cli(*command, secret="not-the-secret")) == wrong_secret
    assert refusal(cli(*command, key="AKIDNOBODY000000")) == unknown_key
    assert refusal(cli(*command, **{OTHER_TIME: "-3600"})) == other_time


def test_a_clock_a_few_minutes_off_is_still_accepted(cli):
    cli.ok(*LISTS["s3"], **{OTHER_TIME: "-600"})


def test_a_large_upload_with_a_wrong_secret_writes_nothing(cli):
    done = cli("s3", "cp", "big.bin", f"s3://{BUCKET}/refused.bin", secret="not-the-secret")
    assert done.returncode != 0
    assert "An error occurred (SignatureDoesNotMatch)" in done.stderr
    assert "refused.bin" not in cli.ok("s3", "ls", f"s3://{BUCKET}/")


def test_bodies_changed_after_signing_are_refused(cli):
    tampered = {TAMPER: "1"}
    create = ("iottwinmaker", "create-workspace", "--workspace-id", "tampered", *WORKSPACE, ROLE)
    assert refusal(cli(*create, "--description", "tampered", **tampered)) == (
        "InvalidSignatureException"
    )
    model = ("iotsitewise", "create-asset-model", "--asset-model-name", "tampered")
    assert refusal(cli(*model, **tampered)) == "InvalidSignatureException"
    (cli.folder / "tampered.txt").write_text("tampered")
    put = ("s3api", "put-object", "--bucket", BUCKET, "--key", "tampered.txt")
    put += ("--body", "tampered.txt")
    assert refusal(cli(*put, **tampered)) == "XAmzContentSHA256Mismatch"
    assert "tamper" not in cli.ok("iottwinmaker", "list-workspaces")
    assert "tamper" not in cli.ok("iotsitewise", "list-asset-models")
    assert "tamper" not in cli.ok("s3", "ls", f"s3://{BUCKET}/")


def test_presigned_urls_open_in_time_and_are_refused_once_expired(cli):
    cli.ok("s3", "cp", "small.txt", f"s3://{BUCKET}/shared.txt")
    url = cli.ok("s3", "presign", f"s3://{BUCKET}/shared.txt", "--expires-in", "60").strip()
    with urllib.request.urlopen(url) as answer:
        assert answer.read() == b"signed by the CLI"
    expiring = cli.ok("s3", "presign", f"s3://{BUCKET}/shared.txt", "--expires-in", "1").strip()
    time.sleep(2.5)
    with pytest.raises(urllib.error.HTTPError) as caught, urllib.request.urlopen(expiring):
        pass
    with caught.value as error:
        assert error.code == 403
        assert b"<Code>AccessDenied</Code>" in error.read()
