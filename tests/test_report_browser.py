"""The HTML report in a real browser: headless Chromium (Debian's chromium + chromedriver, driven
by Selenium) opens the report of a real analyzed answer, clicks transcript words and checks that
the audio moved to each word's start. A screenshot is kept in the test's tmp dir.

The session folder is served over http://127.0.0.1 by a thread that answers Range requests:
Chrome fetches <audio> in byte ranges and cannot seek without them. Nothing leaves the machine:
the driver and browser paths are given (Selenium Manager never runs) and the page's CSP allows
no network fetches.
"""

from __future__ import annotations

import http.server
import io
import os
import re
import shutil
import threading
from collections.abc import Iterator
from functools import partial
from pathlib import Path

import pytest
from tests.support import need

pytestmark = pytest.mark.audio

ANSWER = "strong-verbatim"
TOLERANCE_S = 0.05


class RangeHandler(http.server.SimpleHTTPRequestHandler):
    """Static files with `Range: bytes=a-b` support (206 Partial Content)."""

    def log_message(self, format: str, *args) -> None:  # quiet
        pass

    def end_headers(self) -> None:
        self.send_header("Accept-Ranges", "bytes")
        super().end_headers()

    def send_head(self):
        wanted = self.headers.get("Range")
        path = self.translate_path(self.path)
        if not wanted or not os.path.isfile(path):
            return super().send_head()
        m = re.fullmatch(r"bytes=(\d*)-(\d*)", wanted.strip())
        size = os.path.getsize(path)
        if not m or m.groups() == ("", ""):
            self.send_error(416)
            return None
        first, last = m.groups()
        start = size - int(last) if first == "" else int(first)
        end = size - 1 if first == "" or last == "" else min(int(last), size - 1)
        if start >= size or start > end:
            self.send_response(416)
            self.send_header("Content-Range", f"bytes */{size}")
            self.end_headers()
            return None
        with open(path, "rb") as f:
            f.seek(start)
            body = f.read(end - start + 1)
        self.send_response(206)
        self.send_header("Content-Type", self.guess_type(path))
        self.send_header("Content-Range", f"bytes {start}-{end}/{size}")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        return io.BytesIO(body)


class QuietServer(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address) -> None:
        pass  # the browser drops media connections it no longer needs


@pytest.fixture
def served(tmp_path: Path, analyzed, devset) -> Iterator[tuple[str, Path, dict]]:
    """A session saved from a real analyzed answer (WAV audio), served on a free local port."""
    from mockvoice.session import archive

    doc, _ = analyzed[ANSWER]
    wav = next(path for path, truth in devset if truth["id"] == ANSWER)
    folder, saved = archive.save(tmp_path / "recordings", doc, mode="analyze", audio_src=wav)
    assert (folder / "report.html").exists() and saved.audio == "answer.wav"
    server = QuietServer(("127.0.0.1", 0), partial(RangeHandler, directory=str(folder)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/report.html", folder, saved.to_dict()
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture
def browser(tmp_path: Path):
    need("chromium")
    need("chromedriver")
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = shutil.which("chromium")
    for flag in (
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--mute-audio",
        "--window-size=1100,1400",
        f"--user-data-dir={tmp_path / 'chromium-profile'}",
    ):
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(shutil.which("chromedriver")), options=options)
    driver.set_page_load_timeout(30)
    try:
        yield driver
    finally:
        driver.quit()


def test_clicking_a_word_seeks_the_audio_to_it(served, browser, tmp_path: Path) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    url, _, doc = served
    words = doc["transcript"]["words"]
    browser.get(url)
    audio = "return document.getElementById('a-answer')"
    WebDriverWait(browser, 20).until(lambda d: d.execute_script(audio + ".readyState") >= 1)  # loadedmetadata
    assert browser.execute_script(audio + ".duration") == pytest.approx(doc["duration_s"], abs=0.5)
    assert browser.execute_script(audio + ".currentTime") == 0

    action = next(s for s in doc["sections"] if s["id"] == "action")
    in_action = [i for i, w in enumerate(words) if action["start_s"] <= w["start"] < action["end_s"]]
    picks = [in_action[len(in_action) // 2], len(words) - 3, 5]  # forwards, further, then back
    for i in picks:
        word = browser.find_element(By.CSS_SELECTOR, f'[data-audio="a-answer"] .w[data-i="{i}"]')
        assert word.text == words[i]["text"]
        browser.execute_script("arguments[0].scrollIntoView({block: 'center'})", word)
        word.click()
        WebDriverWait(browser, 10).until(lambda d: not d.execute_script(audio + ".seeking"))
        now = browser.execute_script(audio + ".currentTime")
        assert abs(now - words[i]["start"]) <= TOLERANCE_S, (i, words[i], now)
        # The word being heard is marked (timeupdate after the seek).
        WebDriverWait(browser, 5).until(lambda d, w=word: "now" in w.get_attribute("class"))

    # Key phrases are highlighted, and the page fetched nothing it was not allowed to.
    assert len(browser.find_elements(By.CSS_SELECTOR, ".kp")) >= sum(k["found"] for k in doc["key_phrases"])
    errors = [e for e in browser.get_log("browser") if e["level"] == "SEVERE"]
    assert not errors, errors

    shot = tmp_path / "report.png"
    browser.execute_script("window.scrollTo(0, 0)")
    assert browser.save_screenshot(str(shot))
    data = shot.read_bytes()
    assert data.startswith(b"\x89PNG\r\n\x1a\n") and len(data) > 20_000
