"""The model extractor: a tiny training run, the shipped model, the ensemble, the registry, errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from extractors import model as M
from extractors.registry import EXTRACTORS
from extractors.rules import extract as rules_extract
from extractors.rules import extract_text as rules_extract_text
from extractors.train import synthetic_docs, train
from pipeline.types import Document, HuibaoError, RawDocument

TINY = {"training.eval_frequency": 100, "components.tok2vec.model.encode.width": 32,
        "components.tok2vec.model.encode.depth": 1, "training.batcher.size.start": 300}


def _doc(text: str) -> Document:
    return Document(RawDocument("x.txt", "txt", text), text, list(range(len(text) + 1)))


@pytest.fixture(scope="module")
def tiny_model(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("model") / "figures"
    train(out, n_docs=6, n_val=1, max_steps=200, shared=None, overrides=TINY, log=lambda s: None)
    return out


def _span_f1(pred: set, gold: set) -> float:
    tp = len(pred & gold)
    return 2 * tp / (len(pred) + len(gold)) if pred or gold else 1.0


def test_tiny_training_learns_its_figures(tiny_model):
    nlp = M.load_model(tiny_model)
    assert set(nlp.get_pipe("spancat").labels) == {M.FIGURE, M.SUBJECT}
    docs = list(synthetic_docs(6))
    pred, gold = set(), set()
    for k, ((body, _), truth) in enumerate(docs):
        for f in M.extract_text(body, nlp):
            assert body[f.start: f.end] == f.text
            pred.add((k, f.start, f.end))
        gold |= {(k, t["start"], t["end"]) for t in truth}
    assert _span_f1(pred, gold) > 0.8


def test_tiny_training_writes_a_loadable_model(tiny_model):
    assert (tiny_model / "config.cfg").is_file()
    text = "全区已建成“儿童之家”125个，共慰问521名儿童。"
    spans = M.predict_spans(text, M.load_model(tiny_model))
    assert all(0 <= s.start < s.end <= len(text) and 0.0 <= s.score <= 1.0 for v in spans.values() for s in v)


def test_shipped_model_offsets_and_fields():
    (body, _), truth = next(synthetic_docs(1, seed=99))
    raw = RawDocument("x.txt", "txt", "标题\n\n" + body)
    doc = Document(raw, body, [i + 4 for i in range(len(body))] + [len(body) + 4])
    figs = EXTRACTORS.get("model")(doc)
    assert figs, "the shipped model finds no figure in a synthetic report"
    for f in figs:
        assert doc.text[f.start: f.end] == f.text
        assert raw.text[f.raw_start: f.raw_end] == f.text
        assert f.extractor == "model" and f.confidence is not None
        assert f.kind in ("count", "money", "percent", "other")
    found = {(f.start, f.end) for f in figs}
    gold = {(t["start"], t["end"]) for t in truth}
    assert _span_f1(found, gold) > 0.9


def test_ensemble_keeps_every_rule_figure():
    (body, _), _truth = next(synthetic_docs(1, seed=98))
    doc = _doc(body)
    rules = [(f.start, f.end, f.value) for f in rules_extract(doc)]
    ens = EXTRACTORS.get("ensemble")(doc)
    got = [(f.start, f.end, f.value) for f in ens]
    assert set(rules) <= set(got)
    assert [f.start for f in ens] == sorted(f.start for f in ens)


def test_merge_adds_model_figures_and_renumbers_parents():
    text = "共有留守儿童1200名，其中男童600名、女童600名。另有志愿者85人。"
    rule_figs = rules_extract_text(text)
    assert [f.parent for f in rule_figs if f.parent is not None] == [0, 0]
    first = text.index("1200名")
    spans = {M.FIGURE: [M.Span(0, 2, M.FIGURE, 0.99)], M.SUBJECT: []}  # "共有" is no number: dropped
    assert M.merge(text, list(rule_figs), spans, 0.5) == rule_figs
    text2 = "投入30万元。" + text
    rule_figs = rules_extract_text(text2)
    n_rules = len(rule_figs)
    kept = [f for f in rule_figs if f.text != "30万元"]  # pretend the rules missed 30万元
    spans = {M.FIGURE: [M.Span(2, 6, M.FIGURE, 0.95)], M.SUBJECT: [M.Span(0, 2, M.SUBJECT, 0.9)]}
    for f in kept:
        f.parent = None if f.parent is None else f.parent - 1
    merged = M.merge(text2, kept, spans, 0.9)
    assert len(merged) == n_rules
    assert (merged[0].text, merged[0].value, merged[0].subject, merged[0].extractor) == ("30万元", 300000, "投入", "model")
    total = next(i for i, f in enumerate(merged) if f.start == first + 7)
    assert [f.parent for f in merged if f.parent is not None] == [total, total]
    assert M.merge(text2, list(kept), spans, 0.96) == kept  # below the threshold


def test_figure_from_span_reads_like_the_rules():
    text = "覆盖率达95.6%，新增就业10.2万人，下降0.3个百分点，我区共有农村留守儿童*名"
    for f in rules_extract_text(text):
        m = M.figure_from_span(text, f.start, f.end)
        assert m is not None
        assert (m.value, m.kind, m.unit, m.approx, m.redacted) == (f.value, f.kind, f.unit, f.approx, f.redacted)


def test_subject_from_the_same_clause_first():
    text = "培训妇女300人次，建成儿童之家20个。"
    subj = [M.Span(0, 4, M.SUBJECT, 0.9), M.Span(11, 15, M.SUBJECT, 0.9)]
    a = text.index("20个")
    assert M.nearest_subject(text, a, a + 3, subj) == subj[1]
    assert M.nearest_subject(text, 4, 9, subj) == subj[0]


def test_registry_names():
    assert {"rules", "model", "ensemble"} <= set(EXTRACTORS.names())


def test_missing_model_is_a_clear_error(tmp_path, monkeypatch):
    with pytest.raises(HuibaoError, match="huibao train"):
        M.load_model(tmp_path / "nothing")
    monkeypatch.setenv(M.MODEL_ENV, str(tmp_path / "nothing"))
    with pytest.raises(HuibaoError, match=r"nothing: no trained model"):
        EXTRACTORS.get("model")(_doc("建成125个。"))


def test_cli_extract_honours_the_extractor_env(tmp_path):
    from cli import main

    p = tmp_path / "r.txt"
    p.write_text("全区已建成“儿童之家”125个，共慰问521名儿童。\n", encoding="utf-8")
    res = CliRunner().invoke(main, ["extract", "--format", "jsonl", str(p)], env={"HUIBAO_EXTRACTOR": "ensemble"})
    assert res.exit_code == 0, res.output
    rows = [json.loads(line) for line in res.output.splitlines()]
    assert [(r["value"], r["unit"]) for r in rows] == [(125, "个"), (521, "名")]
    res = CliRunner().invoke(main, ["extract", str(p)], env={"HUIBAO_EXTRACTOR": "nope"})
    assert res.exit_code != 0 and "unknown extractor" in res.output


def test_shipped_model_size():
    size = sum(p.stat().st_size for p in M.MODEL_DIR.rglob("*") if p.is_file())
    assert 0 < size <= 30e6


def test_ensemble_does_no_harm_on_the_gold_sets(shared):
    from extractors.evaluate import evaluate

    rows = evaluate(shared(), n_synth=4, out=lambda s: None)
    by = {(r["set"], r["extractor"]): r for r in rows}
    # the linking rows (compare_dev: rules alone against rules + linker) score links, not figures
    for set_name in {r["set"] for r in rows if "figures_f1" in r}:
        assert by[(set_name, "ensemble")]["figures_f1"] >= by[(set_name, "rules")]["figures_f1"] - 0.01
        assert by[(set_name, "ensemble")]["subject_f1"] >= by[(set_name, "rules")]["subject_f1"] - 0.01


def test_training_is_reproducible(tiny_model, tmp_path):
    again = train(tmp_path / "again", n_docs=6, n_val=1, max_steps=200, shared=None, overrides=TINY,
                  log=lambda s: None)
    files = sorted(p.relative_to(tiny_model) for p in tiny_model.rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(again) for p in again.rglob("*") if p.is_file())
    for f in files:
        assert (tiny_model / f).read_bytes() == (again / f).read_bytes(), f


def test_ensemble_reads_only_the_sentences_that_can_change_it():
    """The sentences the ensemble skips change nothing it would keep: the same rule figures and
    subjects as reading every sentence, model additions a subset (identical on synthetic text)."""
    import copy

    texts = [body for (body, _), _ in synthetic_docs(4, seed=123)]
    texts.append("2024年，全区进一步完善服务体系，用好两个市场两种资源。共建成儿童之家125个，慰问困难儿童。"
                 "新增床位约三百张，其中XX张已投用。办理时限压缩至1个工作日。")
    for k, text in enumerate(texts):
        doc = _doc(text)
        rules = rules_extract(doc)
        every = M.merge(text, copy.deepcopy(rules), M.predict_spans(text), M.min_score())
        fast = M.ensemble(doc)

        def key(figs, extractor):
            return [(f.start, f.end, f.value, f.subject, f.indicator) for f in figs if f.extractor == extractor]

        assert key(fast, "rules") == key(every, "rules")
        assert set(key(fast, "model")) <= set(key(every, "model"))
        if k < 4:
            assert key(fast, "model") == key(every, "model")
        keep = M._model_can_change(text, rules)
        read = [keep(a, a + len(s)) for a, s in M.numeral_sentences(text)]
        assert not all(read), "every sentence read: nothing skipped"
    # the last text: the year, the slogan and the look-alike 1个工作日 are not read; 约三百张 is a rule figure
    assert [s for (a, s), r in zip(M.numeral_sentences(texts[-1]), read) if r] == []


@pytest.mark.parametrize("extractor", ["rules", "model", "ensemble"])
def test_figures_keep_the_source_text_and_sentence(extractor):
    """A figure's text and sentence keep the source's full-width characters (６％, Ｒ＆Ｄ), not the
    cleaner's narrowed ones: a quote of the report (a gold snippet) finds its sentence."""
    from pipeline.clean import clean

    raw = RawDocument("x.txt", "txt", "全区研发经费增长１０％，建成儿童之家１２５个。\n")
    figs = EXTRACTORS.get(extractor)(clean(raw))
    got = {(f.value, f.text, f.sentence) for f in figs}
    assert (10, "１０％", "全区研发经费增长１０％，建成儿童之家１２５个。") in got
    assert (125, "１２５个", "全区研发经费增长１０％，建成儿童之家１２５个。") in got
    for f in figs:
        assert len(f.text) == f.end - f.start and f.text in f.sentence


@pytest.mark.parametrize("text, figure, indicator", [
    ("全省粮食播种面积稳定在1200万亩以上，总产量达到320亿斤。", "320亿斤", "grain_output.weight"),
    ("旅游接待人次增长12%，总花费增长15%。", "15%", "tourism_revenue.growth_pct"),
    ("全年粮食种植面积2100万亩。", "2100万亩", "grain_area.mu"),
])
def test_model_figures_use_the_linker_where_the_aliases_stop(monkeypatch, text, figure, indicator):
    """The model extractor asks the indicator linker as the rules do: a subject outside the aliases
    (总产量 after 粮食播种面积, 种植面积) is linked when the linker is sure, and not by the aliases alone."""
    from extractors import linker

    def link(enabled: bool) -> str | None:
        monkeypatch.setattr(linker, "ENABLED", enabled)
        return next(f.indicator for f in M.extract_text(text) if f.text == figure)

    assert link(False) is None
    assert link(True) == indicator
