#!/usr/bin/env python3
"""Prints the summary tables of docs/experiments from the report.json files that
`automerge experiment` wrote, so that no number in the READMEs is typed by hand.

usage: python3 docs/experiments/summarize.py DIR [DIR ...]
"""
import json
import sys
from pathlib import Path

RQ1 = ["linear", "task_arithmetic", "ties", "dare_linear", "dare_ties"]


def cell(m):
    spread = (m.get("spread") or {}).get("mean_pr")
    pr = f"{m['mean_pr']:.1f} %"
    if spread:
        pr += f" [{spread[0]:.1f}–{spread[1]:.1f}]"
    return f"{pr} / {m['pd']:.1f}"


def options(m):
    o = m.get("options") or {}
    if not o:
        return ""
    text = f"`{o.get('objective')}`, {o.get('weights')}"
    if o.get("lambda"):
        text += f", λ {o['lambda']}"
    if o.get("rescore"):
        text += f", re-score {o['rescore']}"
    return text


def summarize(directory):
    report = json.loads((Path(directory) / "report.json").read_text())
    methods = report["methods"]
    budget = report["budget"]
    print(f"### {directory}: {budget['trials']} trials, {budget['seeds']} seeds, "
          f"{budget['validation_samples_per_task']} val samples per task\n")
    print("| method | mean PR [min–max] / PD | options |\n|---|---|---|")
    for name, m in methods.items():
        print(f"| {name} | {cell(m)} | {options(m)} |")
    fixed = [methods[t] for t in RQ1 if t in methods]
    if fixed:
        best = max(fixed, key=lambda m: m["mean_pr"])
        mean_pd = sum(m["pd"] for m in fixed) / len(fixed)
        print(f"\nBest RQ1 technique: {best['mean_pr']:.1f} %; mean PD of the RQ1 techniques: {mean_pd:.1f}.")
        for name, m in methods.items():
            if "seeds" in m:
                print(f"- {name}: {m['mean_pr'] - best['mean_pr']:+.1f} points of mean PR against the best RQ1 technique, "
                      f"PD {m['pd']:.1f} ({'below' if m['pd'] < mean_pd else 'not below'} the RQ1 mean)"
                      + (f"; {m['mean_pr'] - methods['grid_best']['mean_pr']:+.1f} against grid_best"
                         if "grid_best" in methods and report.get("rq2") else ""))
    print()


for d in sys.argv[1:]:
    summarize(d)
