"""The top of the house: builds the ASGI application and mounts every part's routes — the JSON
API under /api/v1 (with the caller resolved per route), the public portal at /, the applicant's
own pages under /account and the staff console under /admin (its routers carry the login and
the form token). Nothing imports this."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import APIRouter, FastAPI
from fastapi.staticfiles import StaticFiles
from starlette.middleware.sessions import SessionMiddleware

from xinyong import __version__
from xinyong.applicants import pages as applicant_pages
from xinyong.auth import api as auth_api
from xinyong.auth import pages as auth_pages
from xinyong.cases import api as cases_api
from xinyong.cases import pages as case_pages
from xinyong.changes import api as changes_api
from xinyong.changes import pages as changes_pages
from xinyong.collection import api as collection_api
from xinyong.collection import pages as collection_pages
from xinyong.collection.files import remove_stale_spool
from xinyong.commitments import api as commitments_api
from xinyong.commitments import pages as commitment_pages
from xinyong.config import Settings, get_settings
from xinyong.db import make_engine, session_factory
from xinyong.evaluation import api as evaluation_api
from xinyong.evaluation import pages as evaluation_pages
from xinyong.http import docs, health
from xinyong.http.answers import PROBLEM_RESPONSES
from xinyong.http.csrf import ApiCsrf
from xinyong.http.errors import install_error_handlers
from xinyong.http.headers import SecurityHeaders
from xinyong.http.limits import FORM_OVERHEAD, JSON_BODY_LIMIT, BodyCap, BodyLimit
from xinyong.http.params import RefuseNul
from xinyong.jobs import Scheduler
from xinyong.lists import pages as list_pages
from xinyong.measures import api as check_api
from xinyong.measures import pages as check_pages
from xinyong.measures.writer import CheckWriter
from xinyong.notices import api as notices_api
from xinyong.notices import pages as notice_pages
from xinyong.objections import api as objection_api
from xinyong.objections import pages as objection_pages
from xinyong.overview import api as overview_api
from xinyong.policy import use_policy
from xinyong.publication import api as publication_api
from xinyong.publication import pages as publication_pages
from xinyong.repairs import api as repairs_api
from xinyong.repairs import pages as repairs_pages
from xinyong.reports import api as reports_api
from xinyong.reports import pages as report_pages
from xinyong.subjects import api as registry_api
from xinyong.subjects import pages as registry_pages
from xinyong.supervision import api as supervision_api
from xinyong.supervision import pages as supervision_pages
from xinyong.web import pages as web_pages
from xinyong.web.problems import problem_page
from xinyong.web.templating import STATIC_DIR

SESSION_HOURS = 8

# Each part's routers: a new part adds its line here.
API_ROUTERS: list[APIRouter] = [
    health.router,
    auth_api.router,
    collection_api.router,
    publication_api.router,
    check_api.router,
    cases_api.router,
    commitments_api.router,
    overview_api.router,
    notices_api.router,
    changes_api.router,
    repairs_api.router,
    objection_api.router,
    registry_api.router,
    evaluation_api.router,
    supervision_api.router,
    reports_api.router,
]
PAGE_ROUTERS: list[APIRouter] = [
    web_pages.router,
    publication_pages.router,
    auth_pages.router,
    applicant_pages.router,
    notice_pages.account,
    case_pages.applicant,  # built by http.applicant.applicant_router()
    repairs_pages.router,
    commitment_pages.applicant,
    docs.router,
    changes_pages.router,
    objection_pages.router,
    evaluation_pages.account,  # built by http.applicant.applicant_router()
    supervision_pages.router,
    report_pages.router,
    report_pages.account,  # built by http.applicant.applicant_router()
]
CONSOLE_ROUTERS: list[APIRouter] = [  # built by http.console.console_router()
    web_pages.console,
    collection_pages.router,
    check_pages.router,
    list_pages.router,
    notice_pages.router,
    case_pages.router,
    repairs_pages.console,
    objection_pages.console,
    commitment_pages.router,
    registry_pages.router,
    evaluation_pages.router,
    supervision_pages.console,
    report_pages.console,
]


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or get_settings()
    use_policy(settings.policy_dir)  # what services serve; a broken policy stops start-up
    remove_stale_spool(settings)
    engine = make_engine(settings.effective_database_url)

    sessions = session_factory(engine)
    check_writer = CheckWriter(sessions)  # group commit of checks, one per process

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        scheduler = None
        if settings.jobs_interval_minutes > 0:
            scheduler = Scheduler(sessions, settings.jobs_interval_minutes * 60)
            scheduler.start()
        yield
        if scheduler is not None:
            scheduler.stop()
        check_writer.stop()
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
    app.state.check_writer = check_writer
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
        by_path={"/api/v1/batches": collection_api.JSON_BATCH_CAP},
        uploads_by_path={"/verify": report_pages.VERIFY_UPLOAD_CAP},
    )
    app.add_middleware(SecurityHeaders)  # outermost: refusals from the edge get them too
    for router in API_ROUTERS:
        app.include_router(router, prefix="/api/v1")
    for router in PAGE_ROUTERS + CONSOLE_ROUTERS:
        app.include_router(router)
    app.mount(docs.ASSETS_PATH, docs.swagger_ui_files(), name="swagger-ui")
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    install_error_handlers(app, page=problem_page)
    return app
