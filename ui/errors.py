"""What the person at the browser reads when something fails: a short message instead of a
traceback; the internals of unexpected errors go to the log only."""

from __future__ import annotations

import logging

from rag import QuestionError, RagError
from ui.texts import t

log = logging.getLogger(__name__)


def friendly_error(error: Exception, lang: str, question: str = "") -> str:
    """A message for the chat instead of a traceback; internals of unexpected errors go to the
    log only."""
    if isinstance(error, QuestionError) and not question.strip():
        return t(lang, "error_empty")
    if isinstance(error, RagError | ValueError):
        return f"{t(lang, 'error_rag')}: {error}"
    log.exception("unexpected error in the web chat", exc_info=error)
    return t(lang, "error_other")
