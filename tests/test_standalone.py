"""The repository stands alone: no tracked file points at material outside it."""

from __future__ import annotations

import re
import subprocess

from tests.helpers import repo_path

OUTSIDE = "../" + "shared"  # spelled in two parts so this file does not match itself


def test_no_tracked_file_points_outside_the_repository() -> None:
    files = subprocess.run(["git", "ls-files", "-z"], cwd=repo_path(), capture_output=True, check=True).stdout
    offenders = []
    for name in filter(None, files.decode().split("\0")):
        path = repo_path(name)
        if not path.is_file():
            continue
        if OUTSIDE in path.read_bytes().decode("utf-8", "replace"):
            offenders.append(name)
    assert offenders == [], f"these files point at {OUTSIDE}; cite the vendor's URL instead: {offenders}"


def test_no_tracked_file_holds_merge_conflict_markers() -> None:
    files = subprocess.run(["git", "ls-files", "-z"], cwd=repo_path(), capture_output=True, check=True).stdout
    marker = re.compile(r"^(<{7} |>{7} |={7}$)", re.M)
    offenders = [name for name in filter(None, files.decode().split("\0")) if repo_path(name).is_file()
                 and marker.search(repo_path(name).read_bytes().decode("utf-8", "replace"))]
    assert offenders == []
