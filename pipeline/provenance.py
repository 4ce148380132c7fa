"""The pipeline version: what produced a document's rows, so that a rerun knows what is done.

A rerun skips content stored under the same pipeline version (``ingest.stored_ids``). So the
version must change whenever the rows made from a file could: not only with huibao's release
number, but when a researcher adds an indicator or a boilerplate pattern to a TOML file (the
shipped one or an override in ``$HUIBAO_DATA_DIR``), when the code of a stage is edited in a
checkout, or when a library that reads or converts the text is upgraded. Otherwise the rerun
would answer "skipped" for documents whose figures the change would alter, and the corpus
would silently keep the old ones.

The version is ``RELEASE+EXTRACTOR.FINGERPRINT``, the fingerprint being the first 12 hex digits
of a SHA-256 over:

- the code of the modules a document goes through (``DOCUMENT_MODULES``), as their syntax
  tree without docstrings: editing a comment, a docstring or the layout changes nothing (a new
  Python version writes the trees differently, so it redoes the corpus once);
- the data those modules read (``DOCUMENT_DATA``), as ``load_data`` gives it, shipped file and
  override merged: a comment in a TOML file changes nothing, an entry does;
- the versions of the libraries on the document path (``DOCUMENT_DISTRIBUTIONS``);
- for ``model`` and ``ensemble``: the files of the model in use (``extractors.model.model_dir``).

Not in it: the code that runs the stages and stores their rows (``pipeline.ingest``,
``pipeline.run``, ``pipeline.store``): what it writes is fixed by the schema, whose changes
are migrations. ``tests/test_provenance.py`` checks that processing a file of every format
imports no other huibao module and reads no other data file than the ones listed here.
"""

from __future__ import annotations

import ast
import hashlib
import importlib.util
import json
import os
from functools import cache
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from pipeline.settings import USER_DIR_ENV, load_data

#: the modules whose code decides a document's rows, by extractor (load -> clean -> metadata -> extract)
_STAGES = ("pipeline.types", "pipeline.settings", "pipeline.registry", "pipeline.process", "pipeline.load",
           "pipeline.clean", "pipeline.metadata", "extractors.registry", "extractors.numbers",
           "extractors.rules", "extractors.reference", "extractors.linker")
DOCUMENT_MODULES: dict[str, tuple[str, ...]] = {
    "rules": _STAGES,
    "model": (*_STAGES, "extractors.model"),
    "ensemble": (*_STAGES, "extractors.model"),
}

#: the data files (``load_data(package, name)``) those modules read
_DATA = (("pipeline", "loaders"), ("pipeline", "boilerplate"), ("pipeline", "metadata"), ("pipeline", "regions"),
         ("extractors", "units"), ("extractors", "exclusions"), ("extractors", "subjects"),
         ("extractors", "reference"), ("extractors", "indicators"))
DOCUMENT_DATA: dict[str, tuple[tuple[str, str], ...]] = {
    "rules": _DATA,
    "model": (*_DATA, ("extractors", "model")),
    "ensemble": (*_DATA, ("extractors", "model")),
}

#: the libraries whose output becomes a document's text or figures: decoding, HTML extraction,
#: PDF and DOCX reading, traditional -> simplified, the regex engine, jieba (long subjects are
#: cut between its words) and cpca (its division table names regions)
_LIBRARIES = ("charset-normalizer", "trafilatura", "lxml", "pdfplumber", "pdfminer.six", "pypdfium2",
              "python-docx", "opencc", "regex", "jieba", "cpca")
DOCUMENT_DISTRIBUTIONS: dict[str, tuple[str, ...]] = {
    "rules": _LIBRARIES,
    "model": (*_LIBRARIES, "spacy"),
    "ensemble": (*_LIBRARIES, "spacy"),
}


@cache
def release() -> str:
    """The huibao release: installed metadata, else the pyproject.toml beside the code."""
    import tomllib

    try:
        return version("huibao")
    except PackageNotFoundError:
        pyproject = Path(__file__).resolve().parent.parent / "pyproject.toml"
        try:
            with pyproject.open("rb") as f:
                return str(tomllib.load(f)["project"]["version"])
        except (OSError, KeyError, tomllib.TOMLDecodeError):
            return "0+unknown"


def _code(module: str) -> bytes:
    """The module's code as ``_syntax`` gives it (its file's bytes when it has no source)."""
    spec = importlib.util.find_spec(module)
    if spec is None or spec.origin is None:
        return f"{module}: not found".encode()
    data = Path(spec.origin).read_bytes()
    return _syntax(data) if spec.origin.endswith(".py") else data


def _syntax(source: bytes) -> bytes:
    """Python source as its syntax tree without docstrings: comments, docstrings and layout drop out.

    >>> _syntax(b'def f(x):\\n    "Add one."\\n    return x + 1  # one') == _syntax(b"def f(x): return x+1")
    True
    >>> _syntax(b"def f(x): return x + 1") == _syntax(b"def f(x): return x + 2")
    False
    """
    tree = ast.parse(source)
    for node in ast.walk(tree):
        body = getattr(node, "body", None)
        if (isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef) and body
                and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant)
                and isinstance(body[0].value.value, str)):
            node.body = body[1:] or [ast.Pass()]
    return ast.dump(tree).encode()


def _library(dist: str) -> str:
    try:
        return version(dist)
    except PackageNotFoundError:
        return "absent"


def _model_files() -> list[tuple[str, bytes]]:
    from extractors.model import model_dir

    root = model_dir()
    return [(str(p.relative_to(root)), p.read_bytes()) for p in sorted(root.rglob("*")) if p.is_file()]


def fingerprint(extractor: str = "rules") -> str:
    """12 hex digits that change when the code, data, libraries or model behind ``extractor`` do.

    Cached per extractor, ``$HUIBAO_DATA_DIR`` and (for the model) ``$HUIBAO_MODEL``.
    """
    model = None
    if extractor in ("model", "ensemble"):
        from extractors.model import MODEL_ENV

        model = os.environ.get(MODEL_ENV)
    return _fingerprint(extractor, os.environ.get(USER_DIR_ENV), model)


def _extractor_modules(extractor: str) -> tuple[str, ...]:
    """The modules behind ``extractor``: the listed ones, or for an extractor registered by other code,
    the stages and the module that defines its function (what that function calls is not known)."""
    if extractor in DOCUMENT_MODULES:
        return DOCUMENT_MODULES[extractor]
    from extractors.registry import EXTRACTORS

    if extractor not in EXTRACTORS:
        raise KeyError(f"no extractor {extractor!r} is registered")
    return (*_STAGES, EXTRACTORS.get(extractor).__module__)


@cache
def _fingerprint(extractor: str, _data_dir: str | None, _model: str | None) -> str:
    modules = _extractor_modules(extractor)
    h = hashlib.sha256()

    def part(name: str, data: bytes) -> None:
        h.update(f"{name}\0{len(data)}\0".encode())
        h.update(data)

    for module in dict.fromkeys(modules):
        part(module, _code(module))
    for package, name in DOCUMENT_DATA.get(extractor, _DATA):
        part(f"{package}/{name}", json.dumps(load_data(package, name), sort_keys=True, ensure_ascii=False,
                                             default=str).encode())
    for dist in DOCUMENT_DISTRIBUTIONS.get(extractor, _LIBRARIES):
        part(dist, _library(dist).encode())
    if extractor in ("model", "ensemble"):
        for name, data in _model_files():
            part(f"model/{name}", data)
    return h.hexdigest()[:12]


def pipeline_version(extractor: str = "rules") -> str:
    """What produced a document's rows: a rerun with another value redoes the document.

    >>> v = pipeline_version("rules")
    >>> v.split("+")[1].split(".")[0], len(v.split(".")[-1])
    ('rules', 12)
    """
    return f"{release()}+{extractor}.{fingerprint(extractor)}"
