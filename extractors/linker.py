"""The indicator linker: a figure's subject, clause and unit -> an indicator of the taxonomy, or none.

The rules (``extractors.rules._indicator``) link a figure when an alias of
``extractors/data/indicators.toml`` stands in its subject. The linker is for the rest:
phrasings outside the aliases (旅游接待人数 for 接待游客人次), subjects the rules could not
find or pair (同比增长18.5% after the level, 城镇和农村…分别增长, 城乡居民人均收入增长5.3%、7.7%),
a noun the subject lost. ``rules._link`` calls ``predict`` only for figures the aliases leave
without an indicator; a link it is sure of (``threshold``) becomes the indicator, one it is not
stays a candidate (``indicator_candidate`` and ``indicator_confidence``; indicator null).

**Model.** A linear softmax over "none" and the candidate indicators (those whose kinds and
units admit the figure and whose aliases share enough of its text). A candidate's features
compare its aliases with the mention's fields (``Mention``): how much of an alias the subject,
the list part, the clause before the number, the clause before that (alone and joined to the
subject: 儿童之家达到2.3万个，覆盖率为92.8%) hold, whether the subject
is a part of an alias, which candidate matches each field best, the taxonomy's exclusion words,
the measure of the indicator (level, growth, rate, reduction) against the word between subject
and number (增长, 下降, 达到, 占), and learned character bigrams of the subject per indicator.
Trained with Adagrad on CPU in well under a minute; the weights (a few thousand) are
``extractors/models/linker.json``.

**Training data** (``train``; seed fixed, ``python -m extractors.linker train`` rebuilds the
shipped model): sentences composed from the taxonomy's aliases with the shapes of
``extractors/data/linker_train.toml``, figures labelled by the rules in the real reports of
``../shared/corpus/reports`` (sentences of the dev, seeds and compare_dev sets left out) and
synthetic reports of ``corpora.synth`` (the rules' or the generator's labels). Each example is
also trained with its alias hidden from its indicator and with no subject, so the linker learns
what the aliases alone cannot. A fifth of the aliases and documents are held out; ``train``
prints the held-out precision and recall per threshold, from which ``[linker] threshold`` was set.
"""

from __future__ import annotations

import json
import math
import random
import re
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, replace
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

from pipeline.settings import load_data

ROOT = Path(__file__).resolve().parent.parent
MODEL_PATH = Path(__file__).resolve().parent / "models" / "linker.json"
SHARED = ROOT.parent / "shared"

#: False: the rules alone (``huibao eval-extractors`` compares the two)
ENABLED = True

NONE = "none"
#: exclusion words that follow the noun they qualify (地区生产总值占比); the others precede it (人均…)
SHARE_WORDS = ("占", "比重", "比例", "比率", "占比", "贡献率")
#: a candidate needs this share of one alias's character bigrams in one field of the mention
MIN_COVER = 0.5
#: ``joined``: the clause before and the subject read as one noun (儿童之家达到2.3万个，覆盖率为92.8%: the
#: rate of the thing the clause before counts); empty without both
FIELDS = ("subject", "part", "before", "strong", "previous", "after", "joined")


@dataclass(frozen=True, slots=True)
class Mention:
    """What the linker reads of a figure (built by ``extractors.rules._mention``; spelling
    variants folded as the taxonomy's ``[spelling]`` says, digits as 0 in the clause texts).

    ``subject``: the rules' subject with the characters written right before it;
    ``part``: the noun of a list the figure stands for (the k-th of 甲、乙分别增长a、b);
    ``before``/``strong``: the text of its clause (after the last 、or ，) / of its clause up to the
    last ，；： before the number; ``previous``: the end of the clause before that, in the same
    sentence; ``after``: the words right after the figure.
    """

    kind: str
    unit: str | None
    subject: str = ""
    before: str = ""
    strong: str = ""
    previous: str = ""
    after: str = ""
    part: str = ""


# ---------------------------------------------------------------- the taxonomy, compiled


@dataclass(frozen=True)
class Entry:
    id: str
    kinds: frozenset[str] | None
    units: frozenset[str] | None
    measure: str
    aliases: tuple[str, ...]
    alias_bigrams: tuple[frozenset[str], ...]
    none: tuple[str, ...]
    clause_any: tuple[str, ...]
    clause_none: tuple[str, ...]


def bigrams(s: str) -> frozenset[str]:
    """Character bigrams of ``s`` (a one-character string is its own).

    >>> sorted(bigrams("生产总值"))
    ['产总', '总值', '生产']
    """
    if len(s) < 2:
        return frozenset((s,)) if s else frozenset()
    return frozenset(s[i:i + 2] for i in range(len(s) - 1))


class Taxonomy:
    """The indicators of ``indicators.toml`` with their aliases' bigrams and an index on them."""

    def __init__(self, data: dict[str, Any]):
        from extractors.rules import _spell

        self.entries: list[Entry] = []
        for ind_id, spec in data.get("indicator", {}).items():
            aliases = tuple(dict.fromkeys(_spell(a) for a in spec.get("aliases", spec.get("subject_any", []))))
            kinds, units = spec.get("kinds"), spec.get("units")
            self.entries.append(Entry(
                id=ind_id, kinds=frozenset(kinds) if kinds else None, units=frozenset(units) if units else None,
                measure=spec.get("measure", "level"), aliases=aliases,
                alias_bigrams=tuple(bigrams(a) for a in aliases),
                none=tuple(spec.get("subject_none", ())), clause_any=tuple(spec.get("clause_any", ())),
                clause_none=tuple(spec.get("clause_none", ()))))
        self.by_id = {e.id: i for i, e in enumerate(self.entries)}
        self.index: dict[str, set[int]] = defaultdict(set)
        for i, e in enumerate(self.entries):
            for bg in e.alias_bigrams:
                for b in bg:
                    self.index[b].add(i)
        # a bigram many indicators share (生产, 总值, 增加) says less than one few have (研发, 优良):
        # covers weigh bigrams by log(1 + indicators / indicators holding it); an unknown one weighs most
        n = max(1, len(self.entries))
        self.idf = {b: math.log(1 + n / len(ids)) for b, ids in self.index.items()}
        self.idf_unknown = math.log(1 + n)
        # math.fsum: a set's order changes with the string hash seed, an exact sum does not
        self.alias_weight = {a: math.fsum(self.idf[b] for b in bg)
                             for e in self.entries for a, bg in zip(e.aliases, e.alias_bigrams)}
        cfg = data.get("linker", {})
        cues = [(w, name) for name, words in cfg.get("cues", {}).items() for w in words]
        cues.sort(key=lambda wc: -len(wc[0]))
        self.cue_of = dict(cues)
        self.cue_re = re.compile("|".join(re.escape(w) for w, _ in cues)) if cues else None
        self.threshold = float(cfg.get("threshold", 0.7))
        self.min_candidate = float(cfg.get("min_candidate", 0.3))
        self._admitting: dict[tuple[str, str | None], frozenset[int]] = {}

    def admitting(self, kind: str, unit: str | None) -> frozenset[int]:
        """Entries whose kinds and units admit a figure of ``kind`` in ``unit``."""
        key = (kind, unit)
        got = self._admitting.get(key)
        if got is None:
            got = self._admitting[key] = frozenset(
                i for i, e in enumerate(self.entries)
                if (e.kinds is None or kind in e.kinds) and (e.units is None or unit in e.units) and e.aliases)
        return got

    def cue(self, text: str) -> str:
        """The kind of the last cue word in ``text`` (growth, reduction, level, share) or none."""
        if self.cue_re is None:
            return NONE
        last = None
        for m in self.cue_re.finditer(text):
            last = m
        return self.cue_of[last.group()] if last else NONE


    def weight(self, grams: frozenset[str]) -> float:
        idf, unknown = self.idf, self.idf_unknown
        return math.fsum(idf.get(b, unknown) for b in grams)


@cache
def taxonomy() -> Taxonomy:
    return Taxonomy(load_data("extractors", "indicators"))


def threshold() -> float:
    return taxonomy().threshold


def min_candidate() -> float:
    return taxonomy().min_candidate


# ---------------------------------------------------------------- features


@dataclass
class _Fields:
    """A mention's fields as bigram sets, computed once for all its candidates."""

    text: dict[str, str]
    grams: dict[str, frozenset[str]]
    cue: str


def _fields(m: Mention, tax: Taxonomy) -> _Fields:
    text = {"subject": m.subject, "part": m.part, "before": m.before, "strong": m.strong,
            "previous": m.previous, "after": m.after,
            "joined": m.previous + m.subject if m.previous and m.subject else ""}
    grams = {k: bigrams(v) for k, v in text.items()}
    gap = m.before
    if m.subject:
        k = gap.rfind(m.subject)
        if k >= 0:
            gap = gap[k + len(m.subject):]
    return _Fields(text, grams, tax.cue(gap))


def _cover(e: Entry, grams: frozenset[str], text: str, hidden: frozenset[str] | None, tax: Taxonomy
           ) -> tuple[float, bool, int]:
    """(the largest share of an alias's bigrams in ``grams``, weighed by their rarity; whether an
    alias stands in ``text``; the ends of the best alias present: 2 for its head, the last bigram
    (产量 of 粮食产量), plus 1 for its first (粮食))."""
    best, full, ends = 0.0, False, 0
    if not grams:
        return best, full, ends
    idf, weight = tax.idf, tax.alias_weight
    for a, bg in zip(e.aliases, e.alias_bigrams):
        if hidden and a in hidden:
            continue
        shared = bg & grams
        if shared:
            share = math.fsum(idf[b] for b in shared) / weight[a]
            if share > best:
                best = share
                ends = 2 * (a[-2:] in grams) + (a[:2] in grams)
            if len(shared) == len(bg) and a in text:
                full = True
    return best, full, ends


def _allowed(e: Entry, m: Mention) -> bool:
    """The taxonomy's own conditions: its clause words, and no exclusion word in the noun."""
    clause = m.strong + m.after
    if e.clause_any and not any(w in clause for w in e.clause_any):
        return False
    if e.clause_none and any(w in m.strong for w in e.clause_none):
        return False
    noun = m.part or m.subject
    return not (noun and any(w in noun for w in e.none))


Covers = dict[str, tuple[float, bool, int]]  # field -> ``_cover``


#: ``hidden``: (indicator id, an alias or a set of aliases) left out of that indicator, as if the
#: taxonomy lacked them (a phrasing outside the aliases)
Hidden = tuple[str, "str | frozenset[str]"]
_NO_ALIAS: frozenset[str] = frozenset()


def _hidden_aliases(hidden: Hidden | None, ind_id: str) -> frozenset[str]:
    if not hidden or hidden[0] != ind_id:
        return _NO_ALIAS
    return frozenset((hidden[1],)) if isinstance(hidden[1], str) else hidden[1]


def candidates(m: Mention, fl: _Fields, tax: Taxonomy, hidden: Hidden | None = None
               ) -> list[tuple[int, Covers]]:
    """The entries that may be ``m``'s indicator, with their cover of every field."""
    admitted = tax.admitting(m.kind, m.unit)
    if not admitted:
        return []
    seen: set[int] = set()
    for f in FIELDS:
        for b in fl.grams[f]:
            hit = tax.index.get(b)
            if hit:
                seen |= hit
    out = []
    for i in sorted(seen & admitted):
        e = tax.entries[i]
        if not _allowed(e, m):
            continue
        hid = _hidden_aliases(hidden, e.id)
        covers = {f: _cover(e, fl.grams[f], fl.text[f], hid, tax) for f in FIELDS}
        if max(c for c, _, _ in covers.values()) >= MIN_COVER:
            out.append((i, covers))
    return out


def features(m: Mention, fl: _Fields, tax: Taxonomy, cands: list[tuple[int, Covers]]
             ) -> tuple[dict[str, float], list[dict[str, float]]]:
    """(the features of "none", the features of each candidate)."""
    best = {f: max((cv[f][0] for _, cv in cands), default=0.0) for f in FIELDS}
    # (a field's cover, whether an alias stands in it, which ends of the best alias it holds)
    subj, part = fl.text["subject"], fl.text["part"]
    # the figure's own noun stands in its clause: the clause before and the words after are other figures'
    own = "own" if (part or (subj and (subj in m.before or subj in m.after))) else "inh"
    none = {"N:bias": 1.0, f"N:kind={m.kind}": 1.0, "N:maxS": best["subject"], "N:maxL": best["part"],
            "N:maxB": best["before"], "N:noS": float(not subj), "N:cue=" + fl.cue: 1.0}
    out = []
    for i, covers in cands:
        e = tax.entries[i]
        x: dict[str, float] = {f"b:{e.id}": 1.0, f"m={e.measure}|cue={fl.cue}": 1.0,
                               f"m={e.measure}|kind={m.kind}": 1.0}
        for f in FIELDS:
            c, full, ends = covers[f]
            name = f if f in ("subject", "part", "before") else f"{f}|{own}"
            if c:
                x["cov:" + name] = c
                x[f"ends:{name}={ends}"] = 1.0
                if c == best[f]:
                    x["top:" + name] = 1.0
            if full:
                x["full:" + name] = 1.0
        noS = not subj
        if noS:
            x["cov:before|noS"] = covers["before"][0]
            x["cov:previous|noS"] = covers["previous"][0]
        if best["before"] < MIN_COVER:  # the clause names nothing: the subject is in the one before
            x["cov:previous|inherit"] = covers["previous"][0]
        for f, s in (("subject", subj), ("part", part)):
            if len(s) >= 2:
                g = fl.grams[f]
                total = tax.weight(g)
                x["prec:" + f] = max((tax.weight(bg & g) / total for bg in e.alias_bigrams), default=0.0)
                if any(a.endswith(s) for a in e.aliases):  # the alias's head: 总花费 of 旅游总花费
                    x["in_alias_end:" + f] = 1.0
                elif any(s in a for a in e.aliases):  # its modifier without the head: 留守儿童 of 留守儿童之家
                    x["in_alias:" + f] = 1.0
                if any(w in s for w in e.none):
                    x["neg:" + f] = 1.0
        if any(w in fl.text["before"] for w in e.none):
            x["neg:before"] = 1.0
        out.append(x)
    return none, out


# ---------------------------------------------------------------- prediction


@cache
def _weights() -> dict[str, float]:
    if not MODEL_PATH.is_file():
        return {}
    with MODEL_PATH.open(encoding="utf-8") as f:
        return json.load(f)["weights"]


def _softmax(scores: list[float]) -> list[float]:
    top = max(scores)
    ex = [math.exp(s - top) for s in scores]
    total = sum(ex)
    return [v / total for v in ex]


def _score(x: dict[str, float], w: dict[str, float]) -> float:
    return sum(w.get(k, 0.0) * v for k, v in x.items())


def scores(m: Mention, w: dict[str, float] | None = None, hidden: Hidden | None = None
           ) -> list[tuple[str, float]]:
    """Every option for ``m`` with its probability, best first ("none" among them)."""
    tax = taxonomy()
    w = _weights() if w is None else w
    fl = _fields(m, tax)
    cands = candidates(m, fl, tax, hidden)
    if not cands:
        return [(NONE, 1.0)]
    none_x, xs = features(m, fl, tax, cands)
    probs = _softmax([_score(none_x, w)] + [_score(x, w) for x in xs])
    ids = [NONE] + [tax.entries[i].id for i, _ in cands]
    return sorted(zip(ids, probs), key=lambda t: -t[1])


@lru_cache(maxsize=16384)  # reports repeat their clauses; the key holds no number
def predict(m: Mention) -> tuple[str | None, float]:
    """(the best indicator, its probability), or (None, p) when "none" is likeliest.

    >>> predict(Mention(kind="percent", unit="%", subject="", before="同比增长",
    ...                 previous="全年社会消费品零售总额完成00亿元"))[0]
    'retail_sales.growth_pct'
    """
    if not _weights():
        return None, 0.0
    ranked = scores(m)
    best, p = ranked[0]
    return (None, p) if best == NONE else (best, p)


# ---------------------------------------------------------------- training data


@dataclass
class Example:
    mention: Mention
    label: str  # an indicator id or NONE
    source: str  # aliases | reports | synth
    group: str  # what held-out splits go by (an alias, a document)
    rule: str | None = None  # the alias rules' link of the figure as written
    hidden: tuple[str, str] | None = None


@cache
def _train_data() -> dict[str, Any]:
    return load_data("extractors", "linker_train")


def _mentions(text: str) -> list[tuple[Any, Mention, str | None]]:
    """(figure, mention, the rules' indicator) of every figure of ``text``."""
    from extractors import rules

    sink: list = []
    rules._LINK_SINK = sink
    try:
        rules.extract_text(text)
    finally:
        rules._LINK_SINK = None
    return sink


def _amount(rng: random.Random, template: str) -> str:
    x = rng.choice([f"{rng.uniform(1, 99):.1f}", f"{rng.uniform(100, 9999):.1f}", str(rng.randint(2, 999))])
    return template.replace("{x}", x).replace("{n}", str(rng.randint(3, 9999)))


class _Writer:
    """Sentences from the aliases (``linker_train.toml [sentences]``), each in a short paragraph."""

    def __init__(self, rng: random.Random):
        self.rng = rng
        self.cfg = _train_data()
        self.s = self.cfg["sentences"]
        self.values = self.cfg["values"]

    def value(self, unit: str) -> str:
        return _amount(self.rng, self.rng.choice(self.values.get(unit, self.values["个"])))

    def pct(self) -> str:
        x = f"{self.rng.uniform(0.5, 20):.1f}".removesuffix(".0")
        return self.rng.choice(self.values["%"]).replace("{x}", x)

    def sentence(self, template: str, **kw: str) -> str:
        defaults = {"lead": self.rng.choice(self.s["leads"]), "level": self.value("元"), "pct0": self.pct()}
        out = template
        for k, v in {**defaults, **kw}.items():
            out = out.replace("{" + k + "}", v)
        return out

    def text(self, sentence: str, other: str | None) -> tuple[str, int]:
        """(an opener, maybe another indicator's clause, the sentence; where the sentence starts)."""
        pre = self.rng.choice(self.s["openers"])
        if other:
            pre += other + self.rng.choice(self.s["joins"])
        return pre + sentence + "。", len(pre)


def _figure_at(text: str, pos: int) -> tuple[Any, Mention, str | None] | None:
    """The figure of ``text`` whose number starts at ``pos`` (with its mention and rule link)."""
    for item in _mentions(text):
        if item[0].start <= pos < item[0].end:
            return item
    return None


def alias_examples(tax: Taxonomy, rng: random.Random) -> Iterator[Example]:
    """Sentences written from every alias in the shapes of its measure, and their negatives.

    The label is the alias's indicator, or the rules' link where the rules give another one
    (an exclusion word made the subject another concept), or none where an exclusion word
    leaves the figure without an indicator."""
    w = _Writer(rng)
    s = w.s
    spec = load_data("extractors", "indicators")["indicator"]
    entries = [e for e in tax.entries if e.aliases]
    per_alias = int(w.cfg["per_alias"])
    growth = [e for e in entries if e.measure == "growth"]

    def number(unit: str) -> str:
        return w.pct() if unit == "%" else w.value(unit)

    def other_clause() -> str | None:
        if rng.random() < 0.5:
            return None
        o = rng.choice(entries)
        return rng.choice(o.aliases) + rng.choice(["增长", "达到", ""]) + number(spec[o.id].get("unit", "个"))

    def one(template: str, target: str, label: str, group: str, **kw: str) -> Example | None:
        """The example of the figure written as ``target`` in ``template`` filled with ``kw``."""
        sent = w.sentence(template, **kw)
        text, at = w.text(sent, other_clause())
        k = sent.find(target)
        hit = _figure_at(text, at + k) if k >= 0 else None
        if hit is None:
            return None
        _, m, rule = hit
        return Example(m, rule or label, "aliases", group, rule)

    def fill(e: Entry, template: str, alias: str, label: str, group: str, verbs: list[str], cues: list[str],
             unit: str) -> Iterator[Example]:
        """The template with the indicator's number as the target: a percentage for a growth or a
        reduction, a rate in the indicator's unit (%, ‰, /10万) for a rate, else a level in its unit."""
        kw = {"alias": alias, "verb": rng.choice(verbs), "cue": rng.choice(cues)}
        if e.measure in ("growth", "reduction", "rate"):
            slot, target = "pct", (number(unit) if e.measure == "rate" else w.pct())
        else:
            slot, target = "value", number(unit)
            kw["pct"] = w.pct()
        if "{" + slot + "}" not in template:
            return
        kw[slot] = target
        ex = one(template, target, label, group, **kw)
        if ex is not None:
            yield ex

    for e in entries:
        unit = spec[e.id].get("unit", "个")
        verbs = s["rate_verbs"] if e.measure == "rate" else s["level_verbs"]
        family = {"level": s["level"], "flow": s["flow"] + s["level"], "growth": s["growth"], "rate": s["rate"],
                  "reduction": s["reduction"]}[e.measure]
        cues = list(e.clause_any) or [""]
        for alias in e.aliases:
            group = f"{e.id}|{alias}"
            for template in family:
                if e.measure == "flow" and e.clause_any and "{cue}" not in template:
                    continue
                for _ in range(per_alias):
                    yield from fill(e, template, alias, e.id, group, verbs, cues, unit)
            # the taxonomy's exclusion words make another concept or none (人均地区生产总值, 民间投资…占比)
            for word in e.none:
                shape = alias + word if word in SHARE_WORDS else word + alias
                yield from fill(e, rng.choice(family), shape, NONE, group, verbs, cues, unit)
    # a part or a neighbour of the concept: a narrowing word before an alias, another head after
    # its first half (省外游客, 第三产业增加值, 规模以上工业发电量): none, unless the rules know it
    narrowing = _train_data()["narrowing"]
    for e in entries:
        unit = spec[e.id].get("unit", "个")
        verbs = s["rate_verbs"] if e.measure == "rate" else s["level_verbs"]
        family = {"level": s["level"], "flow": s["flow"] + s["level"], "growth": s["growth"], "rate": s["rate"],
                  "reduction": s["reduction"]}[e.measure]
        cues = list(e.clause_any) or [""]
        for alias in e.aliases:
            group = f"{e.id}|{alias}"
            for prefix in rng.sample(narrowing["prefixes"], 3):
                yield from fill(e, rng.choice(family), prefix + alias, NONE, group, verbs, cues, unit)
            if len(alias) >= 4:
                for head in rng.sample(narrowing["heads"], 2):
                    yield from fill(e, rng.choice(family), alias[: len(alias) // 2] + head, NONE, group, verbs, cues,
                                    unit)
                for lead in rng.sample(narrowing["leads"], 2):
                    yield from fill(e, rng.choice(family), lead + alias[len(alias) // 2:], NONE, group, verbs, cues,
                                    unit)
                # the modifier without its head (留守儿童 of 留守儿童之家) is not the concept
                yield from fill(e, rng.choice(family), alias[:-2], NONE, group, verbs, cues, unit)
    # a rate told after the count of its thing, by its last word alone (儿童之家达到2.3万个，覆盖率为92.8%):
    # the rate of the thing (split_tails: the words that end a rate alias and name no concept alone);
    # the same words after a thing no alias names are none (新建学校20所，覆盖率达到95%)
    tails = tuple(s.get("split_tails", ()))
    rates = [(e, a[: -len(t)], t) for e in entries if e.measure == "rate" for a in e.aliases for t in tails
             if a.endswith(t) and len(a) - len(t) >= 2]
    for e, head, tail in rates:
        for template in s.get("split", ()):
            for _ in range(per_alias):
                pct = number(spec[e.id].get("unit", "%"))
                ex = one(template, pct, e.id, f"{e.id}|{head}{tail}", head=head, tail=tail, value=w.value("个"),
                         verb=rng.choice(s["level_verbs"]), rverb=rng.choice(s["rate_verbs"]), pct=pct)
                if ex is not None:
                    yield ex
    for word in _train_data()["distractors"]["count"] if rates else ():
        tail = rng.choice(tails)
        pct = w.pct()
        ex = one(rng.choice(s["split"]), pct, NONE, f"none|{word}", head=word, tail=tail, value=w.value("个"),
                 verb=rng.choice(s["level_verbs"]), rverb=rng.choice(s["rate_verbs"]), pct=pct)
        if ex is not None:
            yield ex
    # a figure no indicator covers listed with one that is
    for _ in range(len(growth) * 4):
        e = rng.choice(growth)
        alias, other = rng.choice(e.aliases), rng.choice(_train_data()["distractors"]["percent"])
        p1, p2 = w.pct(), w.pct()
        if p1 in p2 or p2 in p1:
            continue
        template = rng.choice(s["mixed"])
        for lab, pv in ((e.id, p1), (NONE, p2)):
            ex = one(template, pv, lab, f"{e.id}|{alias}" if lab != NONE else f"none|{other}",
                     alias=alias, other=other, pct=p1, pct2=p2)
            if ex is not None:
                yield ex
    # two growth rates of two indicators in one list
    for _ in range(len(growth) * 6):
        a, b = rng.sample(growth, 2)
        aa, ab = rng.choice(a.aliases), rng.choice(b.aliases)
        p1, p2 = w.pct(), w.pct()
        if p1 in p2 or p2 in p1:
            continue
        template = rng.choice(s["pair"])
        for lab, alias, pv in ((a.id, aa, p1), (b.id, ab, p2)):
            ex = one(template, pv, lab, f"{lab}|{alias}", alias=aa, alias2=ab, pct=p1, pct2=p2)
            if ex is not None:
                yield ex
    # two aliases that share their head, written once: 城镇和农村居民人均可支配收入分别增长a、b
    for a in growth:
        for b in growth:
            if a is b:
                continue
            for x in a.aliases:
                for y in b.aliases:
                    k = 0
                    while k < min(len(x), len(y)) and x[-1 - k] == y[-1 - k]:
                        k += 1
                    if k < 3 or k >= min(len(x), len(y)) - 1:
                        continue
                    p1, p2 = w.pct(), w.pct()
                    if p1 in p2 or p2 in p1:
                        continue
                    head = x[len(x) - k:]
                    template = rng.choice(["{m1}和{m2}{head}分别增长{pct}、{pct2}", "{m1}、{m2}{head}分别增长{pct}和{pct2}"])
                    for lab, pv in ((a.id, p1), (b.id, p2)):
                        ex = one(template, pv, lab, f"{lab}|{x if lab == a.id else y}", m1=x[:len(x) - k],
                                 m2=y[:len(y) - k], head=head, pct=p1, pct2=p2)
                        if ex is not None:
                            yield ex
    # contracted lists: 城乡居民人均可支配收入分别增长a和b is 城镇… then 农村…
    for short, full in load_data("extractors", "indicators").get("contractions", {}).items():
        if len(full) != 2:
            continue
        for e in growth:
            for alias in e.aliases:
                if not alias.startswith(full[0]):
                    continue
                rest = alias[len(full[0]):]
                second = next((o for o in growth if full[1] + rest in o.aliases), None)
                if second is None:
                    continue
                for template in s["contracted"]:
                    for _ in range(per_alias):
                        p1, p2 = w.pct(), w.pct()
                        if p1 in p2 or p2 in p1:
                            continue
                        for lab, pv in ((e.id, p1), (second.id, p2)):
                            ex = one(template, pv, lab, f"{lab}|{short + rest}", alias=short + rest, pct=p1, pct2=p2)
                            if ex is not None:
                                yield ex
    # figures that no indicator covers
    for kind, words in _train_data()["distractors"].items():
        for word in words:
            for _ in range(per_alias * 2):
                if kind == "percent":
                    template, num = rng.choice(s["growth"] + s["rate"]), w.pct()
                else:
                    template = rng.choice(s["level"])
                    num = w.value("元" if kind == "money" else rng.choice(["人", "个"]))
                kw = {"alias": word, "verb": rng.choice(s["level_verbs"]),
                      "pct": num if kind == "percent" else w.pct(),
                      "value": num if kind != "percent" else w.value("元")}
                ex = one(template, num, NONE, f"none|{word}", **kw)
                if ex is not None:
                    yield ex


def _held_out_texts() -> list[str]:
    """Texts of the evaluation sets, never trained on: dev and seeds, and the compare_dev snippets."""
    from extractors.train import _held_out_texts as dev_seeds
    from pipeline.clean import to_halfwidth

    texts = dev_seeds(SHARED)
    gold = SHARED / "gold" / "compare_dev.jsonl"
    if gold.is_file():
        with gold.open(encoding="utf-8") as f:
            # the snippets quote the source (６％, Ｒ＆Ｄ); the training sentences are the cleaned text
            texts += [to_halfwidth(json.loads(line)["text"]) for line in f if line.strip()]
    return texts


def report_examples(tax: Taxonomy, log: Callable[[str], None] = print) -> Iterator[Example]:
    """Figures of ``../shared/corpus/reports`` the rules link (their sentences outside the evaluation sets)."""
    from extractors.train import _clean_texts

    folder = SHARED / "corpus" / "reports"
    if not folder.is_dir():
        log(f"{folder} is absent: no real reports in the linker's training data")
        return
    held = _held_out_texts()
    dropped = used = 0
    for path, doc in _clean_texts(folder):
        for f, m, rule in _mentions(doc.text):
            sent = (f.sentence or "").replace(" ", "")
            if any(h in sent or (len(sent) >= 6 and sent in h) for h in held):
                dropped += 1
                continue
            if rule is not None:
                used += 1
                yield Example(m, rule, "reports", path.name, rule)
    log(f"reports: {used} rule-linked figures used, {dropped} figures of evaluation sentences left out")


def synth_examples(log: Callable[[str], None] = print) -> Iterator[Example]:
    """Figures of synthetic reports: the rules' link, else the generator's, else none."""
    from extractors.train import synthetic_docs

    cfg = _train_data()
    n = 0
    for i, ((body, _), truth) in enumerate(synthetic_docs(int(cfg["synth_docs"]), int(cfg["synth_seed"]))):
        by_start = {t["start"]: t for t in truth}
        for f, m, rule in _mentions(body):
            t = by_start.get(f.start)
            label = rule or (t or {}).get("indicator") or NONE
            n += 1
            yield Example(m, label, "synth", f"synth{i}", rule)
    log(f"synth: {n} figures of {cfg['synth_docs']} synthetic reports (seed {cfg['synth_seed']})")


def _variants(ex: Example, rng: random.Random, hide: float, drop: float, tax: Taxonomy) -> Iterator[Example]:
    """The example, and with its alias hidden and with no subject (see the module doc)."""
    yield ex
    if ex.label == NONE:
        return
    e = tax.entries[tax.by_id[ex.label]] if ex.label in tax.by_id else None
    if e is None:
        return
    m = ex.mention
    if rng.random() < hide and len(e.aliases) > 1:
        used = [a for a in e.aliases if a in m.subject or a in m.part or a in m.before]
        if used:
            yield replace(ex, hidden=(e.id, max(used, key=len)))
    if rng.random() < drop and m.subject:
        yield replace(ex, mention=replace(m, subject=""))


def examples(seed: int | None = None, log: Callable[[str], None] = print, reports: bool = True
             ) -> tuple[list[Example], list[Example]]:
    """(training, held-out) examples; the split goes by alias and by document."""
    cfg = _train_data()
    seed = int(cfg["seed"]) if seed is None else seed
    rng = random.Random(seed)
    tax = taxonomy()
    raw: list[Example] = list(alias_examples(tax, rng))
    log(f"aliases: {len(raw)} sentences written from {sum(len(e.aliases) for e in tax.entries)} aliases")
    if reports:
        raw += list(report_examples(tax, log))
    raw += list(synth_examples(log))
    groups = sorted({ex.group for ex in raw})
    split = random.Random(seed + 1)
    held_share = {"aliases": float(cfg["held_out_aliases"]), "reports": float(cfg["held_out_docs"]),
                  "synth": float(cfg["held_out_docs"])}
    held_groups = {g for g in groups if split.random() < held_share["aliases"] if not g.startswith("synth")} | {
        g for g in groups if g.startswith("synth") and split.random() < held_share["synth"]}
    train: list[Example] = []
    held: list[Example] = []
    vr = random.Random(seed + 2)
    for ex in raw:
        if ex.group in held_groups:
            held.append(ex)
        else:
            train.extend(_variants(ex, vr, float(cfg["hide_alias"]), float(cfg["drop_subject"]), tax))
    return train, held


# ---------------------------------------------------------------- training


def _encode(ex: Example, tax: Taxonomy) -> tuple[list[dict[str, float]], int] | None:
    """(feature dicts: "none" first, then the candidates; the gold's index) or None when the gold
    indicator is not among the candidates (the gate or the cover left it out)."""
    fl = _fields(ex.mention, tax)
    cands = candidates(ex.mention, fl, tax, ex.hidden)
    if not cands:
        return None  # nothing to choose: "none" by construction, no gradient
    none_x, xs = features(ex.mention, fl, tax, cands)
    ids = [tax.entries[i].id for i, _ in cands]
    if ex.label == NONE:
        gold = 0
    elif ex.label in ids:
        gold = 1 + ids.index(ex.label)
    else:
        return None
    return [none_x] + xs, gold


def fit(train: list[Example], epochs: int, lr: float, l2: float, seed: int,
        log: Callable[[str], None] = print) -> dict[str, float]:
    """Adagrad on the softmax cross-entropy of every encoded example."""
    tax = taxonomy()
    data = [d for d in (_encode(ex, tax) for ex in train) if d is not None]
    log(f"training on {len(data)} examples with a choice ({len(train)} in all)")
    w: dict[str, float] = defaultdict(float)
    g2: dict[str, float] = defaultdict(lambda: 1e-8)
    rng = random.Random(seed)
    order = list(range(len(data)))
    for epoch in range(epochs):
        rng.shuffle(order)
        loss = 0.0
        for j in order:
            xs, gold = data[j]
            s = [sum(w[k] * v for k, v in x.items()) for x in xs]
            p = _softmax(s)
            loss -= math.log(max(p[gold], 1e-12))
            grad: dict[str, float] = defaultdict(float)
            for i, x in enumerate(xs):
                d = p[i] - (1.0 if i == gold else 0.0)
                if d:
                    for k, v in x.items():
                        grad[k] += d * v
            for k, gk in grad.items():
                gk += l2 * w[k]
                g2[k] += gk * gk
                w[k] -= lr * gk / math.sqrt(g2[k])
        log(f"epoch {epoch + 1}: loss {loss / max(1, len(data)):.4f}")
    return {k: round(v, 4) for k, v in sorted(w.items()) if abs(v) >= 1e-3}


def rule_link(m: Mention, hidden: Hidden | None = None) -> str | None:
    """What the alias rules say of ``m`` (its list noun, else its subject), ``hidden`` left out of
    its indicator's aliases: the rules alone on a phrasing outside the aliases."""
    tax = taxonomy()
    subject = m.part or m.subject
    if not subject:
        return None
    clause = m.strong + m.after
    for e in tax.entries:
        if (e.kinds is not None and m.kind not in e.kinds) or (e.units is not None and m.unit not in e.units):
            continue
        gone = _hidden_aliases(hidden, e.id)
        aliases = [a for a in e.aliases if a not in gone]
        if not e.aliases and e.clause_any:
            aliases = [""]  # participants.count: any subject, its clause decides
        if not any(a in subject for a in aliases) or any(w in subject for w in e.none):
            continue
        if e.clause_any and not any(w in clause for w in e.clause_any):
            continue
        if any(w in clause for w in e.clause_none):
            continue
        return e.id
    return None


def _pr(pairs: list[tuple[str, str | None]]) -> tuple[float, float, int, int, int]:
    """Precision and recall of links given (label, prediction) pairs (none: not a link)."""
    tp = sum(1 for lab, got in pairs if got is not None and got == lab)
    fp = sum(1 for lab, got in pairs if got is not None and got != lab)
    pos = sum(1 for lab, _ in pairs if lab != NONE)
    return (tp / (tp + fp) if tp + fp else 0.0), (tp / pos if pos else 0.0), tp, fp, pos


def linked(ranked: list[tuple[str, float]], t: float) -> str | None:
    best, p = ranked[0]
    return best if best != NONE and p >= t else None


def sweep(held: list[Example], w: dict[str, float] | None = None,
          thresholds: Iterable[float] = (0.3, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95),
          log: Callable[[str], None] = print) -> dict[str, Any]:
    """Held-out precision and recall per threshold, on the two tasks of the linker:

    - *missed*: held-out figures the alias rules leave without an indicator (what the linker is
      asked about in a run);
    - *unseen*: held-out sentences of held-out aliases with that alias taken out of the taxonomy
      (a phrasing outside the aliases), and the negatives: the rules alone against the linker
      (the rules' link where they have one, else the linker's).
    """
    missed = [ex for ex in held if ex.rule is None]
    ranked_missed = [scores(ex.mention, w) for ex in missed]
    unseen = [ex for ex in held if ex.source == "aliases"]
    hide = [(ex.label, ex.group.split("|", 1)[1]) if ex.label != NONE and "|" in ex.group else None for ex in unseen]
    hide = [h if h and h[0] == ex.group.split("|", 1)[0] else None for h, ex in zip(hide, unseen)]
    rules_unseen = [rule_link(ex.mention, h) for ex, h in zip(unseen, hide)]
    ranked_unseen = [scores(ex.mention, w, h) for ex, h in zip(unseen, hide)]
    out: dict[str, Any] = {"missed": {}, "unseen": {}}
    p, r, tp, fp, pos = _pr([(ex.label, got) for ex, got in zip(unseen, rules_unseen)])
    out["unseen_rules"] = (p, r)
    log(f"held out: {len(missed)} figures the rules miss ({sum(ex.label != NONE for ex in missed)} to link); "
        f"{len(unseen)} sentences of held-out aliases, {pos} to link, rules alone with the alias hidden: "
        f"precision {p:.4f}, recall {r:.4f}")
    for t in thresholds:
        pm = _pr([(ex.label, linked(rk, t)) for ex, rk in zip(missed, ranked_missed)])
        pu = _pr([(ex.label, rl or linked(rk, t)) for ex, rl, rk in zip(unseen, rules_unseen, ranked_unseen)])
        out["missed"][t], out["unseen"][t] = pm[:2], pu[:2]
        log(f"threshold {t:.2f}: missed P {pm[0]:.4f} R {pm[1]:.4f} ({pm[2]} right, {pm[3]} wrong); "
            f"unseen, rules + linker P {pu[0]:.4f} R {pu[1]:.4f}")
    return out


def train(out: Path | None = None, log: Callable[[str], None] = print, reports: bool = True) -> Path:
    """Build the training data, fit, print the held-out sweep, write the model (``MODEL_PATH``)."""
    cfg = _train_data()
    t0 = time.perf_counter()
    train_set, held = examples(log=log, reports=reports)
    by = Counter(ex.source for ex in train_set)
    log(f"examples: {len(train_set)} to train on ({dict(by)}), {len(held)} held out")
    w = fit(train_set, int(cfg["epochs"]), float(cfg["learning_rate"]), float(cfg["l2"]), int(cfg["seed"]), log)
    sweep(held, w, log=log)
    out = out or MODEL_PATH
    out.parent.mkdir(parents=True, exist_ok=True)
    model = {"about": "extractors/linker.py weights; rebuild: python -m extractors.linker train",
             "seed": int(cfg["seed"]), "reports": reports, "examples": len(train_set), "weights": w}
    out.write_text(json.dumps(model, ensure_ascii=False, indent=0, sort_keys=False) + "\n", encoding="utf-8")
    log(f"wrote {len(w)} weights to {out} in {time.perf_counter() - t0:.0f}s")
    _weights.cache_clear()
    predict.cache_clear()
    return out


def main(argv: list[str] | None = None) -> int:
    import argparse

    ap = argparse.ArgumentParser(description="Train the indicator linker (the shipped model: no options).")
    ap.add_argument("command", choices=["train"])
    ap.add_argument("--out", type=Path, help="model file (default: the shipped one)")
    ap.add_argument("--no-reports", action="store_true", help="leave the real reports out of the training data")
    a = ap.parse_args(argv)
    train(a.out, reports=not a.no_reports)
    return 0


if __name__ == "__main__":
    sys.exit(main())


