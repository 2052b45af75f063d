"""A real headless Chromium uploads a PNG on / and gets the SVG shown next to it."""
from __future__ import annotations

import json
import shutil
import subprocess
import time
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from cdp import CdpSession
from conftest import png_bytes, server_process
from svgai import generator

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
pytestmark = pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian's chromium is not installed")

FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--disable-dev-shm-usage", "--remote-debugging-port=0"]


def wait_for(predicate, timeout: float, what: str):
    deadline = time.time() + timeout
    while time.time() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what}")


def test_upload_page_shows_svg_in_real_browser(tmp_path):
    logo = tmp_path / "logo.png"
    logo.write_bytes(png_bytes(generator.generate_one(generator.EVAL_SEED, 0).image))
    profile = tmp_path / "profile"
    with server_process(tmp_path) as (_, base):
        browser = subprocess.Popen([CHROMIUM, *FLAGS, f"--user-data-dir={profile}", "about:blank"],
                                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            port_file = profile / "DevToolsActivePort"
            wait_for(lambda: port_file.exists() and port_file.read_text().count("\n") >= 1, 30, "DevTools port")
            port, browser_path = port_file.read_text().split()[:2]
            root = CdpSession(f"ws://127.0.0.1:{port}{browser_path}")
            target = root.call("Target.createTarget", url=base + "/")["targetId"]
            page = CdpSession(f"ws://127.0.0.1:{port}/devtools/page/{target}")
            wait_for(lambda: page.evaluate("document.readyState === 'complete' && !!document.getElementById('file')"),
                     20, "upload page")
            document = page.call("DOM.getDocument")["root"]["nodeId"]
            file_input = page.call("DOM.querySelector", nodeId=document, selector="#file")["nodeId"]
            page.call("DOM.setFileInputFiles", files=[str(logo)], nodeId=file_input)
            status = wait_for(lambda: (lambda s: s if s.startswith(("done", "error")) else "")(
                page.evaluate("document.getElementById('status').textContent")), 30, "conversion")
            assert status.startswith("done: SSIM"), status
            shown = json.loads(page.evaluate("""(async () => {
                const img = document.getElementById('svg-result');
                await img.decode();
                const svg = await (await fetch(img.src)).text();
                const link = document.getElementById('download');
                return JSON.stringify({width: img.naturalWidth, svg, download: !link.hidden && link.href});
            })()"""))
            assert shown["width"] > 0
            assert ET.fromstring(shown["svg"]).tag.endswith("svg")
            assert shown["download"].startswith("blob:")
            page.close()
            root.close()
        finally:
            browser.terminate()
            browser.wait(10)
