"""Jinja2 templates shared by the portal and the console."""

from datetime import datetime
from pathlib import Path

from fastapi.templating import Jinja2Templates

from xinyong import __version__
from xinyong.auth.models import User
from xinyong.auth.principal import Principal
from xinyong.clock import SHANGHAI
from xinyong.codes import region_name

WEB_DIR = Path(__file__).parent
STATIC_DIR = WEB_DIR / "static"

templates = Jinja2Templates(directory=WEB_DIR / "templates")
templates.env.globals["version"] = __version__
templates.env.globals["region_name"] = region_name


# The console's menu: each entry with the action that makes it usable (None: every staff member).
CONSOLE_MENU = [
    ("/admin", "工作台", None),
    ("/admin/collection", "数据归集", "batches.read"),
    ("/admin/checks", "联合奖惩核查", "checks.run"),
    ("/admin/lists", "名单列入", "lists.view"),
    ("/admin/objections/new", "代办异议", "objections.file"),
]


def console_menu(user: User | None) -> list[tuple[str, str]]:
    """The entries the signed-in staff member may use: the console offers nothing it refuses."""
    if user is None:
        return []
    principal = Principal.of_user(user)
    return [
        (href, label)
        for href, label, action in CONSOLE_MENU
        if action is None or principal.may(action)
    ]


def beijing(moment: datetime | None) -> str:
    """Times are stored in UTC and shown in Beijing time."""
    return moment.astimezone(SHANGHAI).strftime("%Y-%m-%d %H:%M") if moment else ""


def percent(rate: float | None) -> str:
    return "—" if rate is None else f"{rate:.1%}"


templates.env.globals["console_menu"] = console_menu
templates.env.filters["beijing"] = beijing
templates.env.filters["percent"] = percent
