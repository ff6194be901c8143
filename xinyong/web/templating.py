"""Jinja2 templates shared by the portal and the console."""

from datetime import datetime
from pathlib import Path

from fastapi.templating import Jinja2Templates

from xinyong import __version__
from xinyong.clock import SHANGHAI
from xinyong.codes import region_name

WEB_DIR = Path(__file__).parent
STATIC_DIR = WEB_DIR / "static"

templates = Jinja2Templates(directory=WEB_DIR / "templates")
templates.env.globals["version"] = __version__
templates.env.globals["region_name"] = region_name


def beijing(moment: datetime | None) -> str:
    """Times are stored in UTC and shown in Beijing time."""
    return moment.astimezone(SHANGHAI).strftime("%Y-%m-%d %H:%M") if moment else ""


def percent(rate: float | None) -> str:
    return "—" if rate is None else f"{rate:.1%}"


templates.env.filters["beijing"] = beijing
templates.env.filters["percent"] = percent
