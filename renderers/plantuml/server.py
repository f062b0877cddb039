"""A private PlantUML server for one build: ``java -jar <pinned jar> -picoweb:PORT:127.0.0.1``.

Started on a free loopback port, reused for every flow of the batch, and always stopped
(also on an error or Ctrl-C) by killing its whole process group.
"""

from __future__ import annotations

import contextlib
import http.client
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

from diagram_dsl.renderers.base import RenderError
from diagram_dsl.renderers.toolproc import scratch_dir, spawn, stop_group
from diagram_dsl.toolchain import ToolError, java_executable, plantuml_jar
from diagram_dsl.toolchain.results import one_line_complaint
from diagram_dsl.toolchain.sandbox import sandbox_environment, sandbox_properties

INSTALL_HINT = "run `make tools-plantuml-renderer`, or use --renderer native"
START_TIMEOUT = 60.0
_PORT_ATTEMPTS = 3


def free_loopback_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def server_command(port: int) -> list[str]:
    """The JVM command line; raises RenderError naming what is missing and how to install it."""
    try:
        java, jar = java_executable(), plantuml_jar()
    except ToolError as error:
        raise RenderError(f"PlantUML cannot start: {error}; {INSTALL_HINT}") from None
    # Sandboxed like every PlantUML run (no file, URL or environment variable reaches a drawing).
    # PLANTUML_LIMIT_SIZE: the default 4096 px would crop the tallest catalog flows. No PerfData: a killed
    # JVM would leave its /tmp/hsperfdata file behind.
    return [str(java), *sandbox_properties(), "-Djava.awt.headless=true", "-Dfile.encoding=UTF-8",
            "-DPLANTUML_LIMIT_SIZE=16384", "-XX:+UseSerialGC", "-XX:-UsePerfData", "-jar", str(jar),
            f"-picoweb:{port}:127.0.0.1"]


def _answers(port: int) -> bool:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
    try:
        connection.request("GET", "/")
        connection.getresponse().read()
        return True
    except OSError:
        return False
    finally:
        connection.close()


def _tail(log: Path) -> str:
    """What the JVM said last, in one line (an exception's name, never its stack trace)."""
    with contextlib.suppress(OSError):
        return one_line_complaint(log.read_text(encoding="utf-8", errors="replace"))
    return ""


def _wait_until_ready(process: subprocess.Popen[bytes], port: int, log: Path, timeout: float) -> bool:
    """True once the server answers; False when the JVM exited (e.g. the port was taken meanwhile)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            return False
        if _answers(port):
            return True
        time.sleep(0.1)
    raise RenderError(f"the PlantUML server did not answer within {timeout:.0f} s ({_tail(log)}); {INSTALL_HINT}")


@contextlib.contextmanager
def local_server(*, timeout: float = START_TIMEOUT) -> Iterator[str]:
    """Yield the base URL (``http://127.0.0.1:PORT``) of a PlantUML server that lives for the ``with`` block."""
    with scratch_dir("plantuml") as scratch:
        log = scratch / "server.log"
        for _attempt in range(_PORT_ATTEMPTS):
            port = free_loopback_port()
            command = server_command(port)
            with log.open("wb") as sink:
                process = spawn(command, env=sandbox_environment(), stdout=sink, stderr=subprocess.STDOUT)
            try:
                if _wait_until_ready(process, port, log, timeout):
                    yield f"http://127.0.0.1:{port}"
                    return
            finally:
                stop_group(process)
        raise RenderError(f"the PlantUML server exited at start ({_tail(log)}); {INSTALL_HINT}")
