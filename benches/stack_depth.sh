#!/usr/bin/env bash
# Stack use of #[with_defer] frames (issue 15: recursion depth on a 256 KiB
# thread stack at least 80% of the same function without the attribute, in
# debug and release builds).
#
# For each frame shape (one static `defer!(call)`, a `|ret|` defer, a defer
# in a loop) a recursive function, written with fndefer, by hand (the same
# function without the attribute, the cleanup written out) and with
# scopeguard (where it can express the shape): benches/probe/stack_depth.rs.
# Reports bytes per frame (stack pointer at the leaf, depth 0 against depth
# 200) and the max depth on a 256 KiB thread (probed in child processes,
# since an overflow aborts), for a debug and a release build side by side.
#
# usage: benches/stack_depth.sh
#   FNDEFER_DIR=<repo>   the fndefer checkout to measure
#   CARGO_TARGET_DIR     the crate is generated in its stack-depth-bench/
#                        (default target/stack-depth-bench), never committed
# needs python3.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
fndefer=${FNDEFER_DIR:-$root}
target=${CARGO_TARGET_DIR:-$root/target}
case $target in /*) ;; *) target=$root/$target ;; esac
work=$target/stack-depth-bench

mkdir -p "$work"
cat >"$work/Cargo.toml" <<TOML
[package]
name = "fndefer-stack-depth"
version = "0.0.0"
edition = "2024"
publish = false

[[bin]]
name = "stack_depth"
path = "$root/benches/probe/stack_depth.rs"

[dependencies]
fndefer = { path = "$fndefer" }
scopeguard = "1"

[workspace]
TOML
cp "$fndefer/Cargo.lock" "$work/Cargo.lock"

unset RUSTFLAGS
for profile in debug release; do
    flag=
    [ "$profile" = release ] && flag=--release
    echo "building ($profile)..." >&2
    # shellcheck disable=SC2086
    (cd "$work" && CARGO_TARGET_DIR="$work/target" cargo build --quiet $flag)
    echo "probing ($profile)..." >&2
    "$work/target/$profile/stack_depth" >"$work/$profile.tsv"
done

python3 - "$work/debug.tsv" "$work/release.tsv" <<'PY'
import sys

def load(path):
    rows = {}
    for line in open(path):
        shape, variant, bpf, depth = line.rstrip("\n").split("\t")
        rows[(shape, variant)] = (float(bpf), int(depth))
    return rows

debug, release = load(sys.argv[1]), load(sys.argv[2])
keys = list(debug)

def cells(rows, key):
    bpf, depth = rows[key]
    hand = rows.get((key[0], "hand_written"))
    ratio = "—" if not hand or not hand[1] else f"{100 * depth / hand[1]:.0f} %"
    return [f"{bpf:,.0f}", f"{depth:,}", ratio]

print("stack use per recursion level, 256 KiB thread stack "
      "(max depth: deepest recursion that returns; vs hand: max depth / hand-written's)\n")
head = ["frame shape", "variant", "debug bytes/frame", "debug max depth", "debug vs hand",
        "release bytes/frame", "release max depth", "release vs hand"]
print("| " + " | ".join(head) + " |")
print("|" + "|".join("---" for _ in head) + "|")
for key in keys:
    shape = key[0].replace("|", "\\|")
    print("| " + " | ".join([shape, key[1]] + cells(debug, key) + cells(release, key)) + " |")
print()
worst = []
for key in keys:
    if key[1] != "fndefer":
        continue
    for name, rows in (("debug", debug), ("release", release)):
        hand = rows.get((key[0], "hand_written"))
        if hand and hand[1]:
            worst.append((rows[key][1] / hand[1], f"{key[0]}, {name}"))
if worst:
    x, where = min(worst)
    verdict = "met" if x >= 0.8 else "NOT met"
    print(f"target: fndefer's max depth ≥ 80 % of hand-written's: {verdict} (worst {100 * x:.0f} %: {where})")
PY
