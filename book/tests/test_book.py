"""Checks of the built offline book (run by `make book-check` after `make book`; CI runs both).

Not part of `make test`: a learner needs neither the book tools nor a browser to run the
lessons. These tests fail, never skip, when the book or Chromium is missing - CI installs
both, and a trainer who runs them wants to know.
"""

from __future__ import annotations

import functools
import http.server
import json
import os
import re
import shutil
import subprocess
import threading
from html.parser import HTMLParser
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
HTML = Path(os.environ.get("MKT_BOOK_HTML") or ROOT / "book" / "_build" / "html")
LESSONS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
REMOTE = re.compile(r"^(https?:)?//", re.I)


@pytest.fixture(scope="module")
def pages() -> list[Path]:
    assert (HTML / "index.html").exists(), "no book at book/_build/html: run `make book` first"
    # pages a reader opens; _static/ holds theme templates, not pages
    return sorted(p for p in HTML.rglob("*.html") if "_static" not in p.relative_to(HTML).parts)


class _Loads(HTMLParser):
    """Every address a page makes the browser fetch (not plain links), and inline scripts."""

    def __init__(self):
        super().__init__()
        self.loads: list[str] = []
        self.inline: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag in ("script", "img", "iframe", "audio", "video", "source", "embed") and a.get("src"):
            self.loads.append(a["src"])
        if tag == "link" and a.get("href") and a.get("rel") not in ("canonical", "next", "prev"):
            if any(r in (a.get("rel") or "") for r in ("stylesheet", "preload", "icon", "modulepreload")):
                self.loads.append(a["href"])
        self._in_script = tag == "script" and not a.get("src")

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_script = False

    def handle_data(self, data):
        if self._in_script:
            self.inline.append(data)


# The Spark appendix is executed only where the book's environment has the [spark] extra.
NEEDS_SPARK = {"15_scaling_out"}


def test_every_lesson_is_a_page_with_its_results(pages):
    import importlib.util

    for nb in LESSONS:
        page = HTML / "notebooks" / f"{nb.stem}.html"
        assert page.exists(), f"{nb.name} has no page in the book"
        text = page.read_text(encoding="utf-8")
        if nb.stem in NEEDS_SPARK and importlib.util.find_spec("pyspark") is None:
            continue
        assert 'class="cell_output' in text, f"{page.name}: no executed output (was it executed?)"


def test_no_page_loads_anything_from_the_internet(pages):
    for page in pages:
        p = _Loads()
        p.feed(page.read_text(encoding="utf-8"))
        remote = [u for u in p.loads if REMOTE.match(u)]
        assert not remote, f"{page.relative_to(HTML)} loads {remote[:3]}"
        urls = [u for s in p.inline for u in re.findall(r"https?://[^\s\"'<>]+", s)]
        assert not urls, f"{page.relative_to(HTML)} names {urls[:3]} in an inline script"
        for src in p.loads:  # local files referenced must exist
            if src.startswith(("data:", "#")):
                continue
            target = (page.parent / src.split("?")[0].split("#")[0]).resolve()
            assert target.exists(), f"{page.relative_to(HTML)} references missing {src}"


def test_stylesheets_import_nothing_remote(pages):
    for css in HTML.rglob("*.css"):
        text = css.read_text(encoding="utf-8", errors="replace")
        bad = re.findall(r"(?:@import\s+(?:url\()?|url\()\s*['\"]?((?:https?:)?//[^'\")\s]+)", text)
        assert not bad, f"{css.relative_to(HTML)} fetches {bad[:3]}"


def test_dollar_amounts_are_text_not_maths(pages):
    """Lesson prose writes money as \\$2,000; it must reach the page as '$2,000'."""
    text = "".join(p.read_text(encoding="utf-8") for p in pages if "notebooks" in p.parts)
    assert re.search(r"\$\d[\d,]*", text), "no dollar amount found in any lesson page"
    assert "\\$" not in re.sub(r"<(script|pre)[\s\S]*?</\1>", "", text)


CHECK_PAGE = """<!doctype html><html><body><pre id="result">pending</pre>
<iframe id="f" src="{src}" style="width:1200px;height:800px"></iframe>
<script>
const out = document.getElementById('result');
function report() {{
  const d = document.getElementById('f').contentDocument, w = document.getElementById('f').contentWindow;
  const imgs = Array.from(d.images);
  out.textContent = JSON.stringify({{
    mathjax_loaded: !!w.MathJax,
    math_source: d.querySelectorAll('.math').length,
    typeset: d.querySelectorAll('.MathJax, .MathJax_Display, .MathJax_SVG, mjx-container').length,
    errors: d.querySelectorAll('.MathJax_Error, merror').length
      + (d.body.textContent.includes('Math Processing Error') ? 1 : 0),
    images: imgs.length,
    images_loaded: imgs.filter(i => i.complete && i.naturalWidth > 0).length}});
}}
let tries = 0;
function poll() {{  // wait until MathJax has typeset (or give up after ~20 s of page time)
  const d = document.getElementById('f').contentDocument;
  const done = d && d.querySelectorAll('.MathJax, .MathJax_Display, .MathJax_SVG, mjx-container').length > 0;
  if (done || ++tries > 40) {{ report(); }} else {{ setTimeout(poll, 500); }}
}}
document.getElementById('f').addEventListener('load', () => setTimeout(poll, 500));
</script></body></html>"""


def _browser() -> str:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        if shutil.which(name):
            return shutil.which(name)
    pytest.fail("no Chromium on PATH: install Debian's `chromium` package (CI does)")


def test_a_lesson_renders_formulas_and_figures_in_a_real_browser(pages, tmp_path):
    lesson_pages = [p for p in pages if "notebooks" in p.parts]
    with_math = [p for p in lesson_pages if 'class="math' in p.read_text(encoding="utf-8")]
    assert with_math, "no lesson page has a formula to typeset"
    page = next((p for p in with_math if "<img" in p.read_text(encoding="utf-8")), with_math[0])
    check = HTML / "_browser_check.html"
    check.write_text(CHECK_PAGE.format(src=page.relative_to(HTML).as_posix()), encoding="utf-8")
    missing: list[str] = []

    class Handler(http.server.SimpleHTTPRequestHandler):
        def log_request(self, code="-", size="-"):
            if str(code) != "200" and not self.path.startswith("/favicon"):
                missing.append(f"{code} {self.path}")

        def log_message(self, *args):
            pass

    handler = functools.partial(Handler, directory=str(HTML))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}/_browser_check.html"
        flags = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 f"--user-data-dir={tmp_path / 'profile'}", "--virtual-time-budget=30000",
                 "--dump-dom", url]
        dom = subprocess.run([_browser(), *flags], capture_output=True, text=True, timeout=120).stdout
    finally:
        server.shutdown()
        check.unlink()
    m = re.search(r'<pre id="result">(.*?)</pre>', dom, re.S)
    assert m and m.group(1) != "pending", f"the check page did not report (page {page.name})"
    r = json.loads(m.group(1).replace("&quot;", '"'))
    assert not missing, f"{page.name}: the browser asked for files the book lacks: {missing[:5]}"
    assert r["mathjax_loaded"], f"{page.name}: MathJax did not load from the book"
    assert r["math_source"] > 0 and r["typeset"] > 0 and r["errors"] == 0, \
        f"{page.name}: formulas not typeset: {r}"
    assert r["images"] > 0 and r["images_loaded"] == r["images"], f"{page.name}: figures: {r}"
