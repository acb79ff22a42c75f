"""One writer per campaign directory (``rundir.Lock``)."""
from __future__ import annotations

import os
from pathlib import Path

from kashtan.running.filechecks import RunError


def _started(pid: int) -> str | None:
    """When process ``pid`` started (clock ticks since boot, /proc/PID/stat field 22), or None
    where /proc cannot tell: with the pid it names one process, even after the pid is reused."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
        return stat.rsplit(")", 1)[1].split()[19]
    except (OSError, IndexError):
        return None


class Lock:
    """One writer per campaign directory: ``.lock`` holds the writer's pid and start time; a lock
    whose process is gone, or whose pid now belongs to another process, is taken over."""

    def __init__(self, out):
        self.path = Path(out) / ".lock"

    def _stale(self) -> tuple[bool, int]:
        try:
            parts = self.path.read_text().split()
            pid = int(parts[0]) if parts else 0
            os.kill(pid, 0)
        except (ValueError, ProcessLookupError, FileNotFoundError):
            return True, 0
        except PermissionError:
            return False, pid
        started = _started(pid)
        return (len(parts) > 1 and started is not None and started != parts[1]), pid

    def __enter__(self):
        self.path.parent.mkdir(parents=True, exist_ok=True)
        for _ in range(2):
            try:
                fd = os.open(self.path, os.O_CREAT | os.O_EXCL | os.O_WRONLY)
            except FileExistsError:
                stale, pid = self._stale()
                if stale:
                    self.path.unlink(missing_ok=True)        # its writer is gone (or the pid was reused)
                    continue
                raise RunError(f"{self.path.parent} is being written by another kashtan (pid {pid}); "
                               f"wait for it, or stop it first") from None
            os.write(fd, f"{os.getpid()} {_started(os.getpid()) or ''}".strip().encode())
            os.close(fd)
            return self
        raise RunError(f"{self.path}: cannot take the campaign lock")

    def __exit__(self, *exc):
        self.path.unlink(missing_ok=True)
