"""The `xinyong` command: set up, fill and run the platform."""

from __future__ import annotations

import sys
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.table import Table
from sqlalchemy.exc import OperationalError, SQLAlchemyError

from xinyong.auth.models import Role
from xinyong.commandline import OPERATOR, DatabaseUrl
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

DataDir = Annotated[
    Path | None, typer.Option("--data-dir", envvar="XINYONG_DATA_DIR", help="数据目录")
]
PolicyDir = Annotated[
    Path | None,
    typer.Option("--policy-dir", help="本市策略文件夹，默认取设置 XINYONG_POLICY_DIR"),
]


def _settings(
    database_url: str | None, data_dir: Path | None = None, policy_dir: Path | None = None
) -> Settings:
    overrides: dict[str, object] = {}
    if database_url:
        overrides["database_url"] = database_url
    if data_dir:
        overrides["data_dir"] = data_dir
    if policy_dir:
        overrides["policy_dir"] = policy_dir
    return use_settings(get_settings().model_copy(update=overrides))


def _use_policy(settings: Settings) -> None:
    """Serve the settings' policy folder (a broken policy fails here, in one line)."""
    from xinyong.policy import use_policy

    use_policy(settings.policy_dir)


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
    _use_policy(settings)
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
    policy_dir: PolicyDir = None,
) -> None:
    """启动网站和 API。"""
    import os

    import uvicorn

    settings = _settings(database_url, data_dir, policy_dir)
    # Workers are separate processes: hand them the settings through the environment.
    os.environ["XINYONG_DATA_DIR"] = str(settings.data_dir)
    if settings.database_url:
        os.environ["XINYONG_DATABASE_URL"] = settings.database_url
    if settings.policy_dir:
        os.environ["XINYONG_POLICY_DIR"] = str(settings.policy_dir.resolve())
    # Fail here, in one line, on a bad URL, folder or policy file, not inside a worker.
    make_engine(settings.effective_database_url)
    _use_policy(settings)
    uvicorn.run(
        "xinyong.app:create_app",
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
    policy_dir: PolicyDir = None,
) -> None:
    """按目录归集一个部门报送的文件，打印回执。"""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    from xinyong.catalog import get_item
    from xinyong.collection import service as collection
    from xinyong.collection.files import remove_stale_spool

    settings = _settings(database_url, data_dir, policy_dir)
    _use_policy(settings)
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


@app.command()
def evaluate(
    model: Annotated[str | None, typer.Option("--model", help="评价模型编码，默认全部模型")] = None,
    as_of: Annotated[
        datetime | None, typer.Option("--as-of", help="评价时点（北京时间），默认现在")
    ] = None,
    database_url: DatabaseUrl = None,
    data_dir: DataDir = None,
    policy_dir: PolicyDir = None,
) -> None:
    """进行公共信用综合评价（每个模型一次运行），打印各等级的主体数。"""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TaskID, TextColumn

    from xinyong import clock
    from xinyong.evaluation import runs
    from xinyong.policy import load_policy

    settings = _settings(database_url, data_dir, policy_dir)
    _use_policy(settings)
    sessions = _sessions(settings)
    moment = as_of.replace(tzinfo=clock.SHANGHAI) if as_of and as_of.tzinfo is None else as_of
    chosen = [runs.model_named(model)] if model else list(load_policy().evaluation_models.values())
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn())
    for wanted in chosen:
        with Progress(*columns, console=err, transient=True) as bar:
            task = bar.add_task(f"评价 {wanted.name}", total=None)

            def advance(done: int, top: int, task: TaskID = task) -> None:
                bar.update(task, completed=done, total=top)

            ran = runs.evaluate(sessions, wanted, "cli", moment, on_range=advance)
        grades = "，".join(f"{grade} {n:,}" for grade, n in sorted(ran.grades.items()))
        console.print(
            f"{wanted.name}：第 {ran.run_id} 次评价，{ran.subjects:,} 个主体（{grades or '无'}），"
            f"用时 {ran.seconds:.1f} 秒"
        )


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


@users_app.command("password")
def users_password(
    username: str,
    password: Annotated[
        str,
        typer.Option(
            prompt=True, hide_input=True, confirmation_prompt=True, envvar="XINYONG_NEW_PASSWORD"
        ),
    ] = "",
    database_url: DatabaseUrl = None,
) -> None:
    """修改账号密码（该账号所有已登录的会话随即失效）。"""
    from xinyong.auth import service

    with transaction(_sessions(_settings(database_url))) as session:
        service.set_password(session, service.get_user(session, username), password, OPERATOR)
    console.print(f"已修改 {username} 的密码，原有会话已失效")


def _set_user_active(username: str, active: bool, database_url: str | None) -> None:
    from xinyong.auth import service

    with transaction(_sessions(_settings(database_url))) as session:
        service.set_user_active(session, service.get_user(session, username), active, OPERATOR)


@users_app.command("deactivate")
def users_deactivate(username: str, database_url: DatabaseUrl = None) -> None:
    """停用账号：立即退出所有会话，不能再登录。"""
    _set_user_active(username, False, database_url)
    console.print(f"已停用账号 {username}，其会话已全部失效")


@users_app.command("reactivate")
def users_reactivate(username: str, database_url: DatabaseUrl = None) -> None:
    """重新启用账号（须重新登录）。"""
    _set_user_active(username, True, database_url)
    console.print(f"已启用账号 {username}")


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
    partner: Annotated[
        bool,
        typer.Option(
            "--partner", help="合作方密钥（省平台、信用中国、信用服务机构）：只能读取信用信息变更"
        ),
    ] = False,
    database_url: DatabaseUrl = None,
) -> None:
    """为部门系统签发 API 密钥（只显示一次）；--partner 签发只读变更订阅的合作方密钥。"""
    from xinyong.auth import service

    with transaction(_sessions(_settings(database_url))) as session:
        found = service.get_department(session, department)
        key = service.create_api_key(session, found, name, partner=partner)
    kind = "合作方密钥，只能读取 GET /api/v1/changes" if partner else "API 密钥"
    console.print(f"{kind}（请妥善保存，只显示这一次）：{key}")


def _set_department_active(code: str, active: bool, database_url: str | None) -> None:
    from xinyong.auth import service

    with transaction(_sessions(_settings(database_url))) as session:
        department = service.get_department(session, code)
        service.set_department_active(session, department, active, OPERATOR)


@departments_app.command("deactivate")
def departments_deactivate(code: str, database_url: DatabaseUrl = None) -> None:
    """停用部门：其 API 密钥立即失效，其工作人员的会话结束且不能再登录。"""
    _set_department_active(code, False, database_url)
    console.print(f"已停用部门 {code}：其 API 密钥与账号均已停止使用")


@departments_app.command("reactivate")
def departments_reactivate(code: str, database_url: DatabaseUrl = None) -> None:
    """重新启用部门（已停用的 API 密钥仍然停用）。"""
    _set_department_active(code, True, database_url)
    console.print(f"已启用部门 {code}")


@departments_app.command("api-keys")
def departments_api_keys(department: str, database_url: DatabaseUrl = None) -> None:
    """列出部门的 API 密钥（前缀、名称、签发、最近使用、停用时间），供选择停用。"""
    from xinyong.auth import service

    table = Table("前缀", "名称", "类型", "签发", "最近使用", "状态")
    with _sessions(_settings(database_url))() as session:
        for key in service.api_keys(session, service.get_department(session, department)):
            state = f"已停用 {_shown(key.revoked_at)}" if key.revoked_at else "有效"
            kind = "合作方（变更订阅）" if key.partner else "部门系统"
            table.add_row(
                key.prefix, key.name, kind, _shown(key.created_at), _shown(key.last_used_at), state
            )
    console.print(table)


@departments_app.command("revoke-key")
def departments_revoke_key(prefix: str, database_url: DatabaseUrl = None) -> None:
    """停用一个 API 密钥（按 `departments api-keys` 列出的前缀），立即生效。"""
    from xinyong.auth import service

    with transaction(_sessions(_settings(database_url))) as session:
        key = service.revoke_api_key(session, prefix, OPERATOR)
    console.print(f"已停用 API 密钥 {key.prefix}（{key.name}）")


def _shown(moment: datetime | None) -> str:
    from xinyong.clock import SHANGHAI

    return moment.astimezone(SHANGHAI).strftime("%Y-%m-%d %H:%M") if moment else "—"


@audit_app.command("verify")
def audit_verify(database_url: DatabaseUrl = None) -> None:
    """校验审计日志：重算密钥哈希链，并与锚点文件逐一比对（截断、整体删除、改写、伪造）。"""
    from xinyong.auth import audit

    settings = _settings(database_url)
    with _sessions(settings)() as session:
        report = audit.verify(session)
    if not report.ok:
        for problem in report.problems:
            err.print(f"审计日志被篡改：{problem}", highlight=False, soft_wrap=True)
        raise typer.Exit(1)
    console.print(f"审计日志完整：共 {report.entries} 条，与 {report.anchors} 个锚点相符")
    if not report.anchors:
        console.print(
            f"提示：{settings.audit_anchor_path} 中尚无锚点，无法发现截断或整体删除；"
            "请运行 xinyong audit anchor（服务进程每次定期任务也会导出）",
            highlight=False,
        )


@audit_app.command("anchor")
def audit_anchor(database_url: DatabaseUrl = None) -> None:
    """把审计日志的条数与末条哈希追加到锚点文件（数据库之外，只追加）。"""
    from xinyong.auth import audit

    settings = _settings(database_url)
    with transaction(_sessions(settings)) as session:
        anchor = audit.anchor(session)
    state = "已导出锚点" if anchor.new else "锚点未变（自上次导出后无新记录）"
    console.print(f"{state}：共 {anchor.count} 条 → {settings.audit_anchor_path}", highlight=False)


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

    settings = _settings(database_url)
    _use_policy(settings)
    changed = run_job(_sessions(settings), name)
    console.print(f"{JOBS[name].label}：处理 {changed:,} 条")


def _mount_catalog() -> None:
    from xinyong.catalog.cli import catalog_app

    app.add_typer(catalog_app, name="catalog", help="信用信息目录")


def _mount_cases() -> None:
    from xinyong.cases.cli import cases_app

    app.add_typer(cases_app, name="cases", help="案件（列入程序等）")


def _mount_applicants() -> None:
    from xinyong.applicants.cli import applicants_app

    app.add_typer(applicants_app, name="applicants", help="申请人账号与激活码")


def _mount_supervision() -> None:
    from xinyong.supervision.cli import supervision_app

    app.add_typer(supervision_app, name="supervision", help="双随机抽查")


def _mount_reports() -> None:
    from xinyong.reports.cli import report_command

    app.command("report")(report_command)


_mount_catalog()
_mount_cases()
_mount_applicants()
_mount_supervision()
_mount_reports()


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
