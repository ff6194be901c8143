"""Only `xinyong/notifications/` writes the outbox: other parts call `service.notify` in
their own transaction. The scanner is first shown to catch a breach."""

import ast
from pathlib import Path

import xinyong

PACKAGE = Path(xinyong.__file__).parent
OWNER = PACKAGE / "notifications"


def breaches(source: str) -> list[str]:
    """Lines that import the outbox's model or name its table outside the owner."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.ImportFrom) and node.module == "xinyong.notifications.models":
            if any(alias.name == "Message" for alias in node.names):
                found.append(f"{node.lineno}: imports the outbox model")
        elif isinstance(node, ast.Constant) and node.value == "outbox":
            found.append(f"{node.lineno}: names the outbox table")
    return found


def test_the_scanner_catches_a_breach():
    assert breaches("from xinyong.notifications.models import Message\n")
    assert breaches("session.execute(text('x'), table='outbox')\n")
    assert breaches("from xinyong.notifications.models import ChannelName\n") == []


def test_only_notifications_writes_the_outbox():
    """`xinyong/models.py` (the whole schema in one import, for Alembic) and the migrations
    are the only others that may name it."""
    outside = [
        path
        for path in PACKAGE.rglob("*.py")
        if OWNER not in path.parents and "migrations" not in path.parts
        if path != PACKAGE / "models.py"
    ]
    assert len(outside) > 100
    offenders = {str(p.relative_to(PACKAGE)): b for p in outside if (b := breaches(p.read_text()))}
    assert offenders == {}
