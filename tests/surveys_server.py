"""A real ``motcua ratings-web`` (uvicorn) on a free loopback port, for the HTTP and browser
tests and the load bench."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import httpx


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def ratings_server(env: dict[str, str], timeout: float = 20.0) -> Iterator[str]:
    """Start the service with ``env`` (MOTCUA_* settings); yield its base URL; stop it."""
    with ratings_process(env, timeout) as (base, _proc):
        yield base


@contextmanager
def ratings_process(
    env: dict[str, str], timeout: float = 20.0, *, workers: int = 1
) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    """As ``ratings_server``, also yielding the process (to read its CPU time, or kill it)."""
    port = free_port()
    with tempfile.TemporaryFile() as errors:
        yield from _serve(port, env, timeout, workers, errors)


def _serve(
    port: int, env: dict[str, str], timeout: float, workers: int, errors: Any
) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "monitor.cli",
            "ratings-web",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            *(["--workers", str(workers)] if workers > 1 else []),
        ],
        env={**os.environ, **env},
        stdout=subprocess.DEVNULL,
        stderr=errors,  # a file, not a pipe: a chatty server must never block on it
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + timeout
        while True:
            if proc.poll() is not None:
                errors.seek(0)
                err = errors.read().decode(errors="replace")
                raise RuntimeError(f"ratings-web exited with {proc.returncode}: {err[-2000:]}")
            try:
                if httpx.get(f"{base}/healthz", timeout=1.0).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError("ratings-web did not start in time")
            time.sleep(0.1)
        yield base, proc
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
