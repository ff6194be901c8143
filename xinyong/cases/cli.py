"""`xinyong cases …`: the cases of every kind for an operator, read as the platform (actor
`cli`, the platform administrator's rights over the city the settings name), each reading
audited like any other."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from xinyong import clock
from xinyong.cases import browse
from xinyong.commandline import DatabaseUrl, operator, operator_sessions

cases_app = typer.Typer(help="案件（列入程序等）", no_args_is_help=True)
console = Console(highlight=False)


def _shown(moment: datetime | None) -> str:
    return moment.astimezone(clock.SHANGHAI).strftime("%Y-%m-%d %H:%M") if moment else "—"


@cases_app.command("list")
def list_command(
    kind: Annotated[str | None, typer.Option("--kind", help="案件类型，如 listing")] = None,
    state: Annotated[str | None, typer.Option("--state", help="状态，如 notified")] = None,
    overdue: Annotated[bool, typer.Option("--overdue", help="只列逾期未办结的")] = False,
    page: Annotated[int, typer.Option("--page", min=1, help="页码（每页 50 件）")] = 1,
    database_url: DatabaseUrl = None,
) -> None:
    """列出案件：编号、类型、状态、主体、承办部门、期限（逾期的在前）。"""
    with operator_sessions(database_url)() as session:
        found = browse.list_cases(
            session, operator(), kind=kind, state=state, overdue=overdue, page=page
        )
        today = clock.today()
        table = Table(
            "编号",
            "类型",
            "状态",
            "主体",
            "承办部门",
            "期限",
            "逾期",
            title=f"案件 共 {found.total} 件",
        )
        for row in found.rows:
            case = row.case
            table.add_row(
                str(case.id),
                row.kind_name,
                row.state_label,
                row.subject_name,
                row.department_name,
                str(case.due or "—"),
                "是" if row.overdue(today) else "",
            )
    console.print(table)
    if found.total > found.page * found.page_size:
        console.print(f"第 {found.page} 页；下一页：--page {found.page + 1}")


@cases_app.command("show")
def show_command(case_id: int, database_url: DatabaseUrl = None) -> None:
    """显示一个案件及其办理步骤。"""
    with operator_sessions(database_url)() as session:
        view = browse.show_case(session, operator(), case_id)
        row, case = view.row, view.row.case
        console.print(f"第 {case.id} 号 {row.kind_name} · {row.state_label}")
        console.print(f"主体：{row.subject_name}　承办部门：{row.department_name}")
        due = f"{case.due}（中止于 {case.suspended_on}）" if case.suspended_on else case.due
        console.print(f"立案：{_shown(case.opened_at)}　期限：{due or '—'}")
        if row.overdue(clock.today()):
            console.print("[bold red]已逾期[/]")
        table = Table("时间", "步骤", "办理人", "说明", title="办理步骤")
        for step in view.steps:
            table.add_row(_shown(step.at), view.step_label(step), step.actor, step.note or "")
    console.print(table)
