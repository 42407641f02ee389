#!/usr/bin/env python3
"""Reads criterion's results (target/criterion/**/new/*.json) after `cargo bench` and writes
the table of medians and the SVG chart that BENCHMARKS.md shows.

    cargo bench --bench command --bench reply --bench data
    python3 benches/report.py > /tmp/table.md     # markdown table on stdout
                                                  # benches/standing.svg: the chart

A ratio is the peer's median time divided by smtp-wire's, measured in the same run: above 1,
smtp-wire is faster. Only groups with both sides appear in the chart.
"""
import json
import os
import sys

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "target", "criterion")
PEERS = ("smtp-proto", "smtp-codec", "lettre")


def load():
    groups = {}
    for dirpath, _, files in os.walk(ROOT):
        if os.path.basename(dirpath) != "new" or "benchmark.json" not in files:
            continue
        meta = json.load(open(os.path.join(dirpath, "benchmark.json")))
        est = json.load(open(os.path.join(dirpath, "estimates.json")))
        groups.setdefault(meta["group_id"], {})[meta["function_id"]] = est["median"]["point_estimate"]
    return groups


def fmt(ns):
    for unit, scale in (("s", 1e9), ("ms", 1e6), ("µs", 1e3)):
        if ns >= scale:
            return "%.3g %s" % (ns / scale, unit)
    return "%.3g ns" % ns


def pairs(groups):
    """(group, smtp-wire function, peer function, ratio) for each group with both sides."""
    out = []
    for g, funcs in sorted(groups.items()):
        ours = [f for f in funcs if f.startswith("smtp-wire")]
        peers = [f for f in funcs if f.startswith(PEERS)]
        for p in peers:
            # Like for like: a peer that copies the body is compared with our "+ copy" row
            # (BINARYMIME for BDAT, which does no line checks, as the peer does none).
            copying = [f for f in ours if "+ copy" in f]
            if "cop" in p and copying:
                main = sorted(copying, key=lambda f: ("BINARYMIME" not in f, len(f)))[0]
            elif "smtp-wire" in funcs:
                main = "smtp-wire"
            elif ours:
                # The allocation-free writers (`write_to`) are what the builder groups
                # measure against the peer; else the plainest of ours.
                main = min(ours, key=lambda f: ("write_to" not in f, len(f)))
            else:
                continue
            out.append((g, main, p, funcs[p] / funcs[main]))
            # The other targets of the issue measured in the same group: every capability
            # typed (EHLO), the owned builders (replies, EHLO lists).
            for f in ours:
                if f != main and any(k in f for k in ("typed", "ReplyBuilder", "EhloReply::new")):
                    out.append((g, f, p, funcs[p] / funcs[f]))
    return out


def svg(rows, path):
    width, bar_h, left, scale = 760, 22, 300, 200.0
    height = 40 + bar_h * len(rows)
    top = 30
    parts = [
        '<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" font-family="sans-serif" font-size="12">'
        % (width, height),
        '<text x="10" y="18" font-weight="bold">smtp-wire speed vs peer, same run (1.0 = as fast)</text>',
    ]
    for k, (g, ours, p, r) in enumerate(rows):
        y = top + k * bar_h
        w = min(r, 2.2) * scale
        color = "#2a9d8f" if r >= 1 else "#e76f51"
        label = g
        for key, short in (("typed", "typed"), ("ReplyBuilder", "builder"), ("EhloReply::new", "builder")):
            if key in ours:
                label = "%s (%s)" % (g, short)
        parts.append('<text x="10" y="%d">%s vs %s</text>' % (y + 15, label, p.split(" ")[0]))
        parts.append('<rect x="%d" y="%d" width="%.1f" height="%d" fill="%s"/>' % (left, y + 3, w, bar_h - 6, color))
        parts.append('<text x="%.1f" y="%d">%.2f×</text>' % (left + w + 4, y + 15, r))
    x1 = left + scale
    parts.append('<line x1="%.1f" y1="%d" x2="%.1f" y2="%d" stroke="#333" stroke-dasharray="4"/>' % (x1, top, x1, height - 8))
    parts.append("</svg>")
    open(path, "w", encoding="utf-8").write("\n".join(parts) + "\n")


def main():
    groups = load()
    if not groups:
        sys.exit("no criterion results: run cargo bench first")
    print("| group | function | median |")
    print("|---|---|---|")
    for g, funcs in sorted(groups.items()):
        for f, ns in sorted(funcs.items()):
            print("| %s | %s | %s |" % (g, f, fmt(ns)))
    rows = pairs(groups)
    print()
    print("| group | smtp-wire | peer | ratio |")
    print("|---|---|---|---|")
    for g, ours, p, r in rows:
        print("| %s | %s | %s | %.2f× |" % (g, ours, p, r))
    svg(rows, os.path.join(os.path.dirname(os.path.abspath(__file__)), "standing.svg"))


if __name__ == "__main__":
    main()
