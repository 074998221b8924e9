"""`packgen serve`: a real server process, a real edit, and the rebuilt page."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def fetch(url: str, timeout: float = 30) -> str:
    deadline = time.monotonic() + timeout
    while True:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                return response.read().decode("utf-8")
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.3)


def wait_for(url: str, text: str, timeout: float = 30) -> str:
    deadline = time.monotonic() + timeout
    page = ""
    while time.monotonic() < deadline:
        page = fetch(url)
        if text in page:
            return page
        time.sleep(0.5)
    raise AssertionError(f"{text!r} never appeared at {url}")


def test_serve_rebuilds_when_a_definition_changes(write_pack):
    root = write_pack()
    port = free_port()
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    server = subprocess.Popen(
        [sys.executable, "-m", "packgen", "serve", str(root), "--port", str(port), "--lang", "en"],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        env=env,
    )
    try:
        url = f"http://127.0.0.1:{port}/en/exercises/first-steps.html"
        page = wait_for(url, "First steps")
        assert "livereload" in page
        exercise = root / "exercises/first-steps.yml"
        exercise.write_text(exercise.read_text().replace("First steps", "Changed steps"))
        wait_for(url, "Changed steps")
        assert "Tiny home" in fetch(f"http://127.0.0.1:{port}/en/index.html")
        # A broken edit is reported and the last good page keeps being served.
        exercise.write_text("id: first-steps\nkind: nonsense\n")
        time.sleep(3)
        assert "Changed steps" in fetch(url)
    finally:
        server.send_signal(signal.SIGINT)
        output, _ = server.communicate(timeout=30)
    text = output.decode()
    assert f"previewing at http://127.0.0.1:{port}/" in text
    assert "kind: expected one of" in text
    assert "the preview still shows the last version that built" in text
    assert "Traceback" not in text
