"""HTML → PDF with WeasyPrint: A4, the Noto CJK fonts subset and embedded (a machine without
Chinese fonts still shows every glyph), page numbers 第 N 页 / 共 M 页 from the print layout
(`templates/documents/base.html`), and the same bytes for the same document: no time or random
identifier goes into the file except what the context gives (`created`, the document's own
date), so a reprinted notice is byte-identical to the first print.

Templates are rendered by a Jinja environment of this module's own over the shared template
folder (autoescaped), so printing needs no web layer; the renderer fetches nothing (no URL,
file or data: resource), whatever a template or a record's text may say."""

from __future__ import annotations

import functools
import hashlib
import os
import re
from collections.abc import Mapping
from datetime import date, datetime
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from xinyong.clock import SHANGHAI

TEMPLATES = Path(__file__).resolve().parents[1] / "web" / "templates"
MEDIA_TYPE = "application/pdf"
FONT_TIMESTAMP = "1767225600"  # 2026-01-01T00:00:00Z: the embedded fonts' `head.modified`


@functools.cache
def _environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=select_autoescape(["html"]),
        undefined=StrictUndefined,  # a missing value fails the print instead of a blank line
    )
    env.filters["beijing_date"] = beijing_date
    env.filters["folded"] = folded
    return env


_FOLD = re.compile(r"\s+(?=[^\x00-\x7f])|(?<=[^\x00-\x7f])\s+")


def folded(text: str) -> str:
    """Policy wording as written in YAML's folded style: a line break there is a space, which
    Chinese text does not have, so whitespace next to a Chinese character is dropped."""
    return _FOLD.sub("", text.strip())


def beijing_date(moment: datetime | date | None) -> str:
    """2026年11月23日: dates on a document are written the Chinese way, in Beijing time."""
    if moment is None:
        return ""
    day = moment.astimezone(SHANGHAI).date() if isinstance(moment, datetime) else moment
    return f"{day.year}年{day.month}月{day.day}日"


def render_html(template: str, context: Mapping[str, Any]) -> str:
    return _environment().get_template(template).render(**context)


def render_pdf(template: str, context: Mapping[str, Any]) -> bytes:
    """The PDF of `template` (a path under web/templates) filled with `context`. The document's
    metadata date comes from `context["created"]` when given (an aware datetime)."""
    # fontTools stamps each embedded font subset with the time it was made, unless the
    # reproducible-builds variable fixes it: without it a reprint a second later differs.
    os.environ.setdefault("SOURCE_DATE_EPOCH", FONT_TIMESTAMP)
    import weasyprint  # loaded on first print: pango is needed only by what prints

    html = render_html(template, context)
    document = weasyprint.HTML(
        string=html, base_url=None, url_fetcher=weasyprint.URLFetcher(allowed_protocols=())
    )
    # The file identifier is the hash of the HTML: equal documents, equal files.
    identifier = hashlib.sha256(html.encode()).hexdigest()[:32].encode()
    return bytes(document.write_pdf(pdf_identifier=identifier))


def pdf_created(moment: datetime) -> str:
    """The `<meta name="dcterms.created">` value of a document issued at `moment`."""
    return moment.astimezone(SHANGHAI).replace(microsecond=0).isoformat()
