"""huibao command line: each command parses its options and calls one library function.

Errors from the library become one-line CLI errors here, at the edge.
"""

from __future__ import annotations

import json
import sys

import click

from pipeline.types import HuibaoError


def _out(line: str = "") -> None:
    click.echo(line)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="huibao")
def main() -> None:
    """huibao (汇报): figures from Chinese work reports into an auditable SQLite corpus."""


@main.command()
@click.argument("path", type=click.Path(dir_okay=False))
@click.option("--json", "as_json", is_flag=True, help="Print the document with its metadata as JSON.")
def clean(path: str, as_json: bool) -> None:
    """Print the cleaned, simplified text of one document."""
    from pipeline.process import clean_path
    from pipeline.store import printable

    try:
        doc = clean_path(path, metadata=as_json)
    except HuibaoError as e:
        raise click.ClickException(printable(str(e))) from None
    if as_json:
        out = {
            "path": doc.path,
            "format": doc.raw.format,
            "encoding": doc.raw.encoding,
            "pages": len(doc.raw.pages) or None,
            **doc.meta,
            "text": doc.text,
        }
        _out(json.dumps(out, ensure_ascii=False, indent=1))
    else:
        sys.stdout.write(doc.text)
        if not doc.text.endswith("\n"):
            sys.stdout.write("\n")


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(dir_okay=False))
@click.option("--format", "fmt", type=click.Choice(["jsonl", "table"]), default="table", show_default=True,
              help="jsonl: one JSON object per figure (the evaluation contract); table: for people.")
@click.option("--extractor", default="rules", show_default=True, envvar="HUIBAO_EXTRACTOR", show_envvar=True,
              help="Registered extractor to use: rules, model or ensemble.")
def extract(paths: tuple[str, ...], fmt: str, extractor: str) -> None:
    """Print every figure in the documents at PATHS.

    A file that cannot be read is reported on stderr and the rest go on;
    the exit code is 1 when any file failed.
    """
    from extractors.registry import EXTRACTORS
    from pipeline.process import extract_path
    from pipeline.store import printable

    if extractor not in EXTRACTORS:
        raise click.BadParameter(f"unknown extractor {extractor!r} (known: {', '.join(EXTRACTORS.names())})",
                                 param_hint="--extractor")
    failed = 0
    table_rows = []
    for path in paths:
        try:
            _doc, figures = extract_path(path, extractor=extractor)
        except HuibaoError as e:
            click.echo(f"error: {printable(str(e))}", err=True)  # a newline in a name would forge a line
            failed += 1
            continue
        for fig in figures:
            if fmt == "jsonl":
                _out(json.dumps({"doc": path, **fig.to_dict()}, ensure_ascii=False))
            else:
                table_rows.append((path, fig))
    if fmt == "table":
        _print_table(table_rows)
    if failed:
        click.echo(f"{failed} of {len(paths)} files could not be read", err=True)
        sys.exit(1)


def _print_table(rows: list) -> None:
    from rich.console import Console
    from rich.table import Table

    table = Table(show_lines=False)
    for col in ("doc", "text", "value", "unit", "kind", "approx", "subject", "indicator", "status", "period"):
        table.add_column(col, overflow="fold")
    for path, f in rows:
        value = "*" if f.redacted else (f"{f.value:g}" if f.high is None else f"{f.value:g}–{f.high:g}")
        table.add_row(path.rsplit("/", 1)[-1], f.text, value, f.unit or "", f.kind, f.approx or "",
                      f.subject or "", f.indicator or "", f.status or "", str(f.period or ""))
    console = Console()
    if not console.is_terminal:  # piped output: do not fold CJK cells to 80 columns
        console = Console(width=160)
    console.print(table)


@main.command("ingest")
@click.argument("paths", nargs=-1, required=True)
@click.option("--db", "db_path", required=True, type=click.Path(dir_okay=False), help="Corpus SQLite file.")
@click.option("--force", is_flag=True, help="Redo documents already stored by this pipeline version.")
@click.option("--strict", is_flag=True, help="Stop at the first file that fails (exit code 1).")
@click.option("--quiet", "-q", is_flag=True, help="No progress bar (for scripts).")
@click.option("--extractor", default="rules", show_default=True, envvar="HUIBAO_EXTRACTOR", show_envvar=True,
              help="Registered extractor to use: rules, model or ensemble.")
@click.option("--engine", type=click.Choice(["local", "dask"]), default="local", show_default=True,
              help="local: a process pool on this machine; dask: a Dask cluster (--scheduler) or LocalCluster.")
@click.option("-j", "--jobs", type=click.IntRange(min=1), help="Worker processes (default: every core).")
@click.option("--scheduler", metavar="tcp://HOST:PORT", help="Dask scheduler to use with --engine dask.")
@click.option("--parquet-out", type=click.Path(file_okay=False),
              help="Workers write Parquet parts here instead of the database; then run `merge`.")
def ingest_cmd(paths: tuple[str, ...], db_path: str, force: bool, strict: bool, quiet: bool,
               extractor: str, engine: str, jobs: int | None, scheduler: str | None,
               parquet_out: str | None) -> None:
    """Store the documents at PATHS (files, folders, globs, @filelist) in a corpus database.

    Content already stored by this pipeline version is skipped; a file that fails is
    recorded with its reason and the rest go on (content that failed before counts as failed
    again, without being redone). Files in the folders that no loader reads are counted in
    the summary. Exit code 1 when nothing could be stored.
    """
    from pipeline.ingest import rich_progress
    from pipeline.run import run
    from pipeline.store import pipeline_version, printable

    if scheduler and engine != "dask":
        raise click.BadParameter("--scheduler needs --engine dask", param_hint="--scheduler")
    try:
        with rich_progress(quiet) as progress:
            summary = run(paths, db_path, engine=engine, jobs=jobs, scheduler=scheduler,
                          parquet_out=parquet_out, extractor=extractor, force=force, strict=strict,
                          progress=progress, quiet=quiet)
    except HuibaoError as e:
        raise click.ClickException(printable(str(e))) from None
    _out(summary.line())
    for path, reason in summary.failures:  # escaped: a newline in a file name would forge a line
        click.echo(f"  failed: {printable(path)}: {printable(reason)}", err=True)
    for made_by, n in summary.foreign.items():
        click.echo(f"  warning: {n} document(s) were made by pipeline version {made_by}, not this one "
                   f"({pipeline_version(extractor)}): a worker runs other huibao code, data files or "
                   "libraries, and a rerun will redo them. Install the same on every node.", err=True)
    if summary.stored + summary.skipped == 0:
        sys.exit(1)


@main.command("compare")
@click.option("--db", "db_path", required=True, type=click.Path(dir_okay=False), help="Corpus SQLite file.")
@click.option("--indicator", help="Indicator id, e.g. children_home.count.")
@click.option("--subject", help="Free text the figure's subject contains, e.g. 地区生产总值.")
@click.option("--status", type=click.Choice(["actual", "achieved", "target"]),
              help="Only outcomes (actual = achieved) or only targets.")
@click.option("--by", "by", multiple=True, default=("region", "year"), show_default=True,
              type=click.Choice(["region", "province", "year", "report-year", "indicator", "subject", "status",
                                 "org", "level", "document"]),
              help="Group by (repeatable). year = the period a figure is about; report-year = the report's.")
@click.option("--region", help="Only regions (or provinces) containing this text.")
@click.option("--level", default="region", show_default=True, type=click.Choice(["region", "city", "province"]),
              help="Lift each report's region to its city or province (GB/T 2260 code) before grouping.")
@click.option("--unit", help="Only figures in this unit (an indicator's canonical one: %, 元, 个 ...).")
@click.option("--agg", default="list", show_default=True,
              type=click.Choice(["list", "first", "min", "max", "mean", "sum"]),
              help="How to combine several figures of one group.")
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "json"]), default="table", show_default=True)
@click.option("--plot", "plot_path", type=click.Path(dir_okay=False), help="Also draw a chart to this PNG.")
def compare_cmd(db_path: str, indicator: str | None, subject: str | None, status: str | None,
                by: tuple[str, ...], region: str | None, level: str, unit: str | None, agg: str, fmt: str,
                plot_path: str | None) -> None:
    """Compare an indicator or subject across regions and years.

    An indicator id the taxonomy and the corpus do not know is an error naming the close ones
    (all ids: `huibao indicators`).
    """
    from pipeline import compare

    try:
        result = compare.compare(db_path, indicator=indicator, subject=subject, status=status, by=by,
                                 region=region, unit=unit, agg=agg, level=level)
        if plot_path:
            warning = compare.plot(result, plot_path)
            if warning:
                click.echo(f"warning: {warning}", err=True)
    except HuibaoError as e:
        raise click.ClickException(str(e)) from None
    if fmt == "csv":
        sys.stdout.write(compare.to_csv(result))
    elif fmt == "json":
        _out(compare.to_json(result))
    else:
        compare.print_table(result)


@main.command("indicators")
@click.option("--db", "db_path", type=click.Path(dir_okay=False),
              help="Corpus SQLite file: add each indicator's coverage and the subjects left without one.")
@click.option("--unlinked", default=20, show_default=True, type=click.IntRange(min=0),
              help="How many frequent subjects without an indicator to list (with --db).")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
def indicators_cmd(db_path: str | None, unlinked: int, fmt: str) -> None:
    """The indicator taxonomy: ids, names, canonical units; with --db, coverage in a corpus."""
    from pipeline import indicators as ind

    share: dict = {}
    try:
        if db_path:
            rows = ind.coverage(db_path)
            share = ind.linked_share(db_path)
            missing = ind.unlinked_subjects(db_path, limit=unlinked) if unlinked else []
        else:
            rows = [{"id": i.id, "name": i.name_zh or i.name, "unit": i.unit, "measure": i.measure,
                     "source": i.source} for i in ind.taxonomy().values()]
            missing = []
    except HuibaoError as e:
        raise click.ClickException(str(e)) from None
    if fmt == "json":
        _out(json.dumps({"corpus": share, "indicators": rows, "unlinked_subjects": missing} if db_path
                        else {"indicators": rows}, ensure_ascii=False, indent=1))
        return
    from rich.console import Console
    from rich.table import Table

    console = Console() if sys.stdout.isatty() else Console(width=160)
    table = Table(title=f"{len(rows)} indicators" + (f" in {db_path}" if db_path else ""))
    cols = list(rows[0]) if rows else []
    for c in cols:
        table.add_column(c, justify="right" if c in ("figures", "documents", "regions", "candidates") else "left")
    for r in rows:
        table.add_row(*("" if r[c] is None else str(r[c]) for c in cols))
    console.print(table)
    if share:
        pct = f" ({share['linked_share']:.1%})" if share["linked_share"] is not None else ""
        console.print(f"{share['linked']} of {share['figures']} figures linked to an indicator{pct}; "
                      f"{share['candidates']} more with only a candidate (the linker was unsure: "
                      "column candidates, not counted in figures)")
    if missing:
        t2 = Table(title="Frequent subjects without an indicator (candidate: the linker's nearest)")
        for c in missing[0]:
            t2.add_column(c, justify="right" if c in ("figures", "documents", "confidence") else "left")
        for r in missing:
            t2.add_row(*("" if v is None else str(v) for v in r.values()))
        console.print(t2)


@main.command("train-linker")
@click.option("--out", type=click.Path(dir_okay=False), help="Model file (default: the shipped one).")
@click.option("--no-reports", is_flag=True, help="Leave the real reports of ../shared out of the training data.")
def train_linker_cmd(out: str | None, no_reports: bool) -> None:
    """Train the indicator linker (seed fixed; with no options rebuilds the shipped model)."""
    from pathlib import Path

    from extractors import linker

    linker.train(Path(out) if out else None, log=_out, reports=not no_reports)


@main.command("export")
@click.option("--db", "db_path", required=True, type=click.Path(dir_okay=False), help="Corpus SQLite file.")
@click.option("--format", "fmt", type=click.Choice(["csv", "json", "jsonl", "parquet"]), default="csv",
              show_default=True, help="json: one array of objects; jsonl: one object per line.")
@click.option("--out", required=True, type=click.Path(dir_okay=False), help="File to write.")
@click.option("--table", default="figures", show_default=True,
              help="Table or view: figures (with each document's path, region and year), documents, "
                   "figures_by_indicator, indicator_region_year ...")
def export_cmd(db_path: str, fmt: str, out: str, table: str) -> None:
    """Write a table or view of the corpus to CSV, JSON or Parquet (for pandas, DuckDB, R).

    Integers stay integers and yes/no columns are booleans (true/false).
    """
    from pipeline.compare import export

    try:
        n = export(db_path, fmt, out, table=table)
    except HuibaoError as e:
        raise click.ClickException(str(e)) from None
    _out(f"wrote {n} rows of {table} to {out}")


@main.command("serve")
@click.option("--db", "db_path", required=True, type=click.Path(dir_okay=False), help="Corpus SQLite file.")
@click.option("--port", default=8001, show_default=True, type=int, help="Port on 127.0.0.1.")
@click.option("--allow-sql", is_flag=True, help="Allow arbitrary SQL (off: canned queries and tables only).")
@click.option("--allow-host", "allow_hosts", multiple=True,
              help="A Host name to accept besides localhost/127.0.0.1 (repeatable; others get 403).")
@click.option("--reviews", "reviews_path", type=click.Path(dir_okay=False),
              help="Reviews file, served writable for marking findings (default: CORPUS-reviews.sqlite beside it).")
def serve_cmd(db_path: str, port: int, allow_sql: bool, allow_hosts: tuple[str, ...],
              reviews_path: str | None) -> None:
    """Browse the corpus in Datasette (read-only, 127.0.0.1) with canned queries; mark findings reviewed."""
    from pipeline.serve import serve

    try:
        code = serve(db_path, port=port, allow_sql=allow_sql, allow_hosts=allow_hosts, reviews_path=reviews_path)
    except HuibaoError as e:
        raise click.ClickException(str(e)) from None
    sys.exit(code)


@main.command("review")
@click.argument("finding", required=False)
@click.option("--db", "db_path", required=True, type=click.Path(dir_okay=False), help="Corpus SQLite file.")
@click.option("--verdict", type=click.Choice(["confirmed", "false_alarm", "fixed", "unsure"]),
              help="What the finding turned out to be (needed with FINDING).")
@click.option("--note", help="Why, or what was done.")
@click.option("--reviewer", help="Who reviewed it.")
@click.option("--reviews", "reviews_path", type=click.Path(dir_okay=False),
              help="Reviews file (default: CORPUS-reviews.sqlite beside the corpus; never the corpus).")
@click.option("--check", default="", help="Without FINDING: list only this check's findings.")
def review_cmd(finding: str | None, db_path: str, verdict: str | None, note: str | None, reviewer: str | None,
               reviews_path: str | None, check: str) -> None:
    """Mark an audit finding reviewed (FINDING: its id or key), or list the findings with their status.

    A review is kept in a file of its own, under the finding's key (its check, documents and
    evidence), so it stays with the finding when `huibao audit` runs again.
    """
    from pipeline import reviews
    from pipeline.store import printable

    try:
        if finding is None:
            rows = reviews.findings(db_path, reviews_path, check=check)
        elif verdict is None:
            raise click.UsageError("--verdict is needed to mark a finding")
        else:
            row = reviews.mark(db_path, finding, verdict, note=note, reviewer=reviewer, reviews_path=reviews_path)
            _out(f"finding {row['id']} ({row['check']}, key {row['finding_key']}): {verdict} "
                 f"in {printable(str(reviews_path or reviews.default_path(db_path)))}")
            return
    except HuibaoError as e:
        raise click.ClickException(printable(str(e))) from None
    for r in rows:
        _out("\t".join(printable(str(v if v is not None else "")) for v in (
            r["id"], r["finding_key"], r["check"], r["severity"], r["review"], r["file"], r["message"])))
    click.echo(f"{len(rows)} findings ({sum(r['review'] != 'unreviewed' for r in rows)} reviewed)", err=True)


@main.command("synth")
@click.option("--n", "n", default=1000, show_default=True, type=click.IntRange(min=0), help="Documents to write.")
@click.option("--out", required=True, type=click.Path(file_okay=False), help="Folder (subfolders of 1,000).")
@click.option("--seed", default=1, show_default=True, type=int, help="Same seed, same corpus.")
@click.option("--formats", default="txt,html,docx,pdf", show_default=True,
              help="Comma-separated formats; default mix txt 85%, html 10%, docx 3%, pdf 2%.")
@click.option("--weights", default="", help="Format mix, e.g. txt=85,html=10,docx=3,pdf=2 (the default).")
@click.option("--min-chars", default=2000, show_default=True, type=int, help="Shortest body to aim for.")
@click.option("--max-chars", default=3500, show_default=True, type=int, help="Longest body to aim for.")
@click.option("--workers", default=0, show_default=True, type=click.IntRange(min=0),
              help="Processes; 0 = one per core (output is identical whatever the number).")
@click.option("--quiet", is_flag=True, help="No progress lines.")
def synth_cmd(n: int, out: str, seed: int, formats: str, weights: str, min_chars: int, max_chars: int,
              workers: int, quiet: bool) -> None:
    """Write a synthetic corpus of work reports with a truth.jsonl of their figures and faults."""
    import os
    import time

    from corpora.synth import generate, parse_weights

    t0 = time.perf_counter()
    try:
        truth = generate(n, out, seed=seed, formats=[f.strip() for f in formats.split(",") if f.strip()],
                         weights=parse_weights(weights) if weights else None,
                         min_chars=min_chars, max_chars=max_chars, workers=workers or os.cpu_count() or 1,
                         progress=None if quiet else lambda k, total: click.echo(f"{k}/{total}", err=True))
    except (ValueError, OSError) as e:
        raise click.ClickException(str(e)) from None
    dt = time.perf_counter() - t0
    _out(f"wrote {n} documents and {truth} in {dt:.1f}s ({n / dt if dt else 0:.0f} docs/s)")



@main.command("merge")
@click.argument("folder", type=click.Path(file_okay=False))
@click.option("--db", "db_path", required=True, type=click.Path(dir_okay=False), help="Corpus SQLite file.")
@click.option("--force", is_flag=True, help="Rewrite documents already stored by the same pipeline version.")
def merge_cmd(folder: str, db_path: str, force: bool) -> None:
    """Load the Parquet parts written by `ingest --parquet-out FOLDER` into a corpus, once."""
    from pipeline.run import merge
    from pipeline.store import utf8_text

    try:
        summary = merge(folder, db_path, force=force)
    except HuibaoError as e:
        raise click.ClickException(str(e)) from None
    _out(summary.line())
    for path, reason in summary.failures:
        click.echo(f"  failed: {utf8_text(path)}: {reason}", err=True)


@main.command("bench")
@click.option("--n", "n", default=1000, show_default=True, type=click.IntRange(min=1),
              help="Synthetic reports to generate.")
@click.option("--docs", type=click.Path(file_okay=False, exists=True), help="Benchmark the files here instead.")
@click.option("-j", "--jobs", type=click.IntRange(min=1),
              help="Workers: for the speed-up figure (default 2); with --scale (default every core).")
@click.option("--repeat", default=1, show_default=True, type=click.IntRange(min=1),
              help="Rounds of every timed measurement: ingest runs in turn, stages, extractor comparisons (best kept).")
@click.option("--seed", default=1, show_default=True, type=int)
@click.option("--scale", type=click.Path(file_okay=False, exists=True),
              help="Only a bulk ingest of this folder (every core, or -j), then its rerun, with peak RSS.")
@click.option("--db", "db_path", type=click.Path(dir_okay=False), help="Database for --scale (default FOLDER.sqlite).")
@click.option("--formats", default="txt", show_default=True,
              help="Formats of the synthetic reports, comma-separated (several: synth's mix), e.g. pdf.")
def bench_cmd(n: int, docs: str | None, jobs: int | None, repeat: int, seed: int, scale: str | None,
              db_path: str | None, formats: str) -> None:
    """Throughput: docs/s, MB/s, per-stage time, speed-up, peak RSS; extraction vs jieba and JioNLP."""
    from pathlib import Path

    from pipeline import bench as b

    if scale:
        folder = Path(scale)
        sys.exit(b.scale(folder, Path(db_path) if db_path else folder.with_suffix(".sqlite"),
                         jobs=jobs, out=_out))
    try:
        fmts = b.split_formats(formats)
    except HuibaoError as e:
        raise click.BadParameter(str(e).removeprefix("--formats: "), param_hint="--formats") from None
    sys.exit(b.bench(n=n, docs=Path(docs) if docs else None, jobs=jobs or 2, repeat=repeat, seed=seed, out=_out,
                     formats=fmts))


@main.command("train")
@click.option("--out", type=click.Path(file_okay=False), help="Model folder (default: the shipped one).")
@click.option("--docs", "n_docs", default=None, type=click.IntRange(min=1),
              help="Synthetic training documents (default 400).")
@click.option("--steps", "max_steps", default=None, type=click.IntRange(min=1), help="Training steps (default 2400).")
def train_cmd(out: str | None, n_docs: int | None, max_steps: int | None) -> None:
    """Train the model extractor on synthetic reports and rule-labelled real ones (never dev or seeds)."""
    from pathlib import Path

    from extractors import train as tr

    try:
        tr.train(Path(out) if out else None, n_docs=n_docs or tr.N_DOCS, max_steps=max_steps or tr.MAX_STEPS,
                 log=_out)
    except HuibaoError as e:
        raise click.ClickException(str(e)) from None


@main.command("eval-extractors")
@click.option("--synth-docs", default=60, show_default=True, type=click.IntRange(min=1),
              help="Synthetic test reports (a seed the model never trained on).")
@click.option("--sweep", is_flag=True, help="Instead: the ensemble threshold on the synthetic validation documents.")
@click.option("--linking", "linking_only", is_flag=True,
              help="Only the indicator linking table: rules alone vs rules + linker on compare_dev.")
def eval_extractors_cmd(synth_docs: int, sweep: bool, linking_only: bool) -> None:
    """One table: rules vs model vs ensemble on seeds, dev and a synthetic test split; then indicator linking."""
    from extractors import evaluate as ev
    from extractors.train import SHARED

    try:
        if linking_only:
            ev.linking(SHARED, out=_out)
        elif sweep:
            ev.sweep(SHARED, out=_out)
        else:
            ev.evaluate(SHARED, n_synth=synth_docs, out=_out)
    except HuibaoError as e:
        raise click.ClickException(str(e)) from None


@main.command("audit")
@click.option("--db", "db_path", required=True, type=click.Path(dir_okay=False), help="Corpus SQLite file.")
@click.option("--format", "fmt", type=click.Choice(["table", "md", "html", "json"]), default="table",
              show_default=True)
@click.option("--out", type=click.Path(dir_okay=False), help="Write the report here instead of stdout.")
@click.option("--checks", help="Comma-separated checks to run (default: all registered).")
@click.option("--datasette-url", help="Link findings to Datasette rows, e.g. http://127.0.0.1:8001.")
def audit_cmd(db_path: str, fmt: str, out: str | None, checks: str | None, datasette_url: str | None) -> None:
    """Check the corpus for figures one cannot trust; findings go to audit_findings and a report."""
    from pathlib import Path

    from pipeline.audit import audit, document_paths, render

    try:
        findings = audit(db_path, [c.strip() for c in checks.split(",") if c.strip()] if checks else None)
        report = render(findings, fmt, doc_paths=document_paths(db_path), datasette_url=datasette_url,
                        db_name=Path(db_path).stem)
    except HuibaoError as e:
        raise click.ClickException(str(e)) from None
    if out:
        from pipeline.store import printable

        try:
            Path(out).parent.mkdir(parents=True, exist_ok=True)  # --out reports/2024/audit.md: make the folder
            Path(out).write_text(report + "\n", encoding="utf-8")
        except OSError as e:
            raise click.ClickException(printable(f"cannot write the report to {out}: {e.strerror or e}")) from None
        click.echo(f"{len(findings)} findings written to {out}", err=True)
    else:
        _out(report)


if __name__ == "__main__":
    main()
