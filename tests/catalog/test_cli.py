from typer.testing import CliRunner

from xinyong.catalog.cli import catalog_app
from xinyong.policy import SHIPPED_DIR

runner = CliRunner()


def test_list_shows_every_item():
    result = runner.invoke(catalog_app, ["list"])
    assert result.exit_code == 0
    assert "xzcf" in result.output and "行政处罚" in result.output and "公开" in result.output


def test_show_prints_fields_and_sources():
    result = runner.invoke(catalog_app, ["show", "行政处罚"])
    assert result.exit_code == 0
    assert "cf_wsh" in result.output and "第36号" in result.output


def test_show_unknown_item():
    result = runner.invoke(catalog_app, ["show", "nope"])
    assert result.exit_code == 1 and "信用信息目录中没有“nope”" in result.output


def test_validate_reports_the_item_count():
    result = runner.invoke(catalog_app, ["validate"])
    assert result.exit_code == 0 and "策略文件校验通过：20 个目录项" in result.output


def test_validate_broken_folder_prints_one_line_and_exits_1(tmp_path):
    xzcf = (SHIPPED_DIR / "catalog" / "xzcf.yaml").read_text(encoding="utf-8")
    (tmp_path / "catalog").mkdir()
    (tmp_path / "catalog" / "xzcf.yaml").write_text(
        xzcf.replace("codelist: penalty_category", "codelist: nope"), encoding="utf-8"
    )
    result = runner.invoke(catalog_app, ["validate", "--policy-dir", str(tmp_path)])
    assert result.exit_code == 1
    assert result.output.count("\n") == 1 and "Traceback" not in result.output
    assert "field cf_cflb: unknown codelist 'nope'" in result.output
