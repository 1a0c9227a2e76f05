"""Hostile text in every free-text column is published as text, never as markup.

One demo build whose improvement-plan titles, actions, owners, progress updates and
action ids, and whose request and person ids, carry a corpus of attacks (scripts, event
attributes, ``javascript:`` links, frames, styles, local files, a URL of a server the test
runs on 127.0.0.1, Markdown links and images, PDF attachments). The build must succeed,
show the words escaped, and contain no live markup, no PDF attachment, and make no request.
"""

from __future__ import annotations

import html
import http.server
import threading
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import ClassVar

import pandas as pd
import pytest

from sendreport.build import BuildOptions, build
from sendreport.demo.profiles import BUILT_IN
from sendreport.periods import Period

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("hostile")]

MARK = "HOSTILE-7f3a"  # finds our words in the output


def corpus(url: str) -> list[str]:
    """Attacks, each tagged with MARK so the test can find where it is shown."""
    return [
        f"<script>alert('{MARK}')</script>",
        f'<img src=x onerror="alert(1)"> {MARK}',
        f'<a href="javascript:alert(1)">{MARK} click</a>',
        f'<iframe src="{url}/frame"></iframe>{MARK}',
        f"<style>body{{background:url({url}/style)}}</style>{MARK}",
        f'<img src="file:///etc/passwd"> {MARK}',
        f'<a href="{url}/link">{MARK}</a>',
        f"[{MARK} markdown link]({url}/md) and ![{MARK} image]({url}/mdimg)",
        f'<link rel="attachment" href="file:///etc/passwd">{MARK}',
        f'<a rel="attachment" href="file:///etc/hostname">{MARK}</a>',
        f'<svg onload="alert(1)"><use href="{url}/svg"/></svg>{MARK}',
        f"{MARK}\n\n# Fake heading\n\n<div onclick='x'>*not emphasis*</div>",
        f'"><script src="{url}/quoted"></script>{MARK}',
        f"<object data='{url}/object'></object><embed src='{url}/embed'>{MARK}",
    ]


class _Recorder(http.server.BaseHTTPRequestHandler):
    hits: ClassVar[list[str]] = []

    def do_GET(self) -> None:
        _Recorder.hits.append(self.path)
        self.send_response(200)
        self.send_header("Content-Type", "image/png")
        self.end_headers()

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Recorder)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def _poison(data_dir: Path, url: str) -> None:
    attacks = corpus(url)

    def pick(i: int) -> str:
        return attacks[i % len(attacks)]

    path = data_dir / "improvement_plan.csv"
    plan = pd.read_csv(path, dtype=str, keep_default_na=False)
    for column in ("area_title", "action", "owner", "progress_update"):
        plan[column] = [f"{v} {pick(i)}" for i, v in enumerate(plan[column])]
    plan["area_title"] = plan["area_id"].map(lambda a: f"Area {a} {pick(int(a))}")
    plan["action_id"] = [f"{v}{pick(i)}" for i, v in enumerate(plan["action_id"])]
    plan.to_csv(path, index=False)
    path = data_dir / "ehcp_requests.csv"
    requests = pd.read_csv(path, dtype=str, keep_default_na=False)
    for column in ("request_id", "person_id"):
        requests[column] = [f"{v}{pick(i)}" for i, v in enumerate(requests[column])]
    requests.to_csv(path, index=False)


@pytest.fixture(scope="module")
def hostile_build(tmp_path_factory: pytest.TempPathFactory, server: str) -> Path:
    from sendreport.demo import write_demo

    root = tmp_path_factory.mktemp("hostile")
    data_dir = root / "data"
    write_demo(data_dir, la_code="919")
    _poison(data_dir, server)
    (result,) = build(
        BuildOptions(
            periods=(Period.parse("2023-24-Q4"),),
            la="919",
            data_dir=data_dir,
            out_dir=root / "out",
            jobs=2,
            reports=("newsletter", "performance"),
            formats=("html", "pdf"),
        )
    )
    return result.folder


# The council's own links come from its profile (council.toml), not from the data: the
# demo profile's Local Offer is the one link a reader may follow.
PROFILE_LINKS = {BUILT_IN["919"].local_offer_url.lower()}


class _LiveMarkup(HTMLParser):
    """Collects anything in a page that could run, fetch or embed."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []
        self.styles = 0
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "iframe", "object", "embed", "svg", "link", "form", "base"):
            self.found.append(f"<{tag}>")
        self.styles += tag == "style"
        for name, value in attrs:
            value = (value or "").strip().lower()
            if name.startswith("on"):
                self.found.append(f"{tag} {name}=")
            if name in ("src", "href", "data", "action") and not (
                value.startswith(("data:image/", "#"))
                or (name == "href" and value == "")
                or (tag == "a" and name == "href" and value in PROFILE_LINKS)
            ):
                self.found.append(f"{tag} {name}={value[:40]}")

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def test_hostile_text_is_shown_as_text_and_never_runs(hostile_build: Path, server: str) -> None:
    pages = sorted(hostile_build.glob("*.html")) + sorted(hostile_build.glob("audit/*.html"))
    assert len(pages) == 4
    for page in pages:
        source = page.read_text(encoding="utf-8")
        parser = _LiveMarkup()
        parser.feed(source)
        assert parser.found == [], f"{page.name}: live markup {parser.found[:5]}"
        assert parser.styles == 1, f"{page.name}: a <style> came from the data"
        assert "Content-Security-Policy" in source
        shown = html.unescape(" ".join(parser.text))
        assert MARK in shown, f"{page.name}: the hostile words are not shown"
    newsletter = (hostile_build / "newsletter.html").read_text(encoding="utf-8")
    assert html.escape(f"<script>alert('{MARK}')</script>", quote=False) in newsletter
    assert "Fake heading</h" not in newsletter  # data cannot open a Markdown heading


def test_hostile_text_fetches_nothing_and_attaches_nothing(
    hostile_build: Path, server: str
) -> None:
    from pypdf import PdfReader

    assert _Recorder.hits == [], f"the build requested {_Recorder.hits}"
    for pdf in sorted(hostile_build.glob("*.pdf")):
        reader = PdfReader(pdf)
        names = reader.trailer["/Root"].get("/Names", {})
        assert "/EmbeddedFiles" not in names, f"{pdf.name} has an attachment"
        for page in reader.pages:
            for annot in page.get("/Annots") or []:
                assert annot.get_object().get("/Subtype") != "/FileAttachment"
        text = "".join(page.extract_text() for page in reader.pages)
        assert "root:" not in text  # /etc/passwd never inlined
        assert MARK in text
