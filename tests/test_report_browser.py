"""The HTML report in a real browser: headless Chromium (Debian's chromium + chromedriver, driven
by Selenium) opens the report of a finished mock built from real analyzed answers (the main answer,
a follow-up, the bar raiser's verdict). It clicks transcript words and a fix's ▶ button and checks
that the audio moved there; it checks the page's order (verdict and fixes, then the timeline, then
the transcript, then the follow-up), its header, the timeline's width, that the answer's length is
one figure everywhere, the follow-up's highlights, the print stylesheet, and that nothing is wider
than a 390-pixel phone. Full-page screenshots at 1280 and 390 pixels are kept in the test's tmp dir
and copied to $MOCKVOICE_SHOTS when it names a folder.

The session folder is served over http://127.0.0.1 by a thread that answers Range requests:
Chrome fetches <audio> in byte ranges and cannot seek without them. Nothing leaves the machine:
the driver and browser paths are given (Selenium Manager never runs) and the page's CSP allows
no network fetches.
"""

from __future__ import annotations

import base64
import http.server
import io
import os
import re
import shutil
import threading
from collections.abc import Iterator
from datetime import datetime
from functools import partial
from pathlib import Path

import pytest
from tests.support import need

from mockvoice.clock import clock

pytestmark = pytest.mark.audio

ANSWER = "missing-phrases"  # a story with things to fix: short sections, Action phrases not said
FOLLOWUP = "paraphrase-plain"  # spoken as the follow-up's answer: it says most of its ideas
CREATED = datetime(2026, 12, 1, 9, 42, 13)
CREATED_IN_WORDS = "Tuesday 1 December 2026, 09:42"
TOLERANCE_S = 0.05
WIDTHS = (1280, 390)


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


@pytest.fixture(scope="module")
def followup_heard(devset, transcriber):
    """The follow-up answer's transcript: the same for every test here, transcribed once."""
    from mockvoice.audio import files as audio
    from mockvoice.speech.streaming import transcribe_in_utterances

    wav = next(path for path, truth in devset if truth["id"] == FOLLOWUP)
    return transcribe_in_utterances(transcriber, audio.load(wav))


@pytest.fixture
def served(tmp_path: Path, analyzed, devset, followup_heard, scenario) -> Iterator[tuple[str, Path, dict]]:
    """A finished mock saved from real answers (WAV audio): the analyzed main answer, its first
    follow-up answered with another spoken answer and judged, the bar raiser's verdict; the
    session folder served on a free local port."""
    from mockvoice.analysis import followups, verdict
    from mockvoice.session import archive, document
    from mockvoice.session import store as session

    wavs = {truth["id"]: path for path, truth in devset}
    main, _ = analyzed[ANSWER]
    judged = followups.judge(followup_heard, scenario.followups[0]).with_parts(
        audio="followup-1.wav", ended_by="silence"
    )
    folder = session.new_session_dir(tmp_path / "recordings", scenario.id, CREATED)
    shutil.copyfile(wavs[ANSWER], folder / "answer.wav")
    shutil.copyfile(wavs[FOLLOWUP], folder / "followup-1.wav")
    header = session.header(mode="mock", created=CREATED)
    doc = document.new_document(header, main, partial=False, audio="answer.wav", followups=[judged])
    doc = doc.with_parts(verdict=verdict.final(main, [judged], scenario))
    archive.write(folder, doc)
    assert (folder / "report.html").exists()
    server = QuietServer(("127.0.0.1", 0), partial(RangeHandler, directory=str(folder)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/report.html", folder, doc.to_dict()
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


AUDIO = "return document.getElementById('a-answer')"


def test_clicking_a_word_or_a_fix_seeks_the_audio_to_it(served, browser) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    url, _, doc = served
    words = doc["transcript"]["words"]
    browser.get(url)
    WebDriverWait(browser, 20).until(lambda d: d.execute_script(AUDIO + ".readyState") >= 1)  # loadedmetadata
    assert browser.execute_script(AUDIO + ".duration") == pytest.approx(doc["duration_s"], abs=0.5)
    assert browser.execute_script(AUDIO + ".currentTime") == 0

    action = next(s for s in doc["sections"] if s["id"] == "action")
    in_action = [i for i, w in enumerate(words) if action["start_s"] <= w["start"] < action["end_s"]]
    picks = [in_action[len(in_action) // 2], len(words) - 3, 5]  # forwards, further, then back
    for i in picks:
        word = browser.find_element(By.CSS_SELECTOR, f'[data-audio="a-answer"] .w[data-i="{i}"]')
        assert word.text == words[i]["text"]
        now = _click(browser, word)
        assert abs(now - words[i]["start"]) <= TOLERANCE_S, (i, words[i], now)
        # The word being heard is marked (timeupdate after the seek).
        WebDriverWait(browser, 5).until(lambda d, w=word: "now" in w.get_attribute("class"))

    # Each fix's ▶ button plays its words in the answer's player.
    buttons = browser.find_elements(By.CSS_SELECTOR, "#fixes button[data-play]")
    assert len(buttons) == 3
    at = float(buttons[-1].get_attribute("data-t"))
    now = _click(browser, buttons[-1])
    assert at - TOLERANCE_S <= now <= at + 1.0 and not browser.execute_script(AUDIO + ".paused"), (at, now)
    browser.execute_script(AUDIO + ".pause()")

    # Key phrases are highlighted, and the page fetched nothing it was not allowed to.
    assert len(browser.find_elements(By.CSS_SELECTOR, ".kp")) >= sum(k["found"] for k in doc["key_phrases"])
    errors = [e for e in browser.get_log("browser") if e["level"] == "SEVERE"]
    assert not errors, errors


def _click(browser, element) -> float:
    """Click `element`; the answer player's time once it has moved."""
    from selenium.webdriver.support.ui import WebDriverWait

    browser.execute_script("arguments[0].scrollIntoView({block: 'center'})", element)
    element.click()
    WebDriverWait(browser, 10).until(lambda d: not d.execute_script(AUDIO + ".seeking"))
    return browser.execute_script(AUDIO + ".currentTime")


# The top of each block the candidate reads, in the order they should read it.
ORDER = ("header", "#verdict", "#fixes", "svg.timeline", "#transcript", "#delivery", "#level", "#followup-1")
POSITION = "return document.querySelector(arguments[0]).getBoundingClientRect().top + window.scrollY"


def test_the_report_reads_in_order_at_any_width(served, browser, tmp_path: Path) -> None:
    from selenium.webdriver.common.by import By

    url, _, doc = served
    shots = []
    for width in WIDTHS:
        _viewport(browser, width, 900)
        browser.get(url)
        tops = [browser.execute_script(POSITION, sel) for sel in ORDER]
        assert tops == sorted(tops), dict(zip(ORDER, tops, strict=True))

        # The header: the question as the title, the date in words, the mode and the level.
        assert browser.find_element(By.CSS_SELECTOR, "header h1").text == doc["question"]
        meta = browser.find_element(By.CSS_SELECTOR, "header .meta").text
        assert meta.startswith(
            f"{CREATED_IN_WORDS} · mock interview · level {doc['level_expectations']['name']}"
        )
        assert "T09:42" not in browser.find_element(By.TAG_NAME, "body").text  # no raw time stamp

        # One length: the header, the timeline and the total line print the same figure.
        lengths = [e.text for e in browser.find_elements(By.CSS_SELECTOR, ".length")]
        assert lengths == [clock(doc["total"]["speaking_s"])] * 3, lengths
        assert browser.find_element(By.CSS_SELECTOR, ".total").text.startswith(f"Total: {lengths[0]} of a ")

        # The timeline fills the content width, with a time axis labelled m:ss.
        share = browser.execute_script(
            "var b = document.body, s = getComputedStyle(b);"
            "var content = b.clientWidth - parseFloat(s.paddingLeft) - parseFloat(s.paddingRight);"
            "return document.querySelector('svg.timeline').getBoundingClientRect().width / content"
        )
        assert share >= 0.9, share
        ticks = [e.text for e in browser.find_elements(By.CSS_SELECTOR, "svg.timeline .axis text")]
        assert ticks[0] == "0:00" and len(ticks) >= 3 and all(re.fullmatch(r"\d+:\d\d", t) for t in ticks)

        # Nothing is wider than the window (no sideways scrolling on a phone).
        overflow = browser.execute_script("return [document.documentElement.scrollWidth, window.innerWidth]")
        assert overflow[0] <= overflow[1], (width, overflow)
        shots.append(_full_page_shot(browser, tmp_path / f"report-{width}.png", width))

    # The level's expectations are labelled, not mixed into Delivery.
    level = browser.find_element(By.ID, "level").text
    assert f"What an answer at {doc['level_expectations']['name']} shows" in level
    assert doc["level_expectations"]["reflection"] in level
    assert doc["level_expectations"]["reflection"] not in browser.find_element(By.ID, "delivery").text

    # The follow-up's words are highlighted like the main answer's: each idea heard, its clause.
    heard = [i for i in doc["followups"][0]["ideas"] if i["found"]]
    marked = browser.find_elements(By.CSS_SELECTOR, "#followup-1 .words .kp")
    assert heard and len(marked) == len(heard)
    for idea in heard:
        assert any(_squash(idea["quote"]) in _squash(m.text) for m in marked), idea["quote"]

    shelf = os.environ.get("MOCKVOICE_SHOTS")
    if shelf:
        Path(shelf).mkdir(parents=True, exist_ok=True)
        for shot in shots:
            shutil.copyfile(shot, Path(shelf) / shot.name)


def test_the_report_prints_black_on_white_without_players(served, browser) -> None:
    url, _, _ = served
    browser.get(url)
    browser.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": "print"})
    style = "return getComputedStyle(document.querySelector(arguments[0]))[arguments[1]]"
    assert browser.execute_script(style, ".player", "display") == "none"
    assert browser.execute_script(style, "#fixes button.seek", "borderTopStyle") == "none"
    for sel in ("body", "#verdict h2", ".sec h3", "#fixes li"):
        assert browser.execute_script(style, sel, "color") == "rgb(0, 0, 0)", sel
    assert browser.execute_script(style, "body", "backgroundColor") in (
        "rgb(255, 255, 255)",
        "rgba(0, 0, 0, 0)",
    )
    for sel in (".sec", "#verdict", "#fixes"):
        assert browser.execute_script(style, sel, "breakInside") == "avoid", sel
    pdf = browser.execute_cdp_cmd("Page.printToPDF", {"printBackground": False})
    assert base64.b64decode(pdf["data"]).startswith(b"%PDF")


def _viewport(browser, width: int, height: int) -> None:
    """The page's viewport, exactly `width` CSS pixels wide (a phone's below 500)."""
    browser.execute_cdp_cmd(
        "Emulation.setDeviceMetricsOverride",
        {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": width < 500},
    )


def _full_page_shot(browser, path: Path, width: int) -> Path:
    """The whole page as one PNG `width` pixels wide (the viewport made as tall as the page)."""
    height = browser.execute_script("return document.documentElement.scrollHeight")
    _viewport(browser, width, height)
    browser.execute_script("window.scrollTo(0, 0)")
    assert browser.save_screenshot(str(path))
    data = path.read_bytes()
    assert data.startswith(b"\x89PNG\r\n\x1a\n") and len(data) > 20_000
    assert int.from_bytes(data[16:20], "big") == width  # the IHDR's width
    return path


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)
