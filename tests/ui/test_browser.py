"""The web chat in a real headless Chromium: ask, read the cited cards, open the programme.

Set UPDATE_SCREENSHOTS=1 to also refresh docs/chat.png.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, sync_playwright

from rag import Assistant

CHROMIUM = Path("/usr/bin/chromium")
DOCS = Path(__file__).resolve().parents[2] / "docs"

pytestmark = [
    pytest.mark.browser,
    # In CI `make browser` installs chromium, so there a missing browser fails the test instead.
    pytest.mark.skipif(
        not CHROMIUM.exists() and not os.environ.get("CI"),
        reason="needs Debian's chromium at /usr/bin/chromium (make browser)",
    ),
]


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=str(CHROMIUM),
            args=["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        yield browser
        browser.close()


def test_ask_see_cards_open_programme(
    browser: Browser, app_url: str, assistant: Assistant, tmp_path: Path
) -> None:
    page = browser.new_page(viewport={"width": 1440, "height": 1100})
    page.goto(app_url)
    page.fill("#question textarea", "Vem föreslår sprutbyte?")
    page.keyboard.press("Enter")

    cards = page.locator("#chat .cite-card")
    cards.nth(1).wait_for(timeout=60_000)
    answer = page.locator("#chat .message-row").last.inner_text()
    assert "Örebro" in answer and "Eskilstuna" in answer
    assert cards.count() == 2
    assert page.locator("#chat .cite-card mark").count() == 2

    orebro = cards.filter(has_text="Örebro")
    quote = orebro.locator("mark").inner_text()
    orebro.get_by_role("link", name="Visa i programmet").click()
    passage = page.locator("#chat-viewer mark#passage")
    passage.wait_for(timeout=30_000)
    assert passage.inner_text() == quote
    doc = assistant.document("orebro-liberalerna-socialpolitik")
    assert quote in doc.text
    assert "Socialpolitik" in page.locator("#chat-viewer .doc-title").inner_text()
    page.wait_for_function(
        "() => { const m = document.querySelector('#chat-viewer mark#passage');"
        " const b = document.querySelector('#chat-viewer .doc-body');"
        " const r = m.getBoundingClientRect(), s = b.getBoundingClientRect();"
        " return r.top >= s.top && r.bottom <= s.bottom; }",
        timeout=10_000,
    )  # scrolled into view inside the viewer

    page.evaluate("window.scrollTo(0, 0)")
    shot = tmp_path / "chat.png"
    page.screenshot(path=str(shot))
    assert shot.stat().st_size > 10_000
    if os.environ.get("UPDATE_SCREENSHOTS") == "1":
        DOCS.mkdir(exist_ok=True)
        shutil.copyfile(shot, DOCS / "chat.png")

    page.get_by_label("English").check()
    page.get_by_role("button", name="Send").wait_for(timeout=10_000)
    page.close()
