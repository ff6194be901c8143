"""The command line as an operator meets it: one clear line and a non-zero exit on bad input."""

import os
import subprocess
import sys

import pytest

from tests.factories import COMPANY_USCC, OTHER_USCC, penalty_row, write_csv
from tests.fixtures import CITY


def run(*args, env=None, cwd=None):
    full_env = {k: v for k, v in os.environ.items() if not k.startswith("XINYONG_")}
    full_env.update(env or {})
    return subprocess.run(
        [sys.executable, "-m", "xinyong", *args],
        capture_output=True,
        text=True,
        env=full_env,
        cwd=cwd,
        timeout=120,
    )


def assert_one_clear_line(result, expected):
    assert result.returncode != 0
    assert "Traceback" not in result.stderr + result.stdout
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, result.stderr
    assert expected in lines[0]


@pytest.mark.parametrize("size", ["0", "-5"])
def test_demo_size_must_be_positive(tmp_path, size):
    result = run("demo", "--subjects", size, env={"XINYONG_DATA_DIR": str(tmp_path)})
    assert_one_clear_line(result, "主体数量须为正整数")


def test_wrong_database_url(tmp_path):
    result = run(
        "init", "--database-url", "mysql://nowhere/x", env={"XINYONG_DATA_DIR": str(tmp_path)}
    )
    assert_one_clear_line(result, "不支持的数据库")


def test_unreachable_postgresql(tmp_path):
    result = run(
        "init",
        "--database-url",
        "postgresql+psycopg://nobody@127.0.0.1:1/none",
        env={"XINYONG_DATA_DIR": str(tmp_path)},
    )
    assert_one_clear_line(result, "无法连接数据库")


def test_missing_data_folder(tmp_path):
    result = run("users", "list", env={"XINYONG_DATA_DIR": str(tmp_path / "missing")})
    assert_one_clear_line(result, "数据目录不存在")


def _bad_policy(folder):
    (folder / "catalog").mkdir(parents=True)
    (folder / "catalog" / "bad.yaml").write_text(
        "code: xzcf\nname: 行政处罚\ncategory: 行政处罚\n"
        "fields: [{code: x, label: 某, type: datee}]\n",
        encoding="utf-8",
    )
    return str(folder)


def test_invalid_policy_file(tmp_path):
    result = run("catalog", "validate", env={"XINYONG_POLICY_DIR": _bad_policy(tmp_path)})
    assert result.returncode != 0 and "Traceback" not in result.stderr + result.stdout
    assert "bad.yaml" in result.stdout + result.stderr


def test_server_refuses_to_start_on_an_invalid_policy(tmp_path):
    env = {"XINYONG_DATA_DIR": str(tmp_path / "data")}
    assert run("init", env=env).returncode == 0
    result = run(
        "serve", "--port", "1", env=env | {"XINYONG_POLICY_DIR": _bad_policy(tmp_path / "p")}
    )
    assert_one_clear_line(result, "bad.yaml")


def test_init_demo_and_audit_verify_on_a_fresh_folder(tmp_path):
    env = {"XINYONG_DATA_DIR": str(tmp_path / "data")}
    assert run("init", env=env).returncode == 0
    demo = run("demo", "--subjects", "300", env=env)
    assert demo.returncode == 0, demo.stderr
    assert "已生成演示数据：主体 300 个" in demo.stdout
    again = run("demo", "--subjects", "300", env=env)
    assert "未生成演示数据" in again.stdout  # never a second demo on top of the first
    verify = run("audit", "verify", env=env)
    assert verify.returncode == 0 and "审计日志完整" in verify.stdout


def test_users_add_then_login_works(tmp_path):
    env = {"XINYONG_DATA_DIR": str(tmp_path / "data")}
    assert run("init", env=env).returncode == 0
    added = run(
        "users",
        "add",
        "wang",
        "--role",
        "credit_office",
        "--display-name",
        "王芳",
        env=env | {"XINYONG_NEW_PASSWORD": "a-long-password"},
    )
    assert added.returncode == 0, added.stderr
    assert "已创建账号 wang（信用办）" in added.stdout
    listed = run("users", "list", env=env)
    assert "王芳" in listed.stdout and "440100" in listed.stdout
    unknown = run(
        "users", "add", "li", "--role", "boss", env=env | {"XINYONG_NEW_PASSWORD": "x" * 12}
    )
    assert_one_clear_line(unknown, "未知角色：boss")


def test_ingest_prints_the_receipt_and_writes_rejected_rows(tmp_path):
    env = {"XINYONG_DATA_DIR": str(tmp_path / "data")}
    assert run("init", env=env).returncode == 0
    assert run("demo", "--subjects", "50", env=env).returncode == 0
    rows = [penalty_row(), penalty_row(**{"处罚类别": "打板子", "行政处罚决定书文号": "文2"})]
    path = write_csv(tmp_path / "处罚.csv", rows, "gbk")
    out = tmp_path / "退回.csv"
    args = ("ingest", str(path), "--item", "行政处罚", "--department", "440100-scjgj")
    result = run(*args, "--rejected", str(out), env=env)
    assert result.returncode == 0, result.stderr
    assert "回执" in result.stdout and "新增" in result.stdout
    assert "“打板子”不是有效的处罚类别" in out.read_text(encoding="gb18030")

    del rows[0]["处罚机关"]
    write_csv(path, rows[:1])
    assert_one_clear_line(run(*args, env=env), "缺少必填列：处罚机关")


def test_ingest_of_a_big_file_through_python_m_xinyong(tmp_path):
    """Over 4 MB the rows are checked in a spawned worker process."""
    env = {"XINYONG_DATA_DIR": str(tmp_path / "data")}
    assert run("init", env=env).returncode == 0
    assert run("demo", "--subjects", "20", env=env).returncode == 0
    rows = [penalty_row(**{"行政处罚决定书文号": f"穗市监罚〔2024〕{n}号"}) for n in range(12_000)]
    path = write_csv(tmp_path / "处罚.csv", rows)
    assert path.stat().st_size > 4 << 20
    result = run("ingest", str(path), "--item", "xzcf", "--department", "440100-scjgj", env=env)
    assert result.returncode == 0, result.stderr
    assert "12,000" in result.stdout


def test_jobs_run_expire_and_an_unknown_job(tmp_path):
    env = {"XINYONG_DATA_DIR": str(tmp_path)}
    assert run("init", env=env).returncode == 0
    assert "expire" in run("jobs", "list", env=env).stdout
    done = run("jobs", "run", "expire", env=env)
    assert done.returncode == 0, done.stderr
    assert "停止公示期满的信用信息：处理 0 条" in done.stdout
    assert_one_clear_line(run("jobs", "run", "nope", env=env), "未知的任务：nope")


def test_jobs_run_reminders_and_deliver_on_a_fresh_platform(tmp_path):
    env = {"XINYONG_DATA_DIR": str(tmp_path)}
    assert run("init", env=env).returncode == 0
    listed = run("jobs", "list", env=env).stdout
    assert "reminders" in listed and "deliver" in listed
    for name, label in (("reminders", "写入案件期限提醒"), ("deliver", "发送通知")):
        done = run("jobs", "run", name, env=env)
        assert done.returncode == 0, done.stderr
        assert f"{label}：处理 0 条" in done.stdout


def test_cases_show_of_a_missing_case_is_one_clear_line(tmp_path):
    env = {"XINYONG_DATA_DIR": str(tmp_path)}
    assert run("init", env=env).returncode == 0
    assert_one_clear_line(run("cases", "show", "42", env=env), "案件不存在：42")


# --- the city policy folder: --policy-dir, else the setting -----------------------------


def test_catalog_validate_passes_on_the_city_fixture():
    result = run("catalog", "validate", "--policy-dir", str(CITY))
    assert result.returncode == 0, result.stderr
    assert "策略文件校验通过：21 个目录项" in result.stdout


def test_catalog_show_reads_the_policy_folder_setting():
    """No --policy-dir: the setting XINYONG_POLICY_DIR (read by config.Settings) decides."""
    shown = run("catalog", "show", "gjjjc", env={"XINYONG_POLICY_DIR": str(CITY)})
    assert shown.returncode == 0, shown.stderr
    assert "公积金缴存" in shown.stdout
    assert run("catalog", "show", "gjjjc").returncode == 1


def test_ingest_of_a_city_item_with_policy_dir(tmp_path):
    env = {"XINYONG_DATA_DIR": str(tmp_path / "data")}
    assert run("init", env=env).returncode == 0
    department = ("departments", "add", "gz-gjj", "广州住房公积金管理中心", "--region", "440100")
    assert run(*department, env=env).returncode == 0
    row = {"单位名称": "广州市某某科技有限公司", "统一社会信用代码": COMPANY_USCC}
    path = write_csv(tmp_path / "缴存.csv", [row | {"缴存年月": "2026-10-01", "缴存人数": "12"}])
    args = ("ingest", str(path), "--item", "gjjjc", "--department", "gz-gjj")
    assert_one_clear_line(run(*args, env=env), "信用信息目录中没有“gjjjc”")
    result = run(*args, "--policy-dir", str(CITY), env=env)
    assert result.returncode == 0, result.stderr
    assert "公积金缴存" in result.stdout and "新增" in result.stdout


def test_serve_refuses_a_broken_policy_dir_option(tmp_path):
    env = {"XINYONG_DATA_DIR": str(tmp_path / "data")}
    assert run("init", env=env).returncode == 0
    result = run("serve", "--port", "1", "--policy-dir", _bad_policy(tmp_path / "p"), env=env)
    assert_one_clear_line(result, "bad.yaml")


def test_applicants_issue_code_prints_a_code_once_and_refuses_an_unknown_subject(tmp_path):
    """issue 13: the operator issues an activation code; only its HMAC is stored."""
    from sqlalchemy import text

    from xinyong.config import Settings
    from xinyong.db import make_engine, session_factory, transaction
    from xinyong.policy.enums import SubjectType
    from xinyong.subjects.service import SubjectIn, register

    env = {"XINYONG_DATA_DIR": str(tmp_path / "data")}
    assert run("init", env=env).returncode == 0
    url = Settings(data_dir=tmp_path / "data").effective_database_url
    engine = make_engine(url)
    with transaction(session_factory(engine)) as session:
        register(
            session, SubjectIn(SubjectType.ENTERPRISE, "广州市某某科技有限公司", uscc=COMPANY_USCC)
        )
    issued = run(
        "applicants", "issue-code", "--uscc", COMPANY_USCC, "--purpose", "窗口核验", env=env
    )
    assert issued.returncode == 0, issued.stderr
    code = issued.stdout.split("激活码：")[1].split()[0]
    assert len(code) == 14 and code.count("-") == 2
    with engine.connect() as connection:
        stored = repr(connection.execute(text("SELECT * FROM activation_codes")).all())
    assert code.replace("-", "") not in stored and "cli" in stored
    unknown = run(
        "applicants", "issue-code", "--uscc", OTHER_USCC, "--purpose", "窗口核验", env=env
    )
    assert_one_clear_line(unknown, "未找到该信用主体")
