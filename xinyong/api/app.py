"""The ASGI application: JSON API under /api/v1, the public portal at /, the console at /admin."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from sqlalchemy.exc import OperationalError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.middleware.sessions import SessionMiddleware

from xinyong import __version__
from xinyong.api import batches, checks, health, identity, subjects
from xinyong.collection.files import remove_stale_spool
from xinyong.config import Settings, get_settings
from xinyong.db import RETRY_BUSY_SECONDS, is_lock_timeout, make_engine, session_factory
from xinyong.errors import Busy, DomainError
from xinyong.http import docs
from xinyong.http.answers import PROBLEM_RESPONSES, is_api, refusal
from xinyong.http.csrf import ApiCsrf
from xinyong.http.errors import http_error, server_error
from xinyong.http.headers import SecurityHeaders
from xinyong.http.limits import FORM_OVERHEAD, JSON_BODY_LIMIT, BodyCap, BodyLimit
from xinyong.http.params import RefuseNul
from xinyong.jobs import Scheduler
from xinyong.policy import load_policy
from xinyong.web import checks as check_pages
from xinyong.web import collection, pages, portal
from xinyong.web import lists as list_pages
from xinyong.web.templating import STATIC_DIR

SESSION_HOURS = 8


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or get_settings()
    load_policy(settings.policy_dir)  # a broken policy stops start-up, not a request
    remove_stale_spool(settings)
    engine = make_engine(settings.effective_database_url)

    sessions = session_factory(engine)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        scheduler = None
        if settings.jobs_interval_minutes > 0:
            scheduler = Scheduler(sessions, settings.jobs_interval_minutes * 60)
            scheduler.start()
        yield
        if scheduler is not None:
            scheduler.stop()
        engine.dispose()

    app = FastAPI(
        lifespan=lifespan,
        title="xinyong 公共信用信息平台 API",
        version=__version__,
        docs_url=None,  # served offline by xinyong.http.docs
        openapi_url="/api/v1/openapi.json",
        redoc_url=None,
        responses=PROBLEM_RESPONSES,
    )
    app.state.settings = settings
    app.state.sessions = sessions
    app.add_middleware(ApiCsrf)  # inside the session middleware: it reads the session
    app.add_middleware(
        SessionMiddleware,
        secret_key=settings.derived_key("web-session").hex(),
        session_cookie="xinyong_session",
        max_age=SESSION_HOURS * 3600,
        same_site="lax",
        https_only=settings.cookie_secure,
    )
    app.add_middleware(RefuseNul)
    app.add_middleware(
        BodyLimit,
        upload=BodyCap.of(
            settings.max_upload_mb << 20, "请分成多个文件报送", overhead=FORM_OVERHEAD
        ),
        other=BodyCap.of(JSON_BODY_LIMIT, "请分批提交"),
        by_path={"/api/v1/batches": batches.JSON_BATCH_CAP},
    )
    app.add_middleware(SecurityHeaders)  # outermost: refusals from the edge get them too
    app.include_router(health.router, prefix="/api/v1")
    app.include_router(identity.router, prefix="/api/v1")
    app.include_router(batches.router, prefix="/api/v1")
    app.include_router(subjects.router, prefix="/api/v1")
    app.include_router(checks.router, prefix="/api/v1")
    app.include_router(pages.router)
    app.include_router(portal.router)
    app.include_router(check_pages.router)
    app.include_router(list_pages.router)
    app.include_router(collection.router)
    app.include_router(docs.router)
    app.mount(docs.ASSETS_PATH, docs.swagger_ui_files(), name="swagger-ui")
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    _install_error_handlers(app)
    return app


def _install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(DomainError)
    async def domain_error(request: Request, exc: DomainError) -> Response:
        answer = refusal(request.scope, exc.status_code, exc.code, exc.message)
        if isinstance(exc, Busy):
            answer.headers.update(exc.headers)
        return answer

    @app.exception_handler(OperationalError)
    async def database_busy(request: Request, exc: OperationalError) -> Response:
        """SQLite's one writer held past the wait (by a long batch): a retry, not a failure."""
        if not is_lock_timeout(exc):
            return await server_error(request, exc)
        busy = Busy("数据库正忙（可能有批次正在入库），请稍后重试", "db.busy", RETRY_BUSY_SECONDS)
        return await domain_error(request, busy)

    @app.exception_handler(RequestValidationError)
    async def invalid_request(request: Request, exc: RequestValidationError) -> Response:
        if not is_api(request.url.path):  # a page's form or address: no field paths to read
            return refusal(request.scope, 422, "request.invalid", "请求参数有误，请检查后重试")
        fields = ["/".join(str(p) for p in e["loc"]) for e in exc.errors()]
        return JSONResponse(
            {"code": "request.invalid", "message": "请求参数有误", "fields": fields},
            status_code=422,
        )

    app.add_exception_handler(StarletteHTTPException, http_error)
    app.add_exception_handler(Exception, server_error)
