"""twinport as it ships: the wheel, built from just what the Dockerfile copies, installed into a
fresh virtualenv that cannot see the source tree, serving with the Dockerfile's own command and
answering the Dockerfile's own health check, boto3 and a metadata transfer job.

The container itself is not started here (that needs a Docker daemon); everything it runs is.
"""

from __future__ import annotations

import json
import os
import shlex
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
import zipfile
from collections.abc import Iterator
from email.parser import Parser
from pathlib import Path

import pytest

from tests.transfer.helpers import entities_file, import_job, make_workspace, upload, wait_for
from twinport.testing import TwinportServer, free_port

PROJECT = Path(__file__).resolve().parents[2]
DOCKERFILE = PROJECT / "Dockerfile"
# The test environment's pip; it uses pip's cache, so a rerun downloads nothing.
PIP = [sys.executable, "-m", "pip"]


def stages(dockerfile: Path) -> list[list[tuple[str, str]]]:
    """The Dockerfile's instructions, (KEYWORD, arguments), grouped by stage."""
    text = dockerfile.read_text().replace("\\\n", " ")
    result: list[list[tuple[str, str]]] = []
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        keyword, _, arguments = line.partition(" ")
        if keyword.upper() == "FROM":
            result.append([])
        result[-1].append((keyword.upper(), arguments.strip()))
    return result


def exec_form(stage: list[tuple[str, str]], keyword: str) -> list[str]:
    """The JSON (exec) form of the stage's last `keyword`; [] when it has none."""
    values = [arguments for name, arguments in stage if name == keyword]
    return json.loads(values[-1]) if values else []


def run(command: list[str], **kwargs) -> subprocess.CompletedProcess:
    done = subprocess.run(command, capture_output=True, text=True, **kwargs)
    assert done.returncode == 0, f"{shlex.join(command)} failed:\n{done.stdout}\n{done.stderr}"
    return done


@pytest.fixture(scope="module")
def image() -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """The build stage and the final stage of the Dockerfile."""
    found = stages(DOCKERFILE)
    assert len(found) >= 2, "the Dockerfile builds the wheel in a stage of its own"
    return found[0], found[-1]


@pytest.fixture(scope="module")
def context(image, tmp_path_factory) -> Path:
    """A copy of exactly what the Dockerfile's build stage copies."""
    build_stage, _ = image
    context = tmp_path_factory.mktemp("context")
    for name, arguments in build_stage:
        if name == "COPY" and not arguments.startswith("--"):
            *sources, _ = arguments.split()
            for source in sources:
                origin = PROJECT / source
                if origin.is_dir():
                    ignore = shutil.ignore_patterns("__pycache__", "*.pyc", "*.egg-info")
                    shutil.copytree(origin, context / source, ignore=ignore)
                else:
                    shutil.copy2(origin, context / source)
    return context


@pytest.fixture(scope="module")
def wheel(context, tmp_path_factory) -> Path:
    """The wheel, built as the Dockerfile's build stage builds it."""
    out = tmp_path_factory.mktemp("wheels")
    run([*PIP, "wheel", "-q", "--no-deps", str(context), "-w", str(out)])
    (built,) = out.glob("twinport-*.whl")
    return built


@pytest.fixture(scope="module")
def venv(wheel, tmp_path_factory) -> Path:
    """A fresh virtualenv with the wheel installed and its dependencies from the index."""
    where = tmp_path_factory.mktemp("venv")
    # Without a pip of its own: the test's pip installs into it (--python), seconds faster.
    run([sys.executable, "-m", "venv", "--without-pip", str(where)])
    python = where / "bin" / "python"
    run([*PIP, "--python", str(python), "install", "-q", "--no-compile", str(wheel)])
    return where


@pytest.fixture(scope="module")
def image_env(venv) -> dict[str, str]:
    """The environment of the container: the venv's commands first, no project on the path."""
    env = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith("TWINPORT_") and name not in ("PYTHONPATH", "VIRTUAL_ENV")
    }
    env["PATH"] = f"{venv / 'bin'}{os.pathsep}{env.get('PATH', os.defpath)}"
    env["TWINPORT_PORT"] = str(free_port())
    return env


@pytest.fixture(scope="module")
def served(image, image_env, tmp_path_factory) -> Iterator[TwinportServer]:
    """The installed twinport, started with the ENTRYPOINT and CMD of the Dockerfile."""
    _, final = image
    command = exec_form(final, "ENTRYPOINT") + exec_form(final, "CMD")
    assert command[:2] == ["twinport", "serve"], command
    assert command[command.index("--host") + 1] == "0.0.0.0", "reachable from outside"
    data_dir = tmp_path_factory.mktemp("data")
    command[command.index("--data-dir") + 1] = str(data_dir)
    port = int(image_env["TWINPORT_PORT"])
    log_path = data_dir.parent / "served.log"
    with open(log_path, "wb") as log:
        process = subprocess.Popen(
            command, cwd=data_dir.parent, env=image_env, stdout=log, stderr=subprocess.STDOUT
        )
    try:
        _wait_until_healthy(f"http://127.0.0.1:{port}", process, log_path)
        # Not started: used only for its boto3 clients, pointed at the installed server.
        yield TwinportServer(data_dir, port=port)
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _wait_until_healthy(url: str, process: subprocess.Popen, log_path: Path) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"twinport exited during start-up:\n{log_path.read_text()}")
        try:
            with urllib.request.urlopen(f"{url}/_twinport/health", timeout=1):
                return
        except OSError:
            time.sleep(0.05)
    raise AssertionError(f"twinport did not become healthy:\n{log_path.read_text()}")


def test_the_wheel_ships_every_package_file_the_license_and_the_metadata(context, wheel):
    sources = context / "src"
    in_tree = {
        path.relative_to(sources).as_posix()
        for path in (sources / "twinport").rglob("*")
        if path.is_file()
    }
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
        info = next(name.split("/")[0] for name in names if name.endswith(".dist-info/METADATA"))
        metadata = Parser().parsestr(archive.read(f"{info}/METADATA").decode())
        license_text = archive.read(f"{info}/licenses/LICENSE").decode()
        entry_points = archive.read(f"{info}/entry_points.txt").decode()
    assert in_tree - names == set(), "files of the package missing from the wheel"
    assert license_text == (PROJECT / "LICENSE").read_text()
    assert metadata["License-Expression"] == "Apache-2.0"
    assert metadata["Author"] == "twinport authors"
    assert metadata.get_payload().strip() == (PROJECT / "README.md").read_text().strip()
    urls = dict(value.split(", ", 1) for value in metadata.get_all("Project-URL"))
    assert set(urls) == {"Homepage", "Repository", "Issues", "Documentation"}
    assert "twinport = twinport.cli:main" in entry_points
    assert "twinport = twinport.pytest_plugin" in entry_points


def test_the_installed_package_is_the_one_that_runs(venv, image_env, tmp_path):
    located = run(
        ["python", "-c", "import twinport; print(twinport.__file__)"], cwd=tmp_path, env=image_env
    )
    assert Path(located.stdout.strip()).is_relative_to(venv), located.stdout


def test_the_dockerfile_health_check_passes(image, image_env, served, tmp_path):
    _, final = image
    check = [arguments for name, arguments in final if name == "HEALTHCHECK"]
    assert check, "the image declares a health check"
    _, _, command = check[-1].partition(" CMD ")
    run(json.loads(command), cwd=tmp_path, env=image_env)
    nothing_there = {**image_env, "TWINPORT_PORT": str(free_port())}
    failed = subprocess.run(json.loads(command), cwd=tmp_path, env=nothing_there)
    assert failed.returncode != 0, "the check fails when no twinport answers"


def test_boto3_runs_an_import_job_on_the_installed_server(served):
    account = served.new_account()
    workspace = make_workspace(served, account, "plant", f"bucket-{account}")
    source = upload(served, account, f"bucket-{account}", "plant.json", entities_file(3, width=1))
    job = wait_for(served, account, import_job(served, account, source, workspace))
    assert job["status"]["state"] == "COMPLETED", job
    assert job["progress"]["succeededCount"] == 4  # one component type, three entities
    entity = served.client("iottwinmaker", account).get_entity(workspaceId="plant", entityId="e2")
    assert entity["parentEntityId"] == "e1"
