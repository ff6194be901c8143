"""ID numbers and mobile numbers typed into free text are a 提示 on the receipt, with the row
and the field, and the row is still stored (issue 11 item 9)."""

from __future__ import annotations

import pytest

from tests.factories import penalty_row, person_row, write_csv
from xinyong import codes
from xinyong.collection import service

pytestmark = pytest.mark.usefixtures("received")

TYPED_ID = codes.make_id_number("41150219900307004")


def test_id_and_mobile_numbers_in_free_text_are_warned_in_the_receipt(
    sessions, department, tmp_path
):
    """issue 11 item 9: a warning, not a rejection; structured ID fields are not warned."""
    rows = [
        penalty_row(),
        penalty_row(
            **{
                "行政处罚决定书文号": "文2",
                "违法事实": f"经查，当事人（身份证号{TYPED_ID}）发布虚假广告。",
                "备注": "联系人电话 13812345678",
            }
        ),
        person_row(**{"行政处罚决定书文号": "文3"}),
        penalty_row(**{"行政处罚决定书文号": "文4", "备注": "账号 6222021234567890123"}),
    ]
    receipt = service.ingest(sessions, write_csv(tmp_path / "p.csv", rows), "行政处罚", department)
    assert (receipt.new, receipt.rejected) == (4, 0)
    assert receipt.warnings == [
        "第 3 行：“违法事实”含身份证号码，“备注”含手机号码；公示时脱敏显示，请核实是否应当填写"
    ]
