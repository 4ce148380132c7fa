"""Extractors by name: ``EXTRACTORS.get("rules")(doc) -> list[Figure]``.

``rules`` (extractors.rules, the default), ``model`` (the trained span categoriser of
extractors.model) and ``ensemble`` (rule figures completed by the model).

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


@EXTRACTORS.register("model")
def _model(doc: Document) -> list[Figure]:
    from extractors.model import extract

    return extract(doc)


@EXTRACTORS.register("ensemble")
def _ensemble(doc: Document) -> list[Figure]:
    from extractors.model import ensemble

    return ensemble(doc)
