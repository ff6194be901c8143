"""Builders for collection tests: 行政处罚 rows keyed by the catalog's Chinese labels, files."""

from __future__ import annotations

import csv
from datetime import UTC, datetime
from pathlib import Path

from xinyong import codes

COMPANY_USCC = codes.make_uscc("91440106" + codes.make_org_code("MA5CXQ2B"))
OTHER_USCC = codes.make_uscc("91440104" + codes.make_org_code("MA9KL3T1"))
AUTHORITY_USCC = codes.make_uscc("11440100" + codes.make_org_code("00750012"))
ID_NUMBER = codes.make_id_number("44010619850712301")
# Received on Wednesday 2024-03-20 at 10:00 Beijing time.
RECEIVED = datetime(2024, 3, 20, 2, 0, tzinfo=UTC)


def penalty_row(**changes: str) -> dict[str, str]:
    """One valid 行政处罚 row keyed by the catalog's Chinese labels."""
    row = {
        "行政相对人名称": "广州市某某科技有限公司",
        "行政相对人类别": "法人及非法人组织",
        "统一社会信用代码": COMPANY_USCC,
        "法定代表人": "张三",
        "行政处罚决定书文号": "穗市监罚〔2024〕101号",
        "违法行为类型": "发布虚假广告",
        "违法事实": "经查，当事人发布虚假广告。",
        "处罚依据": "《中华人民共和国广告法》第五十五条",
        "处罚类别": "罚款",
        "处罚内容": "罚款人民币伍万元",
        "罚款金额（万元）": "5",
        "处罚决定日期": "2024-03-15",
        "处罚有效期": "2025-03-15",
        "处罚机关": "广州市市场监督管理局",
        "处罚机关统一社会信用代码": AUTHORITY_USCC,
        "数据来源单位": "广州市市场监督管理局",
        "数据来源单位统一社会信用代码": AUTHORITY_USCC,
    }
    row.update(changes)
    return row


def person_row(**changes: str) -> dict[str, str]:
    return penalty_row(
        **{
            "行政相对人名称": "李四",
            "行政相对人类别": "自然人",
            "统一社会信用代码": "",
            "法定代表人": "",
            "证件类型": "身份证",
            "证件号码": ID_NUMBER,
            "行政处罚决定书文号": "穗市监罚〔2024〕102号",
            **changes,
        }
    )


def write_csv(path: Path, rows: list[dict[str, str]], encoding: str = "utf-8") -> Path:
    headers = list(dict.fromkeys(key for row in rows for key in row))
    with path.open("w", encoding=encoding, newline="") as out:
        writer = csv.DictWriter(out, headers)
        writer.writeheader()
        writer.writerows(rows)
    return path
