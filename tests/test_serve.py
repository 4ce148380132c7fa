"""serve: Datasette on a corpus, canned queries checked end to end in headless Chromium."""

from __future__ import annotations

import json
import shutil
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from pipeline import audit, reviews, serve, store
from tests.test_compare import build_corpus

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


def test_metadata_names_the_database_and_its_queries():
    meta = serve.metadata("some/dir/my_corpus.sqlite")
    db = meta["databases"]["my_corpus"]
    assert {"indicator_by_region_year", "figure_source", "documents_with_placeholders"} <= set(db["queries"])
    assert "region" in db["tables"]["documents"]["facets"]


def test_canned_queries_run_on_a_corpus(tmp_path):
    db_path = build_corpus(tmp_path / "corpus.sqlite")
    audit.audit(db_path)
    conn = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
    reviews.prepare(conn)  # as the plugin does: the key function, an (empty) reviews schema
    for q in serve.metadata(db_path)["databases"]["corpus"]["queries"].values():
        params = {"indicator": "", "id": "", "subject": "", "q": "儿童", "check": "", "severity": "", "review": ""}
        conn.execute(q["sql"], params).fetchall()  # every query parses and runs against this schema
    conn.close()


def test_a_findings_query_per_audit_check():
    queries = serve.metadata("c.sqlite")["databases"]["c"]["queries"]
    assert {f"findings_{name}" for name in audit.CHECKS.names()} <= set(queries)
    for name in audit.CHECKS.names():
        sql = queries[f"findings_{name}"]["sql"]
        assert f"= '{name}'" in sql
        for column in ("severity", "message", "evidence", "file", "region", "year", "review", "finding_key"):
            assert f" as {column}" in sql or f"f.{column}" in sql, (name, column)


def test_serve_refuses_a_missing_corpus(tmp_path):
    from click.testing import CliRunner

    from cli import main

    r = CliRunner().invoke(main, ["serve", "--db", str(tmp_path / "none.sqlite")])
    assert r.exit_code == 1 and "no such corpus database" in r.output


@pytest.mark.parametrize("args, expected", [
    ([], {"port": 8001, "allow_sql": False, "allow_hosts": (), "reviews_path": None}),
    (["--allow-sql", "--allow-host", "box.lan", "--allow-host", "x.lan", "--reviews", "r.sqlite"],
     {"port": 8001, "allow_sql": True, "allow_hosts": ("box.lan", "x.lan"), "reviews_path": "r.sqlite"}),
])
def test_serve_command_passes_its_options(monkeypatch, tmp_path, args, expected):
    from click.testing import CliRunner

    from cli import main

    seen = {}
    monkeypatch.setattr(serve, "serve", lambda db, **kw: seen.update(kw) or 0)
    r = CliRunner().invoke(main, ["serve", "--db", str(tmp_path / "c.sqlite"), *args])
    assert r.exit_code == 0, r.output
    assert seen == expected


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _start(tmp_path, allow_sql: bool = False):
    db_path = build_corpus(tmp_path / "corpus.sqlite")
    with sqlite3.connect(db_path) as conn:  # one report is a template full of placeholders
        conn.execute("UPDATE documents SET placeholders = 7 WHERE path = 'b/2026.txt'")
    db = store.open_db(db_path)
    store.index_texts(db)  # as ingest does at the end of a run
    db.close()
    port = _free_port()
    meta = serve.write_metadata(db_path, tmp_path / "metadata.json")
    proc = subprocess.Popen(serve.datasette_command(db_path, meta, port, allow_sql=allow_sql), stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_up(base, proc)
        yield base
    finally:
        serve.stop(proc)


def _wait_up(base: str, proc: subprocess.Popen, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while True:
        try:
            urllib.request.urlopen(f"{base}/-/versions.json", timeout=1).read()
            return
        except (urllib.error.URLError, ConnectionError):
            if proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"datasette did not start: {proc.stderr.read().decode()[-500:]}") from None
            time.sleep(0.2)


@pytest.fixture
def server(tmp_path):
    yield from _start(tmp_path)


@pytest.fixture
def sql_server(tmp_path):
    yield from _start(tmp_path, allow_sql=True)


def _json(url: str) -> dict:
    return json.loads(urllib.request.urlopen(url, timeout=10).read())


def _status(url: str, host: str | None = None) -> int:
    req = urllib.request.Request(url, headers={"Host": host} if host else {})
    try:
        return urllib.request.urlopen(req, timeout=10).status
    except urllib.error.HTTPError as e:
        return e.code


def test_server_is_not_immutable_and_answers_queries(server):
    # not -i: ingest rewrites the corpus while it is served
    assert _json(f"{server}/corpus.json")["database"] == "corpus"
    data = _json(f"{server}/corpus/documents_with_placeholders.json?_shape=objects")
    assert [(r["path"], r["placeholders"]) for r in data["rows"]] == [("b/2026.txt", 7)]
    q = urllib.parse.urlencode({"subject": "地区生产总值", "id": "", "_shape": "objects"})
    rows = _json(f"{server}/corpus/figure_source.json?{q}")["rows"]
    assert rows and all("地区生产总值" in r["sentence"] and r["path"] for r in rows)
    facets = _json(f"{server}/corpus/documents.json?_facet=region")["facet_results"]
    assert "region" in facets


def test_texts_search_box_uses_the_trigram_index(server):
    def search(term: str) -> list[str]:
        q = urllib.parse.urlencode({"_search": term, "_shape": "objects"})
        return [r["text"] for r in _json(f"{server}/corpus/texts.json?{q}")["rows"]]

    every = [r["text"] for r in _json(f"{server}/corpus/texts.json?_shape=objects")["rows"]]
    hits = search("2026年政府")  # in some texts, not all
    assert 0 < len(hits) < len(every)
    assert sorted(hits) == sorted(t for t in every if "2026年政府" in t)
    assert search("地区生产总值 不在语料中的词") == []  # every term must occur


@pytest.mark.skipif(CHROMIUM is None, reason="headless Chromium is absent (Debian: apt-get install -y chromium)")
def test_canned_query_page_shows_rows_in_chromium(server, tmp_path):
    url = f"{server}/corpus/indicator_by_region_year?" + urllib.parse.urlencode({"indicator": "children_home.count"})
    out = subprocess.run(
        [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         f"--user-data-dir={tmp_path / 'chromium'}", "--dump-dom", url],
        capture_output=True, text=True, timeout=60)
    dom = out.stdout
    assert "An indicator by region and year" in dom, out.stderr[-500:]
    body = dom.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    rows = body.count("<tr")
    assert rows == 4, body[:1000]  # 甲省 2024, 2025; 乙市 2026 target, 2021-2025 span
    assert "甲省" in body and "乙市" in body and "children_home.count" in body


def test_server_sees_new_rows_without_restart(server, tmp_path):
    before = _json(f"{server}/corpus/documents.json?_shape=objects")["rows"]
    with sqlite3.connect(tmp_path / "corpus.sqlite") as conn:
        conn.execute("UPDATE documents SET placeholders = 3 WHERE placeholders = 0")
    data = _json(f"{server}/corpus/documents_with_placeholders.json?_shape=objects")
    assert len(data["rows"]) > 1  # the fixture had one; the running server sees the change
    assert len(_json(f"{server}/corpus/documents.json?_shape=objects")["rows"]) == len(before)


@pytest.mark.parametrize("path, status", [
    ("/corpus.json?sql=select+1", 403),  # arbitrary SQL is off by default
    ("/corpus/failed_documents.json", 200),  # canned queries still run
    ("/corpus/documents.json", 200),  # table pages too
])
def test_arbitrary_sql_is_off_by_default(server, path, status):
    assert _status(server + path) == status


def test_allow_sql_turns_arbitrary_sql_on(sql_server):
    assert _json(f"{sql_server}/corpus.json?sql=select+1+as+one&_shape=objects")["rows"] == [{"one": 1}]


@pytest.mark.parametrize("host, status", [
    (None, 200),  # 127.0.0.1:port
    ("localhost", 200),
    ("LOCALHOST:8001", 200),
    ("evil.example.com", 403),  # a rebound name
    ("evil.example.com:8001", 403),
    ("127.0.0.1.evil.example.com", 403),
])
def test_host_header_is_checked(server, host, status):
    assert _status(f"{server}/corpus/documents.json", host) == status


@pytest.mark.parametrize("path", ["/-/databases.json", "/-/databases", "/-/databases/"])
def test_database_file_paths_are_not_shown(server, path):
    assert _status(server + path) == 404


# ---------------------------------------------------------------- serving while ingest writes

def _write_reports(folder, first: int, n: int) -> None:
    """Short reports of our own, one figure set each (distinct content: distinct documents)."""
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(first, first + n):
        text = (f"第{i}县2024年政府工作报告\n\n过去一年，全县地区生产总值达到{100 + i}.{i % 10}亿元，"
                f"同比增长{3 + i % 5}.{i % 7}%。新建儿童之家{10 + i % 40}个，培训妇女干部{200 + 3 * i}人次。\n\n"
                f"2025年，全县地区生产总值增长{3 + i % 5}%左右，新增城镇就业{400 + 6 * i}人。\n")
        (folder / f"{i:04d}.txt").write_text(text * 3, encoding="utf-8")


def _huibao(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(ROOT / "cli.py"), *args], capture_output=True, text=True,
                          cwd=ROOT, timeout=600)


def _serve_cli(db_path, *args: str, prefix: tuple[str, ...] = ()):
    """``huibao serve`` as a user runs it (its own command line), on a free port; yields the base URL."""
    port = _free_port()
    proc = subprocess.Popen([*prefix, sys.executable, str(ROOT / "cli.py"), "serve", "--db", str(db_path),
                             "--port", str(port), *args], cwd=ROOT, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_up(base, proc)
        yield base
    finally:
        serve.stop(proc)


#: what a browsing auditor asks for: table pages, a full-text search, canned queries, row counts, facets
BROWSING = [
    "/corpus/documents.json?_size=20",
    "/corpus/figures.json?_size=50",
    "/corpus/texts.json?_search=政府工作报告&_size=5",
    "/corpus/figure_source.json?id=&subject=儿童之家",
    "/corpus/indicator_by_region_year.json?indicator=",
    "/corpus/documents_with_placeholders.json",
    "/corpus/search_text.json?q=儿童",
    "/corpus.json",
    "/corpus/documents.json?_size=0",
    "/corpus/figures_by_indicator.json?_facet=region&_size=5",
]


def _browse(base: str, stop, results: list) -> None:
    k = 0
    while not stop.is_set():
        path = BROWSING[k % len(BROWSING)]
        k += 1
        url = base + urllib.parse.quote(path, safe="/?=&_.")
        t0 = time.monotonic()
        try:
            resp = urllib.request.urlopen(url, timeout=30)
            resp.read()
            results.append((path, resp.status, f"{time.monotonic() - t0:.2f}"))
        except urllib.error.HTTPError as e:
            results.append((path, e.code, e.read().decode("utf-8", "replace")[:300]))
        except (urllib.error.URLError, ConnectionError, TimeoutError) as e:
            results.append((path, 0, str(e)))


def _rows(base: str, table: str) -> int:
    return int(_json(f"{base}/corpus/{table}.json?_size=0")["filtered_table_rows_count"])


def test_serve_survives_a_concurrent_ingest_and_force(tmp_path):
    """The issue's probe: queries while `huibao ingest` (then `ingest --force`) writes the served
    corpus. Every response must be 200, and the running server must show the new rows."""
    import threading

    first, second = tmp_path / "first", tmp_path / "second"
    _write_reports(first, 0, 100)
    _write_reports(second, 100, 500)
    db_path = tmp_path / "corpus.sqlite"
    r = _huibao("ingest", str(first), "--db", str(db_path), "-q")
    assert r.returncode == 0, r.stderr
    for base in _serve_cli(db_path):
        assert _rows(base, "documents") == 100
        stop, results = threading.Event(), []
        browsers = [threading.Thread(target=_browse, args=(base, stop, results)) for _ in range(3)]
        for t in browsers:
            t.start()
        try:
            while len(results) < 30:  # browsing before the writer starts
                time.sleep(0.05)
            runs = [_huibao("ingest", str(second), "--db", str(db_path), "-q"),
                    _huibao("ingest", str(first), str(second), "--db", str(db_path), "-q", "--force")]
            n_during = len(results)
        finally:
            stop.set()
            for t in browsers:
                t.join()
        for run in runs:
            assert run.returncode == 0, run.stderr
        failed = [(p, s, body) for p, s, body in results if s != 200]
        print(f"{len(failed)} of {len(results)} queries failed; slowest",
              max(float(b) for _, st, b in results if st == 200))
        assert n_during > 100 and not failed, f"{len(failed)} of {len(results)} queries failed: {failed[:5]}"
        assert _rows(base, "documents") == 600  # new rows, no restart; --force rewrote, not added
        assert _rows(base, "current_documents") == 600
        q = urllib.parse.urlencode({"id": "", "subject": "儿童之家", "_shape": "objects"})
        assert len(_json(f"{base}/corpus/figure_source.json?{q}")["rows"]) == 600


# ---------------------------------------------------------------- findings and reviews

def _audited_corpus(tmp_path):
    """A corpus with one placeholders finding whose evidence names figure ids (two blank figures)."""
    db_path = build_corpus(tmp_path / "corpus.sqlite")
    conn = sqlite3.connect(db_path)
    with conn:
        conn.execute("UPDATE documents SET placeholders = 7 WHERE path = 'b/2026.txt'")
        conn.execute("UPDATE figures SET redacted = 1 WHERE document_id = (SELECT id FROM documents "
                     "WHERE path = 'b/2026.txt') AND idx < 2")
    conn.close()
    audit.audit(db_path)
    return db_path


def _sha(path) -> str:
    import hashlib

    return hashlib.sha256(path.read_bytes()).hexdigest()


def _cli(*args: str):
    from click.testing import CliRunner

    from cli import main

    return CliRunner().invoke(main, list(args))


def test_review_verdicts_are_the_cli_choices():
    from cli import review_cmd

    verdict = next(p for p in review_cmd.params if p.name == "verdict")
    assert tuple(verdict.type.choices) == reviews.VERDICTS


def test_findings_view_joins_file_region_and_year(tmp_path):
    db_path = _audited_corpus(tmp_path)
    rows = [dict(r) for r in store.open_db(db_path, readonly=True).query(
        'SELECT "check", severity, path, region, year, n_documents FROM audit_findings_documents')]
    assert {"check": "placeholders", "severity": "medium", "path": "b/2026.txt", "region": "乙市",
            "year": 2026, "n_documents": 1} in rows


def test_a_review_survives_an_audit_rerun_and_never_writes_the_corpus(tmp_path):
    db_path = _audited_corpus(tmp_path)
    [finding] = [r for r in reviews.findings(db_path) if r["check"] == "placeholders"]
    assert finding["review"] == "unreviewed" and finding["file"] == "b/2026.txt" and finding["region"] == "乙市"
    before = _sha(db_path)
    r = _cli("review", str(finding["id"]), "--db", str(db_path), "--verdict", "false_alarm",
             "--note", "a template on purpose", "--reviewer", "auditor 1")
    assert r.exit_code == 0, r.output
    assert _sha(db_path) == before  # the corpus is not written by a review
    assert reviews.default_path(db_path).exists()
    # figures rewritten (as by ingest --force: new row ids) and the audit run again: new rows, same finding
    with sqlite3.connect(db_path) as conn:
        conn.execute("UPDATE figures SET id = id + 1000")
        conn.execute("INSERT INTO audit_findings (\"check\", severity, document_ids, figure_ids, message) "
                     "VALUES ('incomplete_source', 'low', '[]', '[]', 'an older row that shifts the ids')")
    audit.audit(db_path, ["placeholders"])
    [again] = [r for r in reviews.findings(db_path) if r["check"] == "placeholders"]
    assert again["id"] != finding["id"] and again["finding_key"] == finding["finding_key"]
    assert (again["review"], again["review_note"], again["reviewer"]) == ("false_alarm", "a template on purpose",
                                                                         "auditor 1")
    listing = _cli("review", "--db", str(db_path), "--check", "placeholders")
    assert listing.exit_code == 0 and f"{again['finding_key']}\tplaceholders\tmedium\tfalse_alarm" in listing.output


@pytest.mark.parametrize("args, message", [
    (["999"], "no finding '999'"),
    (["--verdict", "confirmed", "0123456789abcdef"], "no finding"),
])
def test_review_errors_are_one_line(tmp_path, args, message):
    db_path = _audited_corpus(tmp_path)
    if args[0] == "999":
        args = [*args, "--verdict", "confirmed"]
    r = _cli("review", *args, "--db", str(db_path))
    assert r.exit_code == 1 and message in r.output
    assert not reviews.default_path(db_path).exists()


@pytest.fixture
def review_server(tmp_path):
    db_path = _audited_corpus(tmp_path)
    yield from _serve_cli(db_path)


def _post_form(base: str, path: str, fields: dict) -> dict:
    """Submit a canned query's form as a browser does: its CSRF token from the page and the cookie."""
    import http.cookiejar
    import re

    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    page = opener.open(base + path, timeout=10).read().decode()
    token = re.search(r'name="csrftoken" value="([^"]+)"', page)[1]
    body = urllib.parse.urlencode({**fields, "csrftoken": token}).encode()
    req = urllib.request.Request(base + path, data=body, headers={"Accept": "application/json"})
    return json.loads(opener.open(req, timeout=10).read())


def test_mark_a_finding_reviewed_from_the_browser(review_server, tmp_path):
    base = review_server
    db_path = tmp_path / "corpus.sqlite"
    rows = _json(f"{base}/corpus/findings_placeholders.json?_shape=objects")["rows"]
    assert [(r["severity"], r["file"], r["region"], r["year"], r["review"]) for r in rows] == [
        ("medium", "b/2026.txt", "乙市", "2026", "unreviewed")]
    key = rows[0]["finding_key"]
    page = urllib.request.urlopen(f"{base}/corpus/findings_placeholders", timeout=10).read().decode()
    assert f"/corpus-reviews/mark_finding?finding_key={key}" in page  # the key links to the form
    before = _sha(db_path)
    out = _post_form(base, "/corpus-reviews/mark_finding",
                     {"finding_key": key, "verdict": "confirmed", "note": "checked with the county", "reviewer": ""})
    assert out["ok"], out
    rows = _json(f"{base}/corpus/findings_placeholders.json?_shape=objects")["rows"]
    assert (rows[0]["review"], rows[0]["review_note"]) == ("confirmed", "checked with the county")
    q = urllib.parse.urlencode({"check": "", "severity": "", "review": "unreviewed", "_shape": "objects"})
    assert key not in {r["finding_key"] for r in _json(f"{base}/corpus/audit_findings.json?{q}")["rows"]}
    bad = _post_form(base, "/corpus-reviews/mark_finding", {"finding_key": key, "verdict": "whatever",
                                                           "note": "", "reviewer": ""})
    assert not bad["ok"] and "Not recorded" in bad["message"]
    assert _sha(db_path) == before  # only the reviews file was written
    assert [r["review"] for r in reviews.findings(db_path) if r["finding_key"] == key] == ["confirmed"]
    # arbitrary SQL stays off on both databases; the corpus is not writable through any query
    assert _status(f"{base}/corpus-reviews.json?sql=select+1") == 403
    assert _status(f"{base}/corpus.json?sql=select+1") == 403


def test_serve_a_corpus_in_a_read_only_folder(tmp_path):
    """A published corpus on a read-only share (WAL mode, no -wal): Datasette cannot open it read-only
    (SQLite must create -shm beside it), so it is served immutable, and without reviews (a warning)."""
    import os

    folder = tmp_path / "share"
    folder.mkdir()
    db_path = _audited_corpus(folder)
    assert store.is_wal(db_path)
    prefix: tuple[str, ...] = ()
    if os.geteuid() == 0:  # root writes anywhere: drop that power, as in tests/test_store.py
        if not shutil.which("setpriv"):
            pytest.skip("running as root without setpriv: a read-only folder cannot be made")
        drop = "-dac_override,-dac_read_search"
        prefix = ("setpriv", f"--bounding-set={drop}", f"--inh-caps={drop}")
    folder.chmod(0o555)
    try:
        for base in _serve_cli(db_path, prefix=prefix):
            assert _rows(base, "documents") == 3
            rows = _json(f"{base}/corpus/findings_placeholders.json?_shape=objects")["rows"]
            assert [r["review"] for r in rows] == ["unreviewed"]
    finally:
        folder.chmod(0o755)
    assert sorted(p.name for p in folder.iterdir()) == ["corpus.sqlite"]
