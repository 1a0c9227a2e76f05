"""Great Expectations Data Docs made safe to open: nothing fetched from the network.

GX's pages load Bootstrap, jQuery, Vega and Font Awesome from public CDNs and its logo from
an S3 bucket with a timestamp in the address, so opening a failed validation's Data Docs
would tell those hosts who looked, and when. :func:`make_data_docs_offline` rewrites every
page of a site: remote scripts, stylesheets, images and forms are removed (the logo comes
from the site's own ``static`` folder), inline scripts go too, and a Content-Security-Policy
forbids any request outside the site. The pages keep GX's own inline styles and fonts; the
tables are plain HTML, so every result stays readable without the scripts.
"""

from __future__ import annotations

import os
from pathlib import Path

from lxml import html

__all__ = ["OFFLINE_POLICY", "make_data_docs_offline"]

OFFLINE_POLICY = (
    "default-src 'none'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
    "font-src 'self'; base-uri 'none'; form-action 'none'"
)
_LOGO = Path("static/images/logo-long.png")
# (tag, attribute) pairs whose remote address the browser would fetch on opening the page.
_FETCHED = (("script", "src"), ("link", "href"), ("img", "src"), ("form", "action"))


def _is_remote(address: str | None) -> bool:
    return bool(address) and address.strip().lower().startswith(("http:", "https:", "//"))


def _local_logo(page: Path, site_dir: Path) -> str:
    return Path(os.path.relpath(site_dir / _LOGO, page.parent)).as_posix()


def _strip_remote(tree: html.HtmlElement, logo: str) -> None:
    for tag, attribute in _FETCHED:
        for element in tree.iter(tag):
            if not _is_remote(element.get(attribute)):
                continue
            if tag == "img":
                element.set("src", logo)
            else:
                element.drop_tree()
    for script in list(tree.iter("script")):
        script.drop_tree()  # inline scripts need the removed libraries; the policy blocks them


def _add_policy(tree: html.HtmlElement) -> None:
    head = tree.find("head")
    if head is None:
        head = html.Element("head")
        tree.insert(0, head)
    meta = html.Element("meta", {"http-equiv": "Content-Security-Policy"})
    meta.set("content", OFFLINE_POLICY)
    head.insert(0, meta)


def make_page_offline(page: Path, site_dir: Path) -> None:
    """Rewrite one Data Docs page in place so opening it fetches nothing remote."""
    tree = html.fromstring(page.read_bytes())
    _strip_remote(tree, _local_logo(page, site_dir))
    _add_policy(tree)
    page.write_bytes(html.tostring(tree, doctype="<!DOCTYPE html>", encoding="utf-8"))


def _link_list(
    site_dir: Path, folder: str, heading: str, failed: frozenset[str] = frozenset()
) -> html.HtmlElement:
    """A heading and a list of links to every page under ``site_dir/folder``; pages of a
    dataset in ``failed`` (the first folder under ``folder``) come first, marked."""
    section = html.Element("section")
    title = html.Element("h2")
    title.text = heading
    section.append(title)
    items = html.Element("ul")
    pages = sorted((site_dir / folder).rglob("*.html"))
    pages.sort(key=lambda page: page.relative_to(site_dir / folder).parts[0] not in failed)
    for page in pages:
        parts = page.relative_to(site_dir / folder).with_suffix("").parts
        link = html.Element("a", {"href": page.relative_to(site_dir).as_posix()})
        link.text = " / ".join(parts)
        item = html.Element("li")
        item.append(link)
        if parts[0] in failed:
            link.tail = " — rules broken"
        items.append(item)
    section.append(items)
    return section


def _add_static_index(index: Path, site_dir: Path, failed: frozenset[str]) -> None:
    """GX's index lists its pages from a script; list them as plain links instead."""
    tree = html.fromstring(index.read_bytes())
    body = tree.find("body")
    if body is None:
        return
    listing = html.Element("div", {"id": "sendreport-pages", "style": "margin: 1em"})
    listing.append(_link_list(site_dir, "validations", "Validation results", failed))
    listing.append(_link_list(site_dir, "expectations", "Expectation suites"))
    body.insert(min(1, len(body)), listing)
    index.write_bytes(html.tostring(tree, doctype="<!DOCTYPE html>", encoding="utf-8"))


def make_data_docs_offline(site_dir: Path, failed: frozenset[str] = frozenset()) -> int:
    """Rewrite every HTML page under ``site_dir``; return how many were rewritten.

    ``failed`` names the datasets whose validation broke a rule: the index lists them first.
    """
    site_dir = Path(site_dir)
    pages = sorted(site_dir.rglob("*.html"))
    for page in pages:
        make_page_offline(page, site_dir)
    if (site_dir / "index.html").is_file():
        _add_static_index(site_dir / "index.html", site_dir, failed)
    return len(pages)
