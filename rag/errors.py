"""The exceptions rag raises. Callers catch `RagError`; the CLI and UI turn it into a message.

RagError
├── ConfigError       a setting is unknown or invalid
├── CorpusError       the corpus folder or a file in it cannot be used
│   └── MetadataError a document lacks required metadata (party, municipality, …)
├── IndexUnavailable       the index is missing, corrupt, or the store cannot be reached
├── EmbeddingError    the embedding model cannot be loaded or run
├── QuestionError     the question is empty or unusable (also a ValueError)
└── AnswerError       an answer could not be produced
"""

from __future__ import annotations


class RagError(Exception):
    """Base of every error rag raises on purpose. `hint` says what to do about it."""

    def __init__(self, message: str, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return f"{self.message} ({self.hint})" if self.hint else self.message


class ConfigError(RagError, ValueError):
    pass


class CorpusError(RagError):
    pass


class MetadataError(CorpusError):
    pass


class IndexUnavailable(RagError):
    """The index cannot be read or written: missing, damaged, locked or unreachable."""


IndexError_ = IndexUnavailable
"""Former name of `IndexUnavailable`, kept for one release."""


class EmbeddingError(RagError):
    pass


class QuestionError(RagError, ValueError):
    pass


class AnswerError(RagError):
    pass
