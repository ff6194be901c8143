"""Staff accounts, departments, regions and API keys."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta
from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from xinyong import clock, codes
from xinyong.auth import audit
from xinyong.auth.models import ApiKey, Department, Region, Role, User
from xinyong.errors import DomainError, NotFound

API_KEY_PREFIX = "xy_"
KEY_USE_RESOLUTION = timedelta(minutes=1)
MIN_PASSWORD_LENGTH = 10


class AuthError(DomainError):
    status_code = 401


@cache
def _hasher() -> PasswordHasher:
    return PasswordHasher()


def load_regions(session: Session) -> int:
    """Fill the regions table from the shipped GB/T 2260 data set (idempotent)."""
    if session.scalar(select(func.count()).select_from(Region)):
        return 0
    rows = [
        {
            "code": r.code,
            "name": r.name,
            "full_name": r.full_name,
            "level": r.level,
            "parent_code": r.parent_code,
        }
        for r in codes.all_regions()
    ]
    session.execute(insert(Region), rows)
    return len(rows)


def create_department(
    session: Session, code: str, name: str, region_code: str, uscc: str | None = None
) -> Department:
    region_code = codes.validate_region(region_code)
    if session.scalar(select(Department.id).where(Department.code == code)):
        raise DomainError(f"部门编码已存在：{code}", "department.duplicate")
    department = Department(
        code=code,
        name=name.strip(),
        region_code=region_code,
        uscc=codes.validate_uscc(uscc) if uscc else None,
        created_at=clock.now(),
    )
    session.add(department)
    session.flush()
    return department


def get_department(session: Session, code: str) -> Department:
    department = session.scalar(select(Department).where(Department.code == code))
    if department is None:
        raise NotFound(f"部门不存在：{code}", "department.not_found")
    return department


def create_user(
    session: Session,
    username: str,
    password: str,
    role: Role,
    region_code: str,
    display_name: str | None = None,
    department: Department | None = None,
) -> User:
    username = username.strip()
    if not username:
        raise DomainError("用户名不能为空", "user.username_empty")
    if len(password) < MIN_PASSWORD_LENGTH:
        raise DomainError(f"密码至少 {MIN_PASSWORD_LENGTH} 位", "user.password_short")
    if session.scalar(select(User.id).where(User.username == username)):
        raise DomainError(f"用户名已存在：{username}", "user.duplicate")
    if role == Role.DATA_PROVIDER and department is None:
        raise DomainError("数据提供部门的账号须指定所属部门", "user.department_missing")
    user = User(
        username=username,
        display_name=display_name or username,
        password_hash=_hasher().hash(password),
        role=role.value,
        department_id=department.id if department else None,
        region_code=codes.validate_region(region_code),
        created_at=clock.now(),
    )
    session.add(user)
    session.flush()
    audit.write(session, "system", "user.create", "user", user.id, {"role": role.value})
    return user


def authenticate(session: Session, username: str, password: str) -> User | None:
    """The active user with this password, or None; every attempt is audited (commit either way)."""
    user = session.scalar(select(User).where(User.username == username.strip()))
    ok = False
    if user is not None and user.active:
        try:
            ok = _hasher().verify(user.password_hash, password)
        except (VerificationError, InvalidHashError):
            ok = False
    actor = f"user:{user.id}" if user else "anonymous"
    audit.write(session, actor, "login.success" if ok else "login.failure", "user", username)
    if not ok or user is None:
        return None
    if _hasher().check_needs_rehash(user.password_hash):
        user.password_hash = _hasher().hash(password)
    user.last_login_at = clock.now()
    return user


def create_api_key(session: Session, department: Department, name: str) -> str:
    """A new key for a department system; the plain key is returned once and never stored."""
    plain = API_KEY_PREFIX + secrets.token_urlsafe(32)
    session.add(
        ApiKey(
            department_id=department.id,
            name=name,
            prefix=plain[:10],
            key_hash=hashlib.sha256(plain.encode()).hexdigest(),
            created_at=clock.now(),
        )
    )
    session.flush()
    audit.write(session, "system", "api_key.create", "department", department.id, {"name": name})
    return plain


def department_for_api_key(session: Session, plain: str) -> Department:
    key = session.scalar(
        select(ApiKey).where(ApiKey.key_hash == hashlib.sha256(plain.encode()).hexdigest())
    )
    if key is None or key.revoked_at is not None:
        raise AuthError("API 密钥无效或已停用", "auth.invalid_api_key")
    now = clock.now()
    if key.last_used_at is None or now - key.last_used_at > KEY_USE_RESOLUTION:
        key.last_used_at = now  # to the minute: not a write on every request
    return session.get_one(Department, key.department_id)
