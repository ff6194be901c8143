"""Early removal from the 严重失信主体名单 is a repair case decided by the listing department:
approval removes the entry through the listing procedure (the listing case becomes 已移出),
and checks and the black list page after the decision no longer see the entry."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from tests.factories import listing_case
from tests.repairs.sample import COMPLETE, CREDIT_OFFICE, at, world
from xinyong import clock
from xinyong.auth.principal import PUBLIC, Principal
from xinyong.cases import handlers
from xinyong.cases.handlers import StepIn
from xinyong.db import committing
from xinyong.lists.models import ListCase
from xinyong.measures import service as checks
from xinyong.measures.identify import SubjectKey
from xinyong.publication.lists import ListFilter, browse
from xinyong.records.models import Record, RecordChange, RecordStatus
from xinyong.repairs import service as repairs


def test_list_entry_removed_early_after_one_year_ling_36(session):
    """令第36号: 严重失信主体名单 information is published at least 1 year; after it the subject
    may apply for repair (提前移出), which the listing department decides (国办发〔2020〕49号)."""
    w = world(session, date(2025, 1, 6), date(2025, 1, 10))
    clerk = w.clerk
    with clock.frozen_at(at(date(2025, 1, 10))):
        listing = listing_case(session, clerk, w.company, w.regulator, "listed")
    entry = listing.record_id
    assert entry is not None
    system = Principal.of_department(w.regulator)
    with clock.frozen_at(at(date(2026, 1, 9))):
        form = repairs.application(session, w.applicant(), entry)
        assert (form.eligibility.from_date, form.eligibility.can_apply_now) == (
            date(2026, 1, 10),
            False,
        )
    with clock.frozen_at(at(date(2026, 3, 2))):
        with committing(session):
            case = repairs.apply(session, w.applicant(), entry, COMPLETE, True).case
        assert case.department_id == w.regulator.id and case.removes_list_entry
        with committing(session):
            hit = checks.check(session, system, SubjectKey(uscc=w.company.uscc), "bidding")
        assert "C02" in [m.code for m in hit.measures]
        assert browse(session, PUBLIC, ListFilter()).total == 1
        handlers.take(session, CREDIT_OFFICE, case.id, StepIn("forward"))
    with clock.frozen_at(at(date(2026, 3, 3))):
        handlers.take(session, clerk, case.id, StepIn("approve", None, {"opinion": "已整改"}))
        assert session.get_one(Record, entry).status == RecordStatus.REPAIRED
        assert session.get_one(ListCase, listing.id).state == "removed"
        feed = session.scalars(select(RecordChange).where(RecordChange.record_id == entry)).all()
        assert [(c.change, c.case_id) for c in feed] == [("repaired", case.id)]
        with committing(session):
            after = checks.check(session, system, SubjectKey(uscc=w.company.uscc), "bidding")
        assert after.measures == []
        assert browse(session, PUBLIC, ListFilter()).total == 0  # the black list page
        with committing(session):
            before = checks.check(
                session, system, SubjectKey(uscc=w.company.uscc), "bidding", at(date(2026, 3, 2))
            )
        assert "C02" in [m.code for m in before.measures]
