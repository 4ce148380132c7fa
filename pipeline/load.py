"""Stage 1: bytes on disk -> ``RawDocument`` (decoded text, the reference for raw offsets).

``load(path)`` runs, in order:

1. map the extension to a format (``EXTENSIONS``; unknown -> ``LoadError`` naming the known ones);
2. read the bytes (``read_input``: a missing, unreadable or empty file, one that is no regular file
   (a FIFO would block the read forever), a symlink loop, a file over ``[input] max_file_mb``, a
   text file over ``[input] max_text_mb`` -> ``LoadError`` saying which);
3. sniff the content: vendor encryption wrappers fail at once; binary containers (PDF, ZIP, OLE)
   decide the format whatever the extension says (a ``.doc`` that is really a DOCX is read as one),
   and a binary extension over text fails clearly (a "DOCX" that is not a zip);
4. run the loader registered in ``LOADERS`` for that format; a text it returns over
   ``[input] max_text_mb`` is refused too (what the later stages hold in memory grows with it).

Every loader returns the text it hands downstream *exactly*: line endings are normalised to ``\\n``
before the ``RawDocument`` is built, so raw offsets index the returned text. Library errors are
caught and wrapped: for bad input only ``LoadError`` leaves this module.

Heavy libraries (pypdfium2, pdfplumber, python-docx, trafilatura, lxml, charset-normalizer) are imported inside
the loaders that need them, so bulk ingest of plain text pays for none of them.
"""

from __future__ import annotations

import codecs
import io
import logging
import os
import re
import shutil
import stat
import subprocess
import threading
from collections.abc import Callable, Iterable
from functools import cache
from typing import Any, NamedTuple

from pipeline.registry import Registry
from pipeline.settings import load_data
from pipeline.types import HuibaoError, LoadError, RawDocument

#: a loader gets the path as given (for messages and external tools) and the file's bytes
Loader = Callable[[str, bytes], RawDocument]

LOADERS: Registry[Loader] = Registry("loaders")

#: extension (lower case) -> registered loader name
EXTENSIONS: dict[str, str] = {
    ".txt": "txt",
    ".text": "txt",
    ".html": "html",
    ".htm": "html",
    ".pdf": "pdf",
    ".docx": "docx",
    ".doc": "doc",
}

# Below this share of "expected" characters (printable ASCII, whitespace, GB2312 / Big5 level-1
# characters and symbols) a decoding is not text: real reports score > 0.95 (rare names and
# symbols are the rest); random bytes that happen to decode score far lower.
MIN_TEXT_SHARE = 0.6
# Above this share of undecodable bytes (U+FFFD) a reading is the wrong codec or binary; below it,
# a text with a few damaged bytes (cut mid-character, a pasted fragment in another encoding).
MAX_REPLACED_SHARE = 0.01
# Text quality is judged on a prefix: enough to tell text from binary, cheap on 100k-file ingests.
TEXT_SAMPLE_CHARS = 5_000
# Above this share of garbled glyphs ("(cid:N)" from fonts without a ToUnicode map, U+FFFD, private
# use code points) a PDF's text layer cannot be trusted: below it, garbling is usually a few bullet
# or dash glyphs of a symbol font; above it, body-text fonts are unmapped and figures would be read
# wrong or silently missed.
MAX_GARBLED_SHARE = 0.05
# Fewer non-space characters than this per page on average: the PDF has no real text layer (scans
# often carry only a page number or a producer stamp as text).
MIN_PDF_CHARS_PER_PAGE = 20
# antiword on a 100-page .doc takes well under a second; a hang is a broken file.
ANTIWORD_TIMEOUT_S = 60
# Longest library message kept in a reason, so the error stays one readable line.
MAX_REASON_DETAIL = 120

_PDF_MAGIC = b"%PDF-"
_ZIP_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# An encrypted OOXML file (password-protected .docx/.xlsx) is an OLE container with these streams.
_OLE_ENCRYPTED_STREAMS = ("EncryptionInfo".encode("utf-16-le"), "EncryptedPackage".encode("utf-16-le"))

_BOMS: tuple[tuple[bytes, str], ...] = (
    (b"\xef\xbb\xbf", "utf-8-sig"),
    (b"\xff\xfe\x00\x00", "utf-32"),  # before utf-16 LE: same first two bytes
    (b"\x00\x00\xfe\xff", "utf-32"),
    (b"\xff\xfe", "utf-16"),
    (b"\xfe\xff", "utf-16"),
)


def load(path: str | os.PathLike[str], data: bytes | None = None) -> RawDocument:
    """Read one document; ``LoadError(path, reason)`` for anything unreadable.

    ``data``: the file's bytes when the caller has already read them (ingest hashes them first).
    """
    name = os.fspath(path)
    fmt = _format_from_extension(name)
    if data is None:
        data = read_input(name)
    if not data[:4096].strip() and not data.strip():
        raise LoadError(name, "empty file")
    actual = _format_from_content(name, fmt, data)
    max_text = limit_mb("max_text_mb")
    if actual in ("txt", "html") and len(data) > max_text * 2**20:  # refused before it is decoded
        raise LoadError(name, f"text file of {_mb(len(data))}, over the {max_text:g} MB of "
                              "loaders.toml [input] max_text_mb")
    raw = LOADERS.get(actual)(name, data)
    if _SURROGATE.search(raw.text):  # half a UTF-16 pair from a PDF's or a library's text: no character
        raw.text = _SURROGATE.sub("\ufffd", raw.text)
        raw.meta["decode_errors"] = raw.meta.get("decode_errors", 0) + 1
    size = _utf8_size_over(raw.text, max_text * 2**20)
    if size is not None:
        raise LoadError(name, f"its text is {_mb(size)} (UTF-8), over the {max_text:g} MB of "
                              "loaders.toml [input] max_text_mb")
    if actual != fmt:
        raw.meta["extension_format"] = fmt
    return raw


def limit_mb(key: str) -> float:
    """A size limit of ``loaders.toml`` ``[input]``, in MB (a float: tests set tiny ones)."""
    return float(load_data("pipeline", "loaders").get("input", {}).get(key, _INPUT_DEFAULTS[key]))


#: used when a user's loaders.toml replaces the [input] table without a key
_INPUT_DEFAULTS = {"max_file_mb": 256, "max_text_mb": 20}


def _mb(n: int) -> str:
    """
    >>> _mb(52_428_800), _mb(1_500)
    ('50.0 MB', '0.0014 MB')
    """
    mb = n / 2**20
    return f"{mb:,.1f} MB" if mb >= 0.1 else f"{mb:.2g} MB"


def _utf8_size_over(text: str, limit: float) -> int | None:
    """The UTF-8 size of ``text`` when it is over ``limit`` bytes, else None; encodes only a
    text whose length leaves it in doubt (a character is 1 to 4 bytes).

    >>> _utf8_size_over("汇报" * 10, 50), _utf8_size_over("汇报" * 10, 60), _utf8_size_over("ab", 1)
    (60, None, 2)
    """
    if len(text) * 4 <= limit:
        return None
    size = len(text) if text.isascii() else len(text.encode("utf-8", "surrogatepass"))
    return size if size > limit else None


#: the reason of a path that names nothing (``ingest`` reports such a path without storing a row)
NO_SUCH_FILE = "no such file"

#: what ``read_input`` calls a file that is not a regular one
_FILE_KINDS = (
    (stat.S_ISFIFO, "a named pipe (FIFO): reading it would wait for a writer"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
)


def read_input(path: str) -> bytes:
    """The bytes of the input file at ``path``; ``LoadError`` saying what is wrong otherwise.

    Only a regular file is read: a FIFO would block the read forever (opened without blocking,
    it is refused by what ``fstat`` says it is), a device never ends. A file over
    ``[input] max_file_mb`` is refused before a byte is read. A symlink loop and a broken
    symlink are named as such, not as a missing file.
    """
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except OSError as e:
        raise LoadError(path, _open_error(path, e)) from None
    try:
        st = os.fstat(fd)
        if stat.S_ISDIR(st.st_mode):
            raise LoadError(path, "is a directory")
        if not stat.S_ISREG(st.st_mode):
            kind = next((what for test, what in _FILE_KINDS if test(st.st_mode)), "a special file")
            raise LoadError(path, f"not a regular file: {kind}")
        max_file = limit_mb("max_file_mb")
        limit = int(max_file * 2**20)
        too_big = f"over the {max_file:g} MB of loaders.toml [input] max_file_mb"
        if st.st_size > limit:
            raise LoadError(path, f"file of {_mb(st.st_size)}, {too_big}")
    except BaseException:
        os.close(fd)
        raise
    with open(fd, "rb", closefd=True) as f:
        try:
            # its size and one byte more: a file that grew since fstat is read on to the limit
            data = f.read(st.st_size + 1)
            if len(data) > st.st_size:
                data += f.read(limit + 1 - len(data))
        except OSError as e:
            raise LoadError(path, f"cannot read ({e.strerror or e})") from None
        if len(data) > limit:
            raise LoadError(path, f"file of more than {_mb(limit)}, {too_big}")
    return data


def _open_error(path: str, e: OSError) -> str:
    """What an ``os.open`` error means for an input, said plainly."""
    import errno

    if e.errno == errno.ENOENT:
        if os.path.islink(path):
            return f"broken symbolic link (its target {os.readlink(path)} does not exist)"
        return NO_SUCH_FILE
    if e.errno == errno.ELOOP:
        return "symbolic link loop (too many levels of symbolic links)"
    if e.errno in (errno.EACCES, errno.EPERM):
        return "permission denied"
    if e.errno == errno.ENXIO:  # opening a socket file
        return "not a regular file: a socket"
    if e.errno == errno.ENOTDIR:
        return "no such file (a part of its path is not a folder)"
    return f"cannot read ({e.strerror or e})"


#: a UTF-16 surrogate code point: half of a pair, no character of its own, and a str holding one
#: cannot be written as UTF-8 (the corpus database refused the whole run: UnicodeEncodeError)
_SURROGATE = re.compile("[\ud800-\udfff]")


def _format_from_extension(name: str) -> str:
    ext = os.path.splitext(name)[1].lower()
    known = ", ".join(sorted(EXTENSIONS))
    if not ext:
        raise LoadError(name, f"no file extension (known: {known})")
    if ext not in EXTENSIONS:
        raise LoadError(name, f"unknown extension {ext!r} (known: {known})")
    return EXTENSIONS[ext]


def sniff(data: bytes) -> str | None:
    """The container a file's first bytes reveal: pdf, zip, ole, rtf, html or None (plain text?).

    >>> sniff(b"%PDF-1.7 ..."), sniff(b"PK\\x03\\x04..."), sniff(b"{\\\\rtf1\\\\ansi"), sniff("汇报".encode())
    ('pdf', 'zip', 'rtf', None)
    >>> sniff(b"\\xef\\xbb\\xbf  <!DOCTYPE html><html>")
    'html'
    """
    head = data[:1024]
    if head.lstrip().startswith(_PDF_MAGIC):
        return "pdf"
    if head.startswith(_ZIP_MAGIC):
        return "zip"
    if head.startswith(_OLE_MAGIC):
        return "ole"
    start = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if start.startswith(b"{\\rtf"):
        return "rtf"
    if start.startswith((b"<!doctype html", b"<html", b"<?xml")) and b"<html" in head.lower():
        return "html"
    return None


def _wrapper(data: bytes) -> str | None:
    for w in load_data("pipeline", "loaders").get("wrappers", []):
        if data.startswith(w["magic"].encode("latin-1")):
            return str(w["what"])
    return None


def _format_from_content(name: str, fmt: str, data: bytes) -> str:
    """The loader to use: binary containers win over the extension; binary extensions need them."""
    wrapped = _wrapper(data)
    if wrapped:
        what = {"docx": "a DOCX", "doc": "a Word .doc", "pdf": "a PDF"}.get(fmt, "text")
        raise LoadError(name, f"encrypted or not {what}: {wrapped}")
    kind = sniff(data)
    if fmt == "pdf" and _PDF_MAGIC in data[:1024]:  # readers accept junk before the header, so do we
        kind = "pdf"
    if kind == "ole" and any(s in data for s in _OLE_ENCRYPTED_STREAMS):
        raise LoadError(name, "encrypted (password-protected) Office file: OLE container with EncryptedPackage")
    content_format = {"pdf": "pdf", "zip": "docx", "ole": "doc"}.get(kind or "")
    if content_format:
        return content_format
    if fmt in ("txt", "html"):
        return fmt
    if fmt == "doc" and kind == "html":  # Word's "save as web page" keeps .doc; common on gov sites
        return "html"
    looks = {"rtf": "an RTF document", "html": "an HTML page"}.get(kind or "") or _text_or_binary(data)
    expected = {"pdf": "a PDF (no %PDF- header)", "docx": "a DOCX (not a zip archive)",
                "doc": "a Word .doc (no OLE container)"}[fmt]
    raise LoadError(name, f"not {expected}: looks like {looks}")


def _text_or_binary(data: bytes) -> str:
    try:
        decode_text(data[:4096])
    except ValueError:
        return "unknown binary data"
    return "plain text"


def _detail(e: BaseException) -> str:
    """A library exception as a short one-line reason fragment.

    >>> _detail(KeyError("There is no item named 'word/document.xml' in the archive"))
    'KeyError: "There is no item named \\'word/document.xml\\' in the archive"'
    """
    msg = str(e).strip().splitlines()[0] if str(e).strip() else ""
    out = f"{type(e).__name__}: {msg}" if msg else type(e).__name__
    return out if len(out) <= MAX_REASON_DETAIL else out[: MAX_REASON_DETAIL - 1] + "…"


def normalize_newlines(text: str) -> str:
    r"""CRLF and lone CR become LF (old Mac files and some scrapers use bare CR).

    >>> normalize_newlines("a\r\nb\rc\n")
    'a\nb\nc\n'
    """
    return text.replace("\r\n", "\n").replace("\r", "\n")


# ---------------------------------------------------------------- text decoding


@cache
def _expected_chars(codec: str) -> frozenset[str]:
    """Characters a real Chinese text in ``codec`` is made of, besides ASCII.

    GB2312 for gb18030 (its 6763 common hanzi and symbols), Big5 symbols and level-1 (common)
    hanzi for big5, both for Unicode encodings. Scoring a decoding by this set is what tells
    GBK bytes read as Big5 (rare level-2 hanzi) from the right reading.
    """
    gb: set[str] = set()
    for lead in range(0xA1, 0xF8):
        for trail in range(0xA1, 0xFF):
            try:
                gb.add(bytes((lead, trail)).decode("gb2312"))
            except UnicodeDecodeError:
                pass
    big5: set[str] = set()
    for lead in range(0xA1, 0xC7):  # A1-A3 symbols, A4-C6 level-1 hanzi
        for trail in list(range(0x40, 0x7F)) + list(range(0xA1, 0xFF)):
            try:
                big5.add(bytes((lead, trail)).decode("big5"))
            except UnicodeDecodeError:
                pass
    if codec.startswith("gb"):
        return frozenset(gb)
    if codec.startswith("big5"):
        return frozenset(big5)
    # fullwidth forms and general punctuation beyond both sets still occur in Unicode text
    extra = {chr(c) for c in range(0xFF01, 0xFF5F)} | {chr(c) for c in range(0x2010, 0x2070)}
    return frozenset(gb | big5 | extra)


def text_share(text: str, codec: str = "utf_8") -> float:
    """Share of non-space characters a Chinese/ASCII text is expected to consist of.

    >>> text_share("全区已建成儿童之家125个。")
    1.0
    >>> text_share("\\x00\\x01\\x02ab") < MIN_TEXT_SHARE
    True
    >>> text_share("淉葬", "big5") < text_share("政府", "gb18030")
    True
    """
    sample = text[:TEXT_SAMPLE_CHARS]
    total = len(sample) - _spaces(sample)
    # one character class of everything else, found by ``re`` in C: a per-character Python loop
    # was 4% of a bulk ingest, and a str.translate deleting the expected characters 0.15 ms a text
    good = total - len(_unexpected(codec).findall(sample))
    return good / total if total else 0.0


_SPACES = " \t\n\r\f\v\u3000\ufeff"


def _spaces(text: str) -> int:
    return sum(text.count(c) for c in _SPACES)


@cache
def _unexpected(codec: str) -> re.Pattern[str]:
    """One character that ``text_share`` counts neither as good nor as space."""
    good = set(_expected_chars(codec)) | {chr(c) for c in range(0x21, 0x7F)} | set(_SPACES)
    return re.compile("[^" + "".join(map(re.escape, sorted(good))) + "]")


class Decoded(NamedTuple):
    text: str
    encoding: str  # Python's canonical codec name: utf-8, utf-8-sig, utf-16, gb18030, big5...
    replaced: int  # undecodable byte sequences, shown as U+FFFD in ``text``


def _codec_name(codec: str) -> str:
    """
    >>> _codec_name("utf_16"), _codec_name("GB18030"), _codec_name("no-such-codec")
    ('utf-16', 'gb18030', 'no-such-codec')
    """
    try:
        return codecs.lookup(codec).name
    except LookupError:
        return codec


def _candidate_decodings(data: bytes, declared: str | None) -> Iterable[tuple[str, str]]:
    """(codec, text) readings worth scoring; on ties the earlier wins (declared, charset-normalizer's)."""
    from charset_normalizer import from_bytes

    seen: set[str] = set()

    def once(codec: str) -> bool:
        name = _codec_name(codec)
        if name in seen:
            return False
        seen.add(name)
        return True

    if declared and once(declared):
        try:
            yield declared, data.decode(declared, errors="replace")
        except LookupError:  # an unknown label in <meta charset>
            pass
    for match in from_bytes(data, cp_isolation=load_data("pipeline", "loaders")["text"]["candidates"]):
        if once(match.encoding):
            yield match.encoding, str(match)
    # charset-normalizer drops or misranks the other CJK reading of very short text, and finds
    # nothing when a few bytes are damaged (truncated download): score every candidate ourselves
    fallbacks = ["utf_8", "gb18030", "big5"]
    if b"\x00" in data and len(data) % 2 == 0:  # UTF-16 without a BOM
        fallbacks += ["utf_16_le", "utf_16_be"]
    for codec in fallbacks:
        if once(codec):
            yield codec, data.decode(codec, errors="replace")


def _replaced_ok(text: str) -> bool:
    r"""True when U+FFFD (bytes that did not decode) is at most ``MAX_REPLACED_SHARE`` of the text.

    >>> _replaced_ok("汇报" * 100 + "�"), _replaced_ok("汇�")
    (True, False)
    """
    sample = text[:TEXT_SAMPLE_CHARS]
    return sample.count("\ufffd") <= MAX_REPLACED_SHARE * len(sample)


def decode_text(data: bytes, declared: str | None = None) -> Decoded:
    """Text bytes decoded: BOM, strict UTF-8, else the best-scoring of the ``declared`` codec,
    charset-normalizer's guesses and gb18030 / big5 / utf-8 read with replacement.

    Raises ``ValueError`` with the reason when no reading looks like text.

    >>> decode_text("工作总结".encode("gbk"))
    Decoded(text='工作总结', encoding='gb18030', replaced=0)
    >>> decode_text("\ufeff汇报".encode("utf-8"))
    Decoded(text='汇报', encoding='utf-8-sig', replaced=0)
    >>> decode_text(("年度工作总结" * 20).encode("utf-8")[:-1]).encoding  # cut inside the last character
    'utf-8'
    """
    for bom, codec in _BOMS:
        if data.startswith(bom):
            try:
                text = data.decode(codec)
            except UnicodeDecodeError:
                break  # a BOM-like start on a non-Unicode file: detect below
            if text_share(text, codec) < MIN_TEXT_SHARE:
                raise ValueError("undetectable encoding / not text")
            return Decoded(text.lstrip("\ufeff"), _codec_name(codec), 0)
    if b"\x00" not in data:  # fast path; NULs are valid UTF-8 but only UTF-16/32 and binary have them
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            pass
        else:
            if text_share(text) < MIN_TEXT_SHARE:
                raise ValueError("undetectable encoding / not text")
            return Decoded(text, "utf-8", 0)
    best: tuple[float, str, str] | None = None
    for codec, text in _candidate_decodings(data, declared):
        if not _replaced_ok(text):
            continue
        score = text_share(text, codec)
        if best is None or score > best[0]:
            best = (score, codec, text)
    if best is None or best[0] < MIN_TEXT_SHARE:
        raise ValueError("undetectable encoding / not text")
    score, codec, text = best
    return Decoded(text, _codec_name(codec), text.count("\ufffd"))


def _decode_or_fail(path: str, data: bytes, declared: str | None = None) -> Decoded:
    try:
        return decode_text(data, declared)
    except ValueError as e:
        raise LoadError(path, str(e)) from None


@LOADERS.register("txt")
def load_txt(path: str, data: bytes) -> RawDocument:
    decoded = _decode_or_fail(path, data)
    text = normalize_newlines(decoded.text)
    if not text.strip():
        raise LoadError(path, "empty file")
    meta: dict[str, Any] = {"decode_errors": decoded.replaced} if decoded.replaced else {}
    return RawDocument(path=path, format="txt", text=text, encoding=decoded.encoding, meta=meta)


# ---------------------------------------------------------------- HTML

_META_CHARSET = re.compile(
    rb"""(?xi)
    <meta [^>]*?                 # any <meta> tag: <meta charset=...> or http-equiv content=...
    charset \s* = \s* ["']? \s*  # the charset attribute or the charset= inside content
    ([a-z0-9_.:-]+)              # the label
    """
)
_XML_DECL = re.compile(r"^\s*<\?xml[^>]*>")
_BLOCK_TAGS = frozenset(
    "address article aside blockquote br dd div dl dt fieldset figcaption figure footer form h1 h2 h3 h4 h5 "
    "h6 header hr li main nav ol p pre section table tbody thead tfoot tr ul".split()
)
# inside a text node, source line breaks and tabs are just spaces to a browser
_WS = re.compile(r"\s+")
_CELL_TAGS = frozenset({"td", "th"})
_INVISIBLE_TAGS = frozenset({"script", "style", "noscript", "template", "head", "title", "iframe", "svg"})


def _declared_charset(data: bytes) -> str | None:
    """The <meta> charset, mapped to the superset codec browsers use.

    >>> _declared_charset(b'<meta http-equiv="Content-Type" content="text/html; charset=GB2312">')
    'gb18030'
    >>> _declared_charset(b"<html><body>no meta</body></html>") is None
    True
    """
    m = _META_CHARSET.search(data[:4096])
    if not m:
        return None
    label = m.group(1).decode("ascii").lower()
    return str(load_data("pipeline", "loaders")["html"]["charset_aliases"].get(label, label))


def visible_text(html: str, huge: bool = False) -> str:
    """All text a browser would show: scripts and styles dropped, blocks on their own lines.
    ``huge``: parsed with libxml2's higher limits (nesting to 2,048 levels, not 256).

    >>> visible_text("<html><head><title>T</title><script>x=1</script></head>"
    ...              "<body><div>甲<b>乙</b></div><p>丙</p><table><tr><td>1</td><td>2</td></tr></table></body></html>")
    '甲乙\\n丙\\n1\\t2'
    """
    import lxml.html

    html = _XML_DECL.sub("", html, count=1)
    root = lxml.html.document_fromstring(html, parser=lxml.html.HTMLParser(huge_tree=True) if huge else None)
    parts: list[str] = []
    # explicit stack, not recursion (deeply nested scraped pages) nor iterwalk (it skips comments,
    # losing the text that follows them)
    stack: list[tuple[Any, bool]] = [(root, False)]
    while stack:
        el, closing = stack.pop()
        tag = el.tag.lower() if isinstance(el.tag, str) else None  # comments / PIs have no str tag
        if closing:
            parts.append("\t" if tag in _CELL_TAGS else "\n" if tag in _BLOCK_TAGS else "")
        elif tag is not None and tag not in _INVISIBLE_TAGS:
            if tag in _BLOCK_TAGS:
                parts.append("\n")
            if el.text:
                parts.append(_WS.sub(" ", el.text))
            stack.append((el, True))
            stack.extend((child, False) for child in reversed(el))
            continue
        if el.tail:
            parts.append(_WS.sub(" ", el.tail))
    out = []
    for line in "".join(parts).split("\n"):
        cells = [c.strip() for c in line.split("\t")]
        cells = [c for c in cells if c]
        if cells:
            out.append("\t".join(cells))
    return "\n".join(out)


@LOADERS.register("html")
def load_html(path: str, data: bytes) -> RawDocument:
    decoded = _decode_or_fail(path, data, declared=_declared_charset(data))
    html = normalize_newlines(decoded.text)
    meta: dict[str, Any] = {"decode_errors": decoded.replaced} if decoded.replaced else {}
    html, repaired, huge = _within_parser_depth(path, html)
    if repaired:
        meta["repaired"] = repaired
    title = _html_title(html)
    if title:
        meta["title"] = title
    text = ""
    try:
        import trafilatura

        if not huge:  # trafilatura's parser would stop at 256 levels: its text would end there
            text = trafilatura.extract(html, include_comments=False, include_tables=True, favor_recall=True) or ""
            meta["extractor"] = "trafilatura"
    except Exception:  # any parser failure falls back to the visible text
        text = ""
    if not text.strip():
        try:
            text = visible_text(html, huge=huge)
        except Exception as e:  # lxml raises several unrelated types on bad markup
            raise LoadError(path, f"unparsable HTML ({_detail(e)})") from None
        meta["extractor"] = "visible-text"
    text = normalize_newlines(text)
    if not text.strip():
        raise LoadError(path, "no visible text in HTML")
    if meta.get("extractor") == "trafilatura":
        text = _keep_paywall_notices(html, text)
        text = _table_rows(html, text)
    return RawDocument(path=path, format="html", text=text, encoding=decoded.encoding, meta=meta)


#: inline (phrasing) elements: dropping their tags leaves the text and its line breaks as they were
_INLINE_TAG = re.compile(
    r"""(?xi)
    </?                                                   # an opening or closing tag
    (?:span|font|a|b|i|u|s|em|strong|small|big|sub|sup|strike|ins|del|mark|abbr|cite|q|
       label|nobr|tt|code|kbd|samp|var|dfn|bdi|bdo|o:p)   # o:p: Word's "save as web page"
    (?![\w:-])                                            # the whole name: <b> but not <br>, <s> not <span>
    [^>]*>
    """
)


def _too_deep(html: str, huge: bool = False) -> bool:
    """Does libxml2's HTML parser, with its default limits (trafilatura's and ``visible_text``'s),
    stop at the page's nesting? It does at 256 levels, and the tree then ends there: the text
    after the 256th unclosed ``<span>`` was silently missing from the stored document.
    ``huge``: with its higher limits (``huge_tree``: 2,048 levels)."""
    import lxml.html

    parser = lxml.html.HTMLParser(huge_tree=huge)
    try:
        lxml.html.document_fromstring(_XML_DECL.sub("", html, count=1), parser=parser)
    except Exception:  # noqa: BLE001 - unparsable markup: the loader's own parse says so
        return False
    return any(e.type_name == "ERR_RESOURCE_LIMIT" or "depth" in e.message.lower() for e in parser.error_log)


def _within_parser_depth(path: str, html: str) -> tuple[str, str | None, bool]:
    """``html`` as the parser reads it whole, what was changed for that (None: nothing), and
    whether only ``visible_text(huge=True)`` reads it whole.

    A page nested deeper than the parser goes (hundreds of unclosed ``<span>`` or ``<font>``
    tags, as some site editors leave them) loses its inline tags, which hold no line breaks; a
    page still too deep without them (unclosed ``<div>``) is read by ``visible_text`` with
    libxml2's higher limits, not by trafilatura, whose parser stops at 256 levels; deeper than
    those, it is refused rather than stored with its text cut short."""
    if not _too_deep(html):
        return html, None, False
    flat = _INLINE_TAG.sub("", html)
    if not _too_deep(flat):
        return flat, "inline tags dropped: nested deeper than the HTML parser goes (unclosed <span>, <font>...)", False
    if not _too_deep(flat, huge=True):
        return flat, ("inline tags dropped, visible text read with the parser's higher limits: nested deeper "
                      "than 256 levels even without them (unclosed <div>...)"), True
    raise LoadError(path, "HTML nested deeper than the parser goes (2,048 levels), even without its inline tags: "
                          "the text past that depth would be lost")


#: a tag, comment or declaration (a ``<`` before anything else is text, as for lxml: ``5<10``)
_TAG = re.compile(r"<[A-Za-z/!?][^>]*>")


def _keep_paywall_notices(html: str, text: str) -> str:
    """Paywall and truncation notices that the article extractor dropped, appended as last lines.

    trafilatura leaves out a ``<p class="paywall">（当前只显示1137字，全文共2473字…）</p>`` after the
    article, but the notice is what tells the cleaner that the report is incomplete and how much is
    missing; the cleaner removes it again and records the truncation.
    """
    import html as htmllib

    from pipeline.clean import RULES

    rules = RULES.scoped("paywall")
    # every match of a paywall rule holds one of its ``requires`` strings; the page's text with
    # its tags dropped holds every string its visible lines hold, so without one there is no
    # notice, and no need to parse the page again (0.4-0.5 ms of a 10 KB page)
    probe = htmllib.unescape(_TAG.sub("", html))
    if not any(r.may_match(probe) for r in rules):
        return text
    try:
        visible = visible_text(html)
    except Exception:  # lxml raises several unrelated types on bad markup; the article text stands
        return text
    extra = [ln.strip() for ln in visible.split("\n")
             if ln.strip() and ln.strip() not in text and any(r.pattern.search(ln) for r in rules)]
    return text.rstrip("\n") + "\n" + "\n".join(extra) + "\n" if extra else text


_TABLE = re.compile(r"(?is)<table\b[^>]*>(.*?)</table>")
_TR = re.compile(r"(?is)<tr\b[^>]*>(.*?)</tr>")
_TD = re.compile(r"(?is)<t[dh]\b[^>]*>(.*?)</t[dh]>")


def _table_rows(html: str, text: str) -> str:
    r"""Table rows whose cells the article extractor put a line each (its fallback reading of a
    page with little prose) written as it writes them otherwise: ``| 指标 | 单位 | 数值 |``, with
    the ``|---|---|---|`` rule under a table's first row; a row's number stays with its header.

    >>> _table_rows("<table><tr><td>指标</td><td>数值</td></tr><tr><td>儿童之家</td><td>12</td></tr></table>",
    ...             "全年\n指标\n数值\n儿童之家\n12\n完")
    '全年\n| 指标 | 数值 |\n|---|---|\n| 儿童之家 | 12 |\n完'
    """
    if "<tr" not in html and "<TR" not in html:
        return text
    import html as htmllib

    pos = 0
    for table in _TABLE.finditer(html):
        for k, row in enumerate(_TR.finditer(table.group(1))):
            cells = [re.sub(r"\s+", " ", htmllib.unescape(_TAG.sub("", c))).strip() for c in _TD.findall(row.group(1))]
            cells = [c for c in cells if c]
            needle = "\n".join(cells)
            i = text.find(needle, pos) if len(cells) >= 2 else -1
            while i >= 0 and not ((i == 0 or text[i - 1] == "\n")
                                  and (i + len(needle) == len(text) or text[i + len(needle)] == "\n")):
                i = text.find(needle, i + 1)  # whole lines only
            if i < 0:
                continue
            line = "| " + " | ".join(cells) + " |" + ("\n|" + "---|" * len(cells) if k == 0 else "")
            text = text[:i] + line + text[i + len(needle):]
            pos = i + len(line)
    return text


def _html_title(html: str) -> str | None:
    """The <title>, whitespace collapsed; without one, the first <h1> (trafilatura leaves an
    article's <h1> out of its text: a page with no <title> had no title at all).

    >>> _html_title("<html><head><title> 某区\\n 工作总结 </title></head></html>")
    '某区 工作总结'
    >>> _html_title("<html><body><h1 class='t'>某县<b>2023年</b>政府工作报告</h1><p>正文</p></body></html>")
    '某县2023年政府工作报告'
    """
    import html as htmllib

    for pattern in (r"(?is)<title[^>]*>(.*?)</title>", r"(?is)<h1[^>]*>(.*?)</h1>"):
        if m := re.search(pattern, html[:200_000] if "h1" in pattern else html[:20_000]):
            title = re.sub(r"\s+", " ", htmllib.unescape(re.sub(r"<[^>]*>", "", m.group(1)))).strip()
            if title:
                return title
    return None


# ---------------------------------------------------------------- PDF

_GARBLED = re.compile(
    r"""(?x)
    \(cid:\d+\)           # pdfminer's stand-in for a glyph with no Unicode mapping
    | \ufffd              # replacement character
    | [\ue000-\uf8ff]     # private use area: fonts mapping glyphs to made-up code points
    """
)


def _non_space(text: str) -> int:
    r"""How many characters of ``text`` are not whitespace (``str.isspace``), at C speed.

    >>> _non_space(" 全区\u3000125 个\n")
    6
    """
    return len("".join(text.split()))


def garbled_share(text: str) -> float:
    """Share of glyphs in ``text`` that did not map to real characters (each "(cid:N)" is one glyph).

    >>> garbled_share("全区(cid:12)(cid:13)个")
    0.4
    >>> garbled_share("全区125个")
    0.0
    """
    garbled = 0
    markup = 0
    for m in _GARBLED.finditer(text):
        garbled += 1
        markup += len(m.group()) - 1
    glyphs = _non_space(text) - markup
    return garbled / glyphs if glyphs else 0.0


#: PDFium is not thread-safe, not even across documents (pypdfium2's documentation): every call
#: into it holds this lock, so Dask workers with several threads can load PDFs too
_PDFIUM_LOCK = threading.Lock()
_LIGATURES = str.maketrans({"ﬀ": "ff", "ﬃ": "ffi", "ﬄ": "ffl", "ﬁ": "fi", "ﬂ": "fl", "ﬆ": "st", "ﬅ": "st"})


def _pdfium_char_text(raw: Any, n: int) -> str | None:
    """The code points of a text page's ``n`` chars, one per char, read in one call; None when
    PDFium's page text does not map one to one onto its chars.

    ``FPDFText_GetText`` reads the page's text buffer, which holds one code point for every char
    except control chars (and a char of code 0); a page with one of those has fewer code points
    than chars, and is read a char at a time instead (``tests/test_load.py`` compares both ways).
    Where they differ, the buffer holds U+FFFE for a char without Unicode (code point 0) and for
    a hyphen PDFium joined (0x2): both are garbled chars either way. The buffer is sized for
    two UTF-16 units a char, as PDFium writes a code point beyond the BMP as a surrogate pair.
    """
    import ctypes

    import pypdfium2.raw as pdfium_c

    if n <= 0:
        return "" if n == 0 else None
    buf = ctypes.create_string_buffer((2 * n + 1) * 2)
    got = pdfium_c.FPDFText_GetText(raw, 0, n, ctypes.cast(buf, ctypes.POINTER(ctypes.c_ushort)))
    if got <= 0:
        return None
    text = buf.raw[: 2 * (got - 1)].decode("utf-16-le", errors="surrogatepass")
    return text if len(text) == n and not _SURROGATE.search(text) else None


def _join_surrogates(chars: list[tuple[float, float, float, str]]) -> list[tuple[float, float, float, str]]:
    """PDFium gives a character beyond the BMP (such as the CJK Extension B ones of rare names) as
    two chars, the halves of its UTF-16 pair: one char here, over both boxes; a lone half is U+FFFD.

    >>> [c[3] for c in _join_surrogates([(0, 0, 5, "全"), (0, 5, 8, "\\ud840"), (0, 8, 10, "\\udc00"),
    ...                                   (0, 10, 12, "\\udc00")])] == ["全", "\\U00020000", "\\ufffd"]
    True
    """
    out: list[tuple[float, float, float, str]] = []
    i = 0
    while i < len(chars):
        top, left, right, ch = chars[i]
        if "\ud800" <= ch <= "\udbff" and i + 1 < len(chars) and "\udc00" <= chars[i + 1][3] <= "\udfff":
            low = chars[i + 1]
            ch = chr(0x10000 + (ord(ch) - 0xD800) * 0x400 + ord(low[3]) - 0xDC00)
            right = max(right, low[2])
            i += 1
        elif "\ud800" <= ch <= "\udfff":
            ch = "\ufffd"
        out.append((top, left, right, ch))
        i += 1
    return out


def _pdfium_page_text(page: Any, x_tolerance: float, y_tolerance: float) -> str:
    """One page's text, laid out as pdfplumber's ``extract_text`` lays out a page's chars.

    The page's characters (not the spaces and line breaks PDFium generates) are clustered into
    lines by their top (a line takes every char within ``y_tolerance`` of the previous one), each
    line is sorted by x, a word ends at a blank char or a gap over ``x_tolerance``, and words
    are joined by one space. A char with no Unicode mapping becomes U+FFFD, which
    ``garbled_share`` counts, as pdfminer's ``(cid:N)``.
    """
    import ctypes

    import pypdfium2.raw as pdfium_c

    textpage = page.get_textpage()
    try:
        raw = textpage.raw
        height = page.get_height()
        box = pdfium_c.FS_RECTF()
        unicode_of, generated, map_error = (pdfium_c.FPDFText_GetUnicode, pdfium_c.FPDFText_IsGenerated,
                                            pdfium_c.FPDFText_HasUnicodeMapError)
        loose_box, ref = pdfium_c.FPDFText_GetLooseCharBox, ctypes.byref(box)
        n = pdfium_c.FPDFText_CountChars(raw)
        chars: list[tuple[float, float, float, str]] = []
        page_text = _pdfium_char_text(raw, n)
        if page_text is None:  # one call per char, for each char's code point
            pairs = False
            for i in range(n):
                if generated(raw, i):
                    continue
                u = unicode_of(raw, i)
                if u in (10, 13):
                    continue
                ch = "\ufffd" if map_error(raw, i) or u < 32 and u != 9 or u > 0x10FFFF else chr(u)
                pairs = pairs or 0xD800 <= u <= 0xDFFF
                loose_box(raw, i, ref)
                chars.append((height - box.top, box.left, box.right, ch))
            if pairs:
                chars = _join_surrogates(chars)
        else:  # the same chars, their code points read in one call (PDFium generates spaces and breaks only)
            for i, ch in enumerate(page_text):
                if ch == "\n" or ch == "\r" or ch == " " and generated(raw, i):
                    continue
                if map_error(raw, i) or ch < " " and ch != "\t" or ch == "\ufffe":
                    ch = "\ufffd"
                loose_box(raw, i, ref)
                chars.append((height - box.top, box.left, box.right, ch))
    finally:
        textpage.close()
    chars.sort()
    lines: list[list[tuple[float, float, float, str]]] = []
    last_top = None
    for c in chars:
        if last_top is None or c[0] - last_top > y_tolerance:
            lines.append([])
        lines[-1].append(c)
        last_top = c[0]
    out = []
    for line in lines:
        line.sort(key=lambda c: c[1])
        words: list[str] = []
        word: list[str] = []
        right = 0.0
        for _top, left, r, ch in line:
            if ch.isspace():
                if word:
                    words.append("".join(word))
                    word = []
                continue
            if word and left - right > x_tolerance:
                words.append("".join(word))
                word = []
            word.append(ch)
            right = r
        if word:
            words.append("".join(word))
        if words:  # a line of blank chars only is no line
            out.append(" ".join(words))
    return "\n".join(out).translate(_LIGATURES)


def _pdfium_pages(data: bytes) -> tuple[list[str], dict[str, Any]] | None:
    """Page texts and metadata read by PDFium; None when PDFium cannot read the file.

    pdfplumber then reads it, or says why it cannot, as it always did: an encrypted file too,
    as pdfminer opens some that PDFium refuses (AES-256 ones with a user password, of pypdf's
    test files) and its reasons are the ones users and tests know."""
    import pypdfium2 as pdfium

    cfg = load_data("pipeline", "loaders").get("pdf", {})
    xt, yt = float(cfg.get("x_tolerance", 3)), float(cfg.get("y_tolerance", 3))
    with _PDFIUM_LOCK:
        try:
            doc = pdfium.PdfDocument(data)
        except Exception:  # noqa: BLE001 - PdfiumError, or anything else: pdfplumber reads it instead
            return None
        try:
            meta = {k: v for k, v in doc.get_metadata_dict(skip_empty=True).items() if isinstance(v, str | int | float)}
            texts = []
            for i in range(len(doc)):
                page = doc[i]
                try:
                    texts.append(_pdfium_page_text(page, xt, yt))
                finally:
                    page.close()
        except Exception:  # noqa: BLE001 - a page PDFium cannot read: the whole file goes to pdfplumber
            return None
        finally:
            doc.close()
    return texts, meta


def _pdfplumber_pages(path: str, data: bytes) -> tuple[list[str], dict[str, Any]]:
    import pdfplumber

    # pdfminer logs a warning per damaged object it recovers from; on the CLI that floods stderr
    # around the one-line error, and the LoadError already says what matters
    logging.getLogger("pdfminer").setLevel(logging.ERROR)
    page_texts: list[str] = []
    try:
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            meta = {k: v for k, v in (pdf.metadata or {}).items() if isinstance(v, str | int | float)}
            for page in pdf.pages:
                page_texts.append(page.extract_text() or "")
    except Exception as e:  # pdfminer raises many types (PSEOF, PDFSyntaxError, KeyError...)
        raise LoadError(path, _pdf_reason(e, data)) from None
    return page_texts, meta


def pdf_engine() -> str:
    """The PDF text engine of ``loaders.toml`` ``[pdf] engine``: pdfium or pdfplumber."""
    engine = load_data("pipeline", "loaders").get("pdf", {}).get("engine", "pdfium")
    if engine not in ("pdfium", "pdfplumber"):
        raise HuibaoError(f"loaders.toml: [pdf] engine must be pdfium or pdfplumber, not {engine!r}")
    return str(engine)


def _pdf_pages(path: str, data: bytes) -> tuple[list[str], dict[str, Any]]:
    """Page texts and metadata: PDFium's when the engine is pdfium and PDFium reads the file
    cleanly, else pdfplumber's (which raises ``LoadError`` with the reason it cannot)."""
    # no %%EOF near the end: a cut file, which PDFium may read in part without a word
    if pdf_engine() == "pdfium" and b"%%EOF" in data[-2048:]:
        read = _pdfium_pages(data)
        # glyphs PDFium cannot map to Unicode, pdfminer may (its own CMaps, or char codes): a
        # doubtful text layer gets the decision pdfplumber's reading gets
        if read is not None and garbled_share("\n".join(read[0])) <= MAX_GARBLED_SHARE:
            return read
    return _pdfplumber_pages(path, data)


@LOADERS.register("pdf")
def load_pdf(path: str, data: bytes) -> RawDocument:
    page_texts, meta = _pdf_pages(path, data)
    page_texts = [normalize_newlines(t) for t in page_texts]
    if not page_texts:
        raise LoadError(path, "PDF has no pages")
    pages: list[int] = []
    offset = 0
    for t in page_texts:
        pages.append(offset)
        offset += len(t) + 1
    text = "\n".join(page_texts)
    chars = _non_space(text)
    if chars < MIN_PDF_CHARS_PER_PAGE * len(page_texts):
        raise LoadError(path, f"no text layer (scanned?): {chars} characters on {len(page_texts)} pages")
    share = garbled_share(text)
    if share > MAX_GARBLED_SHARE:
        raise LoadError(path, f"unreadable text layer ({share:.0%} garbled)")
    out_meta: dict[str, Any] = {"pdf": meta}
    title = meta.get("Title")
    if isinstance(title, str) and title.strip():
        out_meta["title"] = title.strip()
    return RawDocument(path=path, format="pdf", text=text, pages=pages, meta=out_meta)


def _pdf_reason(e: Exception, data: bytes) -> str:
    # pdfplumber wraps pdfminer's errors in PdfminerException(original)
    wrapped = e.args[0] if type(e).__name__ == "PdfminerException" and e.args else None
    cause = wrapped if isinstance(wrapped, BaseException) else e
    names = {type(cause).__name__, type(e).__name__}
    if names & {"PDFPasswordIncorrect", "PDFEncryptionError", "PDFEncryptionWarning"}:
        return "encrypted PDF (password required)"
    if b"%%EOF" not in data[-2048:]:
        return f"truncated or corrupt PDF (no %%EOF at the end; {_detail(cause)})"
    return f"corrupt PDF ({_detail(cause)})"


# ---------------------------------------------------------------- DOCX

_ZIP_KINDS = (
    ("xl/workbook.xml", "an Excel workbook"),
    ("ppt/presentation.xml", "a PowerPoint presentation"),
    ("content.xml", "an OpenDocument file"),
    ("Contents/Content.xml", "an Apple Pages document"),
)


@LOADERS.register("docx")
def load_docx(path: str, data: bytes) -> RawDocument:
    """The paragraphs and table rows of a DOCX body, as python-docx reads them.

    ``docx.Document()`` parses every XML part of the package, styles too (about 5 ms for a
    report written from Word's default template, whose two style parts hold 800 KB of XML),
    for a body of 10 KB. So the main document part is found and parsed alone, with python-docx's
    own parser and element classes, which give its text exactly (``_docx_body``). A package
    that part cannot be found in the usual way is opened by ``docx.Document()``, whose
    verdict (its text, or the error it raises) stands.
    """
    import zipfile

    try:
        z = zipfile.ZipFile(io.BytesIO(data))
        names = set(z.namelist())
    except Exception as e:  # BadZipFile, but also NotImplementedError, OSError... on damaged headers
        raise LoadError(path, f"corrupt DOCX: broken zip archive ({_detail(e)})") from None
    with z:
        if not any(n.startswith("word/") and n.endswith(".xml") for n in names):
            looks = next((what for member, what in _ZIP_KINDS if member in names), "a plain zip archive")
            raise LoadError(path, f"not a DOCX: zip archive without word/document.xml (looks like {looks})")
        unpack = _Unpack(path, z)
        try:
            parts = _docx_parts(unpack, names)
            body = _docx_body(unpack, parts)
            if body is None:
                import docx

                body = docx.Document(io.BytesIO(unpack.repacked())).element.body
            lines = list(_docx_lines(body, None))
            title = _docx_title(unpack, parts)
        except LoadError:
            raise
        except Exception as e:  # python-docx/lxml/zipfile raise many types on corrupt parts
            raise LoadError(path, f"corrupt DOCX ({_detail(e)})") from None
    text = normalize_newlines("\n".join(lines))
    if not text.strip():
        raise LoadError(path, "no text in DOCX (images only?)")
    meta: dict[str, Any] = {}
    if title and title.strip():
        meta["title"] = title.strip()
    return RawDocument(path=path, format="docx", text=text, meta=meta)


class _Unpack:
    """The parts of a DOCX, read against one budget: ``[docx] max_xml_mb`` megabytes unpacked.

    What counts is what is read, whatever its name: a main part named ``word/document.bin``
    (``[Content_Types].xml`` says what a part is, not its extension) unpacks like any other, and
    a few MB of zip can hold gigabytes of it (a zip bomb: a worker reached 2.5 GB on one while
    only ``*.xml`` parts were counted). A part's stated size is checked before it is read, and
    the bytes actually unpacked are counted as they come, a chunk at a time: a zip header can
    state a small size for a part that unpacks to gigabytes, and ``ZipFile.read()`` unpacks up to
    2 GB of it in one go before it cuts it to that size (840 MB for a part stated at 20 KB)."""

    #: bytes asked of zipfile at a time: it inflates no more than that per read
    CHUNK = 1 << 20

    def __init__(self, path: str, z: Any):
        self.path, self.z = path, z
        self.limit = float(load_data("pipeline", "loaders").get("docx", {}).get("max_xml_mb", 64))
        self.left = int(self.limit * 2**20)

    def _take(self, size: int, what: str) -> None:
        if size > self.left:
            raise LoadError(self.path, f"DOCX whose parts unpack to more than the {self.limit:g} MB of "
                                       f"loaders.toml [docx] max_xml_mb ({what}: {_mb(size)}): refused, "
                                       "as a zip bomb would be")
        self.left -= size

    def read(self, member: str) -> bytes:
        info = self.z.getinfo(member)
        if info.compress_type not in _ZIP_METHODS:  # bzip2, LZMA: zipfile unpacks a whole read of them
            raise LoadError(self.path, f"not a DOCX: part {member} is compressed with zip method "
                                       f"{info.compress_type} (an Office package uses only stored or deflated parts)")
        self._take(info.file_size, member)
        out = bytearray()
        with self.z.open(info) as f:
            while chunk := f.read(self.CHUNK):
                out += chunk
                if len(out) > info.file_size:  # zipfile stops at the stated size; this does not rely on it
                    raise LoadError(self.path, f"DOCX part {member} unpacks to more than the {_mb(info.file_size)} "
                                               "its zip header states: refused, as a zip bomb would be")
        return bytes(out)

    def repacked(self) -> bytes:
        """The package with every part read by ``read`` (stated sizes first, all together),
        stored without compression: what ``docx.Document()``, which reads every part with a
        plain ``ZipFile.read()``, is given, so it unpacks nothing itself."""
        import zipfile

        infos = {i.filename: i for i in self.z.infolist() if not i.is_dir()}  # the last of a name, as zipfile reads
        self._take(sum(i.file_size for i in infos.values()), "all its parts")
        self.left += sum(i.file_size for i in infos.values())  # counted again, part by part, as read
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w", zipfile.ZIP_STORED) as out:
            for name in infos:
                out.writestr(name, self.read(name))
        return buf.getvalue()


#: zip methods of the parts of an Office package (ECMA-376 Part 2: stored or deflated)
_ZIP_METHODS = (0, 8)


def _docx_parts(z: _Unpack, names: set[str]) -> dict[str, str]:
    """Relationship type -> zip member, for each type that relates the package (``_rels/.rels``)
    to exactly one part that is in the zip, the target resolved as python-docx resolves it."""
    from docx.opc.packuri import PackURI
    from lxml import etree

    try:
        rels = etree.fromstring(z.read("_rels/.rels"))
    except (KeyError, etree.XMLSyntaxError):
        return {}
    targets: dict[str, list[str]] = {}
    for r in rels:
        if r.get("Type") and r.get("Target") and r.get("TargetMode") != "External":
            targets.setdefault(r.get("Type"), []).append(PackURI.from_rel_ref("/", r.get("Target")).membername)
    return {t: ms[0] for t, ms in targets.items() if len(ms) == 1 and ms[0] in names}


def _docx_body(z: _Unpack, parts: dict[str, str]) -> Any:
    """The ``w:body`` of the main document part, parsed alone; None when python-docx would find
    something unusual on the way (no single main part, not a Word document's content type, a
    root that is not ``w:document``)."""
    from docx.opc.constants import CONTENT_TYPE as CT
    from docx.opc.constants import RELATIONSHIP_TYPE as RT
    from docx.oxml.document import CT_Document
    from docx.oxml.parser import parse_xml
    from lxml import etree

    member = parts.get(RT.OFFICE_DOCUMENT)
    if member is None:
        return None
    try:
        types = etree.fromstring(z.read("[Content_Types].xml"))
    except (KeyError, etree.XMLSyntaxError):
        return None
    partname, ext = "/" + member.lower(), member.rsplit(".", 1)[-1].lower()
    overrides = {o.get("PartName", "").lower(): o.get("ContentType") for o in types if o.tag.endswith("Override")}
    defaults = {d.get("Extension", "").lower(): d.get("ContentType") for d in types if d.tag.endswith("Default")}
    if overrides.get(partname, defaults.get(ext)) != CT.WML_DOCUMENT_MAIN:
        return None
    root = parse_xml(z.read(member))
    return root.body if isinstance(root, CT_Document) else None


def _docx_title(z: _Unpack, parts: dict[str, str]) -> str | None:
    """``dc:title`` of the core properties part; None without one (python-docx would make up
    a default part titled "Word Document")."""
    from docx.opc.constants import RELATIONSHIP_TYPE as RT
    from docx.oxml.parser import parse_xml

    member = parts.get(RT.CORE_PROPERTIES)
    if member is None:
        return None
    props = parse_xml(z.read(member))
    return getattr(props, "title_text", None)


def _docx_lines(container: Any, parent: Any) -> Iterable[str]:
    """Paragraphs and table rows of a body (or content control) in document order."""
    from docx.oxml.ns import qn
    from docx.text.paragraph import Paragraph

    for child in container.iterchildren():
        if child.tag == qn("w:p"):
            yield Paragraph(child, parent).text
        elif child.tag == qn("w:tbl"):
            yield from _table_lines(child, parent)
        elif child.tag == qn("w:sdt"):  # content controls (cover pages, TOCs) hold body paragraphs
            content = child.find(qn("w:sdtContent"))
            if content is not None:
                yield from _docx_lines(content, parent)


def _table_lines(tbl: Any, parent: Any) -> Iterable[str]:
    """One line per row, cells joined by a tab; a merged cell's text appears once.

    Reading ``w:tc`` elements directly instead of python-docx's ``row.cells`` avoids its repeats: a
    horizontally merged cell is one ``w:tc`` with ``gridSpan`` (python-docx repeats it per grid
    column) and a vertical continuation (``vMerge`` without ``restart``) becomes an empty cell
    (python-docx repeats the text of the cell above).
    """
    from docx.oxml.ns import qn
    from docx.text.paragraph import Paragraph

    for tr in tbl.iter(qn("w:tr")):
        if tr.getparent() is not tbl and tr.getparent().tag != qn("w:sdtContent"):
            continue  # rows of nested tables are read as part of their cell
        cells = []
        for tc in tr.iterchildren(qn("w:tc")):
            vmerge = tc.find(f"{qn('w:tcPr')}/{qn('w:vMerge')}")
            if vmerge is not None and vmerge.get(qn("w:val")) != "restart":
                cells.append("")
                continue
            paras = (Paragraph(p, parent).text for p in tc.iter(qn("w:p")))
            cells.append(" ".join(t.replace("\n", " ").strip() for t in paras if t.strip()))
        if any(cells):
            yield "\t".join(cells)


# ---------------------------------------------------------------- DOC (Word 97-2003)


@LOADERS.register("doc")
def load_doc(path: str, data: bytes) -> RawDocument:
    # antiword, not catdoc: catdoc wraps lines by default and splits long numbers across lines
    exe = shutil.which("antiword")
    if exe is None:
        raise LoadError(path, "antiword is not installed (apt-get install antiword)")
    try:
        proc = subprocess.run(
            [exe, "-w", "0", "-m", "UTF-8.txt", os.path.abspath(path)],
            capture_output=True, timeout=ANTIWORD_TIMEOUT_S, check=False,
        )
    except subprocess.TimeoutExpired:
        raise LoadError(path, f"antiword timed out after {ANTIWORD_TIMEOUT_S} s") from None
    except OSError as e:
        raise LoadError(path, f"cannot run antiword ({e.strerror or e})") from None
    if proc.returncode != 0:
        err = (proc.stderr or proc.stdout).decode("utf-8", "replace").strip()
        first = err.splitlines()[0] if err else f"exit code {proc.returncode}"
        first = first.replace(os.path.abspath(path), "file")
        raise LoadError(path, f"antiword failed: {first}")
    text = normalize_newlines(proc.stdout.decode("utf-8", "replace"))
    if not text.strip():
        raise LoadError(path, "no text in .doc")
    return RawDocument(path=path, format="doc", text=text, encoding="utf-8")
