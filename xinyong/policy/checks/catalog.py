"""Cross-checks of one catalog item against itself and the policy's code lists: references
between fields, columns, rules and code lists. Each problem names the place in the item's
YAML (a path) and the field."""

from __future__ import annotations

from collections.abc import Iterator

from xinyong.policy.checks.codelists import entry_names
from xinyong.policy.checks.problem import Problem, YamlPath
from xinyong.policy.schemas import (
    AmountAgreesWithTextRule,
    CatalogField,
    CatalogItem,
    CategoryFromCodeRule,
    CodeList,
    DateOrderRule,
    FieldType,
    IdentifierForSubjectTypeRule,
    NotFutureRule,
    Policy,
    RequiredIfRule,
    lookup_key,
)


def check_item(item: CatalogItem, policy: Policy) -> Iterator[Problem]:
    """Every problem in one item, in the order a reader meets them in the file."""
    codelists = policy.codelists
    yield from _check_fields(item, codelists)
    yield from _check_natural_key(item)
    yield from _check_columns(item, codelists)
    yield from _check_publication(item, codelists)
    yield from _check_timeliness(item)
    for i, rule in enumerate(item.rules):
        yield from _check_rule(item, codelists, rule, ("rules", i))


def _check_fields(item: CatalogItem, codelists: dict[str, CodeList]) -> Iterator[Problem]:
    codes: set[str] = set()
    names: dict[str, str] = {}
    for i, field in enumerate(item.fields):
        at = ("fields", i)
        if field.code in codes:
            yield Problem((*at, "code"), f"duplicate field code '{field.code}'", field.code)
        codes.add(field.code)
        for key, name in entry_names(field.code, field.label, field.aliases):
            other = names.setdefault(lookup_key(name), field.code)
            if other != field.code:
                yield Problem((*at, key), f"'{name}' also names field '{other}'", field.code)
        yield from _check_field_codelist(field, codelists, at)
        yield from _check_field_extras(item, field, at)


def _check_field_extras(item: CatalogItem, field: CatalogField, at: YamlPath) -> Iterator[Problem]:
    if field.unit and field.type not in (FieldType.DECIMAL, FieldType.INTEGER):
        yield Problem((*at, "unit"), "'unit' needs a decimal or integer field", field.code)
    if field.open_end and field.type is not FieldType.DATE:
        yield Problem((*at, "open_end"), "'open_end' needs a date field", field.code)
    if field.superseded_by and not item.has_field(field.superseded_by):
        yield Problem((*at, "superseded_by"), f"unknown field '{field.superseded_by}'", field.code)


def _check_field_codelist(
    field: CatalogField, codelists: dict[str, CodeList], at: YamlPath
) -> Iterator[Problem]:
    if field.type is FieldType.CODELIST:
        if not field.codelist:
            yield Problem((*at, "codelist"), "type codelist needs 'codelist'", field.code)
        elif field.codelist not in codelists:
            yield Problem((*at, "codelist"), f"unknown codelist '{field.codelist}'", field.code)
    elif field.codelist or field.multiple:
        yield Problem((*at, "type"), "'codelist'/'multiple' need type codelist", field.code)


def _check_natural_key(item: CatalogItem) -> Iterator[Problem]:
    for i, code in enumerate(item.natural_key):
        if not item.has_field(code):
            yield Problem(("natural_key", i), f"natural key names unknown field '{code}'", code)


def _check_columns(item: CatalogItem, codelists: dict[str, CodeList]) -> Iterator[Problem]:
    for column, code in item.columns.field_refs().items():
        if not item.has_field(code):
            at = ("columns", column, "field") if column == "subject_type" else ("columns", column)
            yield Problem(at, f"column {column} names unknown field '{code}'", code)
    if item.registration is not None:
        yield from _check_registration(item)
    subject_type = item.columns.subject_type
    for kind in {*subject_type.mapping.values(), subject_type.default} - {None}:
        if kind not in item.subject_types:
            yield Problem(("columns", "subject_type"), f"'{kind}' is not in subject_types")
    if subject_type.field and item.has_field(subject_type.field):
        for key in subject_type.mapping:
            yield from _check_value(
                item, codelists, subject_type.field, key, ("columns", "subject_type", "mapping")
            )
    elif not subject_type.default:
        yield Problem(("columns", "subject_type"), "needs 'field' or 'default'")


def _check_registration(item: CatalogItem) -> Iterator[Problem]:
    registration = item.registration
    assert registration is not None
    for role, code in registration.field_refs().items():
        if not item.has_field(code):
            yield Problem(("registration", role), f"registration {role} names unknown field", code)
    status = registration.status
    if status and item.has_field(status) and item.field(status).codelist != "registration_status":
        yield Problem(("registration", "status"), "status needs a registration_status field")


def _check_value(
    item: CatalogItem, codelists: dict[str, CodeList], code: str, value: str, at: YamlPath
) -> Iterator[Problem]:
    """`value` must be a code or label of the code list behind field `code`."""
    if not item.has_field(code):
        yield Problem(at, f"unknown field '{code}'", code)
        return
    field = item.field(code)
    codelist = codelists.get(field.codelist or "")
    if field.type is not FieldType.CODELIST or codelist is None:
        yield Problem(at, f"field '{code}' is not a codelist field", code)
    elif codelist.resolve(value) is None:
        yield Problem(at, f"'{value}' is not in codelist '{codelist.name}'", code)


def _check_date_field(item: CatalogItem, code: str | None, at: YamlPath) -> Iterator[Problem]:
    if code is None:
        return
    if not item.has_field(code):
        yield Problem(at, f"unknown field '{code}'", code)
    elif item.field(code).type is not FieldType.DATE:
        yield Problem(at, f"field '{code}' is not a date", code)


def _check_publication(item: CatalogItem, codelists: dict[str, CodeList]) -> Iterator[Problem]:
    rule = item.publication
    at: YamlPath = ("publication",)
    needs = {
        "severity": ("general", "serious"),
        "while_valid": ("until_field",),
        "fixed": ("window",),
        "until_removed": (),
    }[rule.kind]
    for key in needs:
        if getattr(rule, key) is None:
            yield Problem(at, f"publication kind {rule.kind} needs '{key}'")
    yield from _check_date_field(item, rule.until_field, (*at, "until_field"))
    for name in ("not_published_when_only", "invalid_when"):
        condition = getattr(rule, name)
        for i, value in enumerate(condition.values if condition else ()):
            path = (*at, name, "values", i)
            yield from _check_value(item, codelists, condition.field, value, path)


def _check_timeliness(item: CatalogItem) -> Iterator[Problem]:
    rule = item.timeliness
    if rule is None:
        return
    key = "days" if rule.kind == "working_days" else "day"
    if getattr(rule, key) is None:
        yield Problem(("timeliness",), f"timeliness kind {rule.kind} needs '{key}'")
    if item.columns.decision_date is None:
        yield Problem(("timeliness",), "timeliness counts from columns.decision_date: name it")


def _check_rule(
    item: CatalogItem, codelists: dict[str, CodeList], rule: object, at: YamlPath
) -> Iterator[Problem]:
    if isinstance(rule, DateOrderRule):
        yield from _check_date_field(item, rule.before, (*at, "before"))
        yield from _check_date_field(item, rule.after, (*at, "after"))
    elif isinstance(rule, NotFutureRule):
        yield from _check_date_field(item, rule.field, (*at, "field"))
    elif isinstance(rule, RequiredIfRule):
        if not item.has_field(rule.field):
            yield Problem((*at, "field"), f"unknown field '{rule.field}'", rule.field)
        yield from _check_value(
            item, codelists, rule.when.field, rule.when.contains, (*at, "when", "contains")
        )
    elif isinstance(rule, IdentifierForSubjectTypeRule):
        yield from _check_identifier_rule(item, codelists, rule, at)
    elif isinstance(rule, AmountAgreesWithTextRule):
        for key in ("field", "text_field"):
            code = getattr(rule, key)
            if not item.has_field(code):
                yield Problem((*at, key), f"unknown field '{code}'", code)
    elif isinstance(rule, CategoryFromCodeRule):
        yield from _check_category_rule(item, codelists, rule, at)


def _check_category_rule(
    item: CatalogItem, codelists: dict[str, CodeList], rule: CategoryFromCodeRule, at: YamlPath
) -> Iterator[Problem]:
    for key in ("uscc_field", "id_number_field"):
        code = getattr(rule, key)
        if code and not item.has_field(code):
            yield Problem((*at, key), f"unknown field '{code}'", code)
    labels: list[tuple[YamlPath, str]] = [(("uscc_default",), rule.uscc_default)]
    labels += [(("by_uscc_prefix", p), v) for p, v in rule.by_uscc_prefix.items()]
    if rule.id_number:
        labels.append((("id_number",), rule.id_number))
    for where, label in labels:
        yield from _check_value(item, codelists, rule.field, label, (*at, *where))


def _check_identifier_rule(
    item: CatalogItem,
    codelists: dict[str, CodeList],
    rule: IdentifierForSubjectTypeRule,
    at: YamlPath,
) -> Iterator[Problem]:
    for i, ident in enumerate(rule.identifiers):
        here = (*at, "identifiers", i)
        for j, kind in enumerate(ident.when):
            yield from _check_value(item, codelists, rule.type_field, kind, (*here, "when", j))
        if not item.has_field(ident.field):
            yield Problem((*here, "field"), f"unknown field '{ident.field}'", ident.field)
        if ident.document_types and not ident.document_type_field:
            yield Problem((*here, "document_types"), "needs 'document_type_field'")
        for j, doc in enumerate(ident.document_types):
            yield from _check_value(
                item, codelists, ident.document_type_field or "", doc, (*here, "document_types", j)
            )
