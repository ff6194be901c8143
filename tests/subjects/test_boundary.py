"""The registry owns its tables and its secrets (issue 12 item 4): no module outside
xinyong/subjects imports the personal-data module, touches the encrypted ID number, or writes
the subjects, subject_identifiers or subject_names tables. Migrations own the schema and are
left out; the scanner is first shown to catch each kind of breach."""

import ast
import re
from pathlib import Path

import pytest

import xinyong

PACKAGE = Path(xinyong.__file__).parent
OWNER = PACKAGE / "subjects"
MODELS = {"Subject", "SubjectIdentifier", "SubjectName"}
SECRET_ATTRIBUTES = {"id_number_cipher", "id_number_hash"}
# Columns only a subject has: assigning one is writing the registry.
SUBJECT_COLUMNS = {"name_key", "id_number_cipher", "id_number_hash", "id_number_masked"}
WRITERS = {"insert", "update", "delete"}
RAW_WRITE = re.compile(
    r"\b(insert\s+into|update|delete\s+from)\s+\"?(subjects|subject_identifiers|subject_names)\b",
    re.IGNORECASE,
)


def _names_model(node: ast.expr) -> bool:
    """`Subject` or `table_of(Subject)` (any of the registry's models)."""
    if isinstance(node, ast.Name):
        return node.id in MODELS
    if isinstance(node, ast.Attribute):
        return node.attr in MODELS
    if isinstance(node, ast.Call) and node.args:
        return _names_model(node.args[0])
    return False


def _callee(node: ast.Call) -> str | None:
    func = node.func
    return func.id if isinstance(func, ast.Name) else getattr(func, "attr", None)


def breaches(source: str) -> list[str]:
    """What in `source` reaches past the registry, one line each."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.ImportFrom) and node.module:
            names = {alias.name for alias in node.names}
            if node.module == "xinyong.subjects.pii" or (
                node.module == "xinyong.subjects" and "pii" in names
            ):
                found.append(f"{node.lineno}: imports xinyong.subjects.pii")
        elif isinstance(node, ast.Import):
            if any(alias.name.startswith("xinyong.subjects.pii") for alias in node.names):
                found.append(f"{node.lineno}: imports xinyong.subjects.pii")
        elif isinstance(node, ast.Attribute) and node.attr in SECRET_ATTRIBUTES:
            found.append(f"{node.lineno}: reads {node.attr}")
        elif isinstance(node, ast.Call):
            callee = _callee(node)
            if callee in WRITERS and node.args and _names_model(node.args[0]):
                found.append(f"{node.lineno}: {callee} on a subjects table")
            elif callee in MODELS:
                found.append(f"{node.lineno}: creates a {callee}")
        elif isinstance(node, ast.Assign | ast.AugAssign | ast.AnnAssign):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            for target in targets:
                for part in ast.walk(target):
                    if isinstance(part, ast.Attribute) and part.attr in SUBJECT_COLUMNS:
                        found.append(f"{node.lineno}: assigns {part.attr}")
        elif (
            isinstance(node, ast.Constant)
            and isinstance(node.value, str)
            and RAW_WRITE.search(node.value)
        ):
            found.append(f"{node.lineno}: raw SQL writing a subjects table")
    return found


@pytest.mark.parametrize(
    "source",
    [
        "from xinyong.subjects.pii import unseal",
        "from xinyong.subjects import pii",
        "import xinyong.subjects.pii",
        "number = unseal(subject.id_number_cipher)",
        "session.execute(insert(table_of(SubjectIdentifier)), rows)",
        "session.execute(update(Subject).values(uscc=value))",
        "session.execute(delete(SubjectName))",
        "session.add(Subject(name='x'))",
        "subject.name_key = key",
        "session.execute(text('UPDATE subjects SET name = :n'))",
    ],
)
def test_the_scanner_catches_each_kind_of_breach(source):
    assert breaches(source)


def test_reading_the_registry_is_no_breach():
    source = "select(Subject.id, Subject.name).join(Subject, Subject.id == Record.subject_id)"
    assert breaches(source) == []


def _outside_the_registry() -> list[Path]:
    return [
        path
        for path in sorted(PACKAGE.rglob("*.py"))
        if OWNER not in path.parents and "migrations" not in path.parts
    ]


def test_no_module_outside_subjects_reaches_past_the_registry():
    found = {
        str(path.relative_to(PACKAGE.parent)): problems
        for path in _outside_the_registry()
        if (problems := breaches(path.read_text(encoding="utf-8")))
    }
    assert found == {}
