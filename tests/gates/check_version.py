"""The version is written once, in project(VERSION) of CMakeLists.txt: check that pyproject.toml
derives it from there and that the built module reports the same one.

Usage: check_version.py SOURCE_DIR CMAKE_VERSION (with the built package on PYTHONPATH).
"""

import re
import sys
from pathlib import Path

import tomllib


def main() -> int:
    source, cmake_version = Path(sys.argv[1]), sys.argv[2]
    pyproject = tomllib.loads((source / "pyproject.toml").read_text())
    if "version" in pyproject["project"] or "version" not in pyproject["project"].get(
        "dynamic", []
    ):
        print("pyproject.toml must declare the version dynamic, not write it")
        return 1
    provider = pyproject["tool"]["scikit-build"]["metadata"]["version"]
    found = re.search(
        provider["regex"], (source / provider["input"]).read_text(), re.MULTILINE
    )
    if found is None or found.group("value") != cmake_version:
        print(
            f"pyproject.toml's version regex finds {found and found.group('value')!r}, "
            f"CMake has {cmake_version!r}"
        )
        return 1
    import yosmodel

    if yosmodel.__version__ != cmake_version:
        print(
            f"yosmodel.__version__ is {yosmodel.__version__!r}, CMake has {cmake_version!r}"
        )
        return 1
    print(f"version {cmake_version} everywhere")
    return 0


if __name__ == "__main__":
    sys.exit(main())
