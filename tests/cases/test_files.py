"""Files handed in with a case are judged by their bytes, not their names: the first bytes say
the type, a name keeps no directory or control character."""

import pytest

from xinyong.cases.files import safe_name, sniff


@pytest.mark.parametrize(
    ("data", "found"),
    [
        (b"%PDF-1.7\n...", "pdf"),
        (b"\x89PNG\r\n\x1a\n....", "png"),
        (b"\xff\xd8\xff\xe0....", "jpeg"),
        (b"PK\x03\x04 a zip renamed .pdf", None),
        (b"<html><script>", None),
        (b"", None),
    ],
)
def test_the_type_comes_from_the_first_bytes(data, found):
    assert sniff(data) == found


@pytest.mark.parametrize(
    ("name", "kept"),
    [
        ("C:\\Users\\a\\证明.pdf", "证明.pdf"),
        ("../../etc/passwd", "passwd"),
        ("缴款\x00凭证\r\n.pdf", "缴款凭证.pdf"),
        ("", "材料"),
        ("...", "材料"),
        ("长" * 300 + ".pdf", ("长" * 300 + ".pdf")[-120:]),
    ],
)
def test_a_name_keeps_no_directory_or_control_character(name, kept):
    assert safe_name(name) == kept
