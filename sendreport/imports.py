"""Imports sendreport's own processes skip: seconds of start-up for nothing they use.

jsonschema, under nbformat, papermill and Great Expectations, imports ``rfc3987_syntax``
whenever it is installed (JupyterLab's ``jupyter-events`` installs it), and that module
compiles an IRI grammar at import: about 2 CPU-seconds in every process that reads a
notebook or loads GX (jsonschema issue #1428). It serves only jsonschema's ``iri`` and
``iri-reference`` format checks, which nothing sendreport runs asks for (nbformat,
papermill, nbclient and GX validate without a format checker), so sendreport's own
processes (the CLI and its pool workers, Dask workers) go without it. A format check that
needed it would pass unchecked, as it does when the package is not installed. Notebook
kernels (which never import jsonschema), an analyst's JupyterLab and any other process that
merely imports sendreport are left alone.
"""

from __future__ import annotations

import sys

UNUSED = ("rfc3987_syntax",)


def skip_unused_imports() -> None:
    """Make ``import`` of each :data:`UNUSED` module fail fast in this process (as if it
    were not installed), unless something here already imported it."""
    for name in UNUSED:
        sys.modules.setdefault(name, None)  # type: ignore[arg-type]
