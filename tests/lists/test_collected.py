"""List entries sent by a department through collection, like any catalog item (a CSV of the
严重失信主体名单 item, GBK as departments often send), then found by a check."""

import csv
from datetime import UTC, datetime

from tests.factories import AUTHORITY_USCC, COMPANY_USCC
from xinyong import clock
from xinyong.auth.principal import Principal
from xinyong.auth.service import create_department
from xinyong.collection.service import ingest
from xinyong.db import committing, transaction
from xinyong.measures import service as checks
from xinyong.measures.identify import SubjectKey
from xinyong.policy.enums import Role


def test_a_collected_entry_puts_the_subject_on_the_list(sessions, session, tmp_path):
    path = tmp_path / "严重失信主体名单.csv"
    header = ["主体名称", "主体类别", "统一社会信用代码", "列入决定文书号", "列入原因", "列入依据"]
    header += ["列入日期", "列入部门", "列入部门统一社会信用代码"]
    row = ["广州市某某科技有限公司", "法人及非法人组织", COMPANY_USCC, "穗人社失信〔2026〕3号"]
    row += ["拖欠农民工工资", "《拖欠农民工工资失信联合惩戒对象名单管理暂行办法》"]
    row += ["2026-11-02", "广州市人力资源和社会保障局", AUTHORITY_USCC]
    bad = [*row[:2], "91440106MA5CXQ2B00", *row[3:]]  # wrong checksum: rejected with a reason
    with path.open("w", encoding="gbk", newline="") as out:
        csv.writer(out).writerows([header, row, bad])
    with clock.frozen_at(datetime(2026, 11, 3, 2, 0, tzinfo=UTC)):
        with transaction(sessions) as s:
            department = create_department(
                s, "gz-rsj", "广州市人力资源和社会保障局", "440100", AUTHORITY_USCC
            )
        receipt = ingest(sessions, path, "严重失信主体名单", department.code)
        assert (receipt.total, receipt.new, receipt.rejected) == (2, 1, 1)
        viewer = Principal(Role.SERVICE_WINDOW, None, "440100", "user:1")
        with committing(session):
            answer = checks.check(session, viewer, SubjectKey(uscc=COMPANY_USCC), "bidding")
    assert [m.list_type for m in answer.lists] == ["serious_dishonesty"]
    assert answer.lists[0].item_name == "严重失信主体名单"
    assert [m.code for m in answer.measures] == ["C02"]
