"""`twinport env`: its lines, evaluated by a shell, point the AWS CLI at twinport."""

from __future__ import annotations

import os
import shlex
import subprocess
import sys

from tests.transfer.helpers import make_workspace, upload


def without_aws_settings(tmp_path) -> dict[str, str]:
    """This process's environment with no AWS setting: no variable (the suite's own host-prefix
    one included) and no config or credentials file, so only `twinport env`'s lines count."""
    environ = {name: value for name, value in os.environ.items() if not name.startswith("AWS_")}
    environ["HOME"] = str(tmp_path)  # no ~/.aws
    return environ


def test_evaluated_lines_let_the_aws_cli_reach_twinmaker_and_s3(twinport, tmp_path):
    account = twinport.new_account()
    make_workspace(twinport, account, "plant", f"env-{account}")
    upload(twinport, account, f"env-{account}", "plant.json", b"{}")
    environ = {**without_aws_settings(tmp_path), "TWINPORT_ENDPOINT_URL": twinport.url}
    twinport_env = shlex.join([sys.executable, "-m", "twinport", "env", "--account", account])
    script = (
        f'eval "$({twinport_env})"\n'
        "aws iottwinmaker list-workspaces --query 'workspaceSummaries[].arn' --output text\n"
        f"aws s3 ls s3://env-{account}/\n"
    )
    result = subprocess.run(
        ["bash", "-euc", script], capture_output=True, text=True, env=environ, timeout=120
    )
    assert result.returncode == 0, result.stderr
    workspaces, listing = result.stdout.splitlines()
    assert workspaces == f"arn:aws:iottwinmaker:us-east-1:{account}:workspace/plant"
    assert listing.endswith(" 2 plant.json")


def test_lines_for_each_shell_carry_the_flags(tmp_path):
    command = [sys.executable, "-m", "twinport", "env", "--endpoint-url", "http://10.0.0.5:4777"]
    command += ["--account", "111122223333", "--region", "eu-west-1"]
    environ = without_aws_settings(tmp_path)
    printed = {
        shell: subprocess.run(
            [*command, "--shell", shell], capture_output=True, text=True, env=environ, check=True
        ).stdout.splitlines()
        for shell in ("sh", "fish", "powershell")
    }
    assert printed["sh"][1:] == [
        "export AWS_ENDPOINT_URL=http://10.0.0.5:4777",
        "export AWS_DISABLE_HOST_PREFIX_INJECTION=true",
        "export AWS_ACCESS_KEY_ID=111122223333",
        "export AWS_SECRET_ACCESS_KEY=twinport",
        "export AWS_REGION=eu-west-1",
        "export AWS_DEFAULT_REGION=eu-west-1",
    ]
    assert "set -gx AWS_ENDPOINT_URL 'http://10.0.0.5:4777'" in printed["fish"]
    assert "$env:AWS_ACCESS_KEY_ID = '111122223333'" in printed["powershell"]
    assert all(lines[0].startswith("# ") for lines in printed.values())
