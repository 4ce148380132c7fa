"""One document through the pure stages: load -> clean -> metadata -> extract.

Stages, in order (each a pure function of its input plus settings):

1. ``pipeline.load.load``: bytes on disk -> ``RawDocument`` (decoded text).
2. ``pipeline.clean.clean``: ``RawDocument`` -> ``Document`` (simplified clean
   text, offset map, truncation metadata).
3. ``pipeline.metadata.document_metadata``: title, org, region, year ... into
   ``Document.meta``.
4. an extractor from ``extractors.registry.EXTRACTORS``: ``Document`` ->
   ``list[Figure]`` with clean and raw offsets, status and period.
"""

from __future__ import annotations

from pipeline.types import Document, Figure


def clean_path(path: str, data: bytes | None = None, metadata: bool = False) -> Document:
    """Load and clean; with ``metadata``, also fill ``Document.meta`` with the document's metadata."""
    from pipeline.clean import clean
    from pipeline.load import load

    doc = clean(load(path, data))
    if metadata:
        from pipeline.metadata import document_metadata

        doc.meta.update(document_metadata(doc))
    return doc


def extract_path(path: str, extractor: str = "rules", data: bytes | None = None) -> tuple[Document, list[Figure]]:
    """``data``: the file's bytes, when already read (``load`` reads them otherwise)."""
    from extractors.registry import EXTRACTORS

    doc = clean_path(path, data, metadata=True)
    figures = EXTRACTORS.get(extractor)(doc)
    return doc, figures
