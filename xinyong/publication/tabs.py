"""A subject's archive in tabs (信用档案分栏) and one record's page, as a viewer may see them.

Every tab's count comes from one grouped query (`counts_by_item`) and only the open tab's page
of records is read, through `visible_records` like everything the public sees."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy.orm import Session

from xinyong.auth.principal import Principal
from xinyong.catalog import list_items
from xinyong.policy import load_policy
from xinyong.policy.schemas import Category
from xinyong.publication.archive import SubjectCard, subject_card
from xinyong.publication.display import ShownField
from xinyong.publication.service import (
    Badge,
    RecordQuery,
    ShownRecord,
    badges,
    counts_by_item,
    get_record,
    visible_records,
)
from xinyong.subjects import profiles
from xinyong.subjects.models import SubjectProfile

PER_PAGE = 20
# What a record's card shows before 全部公示内容: the item's own columns (catalog `columns:`)
# for the decision's number, the deciding authority and the amount, so that a phone shows 20
# short cards, not 20 full records.
SUMMARY_COLUMNS = ("document_number", "authority_name", "amount")


@dataclass(frozen=True)
class Tab:
    """One tab: its slug in the URL (`?tab=xzcf`), its label, the catalog categories whose
    records it shows (none: 基本信息, the subject itself)."""

    slug: str
    label: str
    categories: frozenset[Category] = frozenset()
    cards: bool = True  # shows its records as cards (基本信息 shows the registry instead)

    @property
    def has_records(self) -> bool:
        return self.cards and bool(self.categories)

    @property
    def in_url(self) -> bool:
        """基本信息 is the archive's own address; every other tab is `?tab=<slug>`."""
        return self is not BASIC


# 基本信息 is what the subject's registration records (登记信息) say, from the registry: the
# records themselves open from it on their record page (to object to one, say).
BASIC = Tab("jbxx", "基本信息", frozenset({Category.REGISTRATION}), cards=False)
# The tabs of 信用中国's 信用档案 (www.creditchina.gov.cn), each holding the catalog categories
# of 全国公共信用信息基础目录 that our catalog items declare (`category:` in policy/catalog/): a
# city's new item lands in its category's tab. tests/publication/test_tabs.py checks that
# every category has one tab.
TABS: tuple[Tab, ...] = (
    BASIC,
    Tab("xzxk", "行政许可", frozenset({Category.LICENSE})),
    Tab("xzcf", "行政处罚", frozenset({Category.PENALTY})),
    Tab("sxjl", "守信激励", frozenset({Category.TRUST_INCENTIVE})),
    Tab("sxcj", "失信惩戒", frozenset({Category.DISHONESTY_DISCIPLINE})),
    Tab("xycn", "信用承诺", frozenset({Category.COMMITMENT})),
    Tab("sfxx", "司法信息", frozenset({Category.JUDICIAL})),
    Tab("qt", "其他", frozenset({Category.OTHER_ADMINISTRATIVE})),
)
_BY_SLUG = {tab.slug: tab for tab in TABS}
_BY_CATEGORY = {category: tab for tab in TABS for category in tab.categories}
# 信用评价: a tab of no records, shown only when the subject has a public grade (a model's
# `visible_to.public`); the page asks `evaluation.published`, which lies above publication.
EVALUATION = Tab("xypj", "信用评价", cards=False)


def tab_named(slug: str, more: tuple[Tab, ...] = ()) -> Tab | None:
    """The tab of a URL's `tab` value among the archive's and `more` (the tabs the page adds);
    an empty value is 基本信息, an unknown one None."""
    slug = slug.strip() or BASIC.slug
    return _BY_SLUG.get(slug) or next((t for t in more if t.slug == slug), None)


def tab_of(category: Category) -> Tab:
    return _BY_CATEGORY[category]


@dataclass(frozen=True)
class TabCount:
    tab: Tab
    count: int | None  # records in it; None for 基本信息


@dataclass(frozen=True)
class RecordCard:
    record: ShownRecord
    summary: list[ShownField]  # a few fields shown at once; all of them behind 全部公示内容


@dataclass(frozen=True)
class ArchivePage:
    subject: SubjectCard
    badges: list[Badge]
    tabs: list[TabCount]
    tab: Tab  # the open tab
    records: list[ShownRecord]  # its page of records
    page: int
    pages: int
    total: int  # records in the open tab

    @property
    def cards(self) -> list[RecordCard]:
        return [RecordCard(r, summary(r)) for r in self.records]


def archive_page(
    session: Session,
    viewer: Principal,
    subject_id: int,
    tab: Tab = BASIC,
    page: int = 1,
    as_of: datetime | date | None = None,
    more: tuple[Tab, ...] = (),
) -> ArchivePage:
    """The subject, its badges, every tab's count (`more`, the tabs the page adds, after them)
    and page `page` of the open tab's records, newest decision first; a page past the last is
    empty (the page says so)."""
    card = subject_card(session, viewer, subject_id)
    marks = badges(session, viewer, [subject_id], as_of)[subject_id]
    per_item = counts_by_item(session, viewer, RecordQuery(subject_id=subject_id), as_of)
    items = {item.code: item for item in list_items(load_policy())}
    per_tab = {t: 0 for t in TABS if t.has_records}
    for item_code, count in per_item.items():
        if (counted := tab_of(items[item_code].category)) in per_tab:
            per_tab[counted] += count
    total = per_tab.get(tab, 0)
    records: list[ShownRecord] = []
    offset = (page - 1) * PER_PAGE
    if tab.has_records and offset < total:
        codes = [code for code, item in items.items() if item.category in tab.categories]
        query = RecordQuery(subject_id=subject_id, item_codes=codes, limit=PER_PAGE, offset=offset)
        records = visible_records(session, viewer, query, as_of).records
    return ArchivePage(
        subject=card,
        badges=[badge for badge in Badge if badge in marks],
        tabs=[TabCount(t, per_tab.get(t)) for t in TABS] + [TabCount(t, None) for t in more],
        tab=tab,
        records=records,
        page=page,
        pages=max(1, -(-total // PER_PAGE)),
        total=total,
    )


@dataclass(frozen=True)
class RecordDetail:
    record: ShownRecord
    subject: SubjectCard
    tab: Tab  # where the record is listed in its subject's archive


def record_detail(session: Session, viewer: Principal, record_id: int) -> RecordDetail:
    """One record with its subject; an unknown and a hidden record are the same NotFound
    (`get_record`), so ids cannot be probed."""
    record = get_record(session, viewer, record_id)
    subject = subject_card(session, viewer, record.subject_id)
    return RecordDetail(record, subject, tab_of(record.item.category))


def summary(record: ShownRecord) -> list[ShownField]:
    """The fields of `record` that its item names as its number, authority and amount (as far
    as the viewer sees them), else its first three."""
    columns = record.item.columns
    codes = {getattr(columns, name) for name in SUMMARY_COLUMNS} - {None}
    return [f for f in record.fields if f.code in codes] or record.fields[:3]


@dataclass(frozen=True)
class Registry:
    """基本信息 from the registry: what the latest registration record says, the earlier names
    (曾用名) and the changes, newest first. Shown only for a subject the viewer may find."""

    profile: SubjectProfile | None
    former_names: list[str]
    changes: list[profiles.Change]
    # As of a past day: the value each field changed since had then (text, as changes keep it).
    then: dict[str, str | None] = field(default_factory=dict)

    @staticmethod
    def shown(change: profiles.Change) -> tuple[str | None, str | None]:
        return profiles.shown(change)


def registry_of(session: Session, card: SubjectCard, day: date | None = None) -> Registry:
    """Three reads: the profile, the name history, the recorded changes; with `day`, the
    changes made by then and the values fields changed since had then."""
    history = profiles.history(session, card.id)
    then: dict[str, str | None] = {}
    if day is not None:
        history, then = profiles.as_it_was(history, day)
    former = list(dict.fromkeys(c.old for c in history if c.field == "name" and c.old))
    current = card.name
    return Registry(
        profiles.profile(session, card.id), [n for n in former if n != current], history, then
    )
