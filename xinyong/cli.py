"""The `xinyong` command: set up, fill and run the platform."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.table import Table
from sqlalchemy.exc import OperationalError, SQLAlchemyError

from xinyong.auth.models import Role
from xinyong.config import Settings, get_settings, use_settings
from xinyong.db import make_engine, migrate, session_factory, transaction
from xinyong.errors import DomainError, PolicyError

if TYPE_CHECKING:
    from xinyong.collection.service import Receipt

app = typer.Typer(
    help="xinyong 公共信用信息平台", no_args_is_help=True, pretty_exceptions_enable=False
)
users_app = typer.Typer(help="工作人员账号", no_args_is_help=True)
departments_app = typer.Typer(help="部门与 API 密钥", no_args_is_help=True)
audit_app = typer.Typer(help="审计日志", no_args_is_help=True)
jobs_app = typer.Typer(help="定期任务", no_args_is_help=True)
app.add_typer(users_app, name="users")
app.add_typer(departments_app, name="departments")
app.add_typer(audit_app, name="audit")
app.add_typer(jobs_app, name="jobs")

ROLE_HELP = "角色：" + "、".join(f"{r.value}（{r.label}）" for r in Role)

console = Console()
err = Console(stderr=True)

DatabaseUrl = Annotated[
    str | None,
    typer.Option(
        "--database-url", envvar="XINYONG_DATABASE_URL", help="数据库地址，默认数据目录下的 SQLite"
    ),
]
DataDir = Annotated[
    Path | None, typer.Option("--data-dir", envvar="XINYONG_DATA_DIR", help="数据目录")
]


def _settings(database_url: str | None, data_dir: Path | None = None) -> Settings:
    overrides: dict[str, object] = {}
    if database_url:
        overrides["database_url"] = database_url
    if data_dir:
        overrides["data_dir"] = data_dir
    return use_settings(get_settings().model_copy(update=overrides))


def _sessions(settings: Settings):  # type: ignore[no-untyped-def]
    return session_factory(make_engine(settings.effective_database_url))


@app.command()
def init(database_url: DatabaseUrl = None, data_dir: DataDir = None) -> None:
    """创建数据目录和数据库结构（可重复执行），载入行政区划。"""
    from xinyong.auth.service import load_regions

    settings = _settings(database_url, data_dir)
    settings.data_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
    settings.data_dir.chmod(0o700)  # the secret key, the database and uploads live here
    settings.ensure_secret_file()
    engine = make_engine(settings.effective_database_url)
    migrate(engine)
    with transaction(session_factory(engine)) as session:
        regions = load_regions(session)
    console.print(f"数据库已就绪：{engine.url.render_as_string(hide_password=True)}")
    if regions:
        console.print(f"已载入行政区划 {regions} 条")


@app.command()
def demo(
    subjects: Annotated[int, typer.Option("--subjects", help="主体数量")] = 2000,
    seed: Annotated[int, typer.Option(help="随机种子，相同种子生成相同数据")] = 20240101,
    database_url: DatabaseUrl = None,
    data_dir: DataDir = None,
) -> None:
    """生成可复现的演示数据（通过平台自身的服务写入）。"""
    from xinyong.demo import generate

    if subjects <= 0:
        raise DomainError(f"主体数量须为正整数，收到 {subjects}", "demo.size")
    settings = _settings(database_url, data_dir)
    summary = generate(_sessions(settings), subjects=subjects, seed=seed, console=console)
    console.print(summary)


@app.command()
def serve(
    host: str = "127.0.0.1",
    port: int = 8000,
    workers: Annotated[int, typer.Option(help="工作进程数")] = 1,
    access_log: Annotated[bool, typer.Option(help="逐条记录访问日志")] = True,
    database_url: DatabaseUrl = None,
    data_dir: DataDir = None,
) -> None:
    """启动网站和 API。"""
    import os

    import uvicorn

    from xinyong.policy import load_policy

    settings = _settings(database_url, data_dir)
    # Workers are separate processes: hand them the settings through the environment.
    os.environ["XINYONG_DATA_DIR"] = str(settings.data_dir)
    if settings.database_url:
        os.environ["XINYONG_DATABASE_URL"] = settings.database_url
    # Fail here, in one line, on a bad URL, folder or policy file, not inside a worker.
    make_engine(settings.effective_database_url)
    load_policy(settings.policy_dir)
    uvicorn.run(
        "xinyong.api.app:create_app",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        access_log=access_log,
    )


@app.command()
def ingest(
    file: Annotated[Path, typer.Argument(help="CSV、XLSX、JSON 或 JSON Lines 文件")],
    item: Annotated[str, typer.Option("--item", help="目录项编码或名称，如 xzcf、行政处罚")],
    department: Annotated[str, typer.Option("--department", help="报送部门编码")],
    sheet: Annotated[str | None, typer.Option(help="Excel 工作表名，默认第一个")] = None,
    rejected: Annotated[
        Path | None, typer.Option("--rejected", help="把未通过的行（附错误原因）写到此文件")
    ] = None,
    database_url: DatabaseUrl = None,
    data_dir: DataDir = None,
) -> None:
    """按目录归集一个部门报送的文件，打印回执。"""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    from xinyong.catalog import get_item
    from xinyong.collection import service as collection
    from xinyong.collection.files import remove_stale_spool

    settings = _settings(database_url, data_dir)
    remove_stale_spool(settings)
    if not file.is_file():
        raise DomainError(f"文件不存在：{file}", "file.not_found")
    sessions = _sessions(settings)
    wanted = get_item(item)
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn())
    with Progress(*columns, console=err, transient=True) as bar:
        task = bar.add_task(f"归集 {wanted.name}", total=None)
        receipt = collection.ingest(
            sessions,
            file,
            wanted,
            department,
            sheet=sheet,
            submitted_by="cli",
            progress=lambda rows: bar.advance(task, rows),
        )
    _print_receipt(receipt)
    if rejected is not None and receipt.rejected:
        with sessions() as session, session.begin(), rejected.open("wb") as out:
            batch = collection.get_batch(session, receipt.batch_id)
            collection.write_rejections(session, batch, out, actor="cli")
        console.print(f"未通过的行已写入 {rejected}")


def _print_receipt(receipt: Receipt) -> None:
    table = Table(
        title=f"回执 · 批次 {receipt.batch_id} · {receipt.item_name} · {receipt.department}"
    )
    table.add_column("项目")
    table.add_column("数量", justify="right")
    for label, value in (
        ("总行数", receipt.total),
        ("接收", receipt.accepted),
        ("　新增", receipt.new),
        ("　更正", receipt.corrected),
        ("　未变化", receipt.unchanged),
        ("退回", receipt.rejected),
        ("按时", receipt.on_time),
        ("逾期", receipt.late),
        ("提示", receipt.warnings_total),
    ):
        table.add_row(label, f"{value:,}")
    console.print(table)
    for warning in receipt.warnings[:10]:
        console.print(f"提示：{warning}", highlight=False)


@users_app.command("add")
def users_add(
    username: str,
    role: Annotated[str, typer.Option(help=ROLE_HELP)],
    region: Annotated[str, typer.Option(help="行政区划代码")] = "",
    department: Annotated[str | None, typer.Option(help="部门编码")] = None,
    display_name: Annotated[str | None, typer.Option(help="姓名")] = None,
    password: Annotated[
        str,
        typer.Option(
            prompt=True, hide_input=True, confirmation_prompt=True, envvar="XINYONG_NEW_PASSWORD"
        ),
    ] = "",
    database_url: DatabaseUrl = None,
) -> None:
    """新建工作人员账号（密码以 argon2 哈希保存）。"""
    from xinyong.auth import service

    settings = _settings(database_url)
    try:
        role_value = Role(role)
    except ValueError:
        raise DomainError(f"未知角色：{role}", "user.role") from None
    with transaction(_sessions(settings)) as session:
        dept = service.get_department(session, department) if department else None
        region_code = region or (dept.region_code if dept else settings.city_code)
        user = service.create_user(
            session, username, password, role_value, region_code, display_name, dept
        )
    console.print(f"已创建账号 {user.username}（{role_value.label}）")


@users_app.command("list")
def users_list(database_url: DatabaseUrl = None) -> None:
    """列出工作人员账号。"""
    from sqlalchemy import select

    from xinyong.auth.models import User

    with _sessions(_settings(database_url))() as session:
        table = Table("用户名", "姓名", "角色", "区划", "启用")
        for user in session.scalars(select(User).order_by(User.username)):
            table.add_row(
                user.username,
                user.display_name,
                Role(user.role).label,
                user.region_code,
                "是" if user.active else "否",
            )
    console.print(table)


@departments_app.command("add")
def departments_add(
    code: str,
    name: str,
    region: Annotated[str, typer.Option(help="行政区划代码")],
    uscc: Annotated[str | None, typer.Option(help="统一社会信用代码")] = None,
    database_url: DatabaseUrl = None,
) -> None:
    """登记数据提供部门。"""
    from xinyong.auth import service

    with transaction(_sessions(_settings(database_url))) as session:
        dept = service.create_department(session, code, name, region, uscc)
    console.print(f"已登记部门 {dept.code} {dept.name}")


@departments_app.command("api-key")
def departments_api_key(
    department: str,
    name: Annotated[str, typer.Option(help="调用系统名称")] = "接口",
    database_url: DatabaseUrl = None,
) -> None:
    """为部门系统签发 API 密钥（只显示一次）。"""
    from xinyong.auth import service

    with transaction(_sessions(_settings(database_url))) as session:
        key = service.create_api_key(session, service.get_department(session, department), name)
    console.print(f"API 密钥（请妥善保存，只显示这一次）：{key}")


@audit_app.command("verify")
def audit_verify(database_url: DatabaseUrl = None) -> None:
    """校验审计日志的哈希链是否完整。"""
    from xinyong.auth import audit

    with _sessions(_settings(database_url))() as session:
        report = audit.verify(session)
    if not report.ok:
        err.print(f"审计日志被篡改：第 {report.first_broken_id} 号记录与哈希链不符")
        raise typer.Exit(1)
    console.print(f"审计日志完整：共 {report.entries} 条")


@jobs_app.command("list")
def jobs_list() -> None:
    """列出可运行的定期任务。"""
    from xinyong.jobs import JOBS

    for job in JOBS.values():
        console.print(f"{job.name}\t{job.label}")


@jobs_app.command("run")
def jobs_run(
    name: Annotated[str, typer.Argument(help="任务名，如 expire")],
    database_url: DatabaseUrl = None,
) -> None:
    """立即运行一个定期任务（例如 expire：停止公示期满的信用信息）。"""
    from xinyong.jobs import JOBS, run_job

    changed = run_job(_sessions(_settings(database_url)), name)
    console.print(f"{JOBS[name].label}：处理 {changed:,} 条")


def _mount_catalog() -> None:
    from xinyong.catalog.cli import catalog_app

    app.add_typer(catalog_app, name="catalog", help="信用信息目录")


_mount_catalog()


def _fail(message: str) -> None:
    err.print(message, highlight=False, soft_wrap=True)
    sys.exit(2)


def main() -> None:
    """Entry point: every expected failure is one line and a non-zero exit, never a traceback."""
    try:
        app()
    except DomainError as exc:
        _fail(f"错误：{exc.message}")
    except PolicyError as exc:
        _fail(f"策略文件错误：{exc}")
    except OperationalError as exc:
        _fail(f"无法连接数据库：{str(exc.orig).strip().splitlines()[0]}")
    except SQLAlchemyError as exc:
        _fail(f"数据库错误：{str(exc).splitlines()[0]}")
    except RuntimeError as exc:
        _fail(f"错误：{exc}")
