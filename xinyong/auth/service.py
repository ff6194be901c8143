"""Staff accounts, departments, regions and API keys; login, its throttling and sessions.

The password rules, hashing and the failure throttle are public: applicant accounts
(`xinyong.applicants`) sign in through the same ones, so one address guessing either is
stopped by one count."""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta
from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import delete, func, insert, select, update
from sqlalchemy.orm import Session

from xinyong import clock, codes
from xinyong.auth import audit
from xinyong.auth.models import ApiKey, Department, LoginFailure, Region, Role, User
from xinyong.auth.principal import Principal
from xinyong.config import get_settings
from xinyong.db import committing
from xinyong.errors import DomainError, NotFound

API_KEY_PREFIX = "xy_"
KEY_USE_RESOLUTION = timedelta(minutes=1)
MIN_PASSWORD_LENGTH = 10
USERNAME_LENGTH: int = User.__table__.c.username.type.length  # type: ignore[attr-defined]


class AuthError(DomainError):
    status_code = 401


class LoginThrottled(AuthError):
    """Too many failed logins for an account name or from an address; says when to retry."""

    status_code = 429

    def __init__(self, retry_at: datetime) -> None:
        # Rounded up to the minute, so that trying again at the time shown succeeds.
        shown = (retry_at + timedelta(seconds=59)).astimezone(clock.SHANGHAI)
        super().__init__(
            f"登录失败次数过多，请于 {shown:%Y-%m-%d %H:%M}（北京时间）后再试", "auth.throttled"
        )
        self.retry_at = retry_at


@cache
def hasher() -> PasswordHasher:
    return PasswordHasher()


def check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise DomainError(f"密码至少 {MIN_PASSWORD_LENGTH} 位", "user.password_short")


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
    if not _may_exist(username) or not username.isprintable():
        raise DomainError(f"用户名须为不超过 {USERNAME_LENGTH} 个可见字符", "user.username_invalid")
    check_password(password)
    if session.scalar(select(User.id).where(User.username == username)):
        raise DomainError(f"用户名已存在：{username}", "user.duplicate")
    if role == Role.DATA_PROVIDER and department is None:
        raise DomainError("数据提供部门的账号须指定所属部门", "user.department_missing")
    user = User(
        username=username,
        display_name=display_name or username,
        password_hash=hasher().hash(password),
        role=role.value,
        department_id=department.id if department else None,
        region_code=codes.validate_region(region_code),
        created_at=clock.now(),
    )
    session.add(user)
    session.flush()
    audit.write(session, "system", "user.create", "user", user.id, {"role": role.value})
    return user


def counted_name(name: str) -> str:
    """The name failed logins are counted (and audited) under: storable whatever was typed."""
    return name.replace("\x00", "\\x00")[:USERNAME_LENGTH]


def _may_exist(name: str) -> bool:
    return 0 < len(name) <= USERNAME_LENGTH and "\x00" not in name


@cache
def unknown_password_hash() -> str:
    """What an unknown name's password is checked against: the same argon2 work as a real one."""
    return hasher().hash(secrets.token_urlsafe(16))


def may_act(session: Session, user: User) -> bool:
    """Whether the account may sign in or act: it is active and so is its department."""
    if not user.active:
        return False
    department = session.get(Department, user.department_id) if user.department_id else None
    return department is None or department.active


def authenticate(
    session: Session, username: str, password: str, address: str | None = None
) -> User | None:
    """The user whose password this is, or None; raises LoginThrottled past the failure limit
    of the account name or of the address. Every attempt is audited and committed here, so a
    refused one stays recorded; one argon2 verification runs whether or not the name exists,
    before anything is written (no write lock is held while it runs)."""
    name = username.strip()
    with committing(session):
        lock = throttle(session, name, address)
        if lock is None:
            return _verify_password(session, name, password, address)
        by, until = lock
        detail = {"by": by, "until": until.isoformat(), "address": address}
        audit.write(session, "anonymous", "login.throttled", "user", counted_name(name), detail)
    raise LoginThrottled(until)


def _verify_password(
    session: Session, name: str, password: str, address: str | None
) -> User | None:
    user = session.scalar(select(User).where(User.username == name)) if _may_exist(name) else None
    ok = password_matches(user.password_hash if user else unknown_password_hash(), password)
    ok = ok and user is not None and may_act(session, user)
    actor = f"user:{user.id}" if user else "anonymous"
    detail = {"address": address}
    counted = counted_name(name)
    action = "login.success" if ok else "login.failure"
    audit.write(session, actor, action, "user", counted, detail)
    if not ok or user is None:
        count_failure(session, counted, address)
        return None
    session.execute(delete(LoginFailure).where(LoginFailure.username == counted))
    if hasher().check_needs_rehash(user.password_hash):
        user.password_hash = hasher().hash(password)
    user.last_login_at = clock.now()
    return user


def password_matches(password_hash: str, password: str) -> bool:
    try:
        return hasher().verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def throttle(session: Session, name: str, address: str | None) -> tuple[str, datetime] | None:
    """("account" or "address", when the attempt may be made again) past a limit, else None.

    The limit holds until the oldest of the last `limit` failures leaves the window; an
    unknown name counts like a known one, so a lock says nothing about which names exist."""
    settings = get_settings()
    window = timedelta(minutes=settings.login_window_minutes)
    since = clock.now() - window
    limits = (
        (
            "account",
            LoginFailure.username,
            counted_name(name),
            settings.login_failures_per_account,
        ),
        ("address", LoginFailure.address, address, settings.login_failures_per_address),
    )
    for by, column, value, limit in limits:
        if value is None:
            continue
        recent = session.scalars(
            select(LoginFailure.at)
            .where(column == value, LoginFailure.at > since)
            .order_by(LoginFailure.at.desc())
            .limit(limit)
        ).all()
        if len(recent) >= limit:
            return by, recent[-1] + window
    return None


def count_failure(session: Session, name: str, address: str | None) -> None:
    """Record a failure; those that have left the window go (nothing else reads them)."""
    window = timedelta(minutes=get_settings().login_window_minutes)
    session.execute(delete(LoginFailure).where(LoginFailure.at <= clock.now() - window))
    session.add(LoginFailure(at=clock.now(), username=name, address=address))


def signed_in_user(session: Session, user_id: object, generation: object) -> User | None:
    """The user a console session belongs to while it still holds: issued under the user's
    current session generation, and the account and its department active."""
    if not isinstance(user_id, int) or isinstance(user_id, bool):
        return None
    user = session.get(User, user_id)
    if user is None or user.session_generation != generation:
        return None
    return user if may_act(session, user) else None


def end_sessions(session: Session, user: User, actor: str, action: str = "logout") -> None:
    """End every console session of the user, wherever its cookie is (logout, deactivation)."""
    user.session_generation += 1
    audit.write(session, actor, action, "user", user.id)


def get_user(session: Session, username: str) -> User:
    user = session.scalar(select(User).where(User.username == username))
    if user is None:
        raise NotFound(f"用户不存在：{username}", "user.not_found")
    return user


def set_password(session: Session, user: User, password: str, actor: str) -> None:
    """A new password; the user's sessions end."""
    check_password(password)
    user.password_hash = hasher().hash(password)
    end_sessions(session, user, actor, "user.password")


def set_user_active(session: Session, user: User, active: bool, actor: str) -> None:
    """Deactivate (sessions end, no login) or reactivate an account."""
    user.active = active
    if active:
        audit.write(session, actor, "user.reactivate", "user", user.id)
    else:
        end_sessions(session, user, actor, "user.deactivate")


def set_department_active(
    session: Session, department: Department, active: bool, actor: str
) -> None:
    """Deactivate a department (its keys stop, its staff's sessions end and they cannot log
    in) or reactivate it (its staff log in anew; revoked keys stay revoked)."""
    department.active = active
    if not active:
        session.execute(
            update(User)
            .where(User.department_id == department.id)
            .values(session_generation=User.session_generation + 1)
        )
    action = "department.reactivate" if active else "department.deactivate"
    audit.write(session, actor, action, "department", department.id, {"code": department.code})


def create_api_key(
    session: Session, department: Department, name: str, *, partner: bool = False
) -> str:
    """A new key for a department system (or, `partner`, for a partner platform registered as
    a department, which reads the change feed and nothing else); the plain key is returned
    once and never stored."""
    plain = API_KEY_PREFIX + secrets.token_urlsafe(32)
    session.add(
        ApiKey(
            department_id=department.id,
            name=name,
            prefix=plain[:10],
            key_hash=hashlib.sha256(plain.encode()).hexdigest(),
            partner=partner,
            created_at=clock.now(),
        )
    )
    session.flush()
    detail = {"name": name, "partner": partner}
    audit.write(session, "system", "api_key.create", "department", department.id, detail)
    return plain


def principal_for_api_key(session: Session, plain: str) -> Principal:
    """Who a valid key acts as: its department's data provider, or a partner platform that
    reads the change feed and nothing else."""
    key, department = api_key_of(session, plain)
    return Principal.of_partner(department) if key.partner else Principal.of_department(department)


def department_for_api_key(session: Session, plain: str) -> Department:
    """The department of a valid department key (a partner's key is refused here)."""
    key, department = api_key_of(session, plain)
    if key.partner:
        raise AuthError("API 密钥无效或已停用", "auth.invalid_api_key")
    return department


def api_key_of(session: Session, plain: str) -> tuple[ApiKey, Department]:
    """The key and its department, for a valid key: not revoked, and the department active."""
    found = session.execute(
        select(ApiKey, Department)
        .join(Department, Department.id == ApiKey.department_id)
        .where(ApiKey.key_hash == hashlib.sha256(plain.encode()).hexdigest())
    ).one_or_none()
    if found is None or found.ApiKey.revoked_at is not None or not found.Department.active:
        raise AuthError("API 密钥无效或已停用", "auth.invalid_api_key")
    key, department = found
    now = clock.now()
    if key.last_used_at is None or now - key.last_used_at > KEY_USE_RESOLUTION:
        key.last_used_at = now  # to the minute: not a write on every request
    return key, department


def api_keys(session: Session, department: Department) -> list[ApiKey]:
    """A department's keys, newest first, revoked ones included (for the operator's choice)."""
    return list(
        session.scalars(
            select(ApiKey)
            .where(ApiKey.department_id == department.id)
            .order_by(ApiKey.created_at.desc(), ApiKey.id.desc())
        )
    )


def revoke_api_key(session: Session, prefix: str, actor: str) -> ApiKey:
    """Revoke the key shown with this prefix; it stops working at once."""
    keys = session.scalars(select(ApiKey).where(ApiKey.prefix == prefix)).all()
    if not keys:
        raise NotFound(f"没有前缀为 {prefix} 的 API 密钥", "api_key.not_found")
    if len(keys) > 1:
        raise DomainError(f"前缀 {prefix} 对应多个密钥，请联系开发者", "api_key.ambiguous")
    key = keys[0]
    if key.revoked_at is None:
        key.revoked_at = clock.now()
        detail = {"prefix": key.prefix, "name": key.name}
        audit.write(session, actor, "api_key.revoke", "department", key.department_id, detail)
    return key


def staff_names(session: Session, actors: set[str]) -> dict[str, str]:
    """The display names of the staff behind actor ids such as "user:7" (others: as they are)."""
    ids = {int(a.removeprefix("user:")) for a in actors if a.removeprefix("user:").isdigit()}
    if not ids:
        return {}
    rows = session.execute(select(User.id, User.display_name).where(User.id.in_(ids)))
    return {f"user:{user_id}": name for user_id, name in rows}
