"""infra/compile_artifact.py: the bytecode the Lambda runtime will use, and nothing it would not."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
import zipfile
from pathlib import Path
from types import ModuleType

import pytest

SCRIPT = Path(__file__).resolve().parents[2] / "infra" / "compile_artifact.py"
MINE = f"python{sys.version_info.major}.{sys.version_info.minor}"


def _load() -> ModuleType:
    spec = importlib.util.spec_from_file_location("compile_artifact", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _zip(path: Path, files: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return path


SOURCES = {
    "pkg/__init__.py": b"VALUE = 42\n",
    "pkg/__pycache__/__init__.cpython-39.pyc": b"stale bytecode from another python",
    "bin/some-script": b"#!/bin/sh\n",
    "requirements.txt": b"pkg==1\n",
    "pkg-1.dist-info/METADATA": b"Name: pkg\n",
}


def test_every_module_gets_unchecked_hash_bytecode_and_clutter_goes(tmp_path: Path) -> None:
    artifact = _zip(tmp_path / "f.zip", SOURCES)
    compiled, _ = _load().rewrite(artifact)
    assert compiled == 1
    with zipfile.ZipFile(artifact) as archive:
        names = set(archive.namelist())
        tag = sys.implementation.cache_tag
        pyc = archive.read(f"pkg/__pycache__/__init__.{tag}.pyc")
        modes = {info.external_attr >> 16 for info in archive.infolist()}
    assert names == {
        "pkg/__init__.py",
        f"pkg/__pycache__/__init__.{tag}.pyc",
        "pkg-1.dist-info/METADATA",
    }
    assert pyc[:4] == importlib.util.MAGIC_NUMBER
    assert int.from_bytes(pyc[4:8], "little") == 0b01  # hash-based, not checked against source
    assert modes == {0o100644}


def test_the_same_input_gives_the_same_bytes(tmp_path: Path) -> None:
    module = _load()
    first = _zip(tmp_path / "a.zip", SOURCES)
    second = _zip(tmp_path / "b.zip", SOURCES)
    module.rewrite(first)
    module.rewrite(second)
    assert first.read_bytes() == second.read_bytes()


def test_native_extensions_are_refused(tmp_path: Path) -> None:
    artifact = _zip(tmp_path / "f.zip", {"fast.cpython-313-x86_64-linux-gnu.so": b"\x7fELF"})
    with pytest.raises(SystemExit, match="native extensions"):
        _load().rewrite(artifact)


def test_a_python_other_than_the_runtime_is_refused(tmp_path: Path) -> None:
    artifact = _zip(tmp_path / "f.zip", SOURCES)
    done = subprocess.run(
        [sys.executable, str(SCRIPT), "--runtime", "python2.7", str(artifact)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode != 0
    assert f"runtime python2.7, this is {MINE}" in done.stderr
