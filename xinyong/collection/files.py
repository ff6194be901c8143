"""Files on their way in (uploads spooled to disk, size-limited) and out (rejected rows)."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

from sqlalchemy.orm import Session

from xinyong.auth.principal import Principal
from xinyong.collection import service as collection
from xinyong.collection.readers import FileRefused
from xinyong.config import Settings
from xinyong.db import committing

BLOCK = 1 << 20


def remove_stale_spool(settings: Settings) -> None:
    """Remove what processes that no longer run left in the spool (a killed server's uploads
    and rejected-row files, which may hold ID numbers). Each process spools under its own
    id (`Settings.spool_dir`), so the uploads of live processes are left alone."""
    root = settings.spool_root
    if not root.is_dir():
        return
    for entry in root.iterdir():
        if entry.name.isdigit() and _running(int(entry.name)):
            continue
        if entry.is_dir() and not entry.is_symlink():
            shutil.rmtree(entry, ignore_errors=True)
        else:
            entry.unlink(missing_ok=True)


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process
        return True
    except OverflowError:
        return False
    return True


@contextmanager
def spooled(stream: BinaryIO, filename: str, folder: Path, limit_mb: int) -> Iterator[Path]:
    """The stream copied to a temporary file that keeps the name's suffix (format detection);
    a file over the limit is refused before it is read."""
    with tempfile.TemporaryDirectory(dir=folder) as spool:
        suffix = "".join(ch for ch in Path(filename).suffix[:16] if ch.isprintable() and ch != "/")
        path = Path(spool) / f"upload{suffix}"
        copied = 0
        with path.open("wb") as out:
            while block := stream.read(BLOCK):
                copied += len(block)
                if copied > limit_mb << 20:
                    raise _too_large(limit_mb)
                out.write(block)
        yield path


def refuse_declared_oversize(content_length: str | None, limit_mb: int) -> None:
    """A request whose declared body is over the limit is refused before any of it is read."""
    if content_length and content_length.isdigit() and int(content_length) > limit_mb << 20:
        raise _too_large(limit_mb)


def _too_large(limit_mb: int) -> FileRefused:
    return FileRefused(f"文件超过 {limit_mb} MB 的上限，请分成多个文件报送", "file.too_large")


def rejected_file(
    session: Session, batch_id: int, actor: Principal, folder: Path
) -> tuple[Path, str]:
    """The batch's rejected rows written to a temporary folder: (path, download name). The
    caller removes the folder (`remove_folder(path)`) once the file is sent."""
    batch = collection.read_batch(session, actor, batch_id)
    path = Path(tempfile.mkdtemp(dir=folder)) / "rejected"
    try:
        with committing(session), path.open("wb") as out:
            name = collection.write_rejections(session, batch, out, actor.actor)
    except BaseException:
        remove_folder(path)
        raise
    return path, name


def remove_folder(path: Path) -> None:
    shutil.rmtree(path.parent, ignore_errors=True)
