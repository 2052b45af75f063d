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
            # Before a file is chosen: no broken-image placeholders, Convert disabled, a favicon declared.
            before = json.loads(page.evaluate("""JSON.stringify({
                hidden: [...document.images].every((img) => !img.getAttribute('src') && img.offsetWidth === 0
                                                            && getComputedStyle(img).display === 'none'),
                disabled: document.getElementById('convert').disabled,
                icon: !!document.querySelector('link[rel=icon]')})"""))
            assert before == {"hidden": True, "disabled": True, "icon": True}, before
            document = page.call("DOM.getDocument")["root"]["nodeId"]
            file_input = page.call("DOM.querySelector", nodeId=document, selector="#file")["nodeId"]
            page.call("DOM.setFileInputFiles", files=[str(logo)], nodeId=file_input)
            status = wait_for(lambda: (lambda s: s if s.startswith(("done", "error")) else "")(
                page.evaluate("document.getElementById('status').textContent")), 30, "conversion")
            assert status.startswith("done (") and "SSIM" in status, status
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
            assert page.evaluate("document.getElementById('busy').hidden") is True  # progress shown only while busy

            def status_text() -> str:
                text = page.evaluate("document.getElementById('status').textContent")
                return text if text.startswith(("done", "error")) else ""

            # Changing the converter converts again, without a new upload.
            page.evaluate("""(() => { const s = document.getElementById('converter'); s.value = 'potrace';
                                     s.dispatchEvent(new Event('change')); })()""")
            status = wait_for(lambda: (lambda t: t if "(potrace)" in t or t.startswith("error") else "")(
                status_text()), 30, "re-conversion")
            assert status.startswith("done (potrace)"), status

            # Dropping a logo converts it; the Convert button converts again.
            page.evaluate("""(async () => {
                const blob = await (await fetch(document.getElementById('original').src)).blob();
                const data = new DataTransfer();
                data.items.add(new File([blob], 'dropped.png', {type: 'image/png'}));
                document.getElementById('status').textContent = '';
                document.getElementById('drop').dispatchEvent(new DragEvent('drop', {dataTransfer: data,
                                                                                   bubbles: true}));
            })()""")
            assert wait_for(status_text, 30, "dropped file").startswith("done"), status_text()
            page.evaluate("document.getElementById('status').textContent = ''; "
                          "document.getElementById('convert').click()")
            assert wait_for(status_text, 30, "Convert button").startswith("done"), status_text()

            # Dropping a file that is not an image: the server's message is shown and the old result cleared.
            page.evaluate("""(() => {
                const data = new DataTransfer();
                data.items.add(new File(['not an image'], 'notes.png', {type: 'image/png'}));
                document.getElementById('drop').dispatchEvent(new DragEvent('drop', {dataTransfer: data,
                                                                                   bubbles: true}));
            })()""")
            status = wait_for(lambda: (lambda t: t if t.startswith("error") else "")(status_text()), 30, "error")
            assert "not a supported image" in status and "JSON" not in status, status
            cleared = json.loads(page.evaluate("""JSON.stringify({
                result: document.getElementById('svg-result').offsetWidth === 0,
                download: document.getElementById('download').hidden,
                busy: document.getElementById('busy').hidden})"""))
            assert cleared == {"result": True, "download": True, "busy": True}, cleared
            page.close()
            root.close()
        finally:
            browser.terminate()
            browser.wait(10)
