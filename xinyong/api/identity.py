"""Who is calling the API: a department system by API key, or a staff member by session."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request, Security
from fastapi.security import APIKeyHeader
from pydantic import BaseModel
from sqlalchemy.orm import Session

from xinyong.api.deps import get_session
from xinyong.auth import service as auth
from xinyong.auth.models import Department, Role, User
from xinyong.db import committing
from xinyong.publication import PUBLIC, Viewer

api_key_header = APIKeyHeader(name="X-API-Key", auto_error=False, description="部门系统的 API 密钥")


class Caller(BaseModel):
    kind: str  # "api_key" | "staff"
    department_code: str | None = None
    department_name: str | None = None
    username: str | None = None
    role: str | None = None
    role_label: str | None = None
    region_code: str


def session_user(request: Request, session: Session) -> User | None:
    """The staff member signed in on this browser session, while the session holds (not
    logged out, the account and its department active)."""
    user_id = request.session.get("user_id")
    if user_id is None:
        return None
    return auth.signed_in_user(session, user_id, request.session.get("generation"))


def _key_department(session: Session, api_key: str) -> Department:
    """The department a key belongs to, or 401 (its use is noted, so this commits)."""
    with committing(session):
        return auth.department_for_api_key(session, api_key)


def staff_viewer(user: User) -> Viewer:
    return Viewer(Role(user.role), user.department_id, user.region_code, f"user:{user.id}")


def current_caller(
    request: Request,
    session: Annotated[Session, Depends(get_session)],
    api_key: Annotated[str | None, Security(api_key_header)] = None,
) -> Caller:
    """The authenticated caller, or 401 with a Chinese message."""
    if api_key:
        department = _key_department(session, api_key)
        return Caller(
            kind="api_key",
            department_code=department.code,
            department_name=department.name,
            region_code=department.region_code,
        )
    user = session_user(request, session)
    if user is None:
        raise auth.AuthError("请提供有效的 API 密钥或先登录", "auth.required")
    role = Role(user.role)
    return Caller(
        kind="staff",
        username=user.username,
        role=role.value,
        role_label=role.label,
        region_code=user.region_code,
    )


def current_viewer(
    request: Request,
    session: Annotated[Session, Depends(get_session)],
    api_key: Annotated[str | None, Security(api_key_header)] = None,
) -> Viewer:
    """Who reads credit information: the public when anonymous; a department system (its
    provider rights) by API key; staff by session. A wrong key is a 401, never the public."""
    if api_key:
        department = _key_department(session, api_key)
        actor = f"department:{department.code}"
        return Viewer(Role.DATA_PROVIDER, department.id, department.region_code, actor)
    user = session_user(request, session)
    return PUBLIC if user is None else staff_viewer(user)


router = APIRouter(tags=["平台"])


@router.get("/whoami", response_model=Caller, summary="当前调用方")
def whoami(caller: Annotated[Caller, Depends(current_caller)]) -> Caller:
    return caller
