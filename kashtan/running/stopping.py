"""Stopping a campaign cleanly on Ctrl-C or SIGTERM: running seeds checkpoint at the end of
their generation and stop, queued seeds never start (``kashtan.running.runner`` looks at ``_STOP``)."""
from __future__ import annotations

import os
import time


class Stopped(BaseException):
    """Ctrl-C or SIGTERM: the seed wrote a checkpoint at the end of its generation and stopped
    (BaseException, like KeyboardInterrupt, so no handler of failures takes it for a crash)."""


_STOP: dict = {"signal": None, "in_seed": True}   # set by a signal handler; seeds look once a generation


def _on_signal(signum, frame) -> None:
    _STOP["signal"] = signum
    if not _STOP["in_seed"]:            # a worker between seeds has nothing to save
        os._exit(128 + signum)


class stopping:
    """``with stopping():`` Ctrl-C and SIGTERM ask the running seeds to checkpoint at the end of
    their generation and stop (``Stopped``); the previous handlers come back afterwards."""

    def __enter__(self):
        import signal
        _STOP["signal"] = None
        self.old = {sig: signal.signal(sig, _on_signal) for sig in (signal.SIGINT, signal.SIGTERM)}
        return self

    def __exit__(self, *exc):
        import signal
        for sig, handler in self.old.items():
            signal.signal(sig, handler)


def _stop_workers(pool, pending, grace: float = 30.0) -> None:
    """Queued seeds never start; running ones are told to checkpoint and stop (SIGTERM: they end
    the generation they are in), and are killed if they take longer than ``grace`` seconds."""
    import signal
    procs = list((getattr(pool, "_processes", None) or {}).values())   # shutdown forgets them
    pool.shutdown(wait=False, cancel_futures=True)
    for p in procs:
        try:
            os.kill(p.pid, signal.SIGTERM)
        except (ProcessLookupError, OSError):
            pass
    deadline = time.monotonic() + grace
    for p in procs:
        p.join(max(0.0, deadline - time.monotonic()))
        if p.is_alive():
            p.kill()
