"""`xinyong applicants …`: an operator issues an activation code to a subject, acting as the
platform (actor `cli`, the platform administrator's rights over the settings' city); the
issue is audited like one made at a window."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.console import Console

from xinyong import clock
from xinyong.commandline import DatabaseUrl, operator, operator_sessions
from xinyong.db import committing
from xinyong.errors import DomainError, NotFound

applicants_app = typer.Typer(help="申请人账号与激活码", no_args_is_help=True)
console = Console(highlight=False)


@applicants_app.command("issue-code")
def issue_code_command(
    purpose: Annotated[str, typer.Option("--purpose", help="用途，如 窗口核验、信用修复告知书")],
    uscc: Annotated[str | None, typer.Option("--uscc", help="主体的统一社会信用代码")] = None,
    id_number: Annotated[str | None, typer.Option("--id-number", help="自然人的身份证号码")] = None,
    database_url: DatabaseUrl = None,
) -> None:
    """为信用主体出具一次性激活码（只显示这一次，请印在文书上或当面交给申请人）。"""
    from xinyong.applicants import service as applicants
    from xinyong.policy import load_policy
    from xinyong.subjects import service as subjects

    if bool(uscc) == bool(id_number):
        raise DomainError("请给出 --uscc 或 --id-number 之一", "applicants.subject_key")
    platform = operator()
    factory = operator_sessions(database_url)
    with factory() as session, committing(session):
        subject = subjects.resolve(session, uscc=uscc, id_number=id_number)
        if subject is None:
            raise NotFound("未找到该信用主体", "subject.not_found")
        code = applicants.issue_code(session, platform, subject, purpose)
        name = subject.name
    lifetime = load_policy().applicants.activation_code.lifetime
    until = (clock.now() + lifetime).astimezone(clock.SHANGHAI)
    console.print(f"{name} 的激活码：{code}")
    console.print(f"有效期至 {until:%Y-%m-%d %H:%M}（北京时间），只能使用一次。")
