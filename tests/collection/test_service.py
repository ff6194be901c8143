"""The ingest service: every row stored or rejected with a Chinese reason, idempotent re-sends,
corrections as versions, subject linking, timeliness, refused files, stats and access."""

from __future__ import annotations

import io
from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select

from tests.factories import (
    COMPANY_USCC,
    OTHER_USCC,
    PERSON_ID,
    penalty_row,
    person_row,
    write_csv,
)
from xinyong import clock, codes
from xinyong.auth.principal import Principal
from xinyong.catalog import get_item
from xinyong.collection import service
from xinyong.collection.models import Batch, BatchStatus
from xinyong.collection.readers import FileRefused, open_table
from xinyong.collection.stats import monthly_quality
from xinyong.errors import PermissionDenied
from xinyong.policy.enums import Role, SubjectType
from xinyong.records.models import Record
from xinyong.subjects.models import Subject, SubjectName
from xinyong.subjects.service import SubjectIn, register, resolve

pytestmark = pytest.mark.usefixtures("received")


def _ingest(sessions, path, department, **options):
    return service.ingest(sessions, path, "行政处罚", department, **options)


def _reasons(sessions, batch_id):
    with sessions() as session:
        return dict(service.rejection_reasons(session, batch_id))


def test_clean_file_is_stored_and_linked_to_new_subjects(sessions, department, tmp_path):
    path = write_csv(tmp_path / "p.csv", [penalty_row(), person_row()])
    receipt = _ingest(sessions, path, department)
    assert (receipt.total, receipt.new, receipt.rejected) == (2, 2, 0)
    assert receipt.status is BatchStatus.DONE
    with sessions() as session:
        company = resolve(session, uscc=COMPANY_USCC)
        person = resolve(session, id_number=PERSON_ID)
        assert company is not None and company.name == "广州市某某科技有限公司"
        assert person is not None and person.id_number_masked == codes.mask_id_number(PERSON_ID)
        records = session.scalars(select(Record).order_by(Record.id)).all()
        assert [r.subject_id for r in records] == [company.id, person.id]
        assert records[0].amount_yuan == 50000
        assert records[1].payload["cf_xdr_zjhm"] == codes.mask_id_number(PERSON_ID)


def test_every_bad_row_is_rejected_with_its_reason_in_chinese(sessions, department, tmp_path):
    bad_uscc = COMPANY_USCC[:-1] + ("0" if COMPANY_USCC[-1] != "0" else "1")
    rows = [
        penalty_row(),
        penalty_row(**{"统一社会信用代码": bad_uscc, "行政处罚决定书文号": "文2"}),
        penalty_row(**{"处罚决定日期": "2024-03-21", "行政处罚决定书文号": "文3"}),
        penalty_row(**{"罚款金额（万元）": "", "行政处罚决定书文号": "文4"}),
        penalty_row(**{"处罚类别": "打板子", "行政处罚决定书文号": "文5"}),
        person_row(**{"证件号码": PERSON_ID[:-1] + ("1" if PERSON_ID[-1] == "0" else "0")}),
        penalty_row(**{"处罚有效期": "2024-01-01", "行政处罚决定书文号": "文7"}),
        penalty_row(**{"违法事实": "  ", "行政处罚决定书文号": "文8"}),
        penalty_row(**{"处罚决定日期": "2024-02-30", "行政处罚决定书文号": "文9"}),
        penalty_row(**{"罚款金额（万元）": "五万", "行政处罚决定书文号": "文10"}),
        penalty_row(**{"统一社会信用代码": "", "行政处罚决定书文号": "文11"}),
        penalty_row(违法事实="重复报送的同一决定书"),
    ]
    receipt = _ingest(sessions, write_csv(tmp_path / "p.csv", rows), department)
    assert (receipt.total, receipt.accepted, receipt.rejected) == (12, 1, 11)
    reasons = _reasons(sessions, receipt.batch_id)
    assert sorted(reasons) == list(range(3, 14))
    assert "统一社会信用代码校验位错误" in reasons[3]
    assert reasons[4] == "处罚决定日期晚于报送日期"
    assert "罚款金额" in reasons[5] and "必须填写" in reasons[5]
    assert "“打板子”不是有效的处罚类别" in reasons[6]
    assert reasons[7] == "证件号码：公民身份号码校验位错误"
    assert reasons[8] == "处罚有效期早于处罚决定日期"
    assert reasons[9] == "缺少必填项“违法事实”"
    assert "日期不存在" in reasons[10]
    assert "不是有效的数字" in reasons[11]
    assert "必须填写“统一社会信用代码”" in reasons[12]
    assert reasons[13] == "与第 2 行是同一条记录（业务主键相同）"


def test_resending_the_same_file_changes_nothing(sessions, department, tmp_path):
    path = write_csv(tmp_path / "p.csv", [penalty_row(), person_row(), penalty_row(处罚类别="吃")])
    first = _ingest(sessions, path, department)
    again = _ingest(sessions, path, department)
    assert (first.new, first.rejected) == (2, 1)
    assert (again.new, again.corrected, again.unchanged, again.rejected) == (0, 0, 2, 1)
    with sessions() as session:
        assert session.scalar(select(func.count()).select_from(Record)) == 2
        assert session.scalar(select(func.count()).select_from(Subject)) == 2


def test_a_big_file_checked_in_a_worker_process_gives_the_same_receipt(
    sessions, department, tmp_path, monkeypatch
):
    rows = [
        penalty_row(**{"行政处罚决定书文号": f"穗市监罚〔2024〕{n}号"}) for n in range(1, 12_001)
    ]
    rows[7_000]["处罚决定日期"] = "2024-02-30"
    rows.append(person_row())
    path = write_csv(tmp_path / "p.csv", rows)
    monkeypatch.setattr(service, "PARALLEL_MIN_BYTES", 1 << 40)
    alone = _ingest(sessions, path, department)
    assert (alone.total, alone.new, alone.rejected) == (12_001, 12_000, 1)
    monkeypatch.setattr(service, "PARALLEL_MIN_BYTES", 0)
    again = _ingest(sessions, path, department)
    # Same natural keys (with the keyed hash of the ID number) and payloads in both processes.
    assert (again.total, again.unchanged, again.rejected) == (12_001, 12_000, 1)
    assert _reasons(sessions, again.batch_id) == {7_002: "处罚决定日期：日期不存在"}


def test_a_changed_row_is_a_new_version_and_the_old_one_is_kept(sessions, department, tmp_path):
    _ingest(sessions, write_csv(tmp_path / "a.csv", [penalty_row()]), department)
    fixed = penalty_row(**{"罚款金额（万元）": "6", "处罚内容": "罚款人民币陆万元"})
    receipt = _ingest(sessions, write_csv(tmp_path / "b.csv", [fixed]), department)
    assert (receipt.new, receipt.corrected) == (0, 1)
    with sessions() as session:
        versions = session.scalars(select(Record).order_by(Record.version)).all()
        assert [(r.version, r.is_current, r.amount_yuan) for r in versions] == [
            (1, False, 50000),
            (2, True, 60000),
        ]


def test_rows_link_to_registered_subjects_by_uscc_then_legacy_code(sessions, department, tmp_path):
    org_code = OTHER_USCC[8:17]
    with sessions() as session, session.begin():
        known = register(
            session, SubjectIn(SubjectType.ENTERPRISE, "广州市某某科技有限公司", uscc=COMPANY_USCC)
        ).id
        legacy = register(
            session, SubjectIn(SubjectType.ENTERPRISE, "广州旧码贸易公司", org_code=org_code)
        ).id
    rows = [
        penalty_row(),
        penalty_row(
            **{
                "行政相对人名称": "广州旧码贸易公司",
                "统一社会信用代码": "",
                "组织机构代码": org_code,
                "行政处罚决定书文号": "文2",
                "行政相对人类别": "法人及非法人组织",
            }
        ),
    ]
    # The row gives the legacy subject's new USCC too: the subject becomes known by it.
    rows[1]["统一社会信用代码"] = OTHER_USCC
    receipt = _ingest(sessions, write_csv(tmp_path / "p.csv", rows), department)
    assert receipt.new == 2
    with sessions() as session:
        linked = session.scalars(select(Record.subject_id).order_by(Record.id)).all()
        assert linked == [known, legacy]
        assert session.scalar(select(func.count()).select_from(Subject)) == 2
        found = resolve(session, uscc=OTHER_USCC)
        assert found is not None and found.id == legacy and found.uscc == OTHER_USCC


def test_a_different_name_is_a_warning_and_enters_the_name_history(sessions, department, tmp_path):
    _ingest(sessions, write_csv(tmp_path / "a.csv", [penalty_row()]), department)
    renamed = penalty_row(
        **{"行政相对人名称": "廣州市新名科技有限公司", "行政处罚决定书文号": "文2"}
    )
    receipt = _ingest(sessions, write_csv(tmp_path / "b.csv", [renamed]), department)
    assert (receipt.new, receipt.rejected, receipt.warnings_total) == (1, 0, 1)
    assert "已记入名称历史" in receipt.warnings[0]
    with sessions() as session:
        names = session.scalars(select(SubjectName.name).order_by(SubjectName.id)).all()
        assert names == ["广州市某某科技有限公司", "廣州市新名科技有限公司"]


def test_same_name_in_traditional_characters_is_no_warning(sessions, department, tmp_path):
    _ingest(sessions, write_csv(tmp_path / "a.csv", [penalty_row()]), department)
    same = penalty_row(**{"行政相对人名称": "廣州市某某科技有限公司 ", "行政处罚决定书文号": "文2"})
    receipt = _ingest(sessions, write_csv(tmp_path / "b.csv", [same]), department)
    assert receipt.warnings_total == 0


def test_fixed_rejected_rows_can_be_sent_alone(sessions, department, tmp_path):
    rows = [penalty_row(), penalty_row(**{"处罚类别": "吃", "行政处罚决定书文号": "文2"})]
    first = _ingest(sessions, write_csv(tmp_path / "a.csv", rows), department)
    out = io.BytesIO()
    with sessions() as session, session.begin():
        batch = service.get_batch(session, first.batch_id)
        name = service.write_rejections(session, batch, out, actor="clerk")
    assert name == "a_错误数据.csv"
    rejected = tmp_path / name
    rejected.write_bytes(out.getvalue().replace("吃".encode(), "罚款".encode()))
    table = open_table(rejected, get_item("xzcf"))
    assert "错误原因" in table.extra_columns
    again = _ingest(sessions, rejected, department)
    assert (again.total, again.new, again.rejected, again.warnings_total) == (1, 1, 0, 1)


def test_a_file_missing_required_columns_is_refused_whole_and_recorded(
    sessions, department, tmp_path
):
    row = penalty_row()
    del row["处罚决定日期"], row["处罚机关"]
    with pytest.raises(FileRefused) as refused:
        _ingest(sessions, write_csv(tmp_path / "p.csv", [row]), department)
    assert "处罚决定日期" in refused.value.message and "处罚机关" in refused.value.message
    with sessions() as session:
        batch = session.scalars(select(Batch)).one()
        assert batch.status == BatchStatus.REFUSED and batch.refusal == refused.value.message
        assert session.scalar(select(func.count()).select_from(Record)) == 0


def test_timeliness_is_stored_per_record_and_counted(sessions, department, tmp_path):
    # Received 2024-03-20. Decided Fri 2024-03-15: due the 7th working day after, 03-26.
    # Decided Fri 2024-03-01: due 03-12, so late.
    rows = [
        penalty_row(),
        penalty_row(**{"处罚决定日期": "2024-03-01", "行政处罚决定书文号": "文2"}),
    ]
    receipt = _ingest(sessions, write_csv(tmp_path / "p.csv", rows), department)
    assert (receipt.on_time, receipt.late) == (1, 1)
    with sessions() as session:
        flags = session.scalars(select(Record.on_time).order_by(Record.id)).all()
        assert flags == [True, False]
        stored = session.scalars(select(Record.received_at)).first()
        assert stored == clock.now()


def test_monthly_quality_gives_compliance_and_timeliness_rates(sessions, department, tmp_path):
    rows = [
        penalty_row(),
        penalty_row(**{"处罚决定日期": "2024-03-01", "行政处罚决定书文号": "文2"}),
        penalty_row(**{"处罚类别": "吃", "行政处罚决定书文号": "文3"}),
        penalty_row(**{"处罚类别": "喝", "行政处罚决定书文号": "文4"}),
    ]
    _ingest(sessions, write_csv(tmp_path / "p.csv", rows), department)
    with sessions() as session:
        office = Principal(Role.CREDIT_OFFICE, None, "440100", "user:1", "office")
        (line,) = monthly_quality(session, office)
    assert (line.period, line.sent, line.accepted, line.rejected) == ("2024-03", 4, 2, 2)
    assert line.compliance_rate == 0.5 and line.timeliness_rate == 0.5


def test_a_department_cannot_read_another_departments_batches(sessions, department, tmp_path):
    receipt = _ingest(sessions, write_csv(tmp_path / "p.csv", [penalty_row()]), department)
    with sessions() as session:
        own = service.get_batch(session, receipt.batch_id).department_id
        office = Principal(Role.CREDIT_OFFICE, None, "440100", "user:1", "office")
        clerk = Principal(Role.DATA_PROVIDER, own, "440100", "user:2", "clerk")
        other = Principal(Role.DATA_PROVIDER, own + 1, "440100", "user:3", "other")
        assert service.read_batch(session, office, receipt.batch_id).id == receipt.batch_id
        assert service.read_batch(session, clerk, receipt.batch_id).id == receipt.batch_id
        with pytest.raises(PermissionDenied):
            service.read_batch(session, other, receipt.batch_id)


def test_rejected_rows_are_sealed_at_rest(sessions, department, tmp_path):
    bad = person_row(处罚类别="吃")
    receipt = _ingest(sessions, write_csv(tmp_path / "p.csv", [bad]), department)
    from xinyong.collection.models import Rejection

    with sessions() as session:
        stored = session.scalars(select(Rejection.cells)).one()
        assert PERSON_ID.encode() not in stored
        ((number, cells, _),) = list(service.rejections(session, receipt.batch_id))
        assert number == 2 and PERSON_ID in cells


def test_downloading_rejected_rows_is_audited(sessions, department, tmp_path):
    from xinyong.auth.models import AuditEntry

    receipt = _ingest(
        sessions, write_csv(tmp_path / "p.csv", [penalty_row(处罚类别="吃")]), department
    )
    with sessions() as session, session.begin():
        batch = service.get_batch(session, receipt.batch_id)
        service.write_rejections(session, batch, io.BytesIO(), actor="clerk")
    with sessions() as session:
        actions = session.scalars(select(AuditEntry.action).where(AuditEntry.actor == "clerk"))
        assert list(actions) == ["batch.download_rejections"]


def test_receipt_time_is_the_batch_receipt(sessions, department, tmp_path):
    receipt = _ingest(sessions, write_csv(tmp_path / "p.csv", [penalty_row()]), department)
    assert receipt.received_at == datetime(2024, 3, 20, 2, 0, tzinfo=UTC)


def test_the_extra_column_warning_is_said_once_per_batch(sessions, department, tmp_path):
    """issue 11 (Low, collection messages): one line for the batch, however many rows and
    chunks carry the column, and not a line per row."""
    rows = [
        penalty_row(**{"行政处罚决定书文号": f"文{n}", "附件": "a.pdf"})
        for n in range(service.CHUNK_ROWS + 10)
    ]
    receipt = _ingest(sessions, write_csv(tmp_path / "p.csv", rows), department)
    assert receipt.warnings == ["以下列不在“行政处罚”目录中，已忽略：附件"]
    assert receipt.warnings_total == 1
