#!/usr/bin/env bash
# Runs the Rust criterion benches and their Go twins (benches/go) one after
# the other on this machine and prints one table of ns/op with the ratios and
# DESIGN.md's performance targets marked met / not met.
#
# usage: benches/compare.sh
#   CRITERION_ARGS  extra criterion flags (default: --warm-up-time 1 --measurement-time 3)
#   GO_BENCHTIME    go test -benchtime (default: 1s)
#   NO_RUN=1        only print the table from the last results
#   CARGO_TARGET_DIR  where criterion's results are (default: target)
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
target=${CARGO_TARGET_DIR:-$root/target}
case $target in /*) ;; *) target=$root/$target ;; esac
go_out=$target/compare-go.txt
mkdir -p "$target"

if [ -z "${NO_RUN:-}" ]; then
    # shellcheck disable=SC2086
    cargo bench --bench static_frame --bench loop_defers --bench ret_wrap --bench panic_path \
        -- ${CRITERION_ARGS:---warm-up-time 1 --measurement-time 3} >&2
    if command -v go >/dev/null 2>&1; then
        (
            cd benches/go
            # Which defer implementation Go picked for each site.
            go build -gcflags=-d=defer . 2>&1 | sed 's/^/go: /' >&2
            go test -run '^$' -bench . -benchtime "${GO_BENCHTIME:-1s}"
        ) | tee "$go_out" >&2
    else
        echo "go not found: Go columns left empty" >&2
        : >"$go_out"
    fi
fi

python3 - "$target/criterion" "$go_out" <<'PY'
import json, os, re, sys

crit, go_file = sys.argv[1], sys.argv[2]

def rust(group, fn, param):
    path = os.path.join(crit, group, fn, str(param), "new", "estimates.json")
    try:
        est = json.load(open(path))
    except OSError:
        return None
    # criterion's headline figure: the slope when it has one, else the mean
    return (est.get("slope") or est["mean"])["point_estimate"]

go = {}
if os.path.exists(go_file):
    for line in open(go_file):
        m = re.match(r"Benchmark(\S+?)(-\d+)?\s+\d+\s+([\d.]+) ns/op", line)
        if m:
            go[m.group(1)] = float(m.group(3))

def f(x, unit=""):
    return "—" if x is None else (f"{x:.3g}{unit}" if x < 100 else f"{x:.0f}{unit}")

def ratio(a, b):
    return None if a is None or b is None or b == 0 else a / b

def r(x):
    return "—" if x is None else f"{x:.2f}×"

def table(head, rows):
    print("| " + " | ".join(head) + " |")
    print("|" + "|".join("---" for _ in head) + "|")
    for row in rows:
        print("| " + " | ".join(row) + " |")
    print()

verdicts = []
def target(name, ok, detail):
    verdicts.append((name, "—" if ok is None else ("met" if ok else "NOT met"), detail))

print("### Static frame (ns per call; Go: open-coded defers)\n")
rows, worst, vs_go = [], [], []
for n in (1, 2, 8):
    hand, fd = rust("static_frame", "hand_written", n), rust("static_frame", "fndefer", n)
    sg, bx = rust("static_frame", "scopeguard", n), rust("static_frame", "vec_box_dyn", n)
    gh, go_ = go.get(f"Static/hand_written/{n}"), go.get(f"Static/open_coded/{n}")
    worst.append(ratio(fd, hand)); vs_go.append(ratio(fd, go_))
    rows.append([str(n), f(hand), f(fd), r(ratio(fd, hand)), f(sg), f(bx), f(gh), f(go_), r(ratio(fd, go_))])
table(["defers", "hand-written", "fndefer", "fndefer / hand", "scopeguard", "Vec<Box<dyn FnOnce>>",
       "Go hand-written", "Go defer (open-coded)", "fndefer / Go"], rows)
ws = [x for x in worst if x is not None]
target("static frame ≤ 1.05× hand-written", (max(ws) <= 1.05) if ws else None,
       ", ".join(f"{n}: {r(x)}" for n, x in zip((1, 2, 8), worst)))
gs = [x for x in vs_go if x is not None]
target("static defers no slower than Go open-coded", (max(gs) <= 1.0) if gs else None,
       ", ".join(f"{n}: {r(x)}" for n, x in zip((1, 2, 8), vs_go)))

print("### Loop defers (ns per defer; Go: heap-allocated defers)\n")
rows, per3, box3, go30 = [], [], [], []
for n in (10, 100, 1000, 100000):
    def per(x):
        return None if x is None else x / n
    floor, fd, bx = (per(rust("loop_defers", v, n)) for v in ("vec_tuples", "fndefer", "vec_box_dyn"))
    gd, gs_ = per(go.get(f"Loop/heap_defer/{n}")), per(go.get(f"Loop/slice_of_args/{n}"))
    per3.append(fd); box3.append(ratio(bx, fd)); go30.append(ratio(gd, fd))
    rows.append([f"{n:,}", f(floor), f(fd), r(ratio(fd, floor)), f(bx), r(ratio(bx, fd)), f(gs_), f(gd),
                 r(ratio(gd, fd))])
table(["defers per call", "Vec of arg tuples (floor)", "fndefer", "fndefer / floor", "Vec<Box<dyn FnOnce>>",
       "Box / fndefer", "Go slice of args", "Go defer (heap)", "Go / fndefer"], rows)
ns = (10, 100, 1000, 100000)
ok = [x for x in per3 if x is not None]
target("loop defer ≤ 3 ns amortized", (max(ok) <= 3.0) if ok else None,
       ", ".join(f"{n:,}: {f(x)} ns" for n, x in zip(ns, per3)))
ok = [x for x in box3 if x is not None]
target("loop defer ≥ 3× faster than Vec<Box<dyn FnOnce>>", (min(ok) >= 3.0) if ok else None,
       ", ".join(f"{n:,}: {r(x)}" for n, x in zip(ns, box3)))
ok = [x for x in go30 if x is not None]
target("loop defer ≥ 30× faster than Go's heap path", (min(ok) >= 30.0) if ok else None,
       ", ".join(f"{n:,}: {r(x)}" for n, x in zip(ns, go30)))

print("### `|ret|` error wrapping (ns per call)\n")
rows = []
for p in ("ok", "err"):
    me, fd = rust("ret_wrap", "map_err", p), rust("ret_wrap", "fndefer", p)
    gh, gd = go.get(f"RetWrap/hand_written/{p}"), go.get(f"RetWrap/defer_named_result/{p}")
    rows.append([p, f(me), f(fd), r(ratio(fd, me)), f(gh), f(gd), r(ratio(fd, gd))])
table(["path", "map_err by hand", "fndefer `defer!(\\|ret\\| ..)`", "fndefer / map_err", "Go hand-written",
       "Go defer on named result", "fndefer / Go defer"], rows)

print("### Panic path (ns per panic caught at the top)\n")
rows, p2 = [], []
for d in (1, 10):
    sg, fd = rust("panic_path", "scopeguard", d), rust("panic_path", "fndefer", d)
    gd = go.get(f"Panic/defer_recover/{d}")
    p2.append(ratio(fd, sg))
    rows.append([str(d), f(sg), f(fd), r(ratio(fd, sg)), f(gd)])
table(["frames", "scopeguard", "fndefer", "fndefer / scopeguard", "Go defer + recover"], rows)
ok = [x for x in p2 if x is not None]
target("panic ≤ 2× scopeguard", (max(ok) <= 2.0) if ok else None,
       ", ".join(f"{d} frame(s): {r(x)}" for d, x in zip((1, 10), p2)))

print("### Targets (DESIGN.md)\n")
table(["target", "", "measured"], [[a, b, c] for a, b, c in verdicts])
PY
