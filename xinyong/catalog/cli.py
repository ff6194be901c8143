"""`xinyong catalog …`: list and show catalog items, and check a policy folder."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from xinyong.catalog.service import get_item, list_items
from xinyong.config import get_settings
from xinyong.errors import NotFound, PolicyError
from xinyong.policy import load_policy
from xinyong.policy.schemas import CatalogItem, Policy, PublicationRule, TimelinessRule, Window

catalog_app = typer.Typer(help="信用信息目录", no_args_is_help=True)

console = Console(highlight=False)
err = Console(stderr=True, highlight=False)

PolicyDir = Annotated[
    Path | None,
    typer.Option(
        "--policy-dir",
        help="本市策略文件夹（覆盖或补充内置策略），默认取设置 XINYONG_POLICY_DIR",
    ),
]


def _policy(policy_dir: Path | None) -> Policy:
    """The folder given on the command line, else the one in the settings."""
    return load_policy(policy_dir or get_settings().policy_dir)


@catalog_app.command("list")
def list_command(policy_dir: PolicyDir = None) -> None:
    """列出信用信息目录项。"""
    table = Table("代码", "名称", "类别", "公开等级", "字段数", title="信用信息目录")
    for item in list_items(_policy(policy_dir)):
        table.add_row(
            item.code, item.name, item.category.value, item.disclosure.label, str(len(item.fields))
        )
    console.print(table)


@catalog_app.command("show")
def show_command(code: str, policy_dir: PolicyDir = None) -> None:
    """显示一个目录项的详情和字段（CODE 为目录项代码或名称）。"""
    try:
        item = get_item(code, _policy(policy_dir))
    except NotFound as exc:
        err.print(f"错误：{exc.message}", soft_wrap=True)
        raise typer.Exit(1) from None
    _print_summary(item)
    console.print(_fields_table(item))


@catalog_app.command("validate")
def validate_command(policy_dir: PolicyDir = None) -> None:
    """校验策略文件（内置策略及本市策略文件夹）。"""
    try:
        policy = _policy(policy_dir)
    except PolicyError as exc:
        err.print(f"策略文件错误：{exc}", soft_wrap=True)
        raise typer.Exit(1) from None
    console.print(f"策略文件校验通过：{len(policy.items)} 个目录项")


def _print_summary(item: CatalogItem) -> None:
    rows = [
        ("代码", item.code),
        ("名称", item.name),
        ("类别", item.category.value),
        ("公开等级", item.disclosure.label),
        ("主体类型", "、".join(kind.label for kind in item.subject_types)),
        ("提供部门", "、".join(item.providers) or "—"),
        ("业务主键", "、".join(item.field(code).label for code in item.natural_key)),
        ("公示规则", _publication_text(item.publication)),
        ("报送时限", _timeliness_text(item.timeliness)),
    ]
    if item.description:
        rows.insert(2, ("说明", item.description))
    table = Table(show_header=False, box=None)
    table.add_column(no_wrap=True)
    table.add_column(overflow="fold")
    for name, value in rows:
        table.add_row(f"[bold]{name}[/bold]", value)
    console.print(table)


def _window_text(window: Window | None) -> str:
    if window is None:
        return "—"
    if not window.publish:
        limit = f"（确需公示的最长{window.max.label}）" if window.max else ""
        return f"原则上不予公示{limit}"
    parts = [
        f"最短{window.min.label}" if window.min else "",
        f"最长{window.max.label}" if window.max else "",
    ]
    return "，".join(part for part in parts if part) or "—"


def _publication_text(rule: PublicationRule) -> str:
    if rule.kind == "severity":
        text = (
            f"轻微：{_window_text(rule.minor)}；一般：{_window_text(rule.general)}；"
            f"严重：{_window_text(rule.serious)}"
        )
    elif rule.kind == "while_valid":
        text = "有效期内公示" + (f"，无有效期的{_window_text(rule.window)}" if rule.window else "")
    elif rule.kind == "fixed":
        text = f"自决定之日起公示，{_window_text(rule.window)}"
    else:
        text = "公示至认定机关移出"
    return f"{text}\n依据：{_source_text(rule.source, rule.verified, rule.city_policy)}"


def _timeliness_text(rule: TimelinessRule | None) -> str:
    if rule is None:
        return "—"
    if rule.kind == "working_days":
        text = f"自决定之日起 {rule.days} 个工作日内"
    else:
        text = f"决定次月 {rule.day} 日前"
    return f"{text}\n依据：{_source_text(rule.source, rule.verified, False)}"


def _source_text(source: str, verified: bool, city_policy: bool) -> str:
    marks = ("（本市规定）" if city_policy else "") + ("" if verified else "〔条款待核实〕")
    return f"{source}{marks}"


def _fields_table(item: CatalogItem) -> Table:
    table = Table(title=f"{item.name}字段")
    for header in ("代码", "名称", "类型", "必填", "公开", "单位", "别名"):
        table.add_column(header, overflow="fold")
    for field in item.fields:
        kind = field.type.value
        if field.codelist:
            kind = f"{kind}:{field.codelist}" + ("（多值）" if field.multiple else "")
        table.add_row(
            field.code,
            field.label,
            kind,
            "是" if field.required else "",
            "" if field.public else "否",
            field.unit or "",
            "、".join(field.aliases),
        )
    return table
