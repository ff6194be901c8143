"""tests/fixtures/city, a city's policy folder on top of the shipped one: each of its changes
takes effect, and a server built with `Settings(policy_dir=...)` serves that folder."""

import csv
import io

from fastapi.testclient import TestClient

from tests.factories import sign_in
from tests.fixtures import CITY
from xinyong.app import create_app
from xinyong.auth.models import Role
from xinyong.catalog.service import resolve_header
from xinyong.policy import SHIPPED_DIR, active_policy_dir, load_policy


def test_the_city_adds_an_item():
    city, shipped = load_policy(CITY), load_policy(SHIPPED_DIR)
    assert "gjjjc" not in shipped.items
    item = city.items["gjjjc"]
    assert (item.name, item.disclosure.value) == ("公积金缴存", "shared")
    assert city.sources["gjjjc"].endswith("city/catalog/gjjjc.yaml")
    assert set(city.items) == {*shipped.items, "gjjjc"}


def test_the_citys_variant_of_a_shipped_item_replaces_it_by_code():
    city, shipped = load_policy(CITY).items["xzcf"], load_policy(SHIPPED_DIR).items["xzcf"]
    assert (city.name, shipped.name) == ("行政处罚（本市）", "行政处罚")
    assert load_policy(CITY).sources["xzcf"].endswith("city/catalog/penalties.yaml")
    assert city.field("cf_wfxw").label == "违法行为名称"
    assert shipped.field("cf_wfxw").label == "违法行为类型"
    assert city.field_codes == shipped.field_codes
    # The national label stays an alias: files in the national template still read.
    for header in ("违法行为名称", "违法行为类型"):
        found = resolve_header(city, header)
        assert found is not None and found.code == "cf_wfxw"


def test_the_citys_code_list_replaces_the_shipped_one_for_shipped_items_too():
    city, shipped = load_policy(CITY), load_policy(SHIPPED_DIR)
    assert city.codelist("inspection_method").resolve("分类检查") == "credit_risk"
    assert shipped.codelist("inspection_method").resolve("分类检查") is None
    inspections = city.items["xzjc"]  # a shipped item using the list
    assert inspections.codelists["inspection_method"].label_of("credit_risk") == "信用风险分类检查"


def test_the_city_adds_a_holiday_year():
    assert load_policy(SHIPPED_DIR).holidays == {}
    (year,) = load_policy(CITY).holidays.values()
    assert year.year == 2027 and not year.verified and "测试用" in year.source


def test_an_app_made_with_a_policy_dir_serves_that_folder(sessions, session, settings):
    """The process settings name no folder (XINYONG_POLICY_DIR unset); the app's do. Before,
    such an app validated its folder and then its services served the shipped policy."""
    assert settings.policy_dir is None and active_policy_dir() is None
    app = create_app(settings.model_copy(update={"policy_dir": CITY}))
    assert active_policy_dir() == CITY
    with TestClient(app) as client:
        market = ("gz-gjj", "广州住房公积金管理中心")
        sign_in(client, session, Role.DATA_PROVIDER, market, "刘敏")
        assert "公积金缴存" in client.get("/admin/collection").text
        template = client.get("/admin/collection/templates/gjjjc.csv")
        assert template.status_code == 200
        assert _header(template.content) == ["单位名称", "统一社会信用代码", "缴存年月", "缴存人数"]
        penalty = _header(client.get("/admin/collection/templates/xzcf.csv").content)
        assert "违法行为名称" in penalty and "违法行为类型" not in penalty


def test_an_app_without_a_policy_dir_serves_the_shipped_policy(client, session):
    sign_in(client, session, Role.DATA_PROVIDER, ("gz-gjj", "广州住房公积金管理中心"), "刘敏")
    assert client.get("/admin/collection/templates/gjjjc.csv").status_code == 404


def _header(content: bytes) -> list[str]:
    return next(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
