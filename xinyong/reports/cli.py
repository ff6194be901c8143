"""`xinyong report …`: a credit report as a PDF file, for one subject (a USCC, an ID number or
a subject id) or for every subject of a CSV file with a progress bar, issued by the platform
(actor `cli`, the administrator's view of the settings' city; `--public` for the public's)
and stored and verifiable like every report."""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

from xinyong.auth.principal import PUBLIC, Principal
from xinyong.commandline import DatabaseUrl, operator, operator_sessions
from xinyong.db import transaction
from xinyong.errors import DomainError
from xinyong.reports import service
from xinyong.reports.scope import kind_named
from xinyong.subjects.service import subject_identified

console = Console(highlight=False)
err = Console(stderr=True, highlight=False)
MAX_CSV_BYTES = 64 << 20  # a million subjects' codes; bigger is not a list of subjects


def report_command(
    subject: Annotated[
        str | None, typer.Argument(help="统一社会信用代码、身份证号码或主体编号")
    ] = None,
    kind: Annotated[
        str | None, typer.Option("--kind", help="报告种类：org、person、special（默认按主体类型）")
    ] = None,
    as_of: Annotated[
        str | None, typer.Option("--as-of", help="信息截止日期 YYYY-MM-DD，默认现在")
    ] = None,
    out: Annotated[Path | None, typer.Option("--out", help="PDF 文件，默认 <报告编号>.pdf")] = None,
    file: Annotated[
        Path | None, typer.Option("--file", help="批量：CSV 文件，第一列为主体（代码或编号）")
    ] = None,
    out_dir: Annotated[Path | None, typer.Option("--out-dir", help="批量：PDF 存放目录")] = None,
    public: Annotated[
        bool, typer.Option("--public", help="按社会公众所见出具（公开报告）")
    ] = False,
    database_url: DatabaseUrl = None,
) -> None:
    """出具信用报告（PDF）：一个主体，或 --file 列出的每个主体（--out-dir）。"""
    day = _day(as_of)
    if kind is not None:
        kind_named(kind)  # a wrong kind is told before the database is asked
    who = PUBLIC if public else operator()
    if file is not None:
        if subject is not None or out is not None:
            raise DomainError("批量出具时不要同时给出主体或 --out，请用 --out-dir", "reports.cli")
        _batch(who, _subjects_in(file), kind, day, out_dir or Path("."), database_url)
        return
    if subject is None:
        raise DomainError(
            "请给出主体（统一社会信用代码、身份证号码或主体编号）或 --file", "reports.cli"
        )
    number, path = _one(operator_sessions(database_url), who, subject, kind, day, out, None)
    console.print(f"已出具信用报告 {number}：{path}")


def _one(sessions, who: Principal, named: str, kind, day, out, out_dir):  # type: ignore[no-untyped-def]
    with transaction(sessions) as session:
        subject_id = subject_identified(session, named)
        made = service.issue(session, who, service.ReportRequest(subject_id, kind, as_of=day))
        printed = service.download(session, who, made.id)
    path = out or (out_dir or Path(".")) / printed.filename
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(printed.content)
    return made.number, path


def _batch(
    who: Principal, named: list[tuple[int, str]], kind, day, out_dir: Path, database_url
) -> None:  # type: ignore[no-untyped-def]
    sessions = operator_sessions(database_url)
    failed: list[tuple[int, str, str]] = []
    columns = (TextColumn("出具信用报告"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn())
    with Progress(*columns, console=err, transient=True) as bar:
        task = bar.add_task("reports", total=len(named))
        for line, text in named:
            try:
                _one(sessions, who, text, kind, day, None, out_dir)
            except DomainError as exc:
                failed.append((line, text, exc.message))
            bar.advance(task)
    console.print(f"已出具 {len(named) - len(failed):,} 份信用报告，存于 {out_dir}")
    for line, text, reason in failed[:50]:
        err.print(f"第 {line} 行 {text[:40]}：{reason}")
    if failed:
        err.print(f"{len(failed):,} 行未出具")
        raise typer.Exit(1)


def _subjects_in(path: Path) -> list[tuple[int, str]]:
    """(line, subject) of each non-empty first cell; a header row (not a code) is skipped."""
    if not path.is_file():
        raise DomainError(f"找不到文件：{path}", "reports.cli")
    if path.stat().st_size > MAX_CSV_BYTES:
        raise DomainError(f"文件超过 {MAX_CSV_BYTES >> 20} MB，请分成多个文件", "reports.cli")
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = raw.decode("gb18030")
        except UnicodeDecodeError:
            raise DomainError(
                "无法识别文件编码，请存为 UTF-8 或 GB18030 的 CSV", "reports.cli"
            ) from None
    rows = []
    for line, row in enumerate(csv.reader(text.splitlines()), start=1):
        cell = row[0].strip() if row else ""
        if cell and not (line == 1 and not any(c.isdigit() for c in cell)):
            rows.append((line, cell))
    if not rows:
        raise DomainError(
            "文件中没有主体（第一列填写统一社会信用代码、身份证号码或主体编号）", "reports.cli"
        )
    return rows


def _day(text: str | None) -> date | None:
    if text is None:
        return None
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise DomainError(f"日期格式应为 YYYY-MM-DD：{text[:20]}", "reports.cli") from None
