"""The web chat in a real headless Chromium: ask, read the cited cards, open the programme,
download a comparison, add a programme.

Set UPDATE_SCREENSHOTS=1 to also refresh docs/chat.png, docs/compare.png and docs/upload.png.
"""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, sync_playwright

from rag import Assistant, get_settings
from ui.settings import ChatSettings

from ..helpers import copy_corpus, serving, wait_for

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


def screenshot(page: Page, tmp_path: Path, name: str, **options: object) -> None:
    """Take a screenshot; with UPDATE_SCREENSHOTS=1 it also replaces docs/`name`."""
    shot = tmp_path / name
    page.screenshot(path=str(shot), **options)  # type: ignore[arg-type]
    assert shot.stat().st_size > 10_000
    if os.environ.get("UPDATE_SCREENSHOTS") == "1":
        DOCS.mkdir(exist_ok=True)
        shutil.copyfile(shot, DOCS / name)


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
        " if (!m || !b) return false;"
        " const r = m.getBoundingClientRect(), s = b.getBoundingClientRect();"
        " return r.top >= s.top && r.bottom <= s.bottom; }",
        timeout=10_000,
    )  # scrolled into view inside the viewer

    page.evaluate("window.scrollTo(0, 0)")
    screenshot(page, tmp_path, "chat.png")

    # The answer as Markdown with its numbered citations, to copy.
    page.get_by_text("Svaret som Markdown").first.click()
    markdown = page.locator("#answer-markdown textarea")
    markdown.wait_for(timeout=10_000)  # the accordion renders it when it opens
    page.wait_for_function(
        "() => document.querySelector('#answer-markdown textarea')?.value.includes('[2] ')",
        timeout=10_000,
    )
    exported = markdown.input_value()
    assert f"(Liberalerna), Sprutbyte: ”{quote}”" in exported or f"”{quote}”" in exported
    assert exported.startswith("Programmen för")

    page.get_by_label("English").check()
    page.get_by_role("button", name="Send").wait_for(timeout=10_000)
    page.close()


def ask(page: Page, question: str, answers: int) -> str:
    """Ask in the chat and wait for the `answers`-th answer to be complete; its text."""
    page.fill("#question textarea", question)
    page.keyboard.press("Enter")
    bot = page.locator("#chat .message-row.bot-row")
    bot.nth(answers - 1).wait_for(timeout=60_000)
    text = ""
    for _ in range(100):  # streamed: done when the text stops changing
        page.wait_for_timeout(300)
        latest = bot.nth(answers - 1).inner_text()
        if latest == text:
            return text
        text = latest
    raise AssertionError(f"the answer to {question!r} kept changing")


def test_follow_ups_history_per_session_and_clear(browser: Browser, app_url: str) -> None:
    first, other = browser.new_context(), browser.new_context()  # two people, two sessions
    page = first.new_page()
    page.goto(app_url)
    answer = ask(page, "Vad vill Liberalerna i Botkyrka göra mot hedersförtryck?", 1)
    assert "Botkyrka" in answer
    follow_up = ask(page, "Och i Örebro?", 2)
    assert "hederns namn" in follow_up and "Botkyrka" not in follow_up
    assert page.locator("#chat .message-row.bot-row").last.locator(".cite-card").count() >= 1

    # The other session has no history: the same words are not a follow-up there.
    page2 = other.new_page()
    page2.goto(app_url)
    assert page2.locator("#chat .message-row").count() == 0
    alone = ask(page2, "Och i Örebro?", 1)
    assert alone != follow_up

    page.get_by_role("button", name="Rensa samtalet").click()
    page.wait_for_function("() => !document.querySelector('#chat .message-row')", timeout=10_000)
    assert ask(page, "Och i Örebro?", 1) == alone  # cleared: no longer a follow-up
    first.close()
    other.close()


def test_filter_compare_programmes_and_feedback(
    browser: Browser,
    app_url: str,
    assistant: Assistant,
    chat_settings: ChatSettings,
    tmp_path: Path,
) -> None:
    page = browser.new_page(viewport={"width": 1440, "height": 1100})
    page.goto(app_url)

    # Municipality filter: only Stockholm's programme answers.
    page.locator("#municipalities input").click()
    page.get_by_role("option", name="Stockholm").click()
    page.keyboard.press("Escape")
    answer = ask(page, "Vilka vill ha Bostad först?", 1)
    assert "Stockholm" in answer and "Upplands Väsby" not in answer

    # Feedback: a thumb, a comment, one complete line in the log.
    log = chat_settings.feedback_path
    before = log.read_text(encoding="utf-8").splitlines() if log.exists() else []
    page.locator("#chat").get_by_role("button", name="Like", exact=True).last.click()
    page.get_by_label("Kommentar (valfri)").fill("Bra källor")
    page.get_by_role("button", name="Skicka omdöme").click()

    def new_lines() -> list[str]:
        lines = log.read_text(encoding="utf-8").splitlines() if log.exists() else []
        return lines[len(before) :]

    added = wait_for(new_lines, timeout=10)
    assert len(added) == 1
    entry = json.loads(added[0])
    assert entry["rating"] == "up" and entry["comment"] == "Bra källor"
    assert entry["question"] == "Vilka vill ha Bostad först?" and entry["citations"]

    # Compare: one row per programme, a quote or "nämns inte".
    page.get_by_role("tab", name="Jämför").click()
    page.fill("#topic textarea", "hedersförtryck")
    page.keyboard.press("Enter")
    rows = page.locator("#comparison tbody tr")
    rows.nth(4).wait_for(timeout=30_000)
    assert rows.count() == len(assistant.documents())
    table = page.locator("#comparison").inner_text()
    assert "nämns inte" in table and "Botkyrka" in table
    quoted = [v for v in assistant.compare("hedersförtryck") if v.citation is not None]
    assert page.locator("#comparison mark").count() == len(quoted)
    for close in page.locator(".toast-close").all():  # the feedback notice, if still shown
        close.click()
    page.locator(".toast-body").first.wait_for(state="detached", timeout=10_000)
    screenshot(page, tmp_path, "compare.png", full_page=True)

    # The table downloads as CSV (and Markdown) with the same verbatim quotes.
    with page.expect_download() as download:
        page.locator("#compare-csv").click()
    assert download.value.suggested_filename == "hedersfortryck.csv"
    text = Path(download.value.path()).read_text(encoding="utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text, newline="")))
    assert [r["municipality"] for r in rows] == [v.municipality for v in assistant.compare("x")]
    assert sorted(r["quote"] for r in rows if r["quote"]) == sorted(
        v.citation.quote for v in quoted if v.citation
    )
    with page.expect_download() as download:
        page.locator("#compare-md").click()
    assert Path(download.value.path()).read_text(encoding="utf-8").startswith("# hedersförtryck")

    # Programmes: the corpus with its metadata; open one and read it.
    page.get_by_role("tab", name="Program").click()
    assert page.locator("#programmes").inner_text().count("Liberalerna") == len(
        assistant.documents()
    )
    page.locator("#programmes").get_by_text("Eskilstuna").first.click()
    reader = page.locator("#reader")
    reader.get_by_text("Sociala insatser").first.wait_for(timeout=30_000)
    doc = assistant.document("eskilstuna-liberalerna-sociala-insatser")
    assert "sprutbytesprogram" in reader.inner_text() and "sprutbytesprogram" in doc.text
    page.close()


UPLOADED = """# Fritid för alla barn

## Fritidskort

Vi vill införa ett fritidskort för alla barn i kommunen, så att avgiften aldrig stänger ute
någon från idrott och kultur.
"""


@pytest.fixture(scope="module")
def upload_url(tmp_path_factory: pytest.TempPathFactory, embeddings) -> Iterator[str]:  # type: ignore[no-untyped-def]
    """A web chat with uploads enabled, over a writable copy of the corpus."""
    folder = tmp_path_factory.mktemp("upload")
    settings = get_settings(corpus_dir=copy_corpus(folder / "corpus"), index_dir=folder / "index")
    chat = ChatSettings(feedback_path=folder / "feedback.jsonl", upload=True)
    with serving(Assistant(settings, embeddings=embeddings), chat) as (url, _):
        yield url


def test_upload_a_programme_then_ask_about_it(
    browser: Browser, upload_url: str, tmp_path: Path
) -> None:
    page = browser.new_page(viewport={"width": 1440, "height": 1000})
    page.goto(upload_url)
    page.get_by_role("tab", name="Lägg till program").click()
    path = tmp_path / "lund-fritid.md"
    path.write_text(UPLOADED, encoding="utf-8")
    page.locator("#upload-file input[type=file]").set_input_files(str(path))
    page.locator("#upload-file").get_by_text("lund-fritid.md").wait_for(timeout=30_000)
    for field, value in (("#upload-party", "Moderaterna"), ("#upload-municipality", "Lund")):
        page.locator(f"{field} input").fill(value)
        page.keyboard.press("Enter")
    page.locator("#upload-year input").fill("2026")
    page.get_by_role("button", name="Lägg till och indexera").click()
    done = page.locator("#upload-status .upload-ok")
    done.wait_for(timeout=120_000)
    assert "Fritid för alla barn (Lund, Moderaterna) [lund-fritid]" in done.inner_text()
    screenshot(page, tmp_path, "upload.png")

    # A refused file says why, in words, without a traceback.
    bad = tmp_path / "program.docx"
    bad.write_bytes(b"PK\x03\x04")
    page.locator("#upload-file").get_by_text("lund-fritid.md").wait_for(state="detached")
    page.locator("#upload-file input[type=file]").set_input_files(str(bad))
    page.locator("#upload-file").get_by_text("program.docx").wait_for(timeout=30_000)
    page.get_by_role("button", name="Lägg till och indexera").click()
    refused = page.locator("#upload-status .chat-error")
    refused.wait_for(timeout=60_000)
    assert "program.docx: unsupported file type '.docx'" in refused.inner_text()

    page.get_by_role("tab", name="Fråga").click()
    answer = ask(page, "Vem vill införa fritidskort?", 1)
    assert "Lund" in answer
    card = page.locator("#chat .cite-card").filter(has_text="Lund")
    assert "fritidskort för alla barn" in card.inner_text()

    page.get_by_label("English").check()
    page.get_by_role("tab", name="Add a programme").click()
    page.get_by_role("button", name="Add and index").wait_for(timeout=10_000)
    page.close()
