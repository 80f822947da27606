"""Question answering over Swedish local social-policy programmes, with verified citations."""

from rag.assistant import Assistant
from rag.config import Settings, get_settings
from rag.errors import (
    AnswerError,
    ConfigError,
    CorpusError,
    EmbeddingError,
    IndexError_,
    IndexUnavailable,
    MetadataError,
    QuestionError,
    RagError,
)
from rag.index import IngestReport
from rag.progress import Progress
from rag.types import Answer, Chunk, Citation, Document, Passage, Verdict

__all__ = [
    "Answer",
    "AnswerError",
    "Assistant",
    "Chunk",
    "Citation",
    "ConfigError",
    "CorpusError",
    "Document",
    "EmbeddingError",
    "IndexError_",
    "IndexUnavailable",
    "IngestReport",
    "MetadataError",
    "Passage",
    "Progress",
    "QuestionError",
    "RagError",
    "Settings",
    "Verdict",
    "get_settings",
]
