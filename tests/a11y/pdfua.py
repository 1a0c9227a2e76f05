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
