"""Credit reports (issue 17): the PDF says what the publication view shows its requester —
number, subject, sections, 已修复 and 异议中 — in embedded Chinese fonts; the 专项信用报告
(发改财金〔2025〕565号) covers the chosen domains and period, saying 未发现违法违规记录 where a
domain is empty; a stored report is reproduced byte for byte from its row."""

from __future__ import annotations

import shutil
import subprocess
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select

from tests.factories import PERSON_ID, penalty, store
from tests.reports.pdf import fonts_of, missing_glyphs, needs_poppler, page_image, text_of
from tests.reports.sample import COMPANY, MOMENT, PERSON, world
from xinyong import clock
from xinyong.auth.models import AuditEntry
from xinyong.auth.principal import PUBLIC
from xinyong.db import committing
from xinyong.documents.pdf import render_html
from xinyong.errors import DomainError
from xinyong.reports import content, service
from xinyong.reports.models import Report
from xinyong.reports.service import ReportRequest

pytestmark = needs_poppler


def issue(session, who, request):  # type: ignore[no-untyped-def]
    with clock.frozen_at(MOMENT), committing(session):
        return service.issue(session, who, request)


def pdf(session, who, report):  # type: ignore[no-untyped-def]
    with clock.frozen_at(MOMENT), committing(session):
        return service.download(session, who, report.id).content


def test_the_staff_report_holds_number_subject_sections_and_marks(session, tmp_path):
    w = world(session)
    report = issue(session, w.staff, ReportRequest(w.company.id))
    text = text_of(tmp_path, pdf(session, w.staff, report))
    assert report.number in text and report.number.startswith("XYBG2026")
    assert COMPANY in text and w.company.uscc in text
    for title in (
        "基本信息",
        "信用评价",
        "行政许可信息",
        "行政处罚信息",
        "守信激励信息",
        "失信惩戒信息",
    ):
        assert title in text
    assert "穗市监罚〔2026〕11号" in text and "穗市监罚〔2020〕14号" in text  # no period chosen
    assert "3.行政处罚（2026年3月1日）已修复" in text  # newest first: 13号, 11号, 12号 (repaired)
    assert "1.行政处罚（2026年9月1日）异议中" in text
    assert "异议中" in text
    assert "第1页/共" in text and "信用报告（法人和非法人组织）" in text
    assert PERSON_ID not in text and "4401**********" in text  # the representative's ID masked
    assert "本报告由工作人员依职权出具" in text


def test_the_public_report_shows_what_the_public_sees(session, tmp_path):
    """Publication view only: a repaired record has left public view, so the public's report
    does not list it; one under objection stays, marked 异议中 (条例 第四十一条)."""
    w = world(session)
    report = issue(session, PUBLIC, ReportRequest(w.company.id))
    assert report.public_view and report.viewer is None
    text = text_of(tmp_path, pdf(session, PUBLIC, report))
    assert "穗市监罚〔2026〕11号" in text and "穗市监罚〔2026〕13号" in text
    assert "穗市监罚〔2026〕12号" not in text and "已修复" not in text
    assert "（2026年9月1日）异议中" in text and "依职权出具" not in text


def test_fonts_are_embedded_and_no_glyph_is_missing(session, tmp_path):
    """No tofu: only the Noto CJK fonts, each embedded (the PDF shows on a machine without
    Chinese fonts), every character printed has a glyph in them, a known string comes back
    out of the text layer, and the cover page has ink where its title is."""
    w = world(session)
    report = issue(session, w.staff, ReportRequest(w.company.id, kind="special"))
    printed = pdf(session, w.staff, report)
    fonts = fonts_of(tmp_path, printed)
    assert fonts and all(name.startswith("Noto-Sans-CJK") and embedded for name, embedded in fonts)
    html = render_html(
        content.TEMPLATE, content.context(session, report, content_kind(report), views=[])
    )
    assert missing_glyphs(_visible_text(html)) == set()
    assert "专项信用报告" in text_of(tmp_path, printed) and "未发现违法违规记录" in text_of(
        tmp_path, printed
    )
    width, height, pixels = page_image(tmp_path, printed, 1)
    title_band = pixels[int(height * 0.2) * width : int(height * 0.3) * width]
    assert min(title_band) < 80  # the title printed black, not blank


def test_the_glyph_check_catches_a_missing_glyph():
    assert missing_glyphs("信用报告 \U0001f9ff") == {"\U0001f9ff"}


def content_kind(report):  # type: ignore[no-untyped-def]
    from xinyong.reports.scope import kind_named

    return kind_named(report.kind)


def _visible_text(html: str) -> str:
    import re

    body = html.split("<body>", 1)[1]
    body = re.sub(r"<style>.*?</style>|<svg.*?</svg>", "", body, flags=re.S)
    return re.sub(r"<[^>]+>", "", body)


def test_the_special_report_covers_the_chosen_domains_and_period(session, tmp_path):
    """565号: 行政处罚（含简易程序）, 行政强制, 严重失信主体名单, 刑事裁判; the subject chooses the
    domains and the period; an empty domain says 未发现违法违规记录; repaired is marked."""
    w = world(session)
    report = issue(session, w.staff, ReportRequest(w.company.id, kind="special"))
    assert report.scope == {
        "sections": ["xzcf", "xzqz", "yzsxmd", "xspj"],
        "from": "2023-12-05",  # three years by default
        "to": "2026-12-04",
    }
    text = text_of(tmp_path, pdf(session, w.staff, report))
    assert "行政处罚（含简易程序）" in text and "穗市监罚〔2026〕11号" in text
    assert "（2026年3月1日）已修复" in text and "（2026年9月1日）异议中" in text
    assert "穗市监罚〔2020〕14号" not in text  # decided before the period
    assert "三、行政强制未发现违法违规记录" in text
    assert "本平台尚未归集刑事裁判信息" in text  # no item: no claim either way
    chosen = issue(
        session,
        w.staff,
        ReportRequest(
            w.company.id,
            kind="special",
            sections=["xzcf"],
            starts_on=date(2026, 4, 1),
            ends_on=date(2026, 8, 31),
        ),
    )
    text = text_of(tmp_path, pdf(session, w.staff, chosen))
    assert "穗市监罚〔2026〕11号" in text
    assert "穗市监罚〔2026〕12号" not in text and "穗市监罚〔2026〕13号" not in text
    assert "行政强制" not in text and "2026年4月1日至2026年8月31日" in text


@pytest.mark.parametrize(
    ("request_", "code"),
    [
        (dict(kind="special", starts_on=date(2021, 12, 1)), "reports.period"),  # > 5 years
        (
            dict(kind="special", starts_on=date(2026, 6, 1), ends_on=date(2026, 1, 1)),
            "reports.period",
        ),
        (dict(kind="special", ends_on=date(2026, 12, 31)), "reports.period"),  # after as_of
        (dict(kind="special", sections=["xzxk"]), "reports.section"),
        (dict(kind="credit"), "reports.kind"),
        (dict(kind="person"), "reports.subject_type"),
        (dict(as_of=date(2026, 12, 5)), "reports.as_of"),
        (dict(as_of=datetime(2026, 12, 4, 3, tzinfo=UTC)), "reports.as_of"),
        (dict(as_of=date(1, 1, 1)), "reports.as_of"),
        (dict(as_of=datetime(1, 1, 1)), "reports.as_of"),  # no zone: Beijing, before year 1 UTC
        (dict(kind="special", ends_on=date(1, 1, 2)), "reports.period"),
    ],
)
def test_a_scope_out_of_bounds_is_refused_in_chinese(session, request_, code):
    w = world(session)
    with pytest.raises(DomainError) as refused:
        issue(session, w.staff, ReportRequest(w.company.id, **request_))
    assert refused.value.code == code
    assert any("\u4e00" <= c <= "\u9fff" for c in refused.value.message)


def test_five_years_exactly_is_allowed(session):
    w = world(session)
    report = issue(
        session, w.staff, ReportRequest(w.company.id, kind="special", starts_on=date(2021, 12, 5))
    )
    assert report.scope["from"] == "2021-12-05"


def test_an_old_report_is_reproduced_byte_for_byte(session, tmp_path):
    """as_of: a report as of 2026-11-10 (before the repair and the objection) read again after
    both, and after a new record, renders to the same bytes; the download gives the stored
    bytes; a later report as of now differs."""
    w = world(session)
    report = issue(session, w.staff, ReportRequest(w.company.id, as_of=date(2026, 11, 10)))
    stored = pdf(session, w.staff, report)
    with clock.frozen_at(MOMENT + timedelta(days=1)):
        store(session, w.company.id, penalty(21, date(2026, 12, 4)), department=w.department)
    with clock.frozen_at(MOMENT + timedelta(days=400)):
        assert service.reproduce(session, report) == stored
        assert service.download(session, w.staff, report.id).content == stored
    text = text_of(tmp_path, stored)
    assert "）已修复" not in text and "）异议中" not in text  # neither had happened by then
    assert "2026年11月10日23:59:59" in text


def test_issuing_a_non_public_report_is_audited_and_the_public_one_is_not(session):
    w = world(session)
    public = issue(session, PUBLIC, ReportRequest(w.company.id))
    own = issue(session, w.applicant(w.person.id), ReportRequest(w.person.id))
    actions = {
        (e.actor, e.action, e.target_id)
        for e in session.scalars(select(AuditEntry).where(AuditEntry.action.like("reports.%")))
    }
    assert ("applicant:1", "reports.issue", str(own.id)) in actions or (
        "applicant:1",
        "reports.issue",
        own.id,
    ) in actions
    assert not any(target in (public.id, str(public.id)) for _a, _b, target in actions)
    staff = issue(session, w.staff, ReportRequest(w.company.id))
    entries = session.scalars(
        select(AuditEntry).where(
            AuditEntry.actor == w.staff.actor, AuditEntry.action == "reports.issue"
        )
    ).all()
    assert [e.detail["number"] for e in entries] == [staff.number]


def test_the_public_report_asked_again_soon_is_the_same_report(session):
    w = world(session)
    first = issue(session, PUBLIC, ReportRequest(w.company.id))
    again = issue(session, PUBLIC, ReportRequest(w.company.id))
    assert again.id == first.id
    with clock.frozen_at(MOMENT + timedelta(hours=2)), committing(session):
        later = service.issue(session, PUBLIC, ReportRequest(w.company.id))
    assert later.id != first.id
    assert session.scalar(select(Report.id).where(Report.number == first.number)) == first.id


def test_the_person_report_names_the_person_with_the_id_number_masked(session, tmp_path):
    w = world(session)
    report = issue(session, w.applicant(w.person.id), ReportRequest(w.person.id))
    assert report.kind == "person"
    text = text_of(tmp_path, pdf(session, w.applicant(w.person.id), report))
    assert PERSON in text and "信用报告（个人）" in text and "姓名" in text
    assert PERSON_ID not in text and w.person.id_number_masked in text
    assert "穗市监罚〔2026〕15号" in text


def _graded(session, subject_id: int, grade: str) -> None:  # type: ignore[no-untyped-def]
    from xinyong.evaluation.models import EvaluationResult, EvaluationRun

    at = datetime(2026, 12, 1, 2, tzinfo=UTC)
    with committing(session):
        run = EvaluationRun(
            model_code="enterprise", model_version=1, as_of=at, started_at=at, finished_at=at,
            subjects=1, actor="user:test",
        )  # fmt: skip
        session.add(run)
        session.flush()
        session.add(EvaluationResult(run_id=run.id, subject_id=subject_id, score=880, grade=grade))


def test_the_grade_shows_only_where_the_models_visible_to_lets_the_reader(session, tmp_path):
    """Grades are shared, not public (evaluation.yaml `visible_to`, 发改办财金〔2019〕885号):
    the credit office and the subject itself read it in their report, the public does not."""
    w = world(session)
    _graded(session, w.company.id, "B")
    staff = issue(session, w.staff, ReportRequest(w.company.id))
    text = text_of(tmp_path, pdf(session, w.staff, staff))
    assert "公共信用综合评价" in text and "B（评价截至2026年12月1日）" in text
    own = issue(session, w.applicant(w.company.id), ReportRequest(w.company.id))
    text = text_of(tmp_path, pdf(session, w.applicant(w.company.id), own))
    assert "公共信用综合评价" in text and "B（评价截至2026年12月1日）" in text
    public = issue(session, PUBLIC, ReportRequest(w.company.id))
    text = text_of(tmp_path, pdf(session, PUBLIC, public))
    assert "公共信用综合评价" not in text and "无可向报告申请人展示的信用评价结果" in text
    window = issue(session, w.window, ReportRequest(w.company.id))  # not in visible_to.roles
    assert "公共信用综合评价" not in text_of(tmp_path, pdf(session, w.window, window))


@pytest.mark.skipif(shutil.which("zbarimg") is None, reason="zbar-tools reads the QR code")
def test_the_qr_code_on_the_cover_reads_as_the_verify_address(session, tmp_path):
    w = world(session)
    report = issue(session, PUBLIC, ReportRequest(w.company.id))
    path = tmp_path / "cover"
    (tmp_path / "r.pdf").write_bytes(pdf(session, PUBLIC, report))
    subprocess.run(
        ["pdftoppm", "-png", "-r", "150", "-f", "1", "-l", "1", str(tmp_path / "r.pdf"), str(path)],
        check=True,
    )
    (image,) = tmp_path.glob("cover*.png")
    read = subprocess.run(["zbarimg", "-q", "--raw", str(image)], capture_output=True, text=True)
    assert read.stdout.strip() == f"http://localhost:8000/verify/{report.number}"


def test_no_code_or_document_number_is_broken_over_two_lines(session, tmp_path):
    """Chinese text breaks between any two characters; a USCC, a masked ID number or a
    document number split over lines is misread, so each is kept whole (`unbroken`)."""
    from tests.reports.pdf import lines_of

    w = world(session)
    # A note naming the same document number at every offset of a line: some would straddle a
    # line end (pango, by UAX #14, breaks between any Chinese characters and before 〔; it
    # does not break inside a run of letters and digits such as a USCC).
    cited = "穗市监罚〔2025〕9号"
    note = "".join("甲" * k + cited + "。" for k in range(1, 20))
    with clock.frozen_at(MOMENT):
        store(
            session, w.company.id, penalty(31, date(2026, 10, 1), bz=note), department=w.department
        )
    report = issue(session, w.staff, ReportRequest(w.company.id))
    printed = pdf(session, w.staff, report)
    joined = text_of(tmp_path, printed)
    lines = lines_of(tmp_path, printed)
    assert joined.count(cited) == 19
    codes = (cited, w.company.uscc, "11440100007500120C", "穗市监罚〔2026〕11号")
    for code in (*codes, report.number):
        assert joined.count(code) > 0, code
        assert sum(line.count(code) for line in lines) == joined.count(code), code


def test_id_and_mobile_numbers_in_free_text_are_masked(session, tmp_path):
    w = world(session)
    note = f"当事人联系电话13812345678，经办人身份证号{PERSON_ID}。"
    with clock.frozen_at(MOMENT):
        store(
            session, w.company.id, penalty(32, date(2026, 10, 2), bz=note), department=w.department
        )
    for who in (w.staff, PUBLIC):
        report = issue(session, who, ReportRequest(w.company.id))
        text = text_of(tmp_path, pdf(session, who, report))
        assert "当事人联系电话" in text
        assert "13812345678" not in text and PERSON_ID not in text
