"""What the Makefile's targets install and pass on (dry runs: `make -n -B`, nothing runs)."""

import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")


def dry_run(*args):
    run = subprocess.run(
        ["make", "-n", "-B", *args], cwd=ROOT, capture_output=True, text=True, timeout=30
    )
    assert run.returncode == 0, run.stderr
    return run.stdout


def test_make_run_installs_only_what_the_site_needs():
    commands = dry_run("run")
    assert "pip install --quiet -e .\n" in commands
    assert "[dev]" not in commands


@pytest.mark.parametrize("target", ["test", "e2e", "lint", "install"])
def test_tests_and_ci_install_the_development_extras(target):
    assert "pip install --quiet -e '.[dev]'" in dry_run(target)


def test_make_run_passes_the_port_to_django():
    commands = dry_run("run", "PORT=8400")
    assert "PORT=8400 .venv/bin/python manage.py seed_demo" in commands
    assert "runserver 127.0.0.1:8400" in commands
