"""Untrusted diagram text never reaches a file or the environment: every PlantUML run is sandboxed.

A planted canary (a text file, a JSON file, a PNG and an environment variable) must not show up in
anything `check` prints (text, JSON, GitHub annotations) nor in what the plantuml renderer's server
draws (SVG, PNG and its text chunks, error headers) — whatever PlantUML's preprocessor is asked to do.
"""

from __future__ import annotations

import base64
import http.client
import json
import re
import secrets
import urllib.parse
import zlib
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path

import plantuml
import pytest
from click.testing import CliRunner
from PIL import Image, ImageChops

from diagram_dsl.cli import main
from diagram_dsl.toolchain import plantuml_render_svg, plantuml_syntax_check
from diagram_dsl.toolchain.sandbox import sandbox_environment

CANARY_VARIABLE = "DIAGRAM_DSL_TEST_CANARY"
RED = (237, 28, 36)


@dataclass(frozen=True)
class Canary:
    secret: str  # in every planted file and in the environment
    text_file: Path
    json_file: Path
    png_file: Path


@pytest.fixture
def canary(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Canary:
    secret = f"CANARY{secrets.token_hex(8).upper()}"
    folder = tmp_path / "secrets"
    folder.mkdir()
    text_file = folder / "canary.txt"
    text_file.write_text(f"{secret}\n", encoding="utf-8")
    json_file = folder / "canary.json"
    json_file.write_text(json.dumps({"k": secret}), encoding="utf-8")
    png_file = folder / "canary.png"
    Image.new("RGB", (40, 40), RED).save(png_file)
    monkeypatch.setenv(CANARY_VARIABLE, secret)
    return Canary(secret, text_file, json_file, png_file)


def attacks(canary: Canary) -> dict[str, str]:
    """Diagram bodies that try to read the canary, each a sequence diagram PlantUML would otherwise accept."""
    text, data, png = canary.text_file.as_posix(), canary.json_file.as_posix(), canary.png_file.as_posix()
    return {
        "load_json_assert": f'!$d = %load_json("{data}")\n!assert %false() : $d.k\nA -> B : hi',
        "load_json_label": f'!$d = %load_json("{data}")\nA -> B : $d.k',
        "include": f"!include {text}\nA -> B : hi",
        "include_as_label": f"A -> B : hi\n!include {text}",
        "getenv_assert": f'!assert %false() : %getenv("{CANARY_VARIABLE}")\nA -> B : hi',
        "getenv_label": f'A -> B : %getenv("{CANARY_VARIABLE}")',
        "img_file": f"A -> B : <img:file://{png}>",
        "img_plain": f"A -> B : <img:{png}>",
        "img_tag": f"A -> B : <img {png}>",
        "sprite_file": f"note over A : <img:{png}{{scale=2}}>",
        "link_file": f"A -> B : [[file://{text}]]",
        "file_exists": f'!assert %false() : %file_exists("{text}")\nA -> B : hi',
    }


def _framed(body: str) -> str:
    return f"@startuml\n{body}\n@enduml\n"


def _markdown(canary: Canary) -> str:
    blocks = "\n\n".join(f"## {name}\n\n```plantuml\n{body}\n```" for name, body in attacks(canary).items())
    return f"# Hostile inline diagrams\n\n{blocks}\n"


def _check(root: Path, *arguments: str) -> str:
    result = CliRunner().invoke(main, ["--root", str(root), "check", *arguments])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.output


@pytest.mark.usefixtures("plantuml", "mermaid")
@pytest.mark.parametrize("output", ["text", "json", "github"])
def test_check_never_prints_a_planted_file_or_variable(tmp_path: Path, canary: Canary, output: str) -> None:
    doc = tmp_path / "docs" / "hostile.md"
    doc.parent.mkdir()
    doc.write_text(_markdown(canary), encoding="utf-8")
    printed = _check(tmp_path, str(doc), "--format", output)
    assert "hostile.md" in printed  # the blocks were checked and reported
    assert canary.secret not in printed
    assert "DOC210" in printed and "cannot include" in printed


@pytest.mark.usefixtures("plantuml")
def test_the_syntax_check_refuses_every_file_and_variable(canary: Canary) -> None:
    named = attacks(canary)
    verdicts = dict(zip(named, plantuml_syntax_check([_framed(body) for body in named.values()]), strict=True))
    for name, verdict in verdicts.items():
        assert canary.secret not in verdict.error, name
    # What PlantUML's default profile would have done: include the file, print the JSON in the assertion.
    assert not verdicts["include"].ok and "cannot include" in verdicts["include"].error
    assert not verdicts["load_json_assert"].ok


@pytest.mark.usefixtures("plantuml")
@pytest.mark.parametrize("loosener", [{"PLANTUML_SECURITY_PROFILE": "UNSECURE"},
                                      {"_JAVA_OPTIONS": "-DPLANTUML_SECURITY_PROFILE=UNSECURE"}])
def test_the_users_environment_cannot_loosen_the_sandbox(canary: Canary, monkeypatch: pytest.MonkeyPatch,
                                                         loosener: dict[str, str]) -> None:
    for name, value in loosener.items():
        monkeypatch.setenv(name, value)
    assert not set(loosener.items()) & set(sandbox_environment().items())
    named = attacks(canary)
    texts = [_framed(body) for body in named.values()]
    for name, verdict in zip(named, plantuml_syntax_check(texts), strict=True):
        assert canary.secret not in verdict.error, name
    for name, result in zip(named, plantuml_render_svg(texts), strict=True):
        assert canary.secret not in result.svg + result.check.error, name


def _png_text(png: bytes) -> str:
    """Every tEXt/zTXt/iTXt chunk of a PNG, decompressed: PlantUML stores the diagram source there."""
    found: list[str] = []
    position = 8
    while position + 8 <= len(png):
        length = int.from_bytes(png[position:position + 4], "big")
        kind = png[position + 4:position + 8]
        data = png[position + 8:position + 8 + length]
        position += 12 + length
        if kind == b"tEXt":
            found.append(data.decode("latin-1"))
        elif kind == b"zTXt":
            keyword, _, rest = data.partition(b"\0")
            found.append(keyword.decode("latin-1") + zlib.decompress(rest[1:]).decode("latin-1"))
        elif kind == b"iTXt":
            keyword, _, rest = data.partition(b"\0")
            compressed, body = rest[0], rest[2:].split(b"\0", 2)[-1]
            found.append(keyword.decode("latin-1") + (zlib.decompress(body) if compressed else body).decode())
    return "\n".join(found)


def _red_pixels(png: bytes) -> int:
    image = Image.open(BytesIO(png)).convert("RGB")
    red = Image.new("RGB", image.size, RED)
    # Pixels equal to RED are 0 in the difference; count them from the difference's histogram.
    difference = ImageChops.difference(image, red).convert("L")
    return difference.histogram()[0] if image.size[0] * image.size[1] else 0


def _svg_red_pixels(svg: bytes) -> int:
    """Red pixels in the pictures an SVG embeds (PlantUML inlines images as base64 PNG)."""
    embedded = re.findall(rb"data:image/png;base64,([A-Za-z0-9+/=]+)", svg)
    return sum(_red_pixels(base64.b64decode(data)) for data in embedded)


def _ask(base_url: str, kind: str, text: str) -> tuple[int, str, bytes]:
    """The server's raw answer (status, headers as text, body) for one diagram, errors included."""
    encoded = plantuml.deflate_and_encode(text)
    url = urllib.parse.urlsplit(f"{base_url}/{kind}/{encoded}")
    connection = http.client.HTTPConnection(url.hostname or "127.0.0.1", url.port, timeout=60)
    try:
        connection.request("GET", url.path)
        response = connection.getresponse()
        return response.status, str(response.getheaders()), response.read()
    finally:
        connection.close()


@pytest.mark.usefixtures("plantuml")
def test_the_renderers_server_draws_no_planted_file(canary: Canary, monkeypatch: pytest.MonkeyPatch) -> None:
    from diagram_dsl.renderers.plantuml.server import local_server

    monkeypatch.setenv("PLANTUML_SECURITY_PROFILE", "UNSECURE")  # the user's environment cannot loosen it
    with local_server() as base_url:
        for name, body in attacks(canary).items():
            text = _framed(body)
            status, headers, svg = _ask(base_url, "svg", text)
            assert canary.secret not in headers and canary.secret.encode() not in svg, name
            assert _svg_red_pixels(svg) == 0, name  # no picture read from the disk
            status, headers, png = _ask(base_url, "png", text)
            assert canary.secret not in headers and canary.secret.encode() not in png, name
            if png.startswith(b"\x89PNG"):
                assert canary.secret not in _png_text(png), name
                assert _red_pixels(png) == 0, name
            else:
                assert status != 200, name


@pytest.mark.usefixtures("plantuml")
def test_a_file_image_would_be_drawn_without_the_sandbox(canary: Canary) -> None:
    """The pixel probe above can see a planted picture: PlantUML's own default profile draws it."""
    import subprocess

    from diagram_dsl.toolchain import java_executable, plantuml_jar

    done = subprocess.run([str(java_executable()), "-Djava.awt.headless=true", "-jar", str(plantuml_jar()),
                           "-pipe", "-tpng"], input=_framed(attacks(canary)["img_plain"]).encode(),
                          capture_output=True, timeout=120, check=False,
                          env={k: v for k, v in sandbox_environment().items() if not k.startswith("PLANTUML")})
    assert done.stdout.startswith(b"\x89PNG")
    assert _red_pixels(done.stdout) > 1000
    assert re.search(r"\S", _png_text(done.stdout))
