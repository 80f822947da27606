"""The web chat through its API and its parts: a real app, the real assistant, real files."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from gradio_client import Client
from gradio_client.exceptions import AppError

from rag import Answer, Assistant, Citation, ConfigError, Document, Verdict, get_settings
from ui.access import is_loopback, upload_available, upload_permitted
from ui.app import build_app, launch, launch_options
from ui.chat import chat_turn, latest_answer_export, new_session
from ui.errors import friendly_error
from ui.feedback import append_feedback, feedback_record
from ui.render import (
    answer_message,
    citation_card,
    compare_table,
    document_view,
    highlight,
    paragraph_bounds,
)
from ui.settings import ChatSettings, get_chat_settings
from ui.texts import t
from ui.upload import add_programme

from ..helpers import copy_corpus, serving

SCRIPT = "<script>alert('x')</script>"


def assert_verbatim(assistant: Assistant, citations: list[dict]) -> None:
    for c in citations:
        assert c["quote"] == assistant.document(c["doc_id"]).text[c["start"] : c["end"]]


# --- the API endpoint ---------------------------------------------------------------------


def test_ask_endpoint_answers_with_verbatim_citations(app_url: str, assistant: Assistant) -> None:
    result = Client(app_url, verbose=False, analytics_enabled=False).predict(
        "Vem föreslår sprutbyte?", api_name="/ask"
    )
    assert {"Örebro", "Eskilstuna"} <= {c["municipality"] for c in result["citations"]}
    assert result["answerable"] is True
    assert "[1]" in result["text"]
    assert_verbatim(assistant, result["citations"])


def test_ask_endpoint_explains_an_empty_question(app_url: str) -> None:
    with pytest.raises(AppError, match="Skriv en fråga först") as raised:
        Client(app_url, verbose=False, analytics_enabled=False).predict("  ", api_name="/ask")
    assert "Traceback" not in str(raised.value)


def test_only_ask_is_public(app_url: str) -> None:
    info = Client(app_url, verbose=False, analytics_enabled=False).view_api(
        print_info=False, return_format="dict"
    )
    assert list(info["named_endpoints"]) == ["/ask"]


# --- the chat -----------------------------------------------------------------------------


def test_chat_turn_streams_then_shows_cards_and_keeps_history(assistant: Assistant) -> None:
    steps = list(chat_turn(assistant, "Vem föreslår sprutbyte?", new_session()))
    assert len(steps) >= 3  # the pending message, streamed text, the final answer
    messages, session = steps[-1]
    assert messages[0] == {"role": "user", "content": "Vem föreslår sprutbyte?"}
    final = messages[-1]["content"]
    assert final.count('class="cite-card"') == 2
    assert "Örebro" in final and "Eskilstuna" in final
    assert "<mark>" in final and 'href="#open/chat/orebro-liberalerna-socialpolitik/' in final
    question, answer = session["history"]
    assert question == {"role": "user", "content": "Vem föreslår sprutbyte?"}
    assert isinstance(answer, Answer) and answer.municipalities == ["Eskilstuna", "Örebro"]
    assert session["answers"][1]["question"] == "Vem föreslår sprutbyte?"

    follow_up = list(chat_turn(assistant, "Och i Stockholm?", session))[-1][1]
    assert len(follow_up["history"]) == 4
    assert len(follow_up["messages"]) == 4


def test_chat_turn_applies_the_municipality_filter(assistant: Assistant) -> None:
    messages, session = list(
        chat_turn(assistant, "Vem föreslår sprutbyte?", new_session(), ["Örebro"])
    )[-1]
    assert session["answers"][1]["answer"]["municipalities"] == ["Örebro"]


@pytest.mark.parametrize(
    ("question", "lang", "expected"),
    [
        ("", "sv", "Skriv en fråga först"),
        ("   ", "en", "Type a question first"),
    ],
)
def test_empty_question_gives_a_friendly_message(
    assistant: Assistant, question: str, lang: str, expected: str
) -> None:
    messages, session = list(chat_turn(assistant, question, new_session(), lang=lang))[-1]
    assert [m["role"] for m in messages] == ["assistant"]
    assert expected in messages[0]["content"]
    assert "Traceback" not in messages[0]["content"]
    assert session["history"] == []


def test_rag_errors_give_a_friendly_message(assistant: Assistant, tmp_path: Path) -> None:
    messages, _ = list(chat_turn(assistant, "sprutbyte", new_session(), ["Atlantis"]))[-1]
    content = messages[-1]["content"]
    assert "Det gick inte att svara på frågan: unknown municipality &#x27;Atlantis&#x27;" in content
    broken = Assistant(get_settings(index_dir=tmp_path / "index", corpus_dir=tmp_path / "none"))
    messages, _ = list(chat_turn(broken, "sprutbyte", new_session(), lang="en"))[-1]
    assert "could not be answered: corpus folder not found" in messages[-1]["content"]
    assert "Traceback" not in messages[-1]["content"]


def test_other_errors_give_a_friendly_message_without_details() -> None:
    assert friendly_error(RuntimeError("secret internals"), "sv") == t("sv", "error_other")


# --- escaping -----------------------------------------------------------------------------


@pytest.fixture
def hostile() -> tuple[Document, Citation]:
    text = f"# Rubrik {SCRIPT}\n\nFörsta stycket.\n\nVi vill {SCRIPT} införa sprutbyte.\n\nSlut."
    start = text.index("Vi vill")
    end = text.index(".", start) + 1
    doc = Document(
        doc_id="x<y",
        text=text,
        party=f"Parti {SCRIPT}",
        municipality=f"Kommun {SCRIPT}",
        title=f"Titel {SCRIPT}",
        source="x.md",
        content_hash="0",
    )
    c = Citation(1, doc.doc_id, doc.municipality, doc.party, doc.title, SCRIPT, text[start:end],
                 start, end)  # fmt: skip
    return doc, c


def test_document_with_script_renders_escaped(hostile: tuple[Document, Citation]) -> None:
    doc, c = hostile
    answer_text = f"Kommun {SCRIPT} [1]"
    answer = Answer("fråga", answer_text, True, "sv", [c])
    for html in (
        document_view(doc),
        document_view(doc, c.start, c.end),
        citation_card(c, doc.text),
        compare_table(
            [
                Verdict(doc.doc_id, doc.municipality, doc.party, doc.title, "mentions", c),
                Verdict(doc.doc_id, doc.municipality, doc.party, doc.title, "silent"),
            ]
        ),
        answer_message(answer, {doc.doc_id: doc.text}),
    ):
        assert "<script" not in html
        assert "&lt;script&gt;" in html
    marked = document_view(doc, c.start, c.end)
    assert marked.count('<mark id="passage">') == 1


def test_card_marks_the_quote_inside_its_paragraph(hostile: tuple[Document, Citation]) -> None:
    doc, c = hostile
    assert paragraph_bounds(doc.text, c.start, c.end) == (
        doc.text.index("Vi vill"),
        doc.text.index("\n\nSlut"),
    )
    card = citation_card(c, doc.text)
    assert "Vi vill &lt;script&gt;" in card and "Första stycket" not in card
    assert highlight("a<b", 1, 2) == "a<mark>&lt;</mark>b"


def test_every_corpus_citation_is_marked_verbatim(assistant: Assistant) -> None:
    answer = assistant.ask("Vad säger programmen om hemlöshet?")
    assert answer.citations
    for c in answer.citations:
        doc = assistant.document(c.doc_id)
        assert doc.text[c.start : c.end] == c.quote
        assert highlight(doc.text, c.start, c.end).count("<mark>") == 1
        assert '<mark id="passage">' in document_view(doc, c.start, c.end)


# --- feedback -----------------------------------------------------------------------------


def test_feedback_is_appended_as_json_lines(tmp_path: Path, assistant: Assistant) -> None:
    path = tmp_path / "logs" / "feedback.jsonl"
    answer = assistant.ask("Vem föreslår sprutbyte?").to_dict()
    append_feedback(path, feedback_record("Vem föreslår sprutbyte?", answer, "up", " Bra! "))
    append_feedback(path, feedback_record("Vem föreslår sprutbyte?", answer, "down"))
    lines = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    assert [r["rating"] for r in lines] == ["up", "down"]
    assert lines[0]["comment"] == "Bra!"
    assert lines[0]["answer"] == answer["text"]
    assert {c["municipality"] for c in lines[0]["citations"]} >= {"Örebro", "Eskilstuna"}


# --- launching ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("host", "loopback"),
    [("127.0.0.1", True), ("127.1.2.3", True), ("localhost", True), ("::1", True),
     ("[::1]", True), ("0.0.0.0", False), ("192.168.1.10", False), ("example.org", False)],
)  # fmt: skip
def test_is_loopback(host: str, loopback: bool) -> None:
    assert is_loopback(host) is loopback


def test_refuses_to_launch_off_localhost_without_a_login() -> None:
    with pytest.raises(ConfigError, match="refusing to serve the web chat on 0.0.0.0"):
        launch(host="0.0.0.0", port=7999)


def test_login_is_required_whole_and_passed_to_launch(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RAG_AUTH_USER", "socialsekreterare")
    with pytest.raises(ConfigError, match="both a user and a password"):
        launch_options(get_chat_settings(), "127.0.0.1")
    monkeypatch.setenv("RAG_AUTH_PASSWORD", "hemligt-lösenord")
    options = launch_options(get_chat_settings(), "0.0.0.0", 8123)
    assert options["auth"] == ("socialsekreterare", "hemligt-lösenord")
    assert (options["server_name"], options["server_port"], options["share"]) == (
        "0.0.0.0",
        8123,
        False,
    )
    assert "hemligt" not in repr(get_chat_settings())


def test_defaults_come_from_settings() -> None:
    options = launch_options(get_chat_settings())
    assert (options["server_name"], options["server_port"], options["auth"]) == (
        "127.0.0.1",
        7860,
        None,
    )
    assert options["max_file_size"] == "50mb"  # uploads far over the corpus limit never land


# --- exports ------------------------------------------------------------------------------


def test_an_answer_in_the_chat_can_be_taken_away_as_markdown(assistant: Assistant) -> None:
    _, session = list(chat_turn(assistant, "Vem föreslår sprutbyte?", new_session()))[-1]
    box, download = latest_answer_export(session, "sv")
    text = box["value"]
    answer = assistant.ask("Vem föreslår sprutbyte?")
    assert text.startswith(answer.text.strip())
    assert "[1] Eskilstuna (Liberalerna)" in text or "[1] Örebro (Liberalerna)" in text
    assert download["visible"] is True
    assert Path(download["value"]).read_text(encoding="utf-8") == text
    assert Path(download["value"]).name == "vem-foreslar-sprutbyte.md"
    box, download = latest_answer_export(new_session(), "sv")
    assert box["value"] == "" and download["visible"] is False


# --- uploads ------------------------------------------------------------------------------

PROGRAMME = """# Fritid för alla barn

## Fritidskort

Vi vill införa ett fritidskort för alla barn i kommunen, så att avgiften aldrig stänger ute
någon från idrott och kultur.
"""


@pytest.fixture
def small_assistant(tmp_path: Path, embeddings) -> Assistant:  # type: ignore[no-untyped-def]
    """An assistant over a writable one-programme corpus."""
    corpus = copy_corpus(tmp_path / "corpus", ["orebro"])
    settings = get_settings(corpus_dir=corpus, index_dir=tmp_path / "index")
    a = Assistant(settings, embeddings=embeddings)
    a.ingest()
    return a


def test_upload_adds_a_programme_that_is_searchable_at_once(
    small_assistant: Assistant, tmp_path: Path
) -> None:
    path = tmp_path / "upload" / "fritid.md"
    path.parent.mkdir()
    path.write_text(PROGRAMME, encoding="utf-8")
    steps: list[tuple[float, str]] = []
    ok, message = add_programme(
        small_assistant, str(path), " Moderaterna ", "Lund", "", 2026, "sv",
        lambda fraction, desc: steps.append((fraction, desc)),
    )  # fmt: skip
    assert ok, message
    assert "Tillagt och sökbart: Fritid för alla barn (Lund, Moderaterna) [fritid]" in message
    assert steps and steps[0][1] == t("sv", "upload_indexing")
    assert (small_assistant.settings.corpus_dir / "fritid.md").read_text() == PROGRAMME
    doc = small_assistant.document("fritid")
    assert (doc.party, doc.municipality, doc.year) == ("Moderaterna", "Lund", 2026)
    answer = small_assistant.ask("Vem vill införa fritidskort?")
    assert answer.municipalities == ["Lund"]
    assert answer.citations[0].doc_id == "fritid"

    ok, message = add_programme(small_assistant, str(path), "Moderaterna", "Lund", "", 2026)
    assert ok and "Programmet fanns redan, oförändrat: fritid.md" in message


@pytest.mark.parametrize(
    ("name", "content", "party", "municipality", "reason"),
    [
        ("program.docx", b"PK\x03\x04", "Moderaterna", "Lund",
         "program.docx: unsupported file type &#x27;.docx&#x27; (use one of .md"),
        ("utan-kommun.md", PROGRAMME.encode(), "Moderaterna", "",
         "utan-kommun.md: missing metadata: municipality"),
        ("tom.txt", b"   \n", "Moderaterna", "Lund", "tom.txt: file is empty"),
        ("binar.pdf", b"%PDF-1.4 trasig", "Moderaterna", "Lund", "binar.pdf: cannot read PDF"),
    ],
)  # fmt: skip
def test_upload_refuses_unusable_files_with_the_cli_reason(
    small_assistant: Assistant,
    tmp_path: Path,
    name: str,
    content: bytes,
    party: str,
    municipality: str,
    reason: str,
) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    before = sorted(p.name for p in small_assistant.settings.corpus_dir.iterdir())
    ok, message = add_programme(small_assistant, str(path), party, municipality, lang="en")
    assert not ok
    assert message.startswith('<div class="chat-error">⚠️ The programme was not added: ')
    assert reason in message
    assert "Traceback" not in message
    assert sorted(p.name for p in small_assistant.settings.corpus_dir.iterdir()) == before
    assert [d.doc_id for d in small_assistant.documents()] == ["orebro-liberalerna-socialpolitik"]


@pytest.mark.parametrize(
    "name",
    [
        "Orebro Liberalerna Socialpolitik.md",  # the same id, read before the programme
        "orebro_liberalerna_socialpolitik.md",  # the same id, read after it
    ],
)
def test_upload_never_displaces_a_programme_with_the_same_id(
    small_assistant: Assistant, tmp_path: Path, name: str
) -> None:
    before = sorted(p.name for p in small_assistant.settings.corpus_dir.iterdir())
    path = tmp_path / name
    path.write_text(PROGRAMME, encoding="utf-8")
    ok, message = add_programme(small_assistant, str(path), "Moderaterna", "Lund", lang="en")
    assert not ok
    assert (
        f"The programme was not added: {name}: id "
        "&#x27;orebro-liberalerna-socialpolitik&#x27; is already used by "
        "orebro-liberalerna-socialpolitik.md"
    ) in message
    assert sorted(p.name for p in small_assistant.settings.corpus_dir.iterdir()) == before
    doc = small_assistant.document("orebro-liberalerna-socialpolitik")
    assert doc.municipality == "Örebro"


def test_upload_without_a_file_says_so(small_assistant: Assistant) -> None:
    assert add_programme(small_assistant, None, "L", "Lund") == (
        False,
        '<div class="chat-error">⚠️ Välj en fil först.</div>',
    )


def test_upload_is_off_unless_enabled_and_needs_the_login_off_loopback(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    off = get_chat_settings()
    assert off.upload is False
    assert not upload_available(off, "127.0.0.1")
    assert not upload_permitted(off, "anna", "127.0.0.1")
    monkeypatch.setenv("RAG_UPLOAD", "true")
    on = get_chat_settings()
    assert upload_available(on, "127.0.0.1") and upload_available(on, "::1")
    assert not upload_available(on, "0.0.0.0")  # no login: never off loopback
    assert upload_permitted(on, None, "127.0.0.1")
    assert not upload_permitted(on, None, "192.168.1.20")  # e.g. an app bound to 0.0.0.0
    assert not upload_permitted(on, "", None)
    monkeypatch.setenv("RAG_AUTH_USER", "anna")
    monkeypatch.setenv("RAG_AUTH_PASSWORD", "hemligt")
    with_login = get_chat_settings()
    assert upload_available(with_login, "0.0.0.0")
    assert upload_permitted(with_login, "anna", "192.168.1.20")


UPLOADS = ChatSettings(upload=True)


def _has_upload_tab(app) -> bool:  # type: ignore[no-untyped-def]
    return any(c.get("props", {}).get("elem_id") == "upload-file" for c in app.config["components"])


def test_uploading_is_no_api_endpoint(small_assistant: Assistant) -> None:
    with serving(small_assistant, UPLOADS) as (url, app):
        assert _has_upload_tab(app)
        info = Client(url, verbose=False, analytics_enabled=False).view_api(
            print_info=False, return_format="dict"
        )
    assert list(info["named_endpoints"]) == ["/ask"]


def test_the_upload_tab_is_built_only_where_uploads_are_available(
    small_assistant: Assistant, assistant: Assistant
) -> None:
    assert _has_upload_tab(build_app(small_assistant, settings=UPLOADS))
    assert not _has_upload_tab(build_app(small_assistant, "0.0.0.0", UPLOADS))  # no login
    assert not _has_upload_tab(build_app(assistant))  # uploads not enabled
