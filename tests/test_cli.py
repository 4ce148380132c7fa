"""The command line: every command documented, the extract contract, clean errors."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

import cli
from tests.conftest import ROOT

CONTRACT_FIELDS = {
    "doc", "text", "value", "high", "kind", "unit", "approx", "subject", "indicator", "redacted", "status",
    "period", "role", "parent", "start", "end", "raw_start", "raw_end", "sentence", "extractor",
}


def test_every_command_has_help_and_is_in_the_readme():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for name, command in cli.main.commands.items():
        assert command.help, f"command {name} has no help text"
        assert f"huibao {name}" in readme, f"command {name} is not in README.md"


def _write(tmp_path: Path, name: str, text: str, encoding: str = "utf-8") -> Path:
    p = tmp_path / name
    p.write_bytes(text.encode(encoding))
    return p


def test_extract_jsonl_contract_and_offsets(tmp_path):
    body = "區(qū)婦聯(lián)2021年工作總結\n全區已建成“兒童之家”125個，共慰問521名兒童，花費10.95萬元。\n"
    path = _write(tmp_path, "r.txt", body)
    res = CliRunner().invoke(cli.main, ["extract", "--format", "jsonl", str(path)])
    assert res.exit_code == 0, res.output
    figs = [json.loads(line) for line in res.output.splitlines()]
    assert [(f["value"], f["unit"], f["kind"]) for f in figs] == [(125, "个", "count"), (521, "名", "count"),
                                                                  (109500, "元", "money")]
    raw = path.read_text(encoding="utf-8")
    clean = CliRunner().invoke(cli.main, ["clean", str(path)]).output
    for f in figs:
        assert CONTRACT_FIELDS <= set(f), CONTRACT_FIELDS - set(f)
        assert f["doc"] == str(path)
        assert clean[f["start"]:f["end"]] == f["text"]
        # the source span holds the same digits (traditional script, same length here)
        assert raw[f["raw_start"]:f["raw_end"]].translate(str.maketrans("個萬兒", "个万儿")) == f["text"]
    assert figs[0]["subject"] == "儿童之家" and figs[0]["indicator"] == "children_home.count"


def test_extract_goes_on_past_a_bad_file(tmp_path):
    good = _write(tmp_path, "good.txt", "共开展27次慰问活动。")
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"")
    res = subprocess.run([sys.executable, "cli.py", "extract", "--format", "jsonl", str(bad), str(good)],
                         capture_output=True, text=True, cwd=ROOT)
    assert res.returncode == 1
    assert "Traceback" not in res.stderr
    assert str(bad) in res.stderr and "empty" in res.stderr
    assert [json.loads(line)["value"] for line in res.stdout.splitlines()] == [27]


def test_unknown_extractor_is_a_usage_error(tmp_path):
    path = _write(tmp_path, "r.txt", "共开展27次慰问活动。")
    res = CliRunner().invoke(cli.main, ["extract", "--extractor", "nope", str(path)])
    assert res.exit_code == 2
    assert "unknown extractor 'nope'" in res.output


@pytest.mark.parametrize("command", ["extract", "ingest"])
def test_extractor_comes_from_the_environment_too(tmp_path, command):
    path = _write(tmp_path, "r.txt", "共开展27次慰问活动。")
    args = [command, str(path)] + (["--db", str(tmp_path / "c.sqlite")] if command == "ingest" else [])
    res = CliRunner().invoke(cli.main, args, env={"HUIBAO_EXTRACTOR": "nope"})
    assert res.exit_code != 0
    assert "unknown extractor 'nope'" in res.output


def test_table_format_prints_the_figures(tmp_path):
    path = _write(tmp_path, "r.txt", "共开展27次慰问活动。")
    res = CliRunner().invoke(cli.main, ["extract", "--format", "table", str(path)], terminal_width=200)
    assert res.exit_code == 0
    assert "27" in res.output and "慰问活动" in res.output


@pytest.mark.parametrize("args", [["clean"], ["extract"]])
def test_missing_argument_is_a_usage_error(args):
    res = CliRunner().invoke(cli.main, args)
    assert res.exit_code == 2


def test_clean_json_carries_the_document_metadata(tmp_path):
    # the evaluation reads title, org, region and year from `clean --json`; before, they came only with extract
    path = _write(tmp_path, "r.txt", "金湖县妇联2021年工作总结\n全县已建成儿童之家125个。\n")
    res = CliRunner().invoke(cli.main, ["clean", "--json", str(path)])
    assert res.exit_code == 0, res.output
    out = json.loads(res.output)
    for key in ("title", "org", "level", "region", "region_code", "year", "reviews", "published", "truncated"):
        assert key in out, key
    assert out["year"] == 2021
    assert "金湖县" in out["region"]
