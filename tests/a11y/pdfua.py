"""What a PDF/UA-1 checker looks for first, read with pypdf: the document is tagged, says
it is PDF/UA, has a title shown in the window and a language, every figure has alt text,
and tables are Table/TR/TH/TD with every data cell tied to its headers."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path
from typing import Any


def _walk(node: Any, counts: Counter, problems: list[str], seen: set[int]) -> None:
    node = node.get_object() if hasattr(node, "get_object") else node
    if isinstance(node, list):
        for kid in node:
            _walk(kid, counts, problems, seen)
        return
    if not hasattr(node, "get") or id(node) in seen:
        return
    seen.add(id(node))
    tag = str(node.get("/S", ""))
    if tag:
        counts[tag] += 1
    if tag == "/Figure" and not str(node.get("/Alt", "")).strip():
        problems.append("a Figure has no alt text")
    if tag == "/TD":
        attrs = node.get("/A")
        attrs = attrs.get_object() if attrs is not None else {}
        if not attrs.get("/Headers"):
            problems.append("a TD is not tied to any header cell")
    kids = node.get("/K")
    if kids is not None:
        _walk(kids, counts, problems, seen)


def pdfua_problems(path: Path) -> tuple[list[str], Counter]:
    """Problems a screen-reader user would meet in ``path``, and the count of each tag."""
    from pypdf import PdfReader

    reader = PdfReader(str(path))
    root = reader.trailer["/Root"]
    problems: list[str] = []
    if not (root.get("/MarkInfo") or {}).get("/Marked"):
        problems.append("not marked as tagged (MarkInfo /Marked)")
    if "/StructTreeRoot" not in root:
        problems.append("no structure tree")
    if str(root.get("/Lang", "")) != "en-GB":
        problems.append(f"language is {root.get('/Lang')!r}, not en-GB")
    if not (root.get("/ViewerPreferences") or {}).get("/DisplayDocTitle"):
        problems.append("the viewer shows the file name, not the title (DisplayDocTitle)")
    xmp = root["/Metadata"].get_object().get_data().decode("utf-8") if "/Metadata" in root else ""
    if not re.search(r"pdfuaid:part(=\"|>)1", xmp):
        problems.append("no PDF/UA-1 identifier in the XMP metadata")
    if not re.search(r"<dc:title>.*?<rdf:li[^>]*>[^<]+</rdf:li>", xmp, re.S):
        problems.append("no title in the XMP metadata")
    counts: Counter = Counter()
    if "/StructTreeRoot" in root:
        _walk(root["/StructTreeRoot"].get_object().get("/K"), counts, problems, set())
    return problems, counts


def _tag_paths(node: Any, path: tuple[str, ...], found: dict, seen: set[int]) -> None:
    """Record, for each marked-content id reachable from ``node``, the structure types from
    the root down to it (``found[(page object id, mcid)] = ('/Table', '/THead', ...)``)."""
    node = node.get_object() if hasattr(node, "get_object") else node
    if isinstance(node, list):
        for kid in node:
            _tag_paths(kid, path, found, seen)
        return
    if not hasattr(node, "get") or id(node) in seen:
        return
    seen.add(id(node))
    here = (*path, str(node.get("/S", "")))
    page = node.get("/Pg")
    kids = node.get("/K")
    for kid in kids if isinstance(kids, list) else [kids]:
        if isinstance(kid, int) and page is not None:
            found[(page.idnum, kid)] = here
        elif kid is not None:
            _tag_paths(kid, here, found, seen)


def _page_runs(page: Any, paths: dict) -> list[tuple[tuple[str, ...] | None, str]]:
    """One page's text runs with the structure types each sits under (``None``: untagged)."""
    stack: list[int | None] = []
    runs: list[tuple[tuple[str, ...] | None, str]] = []

    def before(op: bytes, args: Any, *_: Any) -> None:
        if op == b"BDC":
            props = args[1]
            stack.append(props.get("/MCID") if hasattr(props, "get") else None)
        elif op == b"BMC":
            stack.append(None)
        elif op == b"EMC" and stack:
            stack.pop()

    def text(run: str, *_: Any) -> None:
        mcid = next((m for m in reversed(stack) if m is not None), None)
        if run.strip():
            key = (page.indirect_reference.idnum, mcid)
            runs.append((paths.get(key) if mcid is not None else None, run.strip()))

    page.extract_text(visitor_operand_before=before, visitor_text=text)
    return runs


def tagged_text(path: Path) -> list[list[tuple[tuple[str, ...] | None, str]]]:
    """Each page's text runs, each with the structure types it sits under, or ``None`` for
    text a screen reader never meets (artifacts, running heads and page numbers)."""
    from pypdf import PdfReader

    reader = PdfReader(str(path))
    paths: dict = {}
    _tag_paths(reader.trailer["/Root"]["/StructTreeRoot"].get_object().get("/K"), (), paths, set())
    return [_page_runs(page, paths) for page in reader.pages]
