from pathlib import Path

import pytest

from tests.fixtures import CITY
from xinyong.errors import PolicyError
from xinyong.policy import SHIPPED_DIR, load_policy, use_policy
from xinyong.policy.schemas import Category, Duration

XZCF = (SHIPPED_DIR / "catalog" / "xzcf.yaml").read_text(encoding="utf-8")

TEN_PUBLICITY_KINDS = ["xzqz", "xzqr", "xzzs", "xzgf", "xzcj", "xzbc", "xzjl", "xzjc"]


def _city(tmp_path: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return tmp_path


def _error(tmp_path: Path, files: dict[str, str]) -> str:
    with pytest.raises(PolicyError) as caught:
        load_policy(_city(tmp_path, files))
    message = str(caught.value)
    assert "\n" not in message
    return message


# --- the shipped policy -----------------------------------------------------------------


def test_shipped_policy_loads_every_item():
    policy = load_policy()
    assert set(policy.items) == {
        "xzxk",
        "xzcf",
        *TEN_PUBLICITY_KINDS,
        "sxbzxr",
        "yzsxmd",
        "nsxyA",
        "shtzxy",
        "xycn",
        "wfcn",  # 违背信用承诺 (xinyong.commitments)
        *REGISTRATION_SOURCES,
    }
    assert list(policy.items)[:2] == ["xzxk", "xzcf"]


REGISTRATION_SOURCES = ("scztdj", "shzzdj", "sydwdj", "jgdj")


def test_registration_sources_are_the_items_that_create_subjects():
    """Issue 15: 市场主体、社会组织、事业单位、机关 registration records create and update subjects;
    every other item only links to them."""
    policy = load_policy()
    registering = {code for code, item in policy.items.items() if item.registration}
    assert registering == set(REGISTRATION_SOURCES)
    for code in REGISTRATION_SOURCES:
        item = policy.items[code]
        assert item.natural_key == ["dj_shxym"]  # one record per subject, versioned
        assert item.registration is not None and item.registration.status == "dj_djzt"
        assert item.field("dj_djzt").codelist == "registration_status"


def test_default_load_is_cached():
    assert load_policy() is load_policy()


def test_every_rule_and_period_names_its_source():
    for item in load_policy().items.values():
        assert item.publication.source.strip(), item.code
        if item.timeliness is not None:
            assert item.timeliness.source.strip(), item.code
        for rule in item.rules:
            assert rule.source.strip(), (item.code, rule)


def test_double_publicity_fields_follow_the_national_standard():
    """双公示 data standard (2021): the decision number and date codes of both items."""
    policy = load_policy()
    xzcf, xzxk = policy.items["xzcf"], policy.items["xzxk"]
    assert {"cf_wsh", "cf_cflb", "cf_nr_fk", "cf_jdrq", "cf_cfjgdm", "cf_sjlydm"} <= set(
        xzcf.field_codes
    )
    assert {"xk_wsh", "xk_xklb", "xk_yxqz", "xk_yxqzi", "xk_zt", "xk_lydwdm"} <= set(
        xzxk.field_codes
    )
    assert xzcf.field("cf_nr_fk").unit == "万元"
    assert not xzcf.field("cf_xdr_zjhm").public and not xzcf.field("cf_fr_zjhm").public


def test_penalty_categories_follow_administrative_penalty_law_article_9():
    """《行政处罚法》（2021）第九条: the kinds of administrative penalty."""
    codelist = load_policy().codelist("penalty_category")
    assert [e.label for e in codelist.entries] == [
        "警告",
        "通报批评",
        "罚款",
        "没收违法所得",
        "没收非法财物",
        "暂扣许可证件",
        "降低资质等级",
        "吊销许可证件",
        "限制开展生产经营活动",
        "责令停产停业",
        "责令关闭",
        "限制从业",
        "行政拘留",
        "其他行政处罚",
    ]
    assert "第九条" in (codelist.source or "")


def test_xzcf_publication_windows_follow_ndrc_credit_repair_order():
    """国家发展改革委令第36号《信用修复管理办法》(after 第58号令): minor not published; general
    3 months to 1 year; serious 1 to 3 years."""
    rule = load_policy().items["xzcf"].publication
    assert rule.kind == "severity" and "第36号" in rule.source and "第58号" in rule.source
    assert rule.minor is not None and not rule.minor.publish
    assert rule.general == _window("3 months", "1 year")
    assert rule.serious == _window("1 year", "3 years")
    assert rule.not_published_when_only is not None
    assert rule.not_published_when_only.values == ["警告", "通报批评"]


def _window(low: str, high: str) -> object:
    from xinyong.policy.schemas import Window

    return Window.model_validate({"min": low, "max": high})


def test_double_publicity_due_within_7_working_days():
    """信阳市方案 二（二）3 and the national 双公示 rule: 7 working days from the decision."""
    for code in ("xzxk", "xzcf"):
        rule = load_policy().items[code].timeliness
        assert rule is not None and (rule.kind, rule.days) == ("working_days", 7)


def test_eight_further_kinds_due_by_the_25th_of_next_month():
    """信阳市方案 二（二）3: the eight further kinds are published monthly before the 25th."""
    for code in TEN_PUBLICITY_KINDS:
        item = load_policy().items[code]
        assert item.category is Category.OTHER_ADMINISTRATIVE
        assert item.timeliness is not None
        assert (item.timeliness.kind, item.timeliness.day) == ("monthly", 25)


def test_court_tax_and_commitment_items_have_no_timeliness_rule():
    items = load_policy().items
    assert all(items[code].timeliness is None for code in ("sxbzxr", "nsxyA", "xycn"))


def test_duration_reads_plain_english():
    assert Duration.model_validate("3 months") == Duration(amount=3, unit="month")
    assert Duration.model_validate("1 year").label == "1年"


# --- broken policy folders --------------------------------------------------------------


def test_unknown_field_type_names_file_line_item_and_field(tmp_path):
    before = "type: date\n    required: true\n  - code: cf_yxq"
    broken = XZCF.replace(before, before.replace("date", "datee", 1))
    message = _error(tmp_path, {"catalog/xzcf.yaml": broken})
    assert message.startswith(f"{tmp_path}/catalog/xzcf.yaml:")
    assert message.endswith("item xzcf, field cf_jdrq: unknown type 'datee'")
    line = int(message.split(":")[1])
    assert "type: datee" in broken.splitlines()[line - 1]


def test_unknown_key_is_a_typo_not_ignored(tmp_path):
    broken = XZCF.replace("    public: false\n", "    publik: false\n", 1)
    message = _error(tmp_path, {"catalog/xzcf.yaml": broken})
    assert message.endswith("item xzcf, field cf_fr_zjlx: unknown key 'publik'")


def test_natural_key_must_name_existing_fields(tmp_path):
    broken = XZCF.replace("natural_key: [cf_wsh,", "natural_key: [cf_wenshuhao,")
    message = _error(tmp_path, {"catalog/xzcf.yaml": broken})
    assert "item xzcf, field cf_wenshuhao: natural key names unknown field" in message


def test_codelist_reference_must_exist(tmp_path):
    broken = XZCF.replace("codelist: penalty_category", "codelist: penalty_kinds")
    message = _error(tmp_path, {"catalog/xzcf.yaml": broken})
    assert message.endswith("item xzcf, field cf_cflb: unknown codelist 'penalty_kinds'")


def test_column_mapping_must_name_existing_field(tmp_path):
    broken = XZCF.replace("  amount: cf_nr_fk", "  amount: cf_fk")
    message = _error(tmp_path, {"catalog/xzcf.yaml": broken})
    assert "field cf_fk: column amount names unknown field 'cf_fk'" in message


def test_rule_value_must_be_in_the_codelist(tmp_path):
    broken = XZCF.replace("contains: 罚款}", "contains: 罚没}")
    message = _error(tmp_path, {"catalog/xzcf.yaml": broken})
    assert "field cf_cflb: '罚没' is not in codelist 'penalty_category'" in message


def test_labels_and_aliases_unique_within_an_item(tmp_path):
    broken = XZCF.replace(
        "aliases: [违法行为, 案由, 处罚事由]", "aliases: [违法行为, 案由, 决定书文号]"
    )
    message = _error(tmp_path, {"catalog/xzcf.yaml": broken})
    assert "item xzcf, field cf_wfxw: '决定书文号' also names field 'cf_wsh'" in message


def test_bad_yaml_syntax_gives_file_and_line(tmp_path):
    broken = XZCF.replace("  - code: cf_wfxw\n", "  - code: cf_wfxw\n   oops: [\n")
    message = _error(tmp_path, {"catalog/xzcf.yaml": broken})
    assert message.startswith(f"{tmp_path}/catalog/xzcf.yaml:") and "bad YAML" in message


def test_duplicate_item_code_in_one_folder(tmp_path):
    message = _error(tmp_path, {"catalog/xzcf.yaml": XZCF, "catalog/xzcf_copy.yaml": XZCF})
    assert "xzcf_copy.yaml" in message and "item xzcf: item code also defined in" in message


def test_duplicate_code_in_a_codelist(tmp_path):
    codelists = "codelists:\n  - name: penalty_category\n    label: 处罚类别\n    entries:\n"
    codelists += "      - {code: fine, label: 罚款}\n      - {code: fine2, label: 罚款}\n"
    message = _error(tmp_path, {"codelists.yaml": codelists})
    assert message.startswith(f"{tmp_path}/codelists.yaml:6: codelist penalty_category:")


def test_missing_policy_folder(tmp_path):
    with pytest.raises(PolicyError, match="policy folder not found"):
        load_policy(tmp_path / "nowhere")


# --- a city's folder on top of the shipped policy --------------------------------------


def test_active_overlay_adds_an_item():
    """tests/fixtures/city adds 公积金缴存; `load_policy()` serves the folder `use_policy` set."""
    use_policy(CITY)
    policy = load_policy()
    assert policy.items["gjjjc"].name == "公积金缴存"
    assert "xzcf" in policy.items and "gjjjc" not in load_policy(SHIPPED_DIR).items


def test_active_overlay_replaces_an_item_by_code(tmp_path):
    city = XZCF.replace("name: 行政处罚\n", "name: 行政处罚（本市）\n")
    use_policy(_city(tmp_path, {"catalog/penalties.yaml": city}))
    policy = load_policy()
    assert policy.items["xzcf"].name == "行政处罚（本市）"
    assert (
        len(policy.items) == len(load_policy(tmp_path).items) == len(load_policy(SHIPPED_DIR).items)
    )
    assert policy.sources["xzcf"].endswith("penalties.yaml")


def test_city_codelist_replaces_the_shipped_one(tmp_path):
    codelists = "codelists:\n  - name: license_category\n    label: 许可类别\n    entries:\n"
    codelists += "      - {code: general, label: 普通}\n      - {code: other, label: 其他}\n"
    policy = load_policy(_city(tmp_path, {"codelists.yaml": codelists}))
    assert [e.code for e in policy.codelist("license_category").entries] == ["general", "other"]


# --- lists and measures -------------------------------------------------------------------


def test_shipped_lists_and_measures_load():
    policy = load_policy()
    assert set(policy.list_types) == {
        "serious_dishonesty",
        "a_taxpayer",
        "contract_abiding",
        "commitment_breach",  # 重点关注: 违背信用承诺 (国办发〔2019〕35号)
    }
    assert policy.list_types["serious_dishonesty"].procedure.item == "yzsxmd"
    assert {m.kind for m in policy.measures.values()} == {"punishment", "incentive"}


def test_punishment_measure_without_legal_basis_is_refused(tmp_path):
    """依法依规、依清单惩戒 (国办发〔2020〕49号): a punishment needs a law and its article."""
    measures = (SHIPPED_DIR / "measures.yaml").read_text(encoding="utf-8")
    broken = measures.replace(
        "    legal_basis: {law: 《中华人民共和国政府采购法》, article: 第二十二条, "
        "verified: true}\n",
        "",
        1,
    )
    assert broken != measures
    message = _error(tmp_path, {"measures.yaml": broken})
    assert "measures.yaml:" in message and "legal basis" in message


def test_punishment_measure_with_a_law_but_no_article_is_refused(tmp_path):
    measures = (SHIPPED_DIR / "measures.yaml").read_text(encoding="utf-8")
    broken = measures.replace(", article: 第二十二条,", ",", 1)
    assert "legal basis" in _error(tmp_path, {"measures.yaml": broken})


def test_measure_for_an_unknown_list_type_is_refused(tmp_path):
    measures = (SHIPPED_DIR / "measures.yaml").read_text(encoding="utf-8")
    broken = measures.replace("list_types: [serious_dishonesty]", "list_types: [nope]", 1)
    assert "unknown list type 'nope'" in _error(tmp_path, {"measures.yaml": broken})


def test_list_type_of_an_unknown_item_is_refused(tmp_path):
    lists = (SHIPPED_DIR / "lists.yaml").read_text(encoding="utf-8")
    broken = lists.replace("items: [nsxyA]", "items: [nope]", 1)
    assert "unknown catalog item 'nope'" in _error(tmp_path, {"lists.yaml": broken})


def test_an_item_on_both_a_red_and_a_black_list_is_refused(tmp_path):
    """lists.yaml alone says what is 守信激励 and what 失信惩戒: one item cannot be both."""
    lists = (SHIPPED_DIR / "lists.yaml").read_text(encoding="utf-8")
    broken = lists.replace("[yzsxmd, sxbzxr]", "[yzsxmd, sxbzxr, xzjl]", 1)
    broken = broken.replace("items: [nsxyA]", "items: [nsxyA, xzjl]", 1)
    message = _error(tmp_path, {"lists.yaml": broken})
    assert "lists.yaml:" in message and "'xzjl' is already on the black list" in message


def test_a_red_list_of_a_dishonesty_item_is_refused(tmp_path):
    lists = (SHIPPED_DIR / "lists.yaml").read_text(encoding="utf-8")
    broken = lists.replace("items: [shtzxy]", "items: [yzsxmd]", 1)
    assert "a red list cannot hold 'yzsxmd' (失信惩戒)" in _error(tmp_path, {"lists.yaml": broken})


def test_a_city_may_put_any_other_item_on_a_red_list(tmp_path):
    lists = (SHIPPED_DIR / "lists.yaml").read_text(encoding="utf-8")
    policy = load_policy(_city(tmp_path, {"lists.yaml": lists.replace("[shtzxy]", "[xzjl]", 1)}))
    assert policy.list_types["contract_abiding"].items == ["xzjl"]
