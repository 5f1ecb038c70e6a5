"""Ship bytecode the Lambda runtime will actually use: rewrite each function zip in place.

Lambda unpacks the zip into a read-only ``/var/task``, so Python can never write
``__pycache__`` there: every ``.py`` without a usable ``.pyc`` is compiled again on *every* cold
start, and that time is paid by the person waiting for Slack's 3-second ack. A ``.pyc`` is only
used if it was written by the same Python minor version as the runtime, and (in the default
timestamp mode) only if the source's mtime and size match its header, which zip round trips do
not reliably preserve (2-second DOS times, no time zone). So this step, run by the
``infra/serverless-pyc.js`` plugin after serverless-python-requirements has assembled the zip
and before the framework hashes it for CloudFormation:

1. refuses to run under a Python other than the function runtime's (``--runtime python3.13``);
2. drops whatever bytecode is in the zip (pip's timestamp-mode files) and refuses native
   extensions (the dependencies are resolved pure-Python, so the zip runs on either
   architecture and the smoke test here runs the very same bytes);
3. compiles every module with ``unchecked-hash`` invalidation: the runtime trusts the ``.pyc``
   without stat-ing or hashing the source, which is right for an immutable artifact;
4. writes the zip back deterministically (sorted names, fixed times, world-readable modes),
   so the same sources give the same ``CodeSha256`` and no needless Lambda version.
"""

from __future__ import annotations

import argparse
import compileall
import io
import py_compile
import sys
import tempfile
import zipfile
from pathlib import Path

#: A fixed, valid DOS timestamp so identical inputs give byte-identical zips.
FIXED_TIME = (2020, 1, 1, 0, 0, 0)
FILE_MODE = 0o100644
#: Where Lambda unpacks the zip: the source path recorded in the bytecode (the import system
#: corrects it on load anyway), fixed so that builds are byte-identical.
TASK_ROOT = "/var/task"
#: Installed-package clutter and serverless-python-requirements' bookkeeping: no import needs them.
DROPPED_DIRS = ("bin/",)
DROPPED_FILES = ("requirements.txt", ".completed_requirements")


def _dropped(name: str) -> bool:
    return (
        "__pycache__/" in name
        or name.endswith((".pyc", ".pyo"))
        or name.startswith(DROPPED_DIRS)
        or name in DROPPED_FILES
        or name.endswith("/")
    )


def rewrite(artifact: Path) -> tuple[int, int]:
    """Recompile ``artifact`` in place; returns (modules compiled, bytes after)."""
    with zipfile.ZipFile(artifact) as source:
        names = [info.filename for info in source.infolist() if not _dropped(info.filename)]
        native = [name for name in names if name.endswith((".so", ".pyd", ".dylib"))]
        if native:
            raise SystemExit(f"{artifact.name}: native extensions {native[:5]}; resolve pure.")
        with tempfile.TemporaryDirectory() as scratch:
            root = Path(scratch)
            for name in names:
                target = root / name
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(source.read(name))
            quiet_errors = io.StringIO()
            stdout, sys.stdout = sys.stdout, quiet_errors
            try:
                ok = compileall.compile_dir(
                    root,
                    ddir=TASK_ROOT,
                    quiet=1,
                    workers=0,
                    invalidation_mode=py_compile.PycInvalidationMode.UNCHECKED_HASH,
                )
            finally:
                sys.stdout = stdout
            if not ok:
                raise SystemExit(f"{artifact.name}: a module does not compile:\n{quiet_errors}")
            files = sorted(
                str(path.relative_to(root)) for path in root.rglob("*") if path.is_file()
            )
            compiled = sum(1 for name in files if name.endswith(".pyc"))
            buffer = io.BytesIO()
            with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as out:
                for name in files:
                    info = zipfile.ZipInfo(name, FIXED_TIME)
                    info.external_attr = FILE_MODE << 16
                    info.compress_type = zipfile.ZIP_DEFLATED
                    out.writestr(info, (root / name).read_bytes())
    artifact.write_bytes(buffer.getvalue())
    return compiled, len(buffer.getvalue())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Compile a Lambda zip's Python to bytecode.")
    parser.add_argument("--runtime", required=True, help="the function runtime, e.g. python3.13")
    parser.add_argument("artifacts", nargs="+", type=Path)
    args = parser.parse_args(argv)
    mine = f"python{sys.version_info.major}.{sys.version_info.minor}"
    if args.runtime != mine:
        raise SystemExit(
            f"Bytecode must be compiled by the runtime's Python: runtime {args.runtime}, "
            f"this is {mine} ({sys.executable}). Set RUNTIME_PYTHON to a {args.runtime} binary."
        )
    for artifact in args.artifacts:
        compiled, size = rewrite(artifact)
        print(f"{artifact.name}: {compiled} modules compiled for {mine}, {size / 1024:.0f} KiB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
