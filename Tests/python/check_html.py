"""Renders report.html in headless Chromium at desktop and phone widths and checks it.

Usage: check_html.py REPORT_DIR [PNG_DIR]

Drives Debian's `chromium` over the DevTools protocol: the page must load, fetch nothing but
itself (no network request of any kind), have no element wider than the page (wide tables may
scroll inside their own box), render to a PNG that is not blank, and print to A4. The PNGs
(and the PDF) are written to PNG_DIR for a person to look at.
"""

import base64
import io
import json
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import websocket
from PIL import Image

WIDTHS = {"desktop": (1280, 900, False), "phone": (390, 844, True)}

OVERFLOW_JS = """
(() => {
  const page = document.documentElement.clientWidth;
  const clipped = el => {
    for (let p = el.parentElement; p; p = p.parentElement) {
      const o = getComputedStyle(p).overflowX;
      if (o === 'auto' || o === 'scroll' || o === 'hidden') return true;
    }
    return false;
  };
  const wide = [];
  for (const el of document.body.querySelectorAll('*')) {
    const r = el.getBoundingClientRect();
    if ((r.right > page + 1 || r.left < -1) && !clipped(el)) wide.push(el.tagName + ' ' + (el.id || el.className.baseVal || el.className || '') + ' ' + Math.round(r.left) + '..' + Math.round(r.right));
  }
  return JSON.stringify({page, scrollWidth: document.documentElement.scrollWidth, height: document.documentElement.scrollHeight, wide: wide.slice(0, 10), svgs: document.querySelectorAll('svg.chart').length, tables: document.querySelectorAll('table').length});
})()
"""


class Browser:
    def __init__(self):
        self.profile = tempfile.mkdtemp(prefix="hnb-chromium-")
        exe = shutil.which("chromium") or shutil.which("chromium-browser")
        if exe is None:
            raise SystemExit("chromium not found: install Debian's chromium (make deps)")
        self.process = subprocess.Popen(
            [exe, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--hide-scrollbars",
             "--disable-background-networking", "--disable-component-update", "--disable-sync",
             "--remote-debugging-port=0", f"--user-data-dir={self.profile}", "about:blank"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        port_file = Path(self.profile) / "DevToolsActivePort"
        for _ in range(300):
            if port_file.exists() and port_file.read_text().strip():
                break
            time.sleep(0.1)
        port = port_file.read_text().split()[0]
        pages = json.load(urllib.request.urlopen(f"http://127.0.0.1:{port}/json/list"))
        target = next(p for p in pages if p["type"] == "page")
        self.ws = websocket.create_connection(target["webSocketDebuggerUrl"], timeout=60)
        self.next_id = 0
        self.events = []

    def call(self, method, **params):
        self.next_id += 1
        self.ws.send(json.dumps({"id": self.next_id, "method": method, "params": params}))
        while True:
            message = json.loads(self.ws.recv())
            if message.get("id") == self.next_id:
                if "error" in message:
                    raise RuntimeError(f"{method}: {message['error']}")
                return message.get("result", {})
            self.events.append(message)

    def wait_for(self, method):
        while not any(e.get("method") == method for e in self.events):
            self.events.append(json.loads(self.ws.recv()))

    def close(self):
        self.ws.close()
        self.process.terminate()
        self.process.wait(timeout=10)
        shutil.rmtree(self.profile, ignore_errors=True)


def main(report_dir, png_dir):
    html = (Path(report_dir) / "report.html").resolve()
    out = Path(png_dir)
    out.mkdir(parents=True, exist_ok=True)
    failures = []
    browser = Browser()
    try:
        browser.call("Network.enable")
        browser.call("Page.enable")
        for name, (width, height, mobile) in WIDTHS.items():
            browser.events.clear()
            browser.call("Emulation.setDeviceMetricsOverride", width=width, height=height,
                         deviceScaleFactor=1, mobile=mobile)
            browser.call("Page.navigate", url=html.as_uri())
            browser.wait_for("Page.loadEventFired")
            requests = [e["params"]["request"]["url"] for e in browser.events
                        if e.get("method") == "Network.requestWillBeSent"]
            fetched = [u for u in requests if not u.startswith(("file:", "data:"))]
            if fetched:
                failures.append(f"{name}: fetched from the network: {fetched[:5]}")
            layout = json.loads(browser.call("Runtime.evaluate", expression=OVERFLOW_JS)["result"]["value"])
            if layout["scrollWidth"] > layout["page"]:
                failures.append(f"{name}: page scrolls sideways ({layout['scrollWidth']} > {layout['page']})")
            if layout["wide"]:
                failures.append(f"{name}: elements wider than the page: {layout['wide']}")
            if layout["svgs"] == 0 or layout["tables"] == 0:
                failures.append(f"{name}: {layout['svgs']} charts and {layout['tables']} tables")
            shot_height = min(layout["height"], 6000)
            shot = browser.call("Page.captureScreenshot", format="png", captureBeyondViewport=True,
                                clip={"x": 0, "y": 0, "width": width, "height": shot_height, "scale": 1})
            png = base64.b64decode(shot["data"])
            (out / f"report-{name}.png").write_bytes(png)
            image = Image.open(io.BytesIO(png)).convert("L")
            histogram = image.histogram()
            dark = sum(histogram[:128]) / (image.width * image.height)
            colours = len(Image.open(io.BytesIO(png)).convert("RGB").getcolors(1 << 20) or [])
            if dark < 0.01 or colours < 16:
                failures.append(f"{name}: the screenshot looks blank ({dark:.3%} dark pixels, {colours} colours)")
            print(f"html {name} {width}px: {layout['svgs']} charts, {layout['tables']} tables, "
                  f"{len(requests)} requests ({len(fetched)} off the page), {dark:.1%} dark pixels")
        browser.call("Emulation.clearDeviceMetricsOverride")
        pdf = browser.call("Page.printToPDF", paperWidth=8.27, paperHeight=11.69, preferCSSPageSize=True)
        data = base64.b64decode(pdf["data"])
        (out / "report-a4.pdf").write_bytes(data)
        print(f"html print: A4 PDF of {len(data)} bytes")
        if len(data) < 10000:
            failures.append("print: the A4 PDF is nearly empty")
    finally:
        browser.close()
    for f in failures:
        print("FAIL", f)
    print(f"html: {len(failures)} problems; screenshots in {out}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2] if len(sys.argv) > 2 else tempfile.mkdtemp(prefix="hnb-report-png-")))
