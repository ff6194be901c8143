"""The applicant's pages (issue 13): activate with a code, sign in, see only its own subject;
an applicant's session never opens a staff page."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.applicants.sample import COMPANY, MOMENT, OTHER, code_for, two_companies
from tests.factories import csrf_of
from xinyong import clock

PASSWORD = "a-strong-password"


def _activate(client, code, username="zhang", password=PASSWORD):  # type: ignore[no-untyped-def]
    form = client.get("/account/activate").text
    data = {"code": code, "username": username, "password": password, "csrf": csrf_of(form)}
    return client.post("/account/activate", data=data, follow_redirects=False)


def test_activation_signs_in_and_the_home_shows_only_its_own_subject(client, session):
    """issue 13: an applicant sees only its own subject's records."""
    mine, _other = two_companies(session)
    with clock.frozen_at(MOMENT):
        done = _activate(client, code_for(session, mine))
        assert done.status_code == 303 and done.headers["location"] == "/account"
        home = client.get("/account")
    assert home.status_code == 200
    assert COMPANY in home.text and "穗市监罚〔2026〕1号" in home.text
    assert OTHER not in home.text and "穗市监罚〔2026〕2号" not in home.text


def test_a_wrong_code_is_refused_in_chinese_and_nobody_is_signed_in(client, session):
    two_companies(session)
    with clock.frozen_at(MOMENT):
        refused = _activate(client, "2345-6789-ABCD")
        assert refused.status_code == 400 and "激活码不正确" in refused.text
        assert client.get("/account", follow_redirects=False).headers["location"] == (
            "/account/login"
        )


def test_a_form_without_the_token_is_refused(client, session):
    mine, _other = two_companies(session)
    with clock.frozen_at(MOMENT):
        code = code_for(session, mine)
        client.get("/account/activate")
        data = {"code": code, "username": "zhang", "password": PASSWORD, "csrf": "forged"}
        assert client.post("/account/activate", data=data).status_code == 400
        assert _activate(client, code).status_code == 303  # the code was not used up


def test_an_applicant_session_opens_no_console_page(client, session):
    """The console reads only a staff session: an applicant is sent to the staff login."""
    mine, _other = two_companies(session)
    with clock.frozen_at(MOMENT):
        _activate(client, code_for(session, mine))
        assert "/account/logout" in client.get("/account").text  # signed in
        for path in ("/admin", "/admin/collection", "/admin/checks", "/admin/lists"):
            answer = client.get(path, follow_redirects=False)
            assert answer.status_code == 303, path
            assert answer.headers["location"] == "/admin/login", path
        assert client.get("/api/v1/cases").status_code == 401


def test_logout_ends_the_session_and_login_opens_it_again(app, client, session):
    mine, _other = two_companies(session)
    with clock.frozen_at(MOMENT):
        _activate(client, code_for(session, mine))
        home = client.get("/account").text
        copy = TestClient(app, cookies=dict(client.cookies))  # the cookie copied elsewhere
        assert copy.get("/account", follow_redirects=False).status_code == 200
        client.post("/account/logout", data={"csrf": csrf_of(home)})
        assert copy.get("/account", follow_redirects=False).status_code == 303
        form = client.get("/account/login").text
        data = {"username": "zhang", "password": PASSWORD, "csrf": csrf_of(form)}
        assert client.post("/account/login", data=data, follow_redirects=False).status_code == 303
        assert COMPANY in client.get("/account").text
