#!/usr/bin/env python3
"""RESEARCH ONLY (issue 6). Summarises results.csv of image-sharing-bench.sh: median [min-max] per option."""
import csv, statistics, sys
from collections import defaultdict

rows = list(csv.reader(open(sys.argv[1])))
data = defaultdict(lambda: defaultdict(dict))  # opt -> run -> metric -> value
for opt, n, run, metric, value in rows:
    data[opt][run][metric] = value

def f(v): return float(v)
def disk_kb(m, k):
    # real blocks: the loop file system's own counter where there is one, else du of the labelled volumes
    return f(m[f"fs_used_delta_kb_after{k}"]) if f"fs_used_delta_kb_after{k}" in m else f(m[f"du_all_kb_after{k}"])

def stat(vals, fmt):
    vals = sorted(vals)
    return f"{fmt.format(statistics.median(vals))} [{fmt.format(vals[0])}-{fmt.format(vals[-1])}]"

order = ["a", "a-file", "b", "c-copy", "c-xfs", "c-btrfs", "d-share"]
print("| option | runs | one-time prep s | 1st range s (prep excl.) | ranges 2-10 each s | total 1 range s | total 10 ranges s | time 10/1 | disk 1 range MB | disk 10 ranges MB | image-only time 10/1 | disk 10/1 | isolation |")
print("|---|---|---|---|---|---|---|---|---|---|---|---|---|")
for opt in [o for o in order if o in data] + [o for o in data if o not in order]:
    runs = data[opt]
    cols = defaultdict(list)
    for r, m in runs.items():
        if "total10_s" not in m: continue
        cols["prep"].append(f(m["prep_s"]))
        cols["r1"].append(f(m["range1_s"]))
        cols["rk"].append(statistics.mean(f(m[f"range{k}_s"]) for k in range(2, 11)))
        cols["t1"].append(f(m["total1_s"])); cols["t10"].append(f(m["total10_s"]))
        cols["tr"].append(f(m["total10_s"]) / f(m["total1_s"]))
        img = [f(m[f"range{k}_s"]) - (f(m[f"range{k}_engine_s"]) - f(m[f"range{k}_clone_s"])) for k in range(1, 11)]
        cols["ir"].append((f(m["prep_s"]) + sum(img)) / (f(m["prep_s"]) + img[0]))
        d1, d10 = disk_kb(m, 1), disk_kb(m, 10)
        cols["d1"].append(d1 / 1024); cols["d10"].append(d10 / 1024); cols["dr"].append(d10 / d1)
        cols["iso"].append(m.get("isolation", "?"))
    if not cols["t1"]: continue
    print(f"| {opt} | {len(cols['t1'])} | {stat(cols['prep'], '{:.1f}')} | {stat(cols['r1'], '{:.1f}')} | "
          f"{stat(cols['rk'], '{:.2f}')} | {stat(cols['t1'], '{:.1f}')} | {stat(cols['t10'], '{:.1f}')} | "
          f"{stat(cols['tr'], '{:.2f}')} | {stat(cols['d1'], '{:.0f}')} | {stat(cols['d10'], '{:.0f}')} | "
          f"{stat(cols['ir'], '{:.2f}')} | {stat(cols['dr'], '{:.2f}')} | {','.join(sorted(set(cols['iso'])))} |")

print()
print("DinD start until the engine answers (clone excluded), all ranges of all runs, s:")
for opt in [o for o in order if o in data]:
    v = [f(m[f"range{k}_engine_s"]) - f(m[f"range{k}_clone_s"]) for m in data[opt].values() for k in range(1, 11) if f"range{k}_engine_s" in m]
    if v: print(f"  {opt}: {stat(v, '{:.2f}')} (n={len(v)})")
print("df / delta after 10 ranges, MB (whole machine, others' work included: indicative only):")
for opt in [o for o in order if o in data]:
    v = [f(m["df_root_delta_kb_after10"]) / 1024 for m in data[opt].values() if "df_root_delta_kb_after10" in m]
    if v: print(f"  {opt}: {stat(v, '{:.0f}')}")
print("loop file allocated on / after 10 ranges, MB:")
for opt in ["c-xfs", "c-btrfs"]:
    v = [f(m["loopfile_alloc_kb_after10"]) / 1024 for m in data.get(opt, {}).values() if "loopfile_alloc_kb_after10" in m]
    if v: print(f"  {opt}: {stat(v, '{:.0f}')}")
