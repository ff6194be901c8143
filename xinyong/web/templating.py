"""Jinja2 templates shared by the portal and the console."""

from pathlib import Path

from fastapi.templating import Jinja2Templates

from xinyong import __version__

WEB_DIR = Path(__file__).parent
STATIC_DIR = WEB_DIR / "static"

templates = Jinja2Templates(directory=WEB_DIR / "templates")
templates.env.globals["version"] = __version__
