"""The example suite (examples/) passes as its own project, run one test at a time and with `pytest -n 2`.

Its tests assert exact record counts, so a record leaking from one test's session into another's,
also between two xdist workers that share nothing but the way they name sessions, fails them.
Both runs go at once, each a fresh pytest process, as a user would start them.
"""

from __future__ import annotations

import os
import subprocess
import sys

from tests.helpers import repo_path

EXAMPLES = repo_path("examples")
TESTS = 15


def test_the_example_suite_passes_alone_and_under_xdist() -> None:
    env = {key: value for key, value in os.environ.items() if not key.startswith(("PYTEST_", "PYTHON"))}
    runs = {mode: subprocess.Popen([sys.executable, "-m", "pytest", "-q", *args], cwd=EXAMPLES, env=env, text=True,
                                   stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
            for mode, args in (("serial", []), ("xdist", ["-n", "2"]))}
    for mode, process in runs.items():
        output, _ = process.communicate(timeout=300)
        assert process.returncode == 0, f"{mode} run:\n{output}"
        assert f"{TESTS} passed" in output and "warning" not in output, f"{mode} run:\n{output}"
