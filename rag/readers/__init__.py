"""Read programmes from files into labelled documents of light Markdown.

Every format becomes the same light Markdown: `#`/`##`/`###` heading lines, blank-line
separated paragraphs and `- ` bullets. `Document.text` is that cleaned text; all offsets point
into it. One module per format (`text`, `html`, `pdf`), `cleaning` for scraped debris,
`metadata` for front matter, sidecars and the metadata table, `documents` to put them together,
`stamps` for what decides each file's document, so that an unchanged file is not read again.
"""

from rag.readers.cleaning import clean_text
from rag.readers.documents import (
    SUFFIXES,
    Loaded,
    Problem,
    content_hash,
    corpus_files,
    load_corpus,
    load_documents,
    read_corpus,
    read_document,
    read_documents,
    read_labelled,
    read_source,
    slugify,
)
from rag.readers.files import MAX_FILE_BYTES
from rag.readers.metadata import (
    SIDECAR_SUFFIX,
    TABLE_NAME,
    read_sidecar,
    read_table,
    sidecar_path,
    split_front_matter,
    title_from_filename,
    writable_table,
    write_rows,
    write_sidecar,
)
from rag.readers.stamps import Earlier, Record

__all__ = [
    "MAX_FILE_BYTES",
    "SIDECAR_SUFFIX",
    "SUFFIXES",
    "TABLE_NAME",
    "Earlier",
    "Loaded",
    "Problem",
    "Record",
    "clean_text",
    "content_hash",
    "corpus_files",
    "load_corpus",
    "load_documents",
    "read_corpus",
    "read_document",
    "read_documents",
    "read_labelled",
    "read_sidecar",
    "read_source",
    "read_table",
    "sidecar_path",
    "slugify",
    "split_front_matter",
    "title_from_filename",
    "writable_table",
    "write_rows",
    "write_sidecar",
]
