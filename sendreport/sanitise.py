"""Data is text, never markup, a link or a path.

Three lines of defence, each enough on its own for the common cases:

1. **Escaping.** Every data value a report states is escaped for the language it meets:
   :func:`escape_markdown` for the Markdown of ``rep.say`` (data cannot open a heading, a
   list, a link or raw HTML), :func:`html.escape` for HTML (tables, quotes). The Markdown
   of ``rep.say`` itself is rendered by :func:`markdown_to_html` with raw HTML shown as
   text and links and images shown as their words, so even an unescaped value is inert.
2. **Sanitising.** Every HTML fragment a notebook displays and every rendered page body
   passes :func:`clean_html`: the nh3 (ammonia) allow-list keeps document structure and
   drops scripts, styles, frames, forms, event attributes and every URL except in-page
   anchors, ``https:``/``mailto:`` links and ``data:image/…`` images.
3. **Nothing fetched.** Each HTML edition carries :data:`CONTENT_SECURITY_POLICY`, and the
   PDF renderer fetches through :func:`pdf_url_fetcher`, which serves ``data:`` URIs and
   the package's own templates and refuses the network and the rest of the disk.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import nh3

#: Inline styles and data-URI images only; no scripts, frames, fonts, forms or requests.
CONTENT_SECURITY_POLICY = (
    "default-src 'none'; img-src data:; style-src 'unsafe-inline'; "
    "base-uri 'none'; form-action 'none'"
)

# CommonMark lets a backslash escape any ASCII punctuation character.
_MARKDOWN_PUNCTUATION = re.compile(r"([!-/:-@\[-`{-~])")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")

ALLOWED_TAGS = frozenset(
    [
        "a",
        "abbr",
        "b",
        "blockquote",
        "br",
        "caption",
        "code",
        "col",
        "colgroup",
        "dd",
        "del",
        "details",
        "div",
        "dl",
        "dt",
        "em",
        "figcaption",
        "figure",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "hr",
        "i",
        "img",
        "ins",
        "kbd",
        "li",
        "mark",
        "ol",
        "p",
        "picture",
        "pre",
        "q",
        "s",
        "samp",
        "section",
        "small",
        "source",
        "span",
        "strong",
        "sub",
        "summary",
        "sup",
        "table",
        "tbody",
        "td",
        "tfoot",
        "th",
        "thead",
        "tr",
        "u",
        "ul",
    ]
)
_COMMON_ATTRIBUTES = {"class", "id", "lang", "title", "role", "tabindex", "dir"}
ALLOWED_ATTRIBUTES = {
    "*": _COMMON_ATTRIBUTES,
    "a": {"href"},
    "img": {"src", "alt", "width", "height"},
    "source": {"srcset", "media"},  # a chart's phone-width version (sendreport.charts)
    "td": {"colspan", "rowspan", "headers"},
    "th": {"colspan", "rowspan", "headers", "scope", "abbr"},
    "col": {"span"},
    "colgroup": {"span"},
    "ol": {"start", "reversed", "type"},
    "li": {"value"},
}
_IMAGE_DATA_URI = re.compile(r"data:image/(png|jpeg|gif|webp);base64,[A-Za-z0-9+/=\s]*\Z", re.I)


def escape_markdown(value: Any) -> str:
    """``value`` as Markdown that renders exactly as its text, on one line.

    Every ASCII punctuation character is backslash-escaped (CommonMark's rule), so the
    value cannot start a heading, list, link, image, emphasis, code span or raw HTML; line
    breaks and control characters become spaces, so it cannot start a new block either.
    """
    text = "" if value is None else str(value)
    text = _CONTROL.sub(" ", text).replace("\r", " ").replace("\n", " ").replace("\t", " ")
    return _MARKDOWN_PUNCTUATION.sub(r"\\\1", text)


def printable(value: Any, *, keep_lines: bool = False, limit: int | None = None) -> str:
    """``value`` safe to print on a terminal: control characters (escape sequences, bidi
    overrides, carriage returns) shown as ``\\x1b``-style escapes, so data can neither
    recolour nor rewrite the screen. ``keep_lines`` keeps line breaks and tabs (a message's
    own layout); ``limit`` shortens long text."""
    text = "" if value is None else str(value)
    kept = "\n\t" if keep_lines else ""
    shown = "".join(
        ch.encode("unicode_escape").decode("ascii")
        if ch not in kept and unicodedata.category(ch) in ("Cc", "Cf", "Zl", "Zp")
        else ch
        for ch in text
    )
    if limit is not None and len(shown) > limit:
        shown = shown[: limit - 1] + "…"
    return shown


@functools.cache
def _markdown_renderer() -> Any:
    import mistune

    class _TextOnlyLinks(mistune.HTMLRenderer):
        """Report prose has no links or images: show their words, never fetch or follow."""

        def link(self, text: str, url: str, title: str | None = None) -> str:
            return text

        def image(self, text: str, url: str, title: str | None = None) -> str:
            return text

    return mistune.create_markdown(
        escape=True,
        renderer=_TextOnlyLinks(escape=True),
        plugins=["strikethrough", "table"],
    )


def markdown_to_html(text: str) -> str:
    """Render report prose: raw HTML shown as text, links and images as their words, and
    the result sanitised (:func:`clean_html`)."""
    return clean_html(_markdown_renderer()(text))


def _filter_attribute(tag: str, attribute: str, value: str) -> str | None:
    if attribute in ("src", "srcset"):  # images only from data: URIs (the charts)
        return value if _IMAGE_DATA_URI.match(value.strip()) else None
    if attribute == "href":
        scheme = urlsplit(value.strip()).scheme.lower()
        return value if scheme in ("", "https", "mailto") else None
    return value


def clean_html(fragment: str) -> str:
    """``fragment`` with only the allow-listed tags, attributes and URLs (nh3/ammonia)."""
    return nh3.clean(
        fragment,
        tags=set(ALLOWED_TAGS),
        attributes={k: set(v) for k, v in ALLOWED_ATTRIBUTES.items()},
        attribute_filter=_filter_attribute,
        generic_attribute_prefixes={"aria-", "data-"},
        url_schemes={"https", "mailto", "data"},
        link_rel="noopener noreferrer nofollow",
        strip_comments=True,
    )


class FetchRefused(ValueError):
    """A PDF resource outside the allow-list (the renderer skips it with a warning)."""


def check_fetch(url: str, allowed_dirs: tuple[Path, ...]) -> None:
    """Raise :class:`FetchRefused` unless ``url`` is a ``data:`` URI or a file inside one of
    ``allowed_dirs`` (the package's own assets)."""
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme == "data":
        return
    if scheme == "file" and parts.netloc in ("", "localhost"):
        path = Path(unquote(parts.path)).resolve()
        if any(path.is_relative_to(d.resolve()) for d in allowed_dirs):
            return
    raise FetchRefused(f"sendreport fetches nothing outside the package: refused {url[:80]!r}")


def pdf_url_fetcher() -> Any:
    """A WeasyPrint URL fetcher for ``data:`` URIs and the package's templates only."""
    from weasyprint import urls

    from sendreport.resources import templates_dir

    allowed = (templates_dir(),)
    if hasattr(urls, "URLFetcher"):  # WeasyPrint ≥ 68: a fetcher class

        class _Fetcher(urls.URLFetcher):
            def fetch(self, url: str, headers: Any = None) -> Any:
                check_fetch(url, allowed)
                return super().fetch(url, headers)

        return _Fetcher(allowed_protocols={"data", "file"}, allow_redirects=False)

    def fetch(url: str) -> Any:  # older WeasyPrint: a function
        check_fetch(url, allowed)
        return urls.default_url_fetcher(url)

    return fetch


__all__ = [
    "CONTENT_SECURITY_POLICY",
    "FetchRefused",
    "check_fetch",
    "clean_html",
    "escape_markdown",
    "markdown_to_html",
    "pdf_url_fetcher",
    "printable",
]
