"""Jinja2 templates shared by the portal and the console."""

from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from fastapi.templating import Jinja2Templates
from starlette.requests import Request

from xinyong import __version__, clock
from xinyong.auth.models import User
from xinyong.auth.principal import Principal
from xinyong.clock import SHANGHAI
from xinyong.codes import mask_personal_numbers, region_name, region_of_prefix
from xinyong.http.principal import session_user
from xinyong.subjects.status import ended_mark

WEB_DIR = Path(__file__).parent
STATIC_DIR = WEB_DIR / "static"

templates = Jinja2Templates(directory=WEB_DIR / "templates")
templates.env.globals["version"] = __version__
templates.env.globals["region_name"] = region_name


def _sees_cases(principal: Principal) -> bool:
    from xinyong.cases import kinds  # the engine reads the policy's kinds at first use

    return any(principal.may(kind.view_action) for kind in kinds.all_kinds().values())


# The console's menu: each entry with the action that makes it usable (None: every staff
# member; a function: whatever it says of the principal).
CONSOLE_MENU: list[tuple[str, str, str | Callable[[Principal], bool] | None]] = [
    ("/admin", "工作台", None),
    ("/admin/cases", "案件办理", _sees_cases),
    ("/admin/collection", "数据归集", "batches.read"),
    ("/admin/checks", "联合奖惩核查", "checks.run"),
    ("/admin/reports", "信用报告", "reports.special"),
    ("/admin/lists", "名单列入", "lists.view"),
    ("/admin/notices", "信用修复告知书", "notices.view"),
    ("/admin/objections/new", "代办异议", "objections.file"),
    ("/admin/commitments/new", "信用承诺", "commitments.sign"),
    ("/admin/registry", "主体核实", "subjects.review"),
    ("/admin/registry/merges", "主体合并", "subjects.merge"),
    ("/admin/evaluation", "信用评价", "evaluation.view"),
    ("/admin/supervision", "双随机抽查", "supervision.view"),
]


def console_menu(user: User | None) -> list[tuple[str, str]]:
    """The entries the signed-in staff member may use: the console offers nothing it refuses."""
    if user is None:
        return []
    principal = Principal.of_user(user)
    return [
        (href, label)
        for href, label, action in CONSOLE_MENU
        if action is None or (action(principal) if callable(action) else principal.may(action))
    ]


def staff_signed_in(request: Request) -> bool:
    """A staff member's console session holds on this browser (as the console reads it): the
    public header then offers 进入工作台. Nothing else of the session reaches a public page."""
    if "session" not in request.scope or "user_id" not in request.session:
        return False  # the usual visitor: no database read
    with request.app.state.sessions() as session:
        return session_user(request, session) is not None


def beijing(moment: datetime | None) -> str:
    """Times are stored in UTC and shown in Beijing time."""
    return moment.astimezone(SHANGHAI).strftime("%Y-%m-%d %H:%M") if moment else ""


def region_scope(prefix: str) -> str:
    """A region code prefix (a plan's scope) as people read it, by its full name with the code
    after it: 广东省广州市（4401）; a prefix that names no region is shown as the code."""
    found = region_of_prefix(prefix)
    return f"{found.full_name}（{prefix}）" if found else f"地区代码 {prefix}"


def percent(rate: float | None) -> str:
    return "—" if rate is None else f"{rate:.1%}"


templates.env.globals["console_menu"] = console_menu
templates.env.globals["staff_signed_in"] = staff_signed_in
templates.env.globals["today"] = clock.today
templates.env.globals["ended_mark"] = ended_mark
templates.env.filters["beijing"] = beijing
templates.env.filters["percent"] = percent
templates.env.filters["region_scope"] = region_scope
# Free text a person typed (a note, a reason) may hold an ID or mobile number: shown masked.
templates.env.filters["masked"] = mask_personal_numbers
