"""`xinyong supervision …`: drawing a plan and re-running a draw from its seed, as the platform
(actor `cli`, the administrator's rights over the settings' city), audited like the console."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from xinyong.commandline import DatabaseUrl, operator, operator_sessions
from xinyong.db import transaction
from xinyong.supervision import draws

supervision_app = typer.Typer(help="双随机抽查", no_args_is_help=True)
console = Console(highlight=False)


@supervision_app.command("draw")
def draw_command(
    plan: Annotated[int, typer.Option("--plan", min=1, help="抽查计划编号")],
    seed: Annotated[str | None, typer.Option("--seed", help="随机种子（默认随机生成）")] = None,
    database_url: DatabaseUrl = None,
) -> None:
    """抽取一个抽查计划（每个计划只抽取一次），显示种子与各类别的抽取户数。"""
    with transaction(operator_sessions(database_url)) as session:
        made = draws.run(session, operator(), plan, seed)
        drawn = draws.drawn_count(session, made.id)
        table = Table("类别", "候选", "比例", "抽中", title=f"抽取 {made.id}（计划 {plan}）")
        for code, c in made.inputs["classes"].items():
            table.add_row(code, str(c["candidates"]), c["ratio"], str(c["drawn"]))
        console.print(table)
        console.print(f"随机种子：{made.seed}")
        console.print(f"候选 {made.inputs['candidates']:,} 户，抽中 {drawn:,} 户")


@supervision_app.command("verify")
def verify_command(
    draw: Annotated[int, typer.Option("--draw", min=1, help="抽取编号")],
    database_url: DatabaseUrl = None,
) -> None:
    """以记录的种子重新抽取，核对候选名单与抽取结果是否与记录一致。"""
    with transaction(operator_sessions(database_url)) as session:
        checked = draws.verify(session, operator(), draw)
    console.print(f"候选名单：{'一致' if checked.same_inputs else '不一致'}")
    console.print(
        f"抽取结果：{'一致' if checked.same_result else '不一致'}（{checked.drawn:,} 户）"
    )
    if not (checked.same_inputs and checked.same_result):
        raise typer.Exit(1)
