"""What the public and partners must never see: through `as_of`, by enumerating ids, or in free
text (issue 11 items 6, 7 and 9). Everything goes through HTTP as an outsider would."""

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import select

from tests.factories import COMPANY_USCC, demo_row, penalty, store
from xinyong import clock, codes
from xinyong.auth import service as auth
from xinyong.auth.models import AuditEntry
from xinyong.auth.principal import Principal
from xinyong.db import committing
from xinyong.lists import service as lists
from xinyong.policy.enums import Role, SubjectType
from xinyong.records.models import Record
from xinyong.subjects.service import SubjectIn, register

NOW = datetime(2026, 11, 23, 4, 0, tzinfo=UTC)
LISTED = datetime(2026, 11, 2, 2, 0, tzinfo=UTC)
REMOVED = datetime(2026, 11, 16, 2, 0, tzinfo=UTC)
BEFORE_REMOVAL = "2026-11-10"
PASSWORD = "a-long-password"
# An ID number and a mobile number as a clerk types them into 违法事实 or 备注.
TYPED_ID = codes.make_id_number("41150219900307004")
TYPED_MOBILE = "13812345678"
MASKED_MOBILE = "138****5678"


@pytest.fixture(autouse=True)
def now():
    with clock.frozen_at(NOW):
        yield NOW


def _company(session, name="广州市某某科技有限公司", uscc=COMPANY_USCC):
    with committing(session):
        return register(session, SubjectIn(SubjectType.ENTERPRISE, name, uscc=uscc))


def _login(client, session, role, username="xinyongban", department=None):
    """Signs in through the console form; returns the audit actor of the user."""
    with committing(session):
        user = auth.create_user(session, username, PASSWORD, role, "440100", department=department)
    page = client.get("/admin/login").text
    csrf = page.split('name="csrf" value="')[1].split('"')[0]
    client.post("/admin/login", data={"username": username, "password": PASSWORD, "csrf": csrf})
    # API calls on the session cookie carry the session's CSRF token, as the console's do.
    token = client.get("/admin/login").text.split('name="csrf" value="')[1].split('"')[0]
    client.headers["X-CSRF-Token"] = token
    return f"user:{user.id}"


def _listed_then_removed(session, company, how):
    """A 严重失信主体名单 entry listed on LISTED and removed (repair or decision) on REMOVED."""
    with clock.frozen_at(LISTED):
        record_id = store(session, company.id, demo_row("yzsxmd", company, LISTED.date()), "yzsxmd")
    with clock.frozen_at(REMOVED), committing(session):
        office = Principal(Role.CREDIT_OFFICE, None, "440100", "user:1")
        lists.remove(session, office, session.get(Record, record_id), how, "已完成信用修复")
    return record_id


def _public_answers(client, subject_id, record_id, as_of):
    """What every anonymous route answers about the subject and the record as of `as_of`."""
    params = {"as_of": as_of}
    archive = client.get(f"/api/v1/subjects/{subject_id}", params=params).json()
    return {
        "archive_badges": archive["subject"]["badges"],
        "archive_counts": sum(s["records"] for s in archive["sections"]),
        "records": client.get(f"/api/v1/subjects/{subject_id}/records", params=params).json()[
            "items"
        ],
        "record": client.get(f"/api/v1/records/{record_id}", params=params).status_code,
        "lists": client.get("/api/v1/lists", params=params).json()["total"],
        "search_badges": client.get(
            "/api/v1/subjects", params={"q": COMPANY_USCC, "as_of": as_of}
        ).json()["items"][0]["badges"],
        "page_shows_entry": 'aria-label="严重失信主体名单"'
        in client.get(f"/subjects/{subject_id}", params=params | {"tab": "sxcj"}).text,
    }


HIDDEN = {
    "archive_badges": [],
    "archive_counts": 0,
    "records": [],
    "record": 404,
    "lists": 0,
    "search_badges": [],
    "page_shows_entry": False,
}


@pytest.mark.parametrize("how", ["repair", "decision"])
def test_repaired_or_removed_entry_is_not_visible_to_the_public_through_as_of(client, session, how):
    """issue 11 item 6: an anonymous `?as_of=` before the repair (or the removal decision) must
    not bring back the 严重失信 entry on any route: what the public may not see now, it may not
    see as of any time."""
    company = _company(session)
    record_id = _listed_then_removed(session, company, how)
    assert _public_answers(client, company.id, record_id, BEFORE_REMOVAL) == HIDDEN
    assert _public_answers(client, company.id, record_id, NOW.date().isoformat()) == HIDDEN


def test_staff_history_view_through_as_of_still_shows_the_entry_and_is_audited(client, session):
    """issue 11 item 6: the credit office's history view keeps the entry as it was then, and
    the view is written to the audit log (the public could not see it)."""
    company = _company(session)
    record_id = _listed_then_removed(session, company, "repair")
    actor = _login(client, session, Role.CREDIT_OFFICE)
    shown = client.get(f"/api/v1/records/{record_id}", params={"as_of": BEFORE_REMOVAL}).json()
    assert (shown["id"], shown["status"], shown["view"]) == (record_id, "valid", "full")
    (entry,) = session.scalars(
        select(AuditEntry).where(AuditEntry.action == "publication.view")
    ).all()
    assert (entry.actor, entry.detail["records"]) == (actor, [record_id])
    assert entry.detail["as_of"].startswith(BEFORE_REMOVAL)


def test_as_of_shows_neither_what_ended_since_nor_what_came_after(client, session):
    """issue 11 item 6, both directions: a penalty whose window has closed since T is not shown
    as of T; a record received after T is not shown as of T."""
    company = _company(session)
    with clock.frozen_at(datetime(2025, 6, 2, 2, 0, tzinfo=UTC)):
        ended = store(session, company.id, penalty(1, date(2025, 6, 1)))  # window to 2026-06-01
    later = store(session, company.id, penalty(2, date(2026, 11, 2)))  # received NOW
    assert client.get(f"/api/v1/records/{later}").status_code == 200
    for record_id, as_of in ((ended, "2025-07-01"), (later, "2026-11-22")):
        found = client.get(f"/api/v1/subjects/{company.id}/records", params={"as_of": as_of})
        assert found.json()["items"] == [], as_of
        response = client.get(f"/api/v1/records/{record_id}", params={"as_of": as_of})
        assert response.status_code == 404, as_of


def _person(session, name, number):
    with committing(session):
        return register(session, SubjectIn(SubjectType.NATURAL_PERSON, name, id_number=number))


def _person_penalty(session, person, number, id_number, decided=date(2026, 7, 1), **changes):
    row = penalty(
        number,
        decided,
        cf_xdr_mc=person.name,
        cf_xdr_lb="自然人",
        cf_xdr_shxym="",
        cf_xdr_zjlx="居民身份证",
        cf_xdr_zjhm=id_number,
        cf_frdb="",
        cf_fr_zjlx="",
        cf_fr_zjhm="",
    )
    row.update(changes)
    return store(session, person.id, row)


def test_persons_without_a_published_record_cannot_be_enumerated(client, session):
    """issue 11 item 7: incrementing /api/v1/subjects/{id} (or the portal's /subjects/{id})
    finds only the natural persons with a record published now — a person with none, or with
    only records no longer published, is the same 404 as an id that does not exist, and is
    not found by search either. Organisations stay findable."""
    found_expected, names, numbers = set(), {}, {}
    company = _company(session)
    found_expected.add(company.id)
    for i, kind in enumerate(["published", "none", "warning_only", "expired", "none", "published"]):
        number = codes.make_id_number(f"4401061985071{i:02d}23"[:17])
        person = _person(session, f"王{'一二三四五六'[i]}明", number)
        names[person.id], numbers[person.id] = person.name, number
        if kind == "published":
            _person_penalty(session, person, 10 + i, number)
            found_expected.add(person.id)
        elif kind == "warning_only":  # 令第36号: 警告 only is never published
            _person_penalty(session, person, 10 + i, number, cf_cflb="警告", cf_nr_fk="")
        elif kind == "expired":  # a general penalty's window of 1 year has closed
            _person_penalty(session, person, 10 + i, number, decided=date(2025, 1, 10))
    top = max(names) + 5
    missing = client.get(f"/api/v1/subjects/{top + 100}")
    for route in ("/api/v1/subjects/{}", "/api/v1/subjects/{}/records", "/subjects/{}"):
        found = set()
        for subject_id in range(1, top):
            response = client.get(route.format(subject_id))
            assert response.status_code in (200, 404), (route, subject_id)
            if response.status_code == 200:
                found.add(subject_id)
            elif route.startswith("/api"):
                assert response.json()["code"] == missing.json()["code"] == "subject.not_found"
        assert found == found_expected, route
    for subject_id, name in names.items():
        for query in (name, numbers[subject_id]):  # by full name, by 公民身份号码
            hits = client.get("/api/v1/subjects", params={"q": query}).json()
            expected = [subject_id] * (subject_id in found_expected)
            assert [h["id"] for h in hits["items"]] == expected
            assert hits["total"] == len(hits["items"])
            # The page opens the archive of the one subject found (303), else lists none.
            page = client.get("/search", params={"q": query}, follow_redirects=False)
            opened = page.headers.get("location") == f"/subjects/{subject_id}"
            assert page.status_code == (303 if expected else 200)
            assert opened == bool(expected) and f'href="/subjects/{subject_id}"' not in page.text


def _with_typed_numbers(session, company, department):
    """A penalty and a 严重失信 entry whose free text holds an ID number and a mobile number."""
    facts = f"经查，当事人法定代表人（身份证号{TYPED_ID}，联系电话{TYPED_MOBILE}）发布虚假广告。"
    row = penalty(1, date(2026, 6, 1), cf_sy=facts, bz=f"联系人手机：{TYPED_MOBILE}")
    record_id = store(session, company.id, row, department=department)
    entry = demo_row("yzsxmd", company, date(2026, 6, 1))
    entry["md_yy"] = f"拒不履行，经办人身份证{TYPED_ID}"
    store(session, company.id, entry, "yzsxmd", department=department)
    return record_id


def _assert_masked(text, where):
    assert TYPED_ID not in text and TYPED_MOBILE not in text, where
    assert codes.mask_id_number(TYPED_ID) in text and MASKED_MOBILE in text, where


def test_id_and_mobile_numbers_in_free_text_are_masked_in_public_views(client, session):
    """issue 11 item 9: ID numbers (valid check digit) and mobile numbers typed into 违法事实,
    备注, 列入原因 … are shown masked on every public route, the way structured ID numbers are
    (4 first and 4 last characters), mobiles as 138****5678."""
    company = _company(session)
    record_id = _with_typed_numbers(session, company, None)
    for url in (
        f"/api/v1/records/{record_id}",
        f"/api/v1/subjects/{company.id}/records",
        f"/subjects/{company.id}?tab=xzcf",
        f"/records/{record_id}",
    ):
        _assert_masked(client.get(url).text, url)
    entries = client.get(f"/subjects/{company.id}?tab=sxcj").text
    assert TYPED_ID not in entries and codes.mask_id_number(TYPED_ID) in entries
    lists_page = client.get("/lists").text
    assert TYPED_ID not in lists_page
    listed = client.get("/api/v1/lists").json()["items"][0]
    reason = next(f["value"] for f in listed["fields"] if f["label"] == "列入原因")
    assert reason == f"拒不履行，经办人身份证{codes.mask_id_number(TYPED_ID)}"


@pytest.mark.parametrize("caller", ["provider_key", "bank", "credit_office"])
def test_id_and_mobile_numbers_in_free_text_are_masked_in_partner_and_staff_views(
    client, session, caller
):
    """issue 11 item 9: partners (a department's key, a bank) and staff read the same masked
    text: the publication view masks for every viewer, as it does structured ID numbers."""
    with committing(session):
        department = auth.create_department(session, "gz-scjgj", "广州市市场监督管理局", "440100")
        key = auth.create_api_key(session, department, "执法系统")
    company = _company(session)
    record_id = _with_typed_numbers(session, company, department)
    headers = {}
    if caller == "provider_key":
        headers = {"X-API-Key": key}
    else:
        role = Role.FINANCIAL_INSTITUTION if caller == "bank" else Role.CREDIT_OFFICE
        _login(client, session, role)
    for url in (f"/api/v1/records/{record_id}", f"/api/v1/subjects/{company.id}/records"):
        response = client.get(url, headers=headers)
        assert response.status_code == 200, url
        _assert_masked(response.text, (caller, url))


def test_a_window_officer_check_as_of_before_the_removal_finds_no_entry(client, session):
    """issue 11 item 6: views without history rights (a service window's 联合奖惩核查) are
    bounded by what is published now, like the public's; the credit office's check is not."""
    company = _company(session)
    _listed_then_removed(session, company, "repair")
    body = {"subject": {"uscc": COMPANY_USCC}, "matter": "procurement", "as_of": BEFORE_REMOVAL}
    _login(client, session, Role.SERVICE_WINDOW, "chuangkou")
    assert client.post("/api/v1/checks", json=body).json()["lists"] == []
    client.cookies.clear()
    _login(client, session, Role.CREDIT_OFFICE)
    assert [e["name"] for e in client.post("/api/v1/checks", json=body).json()["lists"]] == [
        "严重失信主体名单"
    ]
