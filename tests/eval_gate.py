#!/usr/bin/env python3
"""Gold-set quality gate (trafilatura's eval gate is the model).

Runs ../shared/eval/score.py on every gold set named in eval_baseline.json and
fails when a pinned score drops below its baseline. Raising a baseline is a
deliberate commit: run with --update to write the current scores.

    python tests/eval_gate.py            # check
    python tests/eval_gate.py --update   # re-pin after an improvement
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
BASELINE = Path(__file__).with_name("eval_baseline.json")
# scores within this of the baseline pass: the scorer rounds to 4 places
TOLERANCE = 1e-4


def flatten(summary: dict) -> dict[str, float]:
    out: dict[str, float] = {}
    for key in ("figures", "figures_with_subject", "redacted"):
        out[f"{key}.f1"] = summary[key]["f1"]
    for key in ("approx_accuracy", "indicator_accuracy", "status_accuracy", "period_accuracy",
                "boilerplate_removed", "content_kept"):
        if summary.get(key) is not None:
            out[key] = summary[key]
    # document metadata (title, org, region, year, truncated), scored where the gold has `meta`
    out.update({key: value for key, value in summary.items() if key.startswith("meta_")})
    return out


def score(name: str, extra: str = "") -> dict[str, float]:
    cmd = [sys.executable, str(SHARED / "eval" / "score.py"), "--gold", str(SHARED / "gold" / f"{name}.jsonl"),
           "--docs", str(SHARED / "corpus" / name), "--run", f"{sys.executable} cli.py"]
    if extra:
        cmd += ["--kinds", extra]
    res = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT)
    if res.returncode != 0:
        raise SystemExit(f"score.py failed on {name}:\n{res.stderr[-3000:]}")
    print(f"== {name}{' --kinds ' + extra if extra else ''}")
    print("\n".join(line for line in res.stdout.splitlines() if not line.startswith("{")))
    return flatten(json.loads(res.stdout.strip().splitlines()[-1]))


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--update", action="store_true", help="write the current scores as the new baseline")
    a = ap.parse_args()
    if not (SHARED / "eval" / "score.py").exists():
        print(f"eval gate skipped: {SHARED} is absent (the gold sets live beside the project)")
        return 0
    baseline = json.loads(BASELINE.read_text(encoding="utf-8"))
    current: dict[str, dict[str, float]] = {}
    for key in baseline:
        name, _, kinds = key.partition(":")
        current[key] = score(name, kinds)
    if a.update:
        BASELINE.write_text(json.dumps(current, indent=1, sort_keys=True) + "\n", encoding="utf-8")
        print(f"baseline written to {BASELINE}")
        return 0
    drops = [
        f"{key} {metric}: {current[key].get(metric)} < baseline {base}"
        for key, metrics in baseline.items()
        for metric, base in metrics.items()
        if current[key].get(metric) is None or current[key][metric] + TOLERANCE < base
    ]
    for d in drops:
        print("DROP", d)
    print(f"eval gate: {len(drops)} drops below baseline" if drops else "eval gate: all scores at or above baseline")
    return 1 if drops else 0


if __name__ == "__main__":
    sys.exit(main())
