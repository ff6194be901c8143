"""The notices' answers over HTTP: a notice is a PDF download, never JSON."""

from __future__ import annotations

from fastapi.responses import Response

from xinyong.documents.pdf import PdfFile

PDF = "application/pdf"


def pdf_response(printed: PdfFile) -> Response:
    """The PDF as a download, never kept by a cache: it carries the subject's activation code."""
    headers = {"Content-Disposition": printed.disposition, "Cache-Control": "no-store"}
    return Response(printed.content, media_type=PDF, headers=headers)
