"""sendreport's processes skip rfc3987_syntax (seconds of grammar compiling at import) and
still read and validate notebooks."""

from __future__ import annotations

import subprocess
import sys

SCRIPT = """
import contextlib, io, sys
from sendreport.cli import main
with contextlib.redirect_stdout(io.StringIO()):
    main(["las"])
import nbformat
nbformat.validate(nbformat.v4.new_notebook())  # jsonschema works without it
print(sys.modules["rfc3987_syntax"] is None)
"""


def test_the_cli_process_skips_rfc3987_syntax_and_still_validates_notebooks() -> None:
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT], capture_output=True, text=True, timeout=120, check=True
    )
    assert done.stdout.strip().splitlines()[-1] == "True"


def test_importing_sendreport_alone_changes_nothing() -> None:
    code = "import sys, sendreport.present; print('rfc3987_syntax' in sys.modules)"
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=True
    )
    assert done.stdout.strip() == "False"
