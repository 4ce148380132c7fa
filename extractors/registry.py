"""Extractors by name: ``EXTRACTORS.get("rules")(doc) -> list[Figure]``.

A second registration of a name is an error (``pipeline.registry.Registry``).
"""

from __future__ import annotations

from collections.abc import Callable

from pipeline.registry import Registry
from pipeline.types import Document, Figure

Extractor = Callable[[Document], list[Figure]]

EXTRACTORS: Registry[Extractor] = Registry("extractors")


@EXTRACTORS.register("rules")
def _rules(doc: Document) -> list[Figure]:
    from extractors.rules import extract

    return extract(doc)
