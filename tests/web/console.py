"""Signing a staff member in to the console with the test client, as a browser would."""

import re

from xinyong.auth import service as auth
from xinyong.auth.models import Role
from xinyong.db import committing

PASSWORD = "a-strong-password"


def csrf_of(html: str) -> str:
    return re.search(r'name="csrf" value="([^"]+)"', html).group(1)


def sign_in(client, session, role: Role, department: tuple[str, str], name: str) -> str:  # type: ignore[no-untyped-def]
    """A staff member `liu` of `role` in `department` (code, name), signed in: the home page."""
    with committing(session):
        made = auth.create_department(session, *department, "440100")
        auth.create_user(session, "liu", PASSWORD, role, "440100", name, made)
    form = client.get("/admin/login").text
    answer = {"username": "liu", "password": PASSWORD, "csrf": csrf_of(form)}
    return client.post("/admin/login", data=answer).text
