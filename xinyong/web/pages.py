"""The two front doors: the public home page and the staff console's home; the site's icon."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import FileResponse, HTMLResponse, Response

from xinyong.auth.models import Role
from xinyong.catalog import list_items
from xinyong.codes import region_name
from xinyong.http.console import StaffUser, console_router
from xinyong.http.csrf import csrf_token
from xinyong.http.deps import Database
from xinyong.overview import platform_counts
from xinyong.web.templating import STATIC_DIR, templates

router = APIRouter(include_in_schema=False)  # the public home page
console = console_router()

# Browsers ask for /favicon.ico on every site whatever the page links: a week's cache spares
# the server one request per page; a changed icon reaches browsers within that week.
ICON_CACHE = "public, max-age=604800"


@router.get("/", response_class=HTMLResponse)
def home(request: Request, session: Database) -> Response:
    return templates.TemplateResponse(request, "home.html", {"counts": platform_counts(session)})


@router.get("/favicon.ico", include_in_schema=False)
def favicon() -> Response:
    return FileResponse(
        STATIC_DIR / "favicon.ico",
        media_type="image/vnd.microsoft.icon",
        headers={"Cache-Control": ICON_CACHE},
    )


@console.get("/admin", response_class=HTMLResponse)
def console_home(request: Request, session: Database, user: StaffUser) -> Response:
    return templates.TemplateResponse(
        request,
        "console/home.html",
        {
            "user": user,
            "role": Role(user.role),
            "counts": platform_counts(session),
            "region": region_name(user.region_code),
            "items": list_items(),
            "csrf": csrf_token(request),
        },
    )
