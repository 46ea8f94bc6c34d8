#!/usr/bin/env python3
"""The oracle's best test mean PR after k trials, per seed, next to a validation-driven experiment's
exported test mean PR and the best fixed technique. The oracle searches on the test split itself, so
its cost after k trials is the best test cost any plan it tried has, 1 - mean PR / 100 (`metrics`,
no PD penalty). Reads every oracle run's export report.json under ORACLE_DIR/runs/ (--copy first copies them there
from the exports, which live in /tmp, as the experiment's report.json lists them).

usage: python3 ceiling.py ORACLE_DIR REFERENCE_DIR [--copy]
  ORACLE_DIR: an `automerge experiment` --out of spec-oracle*.yaml (report.json, runs/)
  REFERENCE_DIR: the same pair's validation-driven experiment (report.json with RQ1 and automerge_default)
"""
import json, os, shutil, statistics, sys

CHECKPOINTS = (20, 60, 100, 200)


def main(oracle_dir, reference_dir, copy):
    runs = os.path.join(oracle_dir, "runs")
    if copy:
        oracle = json.load(open(os.path.join(oracle_dir, "report.json")))
        os.makedirs(runs, exist_ok=True)
        for run in oracle["runs"]:
            shutil.copy(os.path.join(run["export"], "report.json"), os.path.join(runs, run["search"] + ".json"))
    best_at = {k: [] for k in CHECKPOINTS}
    copies = sorted(f for f in os.listdir(runs) if f.endswith(".json"))
    for copied in copies:
        trials = sorted(json.load(open(os.path.join(runs, copied)))["trials"]["list"], key=lambda t: t["trial"])
        best = None
        for t in trials:
            if t["cost"] is not None:
                best = t["cost"] if best is None else min(best, t["cost"])
            if t["trial"] + 1 in best_at:
                best_at[t["trial"] + 1].append(100 * (1 - best))
    reference = json.load(open(os.path.join(reference_dir, "report.json")))
    methods = reference["methods"]
    name = max((m for m in methods if m in FIXED), key=lambda m: methods[m]["mean_pr"])
    best_fixed = dict(methods[name], method=name)
    print(f"| after k trials | oracle's best test mean PR, median [min–max] over {len(copies)} seed(s) | over {name} ({best_fixed['mean_pr']:.1f} %) |")
    print("|---|---|---|")
    for k, values in best_at.items():
        if values:
            med = statistics.median(values)
            print(f"| {k} | {med:.2f} % [{min(values):.2f}–{max(values):.2f}] | {med - best_fixed['mean_pr']:+.2f} |")
    default = methods.get("automerge_default")
    if default:
        print(f"\nValidation-driven search (automerge_default, {reference['budget']['trials']} trials): "
              f"{default['mean_pr']:.1f} % ({default['mean_pr'] - best_fixed['mean_pr']:+.1f}); best fixed {best_fixed['method']} {best_fixed['mean_pr']:.1f} %.")


FIXED = {"linear", "task_arithmetic", "ties", "dare_linear", "dare_ties", "slerp", "breadcrumbs",
         "breadcrumbs_ties", "della", "della_linear", "model_stock"}

if __name__ == "__main__":
    args = [a for a in sys.argv[1:] if a != "--copy"]
    main(args[0], args[1], "--copy" in sys.argv)
