"""The records that flow through the pipeline.

``path/bytes ─ load ─▶ RawDocument ─ clean ─▶ Document ─ extract ─▶ Figure``

Every stage is a pure function of its input plus settings, so the same code
runs in one process, a process pool or on a Dask cluster.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from typing import Any


class HuibaoError(Exception):
    """Base of the errors huibao reports to users as one line."""


class LoadError(HuibaoError):
    """A file that cannot be read: names the file and the reason.

    >>> str(LoadError("a.pdf", "encrypted PDF"))
    'a.pdf: encrypted PDF'
    """

    def __init__(self, path: str, reason: str):
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason


@dataclass
class RawDocument:
    """What a loader read: the decoded source text and how it was read.

    ``text`` is the reference for ``raw_start``/``raw_end`` offsets. ``pages``
    holds the offset in ``text`` where each page starts (PDF only).
    """

    path: str
    format: str
    text: str
    encoding: str | None = None
    pages: list[int] = field(default_factory=list)
    meta: dict[str, Any] = field(default_factory=dict)

    def page_of(self, offset: int) -> int | None:
        """1-based page number holding raw ``offset`` (None without pages).

        >>> RawDocument("x.pdf", "pdf", "ab\\ncd", pages=[0, 3]).page_of(4)
        2
        """
        if not self.pages:
            return None
        page = 0
        for i, start in enumerate(self.pages):
            if start <= offset:
                page = i
            else:
                break
        return page + 1


@dataclass
class Document:
    """Cleaned, simplified text plus a map from every clean character to the raw one.

    ``offsets[i]`` is the index in ``raw.text`` of the character that clean
    character ``i`` came from; ``offsets`` has one extra final entry, the raw
    end, so that ``raw_span(start, end)`` works for spans ending at the text end.
    """

    raw: RawDocument
    text: str
    offsets: Sequence[int]  # a list; an ``array('q')`` for a long text (``clean.COMPACT_OFFSETS_FROM``)
    meta: dict[str, Any] = field(default_factory=dict)

    @property
    def path(self) -> str:
        return self.raw.path

    def raw_span(self, start: int, end: int) -> tuple[int, int]:
        """Raw offsets of the clean span ``[start, end)``.

        >>> raw = RawDocument("x.txt", "txt", "a<b>bc")
        >>> Document(raw, "abc", [0, 4, 5, 6]).raw_span(1, 3)
        (4, 6)
        """
        if start >= end:
            r = self.offsets[start]
            return r, r
        return self.offsets[start], self.offsets[end - 1] + 1


@dataclass
class Figure:
    """One figure, with the fields of the ``extract --format jsonl`` contract (DESIGN.md)."""

    text: str
    value: float | int | None
    kind: str  # count | money | percent | other
    unit: str | None
    start: int
    end: int
    high: float | int | None = None
    approx: str | None = None
    subject: str | None = None
    indicator: str | None = None
    redacted: bool = False
    status: str | None = None  # actual | target
    period: int | list[int] | None = None
    role: str | None = None  # total | part
    parent: int | None = None  # index (in the document's figure list) of the total a part belongs to
    raw_start: int | None = None
    raw_end: int | None = None
    sentence: str | None = None
    extractor: str = "rules"
    confidence: float | None = None
    # The indicator linker's (extractors/linker.py) probability for ``indicator`` when the linker
    # set it (null when the taxonomy's aliases did), or, with ``indicator`` null, for
    # ``indicator_candidate``: a link it was not sure enough of to store. Properties, not dataclass
    # fields: the store's figure columns are ``fields(Figure)`` and take these when a migration
    # adds them. ``to_dict`` (the jsonl contract) carries them.
    @property
    def indicator_candidate(self) -> str | None:
        return self.__dict__.get("_indicator_candidate")

    @indicator_candidate.setter
    def indicator_candidate(self, value: str | None) -> None:
        self.__dict__["_indicator_candidate"] = value

    @property
    def indicator_confidence(self) -> float | None:
        return self.__dict__.get("_indicator_confidence")

    @indicator_confidence.setter
    def indicator_confidence(self, value: float | None) -> None:
        self.__dict__["_indicator_confidence"] = value

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["indicator_candidate"] = self.indicator_candidate
        d["indicator_confidence"] = self.indicator_confidence
        return d


#: characters of a figure's ``sentence`` at most. A text without sentence punctuation (a list
#: joined by commas, a page of one line) would give every figure the whole text: a 650,000-character
#: page of 50,000 figures asked the corpus to store ~97 GB of sentences (50,000 x 650,000 characters in
#: UTF-8): its ingest wrote for 103 s and ended in a database error (SQLite's rollback on the full disk)
MAX_SENTENCE = 600


def sentence_of(text: str, s0: int, s1: int, start: int, end: int) -> str:
    """The sentence ``text[s0:s1]`` of the figure at ``[start, end)``, stripped; a longer one than
    ``MAX_SENTENCE`` is cut to the characters around the figure (still a slice of ``text``).

    >>> sentence_of("全区建成125个。", 0, 9, 4, 8)
    '全区建成125个。'
    >>> s = sentence_of("甲，" * 1000 + "建成125个" + "，乙" * 1000, 0, 4006, 2002, 2006)
    >>> len(s) <= MAX_SENTENCE and "建成125个" in s
    True
    """
    if s1 - s0 > MAX_SENTENCE:
        side = max(0, (MAX_SENTENCE - (end - start)) // 2)
        s0, s1 = max(s0, start - side), min(s1, end + side)
    return text[s0:s1].strip()
