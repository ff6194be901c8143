"""Reading a PDF the way a person would: its text (pdftotext), its fonts (pdffonts), a page
as an image (pdftoppm)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

needs_poppler = pytest.mark.skipif(
    shutil.which("pdftotext") is None, reason="poppler-utils (scripts/test installs it)"
)


def _file(tmp_path: Path, content: bytes) -> Path:
    path = tmp_path / f"report-{abs(hash(content))}.pdf"
    path.write_bytes(content)
    return path


def text_of(tmp_path: Path, content: bytes) -> str:
    """The text with whitespace removed (a line break inside a value does not matter)."""
    out = subprocess.run(
        ["pdftotext", str(_file(tmp_path, content)), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return "".join(out.split())


def lines_of(tmp_path: Path, content: bytes) -> list[str]:
    out = subprocess.run(
        ["pdftotext", "-layout", str(_file(tmp_path, content)), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return out.splitlines()


def fonts_of(tmp_path: Path, content: bytes) -> list[tuple[str, bool]]:
    """(font name without its subset tag, embedded) of every font the PDF uses."""
    out = subprocess.run(
        ["pdffonts", str(_file(tmp_path, content))], capture_output=True, text=True, check=True
    ).stdout.splitlines()[2:]
    found = []
    for line in out:
        parts = line.split()
        found.append((parts[0].split("+")[-1], parts[-5] == "yes"))
    return found


def page_image(tmp_path: Path, content: bytes, page: int, dpi: int = 50) -> tuple[int, int, bytes]:
    """Page `page` as a greyscale image: (width, height, pixels)."""
    stem = tmp_path / f"page-{page}"
    subprocess.run(
        [
            "pdftoppm",
            "-gray",
            "-r",
            str(dpi),
            "-f",
            str(page),
            "-l",
            str(page),
            str(_file(tmp_path, content)),
            str(stem),
        ],
        check=True,
    )
    (made,) = tmp_path.glob(f"page-{page}*.pgm")
    data = made.read_bytes()
    made.unlink()
    # P5\n<w> <h>\n255\n<pixels>
    _magic, rest = data.split(b"\n", 1)
    size, rest = rest.split(b"\n", 1)
    _max, pixels = rest.split(b"\n", 1)
    width, height = (int(v) for v in size.split())
    return width, height, pixels


def missing_glyphs(text: str) -> set[str]:
    """The characters of `text` that the report's font (Noto Sans CJK SC, as fontconfig finds
    it) has no glyph for: each would print as a tofu box or in a fallback font."""
    from fontTools.ttLib import TTCollection

    found = subprocess.run(
        ["fc-match", "-f", "%{file}\n%{index}", "Noto Sans CJK SC"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split("\n")
    path, index = found[0], int(found[1] or 0)
    cmap = TTCollection(path).fonts[index].getBestCmap()
    return {c for c in text if not c.isspace() and ord(c) not in cmap}
