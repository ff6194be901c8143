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
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any
from urllib.parse import quote

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from markupsafe import Markup, escape

from xinyong.clock import SHANGHAI
from xinyong.codes import mask_personal_numbers

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
    env.filters["beijing_time"] = beijing_time
    env.filters["unbroken"] = unbroken
    env.filters["masked"] = mask_personal_numbers  # ID and mobile numbers in free text
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


def beijing_time(moment: datetime) -> str:
    """2026年11月23日 12:05:09 (Beijing time)."""
    local = moment.astimezone(SHANGHAI)
    return f"{beijing_date(local)} {local:%H:%M:%S}"


# A document number (穗市监罚〔2026〕7号) is never broken over two lines. Pango breaks text by
# UAX #14: anywhere between Chinese characters and before 〔, never inside a run of letters,
# digits and * — so a USCC or a masked ID number needs no span (a span per code adds text
# boxes, which is what a page's layout costs).
_UNBROKEN = re.compile(r"[^\s，。；、（）()&;]{0,12}〔\d{4}〕[^\s，。；、（）()&;]{0,8}号")


def unbroken(text: object) -> Markup:
    """`text` escaped, each document number in a `nowrap` span."""
    escaped = str(escape(str(text)))
    return Markup(_UNBROKEN.sub(lambda m: f'<span class="code">{m.group(0)}</span>', escaped))


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


@dataclass(frozen=True)
class PdfFile:
    """A printed document as a download: its name (Chinese as it is) and the PDF."""

    filename: str
    content: bytes
    ascii_name: str  # the name for clients that cannot read the Chinese one

    @property
    def disposition(self) -> str:
        """Content-Disposition with the ASCII fallback and the real name (RFC 5987/6266)."""
        fallback = f'filename="{self.ascii_name}"'
        return f"attachment; {fallback}; filename*=UTF-8''{quote(self.filename)}"


def pdf_created(moment: datetime) -> str:
    """The `<meta name="dcterms.created">` value of a document issued at `moment`."""
    return moment.astimezone(SHANGHAI).replace(microsecond=0).isoformat()
