#!/usr/bin/env python3
"""Prints the summary tables of docs/experiments from the report.json files that
`automerge experiment` wrote, so that no number in the READMEs is typed by hand.

usage: python3 docs/experiments/summarize.py DIR [DIR ...]
       python3 docs/experiments/summarize.py --readme ROW,ROW DIR [DIR ...]   (one line per pair, for README)
"""
import json
import sys
from pathlib import Path

PAPER_FIVE = ["linear", "task_arithmetic", "ties", "dare_linear", "dare_ties"]
# rows of the fixed run that are not merge techniques: the best fixed plan, the unmerged base model
NOT_TECHNIQUES = {"grid_best", "base_model"}


def cell(m):
    spread = (m.get("spread") or {}).get("mean_pr")
    pr = f"{m['mean_pr']:.1f} %"
    if spread:
        pr += f" [{spread[0]:.1f}–{spread[1]:.1f}]"
    return f"{pr} / {m['pd']:.1f}"


def options(m, budget=None):
    o = m.get("options") or {}
    if not o:
        return ""
    text = f"`{o.get('objective')}`, {o.get('weights')}"
    if o.get("lambda"):
        text += f", λ {o['lambda']}"
    if o.get("rescore"):
        text += f", re-score {o['rescore']}"
    if o.get("warm_start"):
        text += ", warm start"
    if o.get("techniques"):
        text += f", {len(o['techniques'])} techniques"
    if budget and o.get("samples_per_task") not in (None, budget.get("validation_samples_per_task")):
        text += f", {o['samples_per_task']} val samples per task"
    return text


def summarize(directory):
    report = json.loads((Path(directory) / "report.json").read_text())
    methods = report["methods"]
    budget = report["budget"]
    print(f"### {directory}: {budget['trials']} trials, {budget['seeds']} seeds, "
          f"{budget['validation_samples_per_task']} val samples per task\n")
    print("| method | mean PR [min–max] / PD | options |\n|---|---|---|")
    for name, m in methods.items():
        print(f"| {name} | {cell(m)} | {options(m, budget)} |")
    fixed = [m for t, m in methods.items() if "seeds" not in m and t not in NOT_TECHNIQUES]
    if fixed:
        best = max(fixed, key=lambda m: m["mean_pr"])
        mean_pd = sum(m["pd"] for m in fixed) / len(fixed)
        paper = [methods[t] for t in PAPER_FIVE if t in methods]
        best_paper = max(paper, key=lambda m: m["mean_pr"])
        print(f"\nBest fixed technique (RQ1, all {len(fixed)} of this run): {best['mean_pr']:.1f} %; of the paper's five: "
              f"{best_paper['mean_pr']:.1f} %; mean PD of the fixed techniques: {mean_pd:.1f}.")
        for name, m in methods.items():
            if "seeds" in m:
                print(f"- {name}: {m['mean_pr'] - best['mean_pr']:+.1f} points of mean PR against the best fixed technique "
                      f"({m['mean_pr'] - best_paper['mean_pr']:+.1f} against the paper's five), "
                      f"PD {m['pd']:.1f} ({'below' if m['pd'] < mean_pd else 'not below'} the fixed techniques' mean)"
                      + (f"; {m['mean_pr'] - methods['grid_best']['mean_pr']:+.1f} against grid_best"
                         if "grid_best" in methods and report.get("rq2") else "")
                      + (f"; {m['mean_pr'] - methods['base_model']['mean_pr']:+.1f} against the unmerged base model"
                         if "base_model" in methods else ""))
    print()


def readme_row(directory, rows):
    """One line per pair for README: best fixed technique, grid best, the paper's search, the defaults."""
    report = json.loads((Path(directory) / "report.json").read_text())
    methods = report["methods"]
    fixed = {t: m for t, m in methods.items() if "seeds" not in m and t not in NOT_TECHNIQUES}
    best_name, best = max(fixed.items(), key=lambda kv: kv[1]["mean_pr"])
    mean_pd = sum(m["pd"] for m in fixed.values()) / len(fixed)
    parts = directory.rstrip('/').split('/')
    # docs/experiments/PAIR, or PAIR/previous-defaults (before warm start and model_stock) or
    # PAIR/before-inactive-weights (before model_stock's weights were inactive in the search space)
    pair = {"previous-defaults": f"{parts[-2]}, previous defaults",
            "before-inactive-weights": f"{parts[-2]}, before inactive weights",
            "before-base-plan": f"{parts[-2]}, before the base plan"}.get(parts[-1], parts[-1])
    cells = [f"{pair} ({report['budget']['trials']} trials)",
             f"{best_name} {best['mean_pr']:.1f} % / {best['pd']:.1f}", f"{mean_pd:.1f}"]
    cells.append(cell(methods["grid_best"]) if "grid_best" in methods and report.get("rq2") else "–")
    cells.append(cell(methods["base_model"]) if "base_model" in methods else "–")
    for name in rows:
        cells.append(cell(methods[name]) if name in methods else "–")
    print("| " + " | ".join(cells) + " |")


if sys.argv[1] == "--readme":
    rows = sys.argv[2].split(",")
    print("| pair | best fixed technique (mean PR / PD) | mean PD of the fixed techniques | RQ2 grid best | base model, unmerged | "
          + " | ".join(rows) + " |")
    print("|---" * (5 + len(rows)) + "|")
    for d in sys.argv[3:]:
        readme_row(d, rows)
else:
    for d in sys.argv[1:]:
        summarize(d)
