#!/usr/bin/env python3
"""The must-show table: per method, the best validation cost of a fully evaluated configuration
(on the search's 500-sample validation sample), validation samples evaluated, configurations tried,
test mean PR; median over seeds. Reads the experiments' report.json and each run's export report.json (runs/<search>.json)."""
import json, statistics, sys, os

LABELS = {("", "automerge_default"): "full fidelity", ("2", "automerge_default"): "full fidelity",
          ("-hb", "automerge_default"): "Hyperband, min_samples 50",
          ("2-hb", "automerge_default"): "Hyperband, min_samples 12",
          ("-hb", "v-sh"): "successive halving (brackets: 1), min_samples 50",
          ("-hb100", "automerge_default"): "Hyperband, min_samples 100",
          # with the surrogate's lower-rung costs shifted onto the top rung's scale (FidelityCorrection)
          ("-hbc30", "automerge_default"): "Hyperband, min_samples 50, corrected surrogate",
          ("-full60-b", "automerge_default"): "full fidelity, 60 trials",
          ("-hb60-uncorrected-b", "automerge_default"): "Hyperband, min_samples 50, 30 equivalents, uncorrected surrogate",
          ("-hbc60-b", "automerge_default"): "Hyperband, min_samples 50, 30 equivalents, corrected surrogate",
          # the same two on the pair trained on today's machine (../fashion-cct-retrained)
          ("-full60-b-retrained", "automerge_default"): "full fidelity, 60 trials, retrained pair",
          ("-hbc60-b-retrained", "automerge_default"): "Hyperband, min_samples 50, 30 equivalents, corrected surrogate, retrained pair",
          # and with promotions' equal costs ranked by the geometric mean of the losses (HyperbandSchedule)
          ("-hbt60-retrained", "automerge_default"): "Hyperband, min_samples 50, 30 equivalents, ties by losses, retrained pair",
          ("-full40", "automerge_default"): "full fidelity, 40 trials",
          ("-hbc40", "automerge_default"): "Hyperband, min_samples 12, 20 equivalents, corrected surrogate",
          ("-hbm4", "automerge_default"): "Hyperband, min_samples 4, 20 equivalents, corrected surrogate",
          ("-hbm4-uncorrected", "automerge_default"): "Hyperband, min_samples 4, 20 equivalents, uncorrected surrogate",
          ("-hbm4-10", "automerge_default"): "Hyperband, min_samples 4, 10 equivalents, corrected surrogate",
          ("-hbe2", "automerge_default"): "Hyperband, min_samples 15, eta 2, 20 equivalents, corrected surrogate"}
here = os.getcwd()  # run from the experiment's directory (fashion-cct-fidelity, fortunes-llama-fidelity)
experiments = [json.load(open(os.path.join(here, f))) for f in (sys.argv[1:] or ["full/report.json", "fidelity/report.json"])]
full = experiments[0]["budget"]["validation_samples_per_task"]
rows = {}
for run in [r for e in experiments for r in e["runs"]]:
    # each run's export report, copied under runs/ (the exports themselves live in /tmp)
    copy = os.path.join(here, "runs", run["search"] + ".json")
    report = json.load(open(copy if os.path.exists(copy) else os.path.join(run["export"], "report.json")))
    trials = [t for t in report["trials"]["list"] if t["cost"] is not None]
    at_full = [t["cost"] for t in trials if t.get("samples_per_task", full) == full]
    configs = len({t.get("config", t["trial"]) for t in trials})
    search, variant = run["search"].split(".x-")[0], run["run"].rsplit("-s", 1)[0]
    method = LABELS.get((search.split("-fid", 1)[1], variant), search + " " + variant)
    rows.setdefault(method, []).append({
        "seed_run": run["run"], "best_full_cost": min(at_full), "evaluated_samples": report["trials"]["evaluated_samples"],
        "evaluations": len(trials), "full_evaluations": len(at_full), "configurations": configs,
        "mean_pr": statistics.mean(report["preservation_rate"].values())})
base = statistics.median(r["evaluated_samples"] for r in next(iter(rows.values())))
print(f"| method | best val cost at {full} samples (median [min–max]) | val samples evaluated (median) | share of full | "
      "configurations | full-fidelity evaluations | test mean PR (median) |")
print("|---|---|---|---|---|---|---|")
for method, runs in rows.items():
    c = [r["best_full_cost"] for r in runs]
    s = statistics.median(r["evaluated_samples"] for r in runs)
    print(f"| {method} | {statistics.median(c):.4f} [{min(c):.4f}–{max(c):.4f}] | {s:.0f} | {s / base:.0%} | "
          f"{statistics.median(r['configurations'] for r in runs):.0f} | {statistics.median(r['full_evaluations'] for r in runs):.0f} | "
          f"{statistics.median(r['mean_pr'] for r in runs):.1f} % |")
print()
print("Per seed:")
for method, runs in rows.items():
    for r in runs:
        print(f"- {method} {r['seed_run'].rsplit('-', 1)[1]}: best {r['best_full_cost']:.4f}, {r['evaluated_samples']} samples, "
              f"{r['configurations']} configurations, {r['full_evaluations']} at full fidelity, mean PR {r['mean_pr']:.1f} %")
