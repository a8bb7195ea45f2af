"""blog's pages never need the apps built on it (docs/architecture.md: page parts)."""

import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_every_blog_page_renders_without_awards_and_notifications():
    result = subprocess.run(
        [
            sys.executable, "-m", "pytest", "tests/without_extras/pages.py",
            "--ds=tests.without_extras.settings", "--confcutdir=tests/without_extras",
            "-p", "no:cacheprovider", "-p", "no:randomly", "-q", "-o", "addopts=",
        ],
        cwd=ROOT,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "tests.without_extras.settings"},
        capture_output=True,
        text=True,
        timeout=600,
    )  # fmt: skip
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert re.search(r"\b3 passed\b", output), output
