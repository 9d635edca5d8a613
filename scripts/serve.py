"""`make serve`: the web server and the background-task worker, started and stopped together.

granian serves the app (DESIGN.md "Serving"); `manage.py db_worker` runs the tasks web
requests queue in the database (filter rebuilds after wrangling changes). Ctrl-C, SIGTERM or
SIGHUP stops both; if either exits on its own, the other is stopped too, so the archive never
runs half-alive.

Each child runs in its own session, so a terminal's Ctrl-C reaches this script only and each
child gets exactly one SIGTERM: the worker then finishes the task it is running (tasks are
idempotent, but a finished rebuild needs no re-run). A second Ctrl-C stops the task too; the
rebuild's pending rows stay, so the next run does it again.

Usage: python scripts/serve.py [--port 8000] [--workers N]
"""

import argparse
import contextlib
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
GRACE_SECONDS = 10  # after a second signal, before SIGKILL


def log(message: str) -> None:
    print(f"serve: {message}", file=sys.stderr, flush=True)


def main() -> int:
    parser = argparse.ArgumentParser(description="Run granian and the task worker together.")
    parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", 8000)))
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 2)
    args = parser.parse_args()

    commands = {
        "web server": [
            str(BIN / "granian"),
            *("--interface", "wsgi", "--host", "127.0.0.1", "--port", str(args.port)),
            *("--workers", str(args.workers), "--blocking-threads", "1", "--no-ws"),
            "quire.wsgi:application",
        ],
        "task worker": [str(BIN / "python"), "manage.py", "db_worker", "--no-reload"],
    }
    signals = []
    signal.signal(signal.SIGINT, lambda number, frame: signals.append(number))
    signal.signal(signal.SIGTERM, lambda number, frame: signals.append(number))
    signal.signal(signal.SIGHUP, lambda number, frame: signals.append(number))

    children: dict[str, subprocess.Popen] = {}
    for name, command in commands.items():
        # PORT tells the app where it serves (quire.lib.site: links made outside a request).
        children[name] = subprocess.Popen(  # noqa: S603
            command, cwd=ROOT, start_new_session=True, env={**os.environ, "PORT": str(args.port)}
        )

    status = 0
    while not signals:
        exited = [name for name, child in children.items() if child.poll() is not None]
        if exited:
            name = exited[0]
            code = children[name].returncode
            status = 128 - code if code < 0 else (code or 1)  # -9: killed by signal 9
            log(f"the {name} exited (status {status}); stopping the rest")
            break
        time.sleep(0.2)
    stop(children, signals)
    return status


def stop(children: dict[str, subprocess.Popen], signals: list[int]) -> None:
    """One SIGTERM each, then wait; another signal forwards a second SIGTERM (which stops the
    worker's task too), and GRACE_SECONDS after it, SIGKILL."""

    def running() -> dict[str, subprocess.Popen]:
        return {name: child for name, child in children.items() if child.poll() is None}

    seen = len(signals)
    for child in running().values():
        child.send_signal(signal.SIGTERM)
    began, forced_at, told = time.monotonic(), None, False
    while running():
        now = time.monotonic()
        if forced_at is None and len(signals) > seen:
            log("stopping now")
            forced_at = now
            for child in running().values():
                child.send_signal(signal.SIGTERM)
        elif forced_at is not None and now - forced_at > GRACE_SECONDS:
            for child in running().values():
                _signal_group(child, signal.SIGKILL)
        elif forced_at is None and not told and now - began > 2:
            log(f"waiting for the {' and the '.join(running())} (Ctrl-C again to stop now)")
            told = True
        time.sleep(0.1)
    # A child that died without stopping its own children (granian's workers, if its main
    # process was killed) leaves them in its process group.
    for child in children.values():
        _signal_group(child, signal.SIGTERM)


def _signal_group(child: subprocess.Popen, number: int) -> None:
    """Signal the child's process group: it leads one (start_new_session)."""
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(child.pid, number)


if __name__ == "__main__":
    sys.exit(main())
