#!/usr/bin/env bash
# Instructions per call (callgrind), beside criterion's times: the cases of
# the criterion benches (static frame 1/2/8 defers, loop defers, `|ret|`,
# panic through 1 and 10 frames, plus a hand-written `Drop` guard there),
# with the same function bodies (benches/probe/instructions.rs), in a release
# and in a debug build, side by side in one run.
#
# Each case runs in its own process under
#   valgrind --tool=callgrind --toggle-collect='*__instr_measure*'
# so only the N measured calls are counted (4 warm-up calls run before,
# outside the collected function). Instructions per call = Ir / N minus the
# empty loop's Ir / N (the loop and the call through `black_box`ed closure
# state, measured the same way). Deterministic: two runs give the same
# numbers (up to a few instructions of allocator state).
#
# usage: benches/instructions.sh
#   PROFILES="release debug"  which builds
#   CASES=regex              only the cases whose name matches (see
#                            `instructions list`)
#   FNDEFER_DIR=<repo>       the fndefer checkout to measure
#   CARGO_TARGET_DIR         the crate is generated in its instructions-bench/
#                            (default target/instructions-bench), never committed
# needs valgrind and python3.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
fndefer=${FNDEFER_DIR:-$root}
target=${CARGO_TARGET_DIR:-$root/target}
case $target in /*) ;; *) target=$root/$target ;; esac
work=$target/instructions-bench
read -r -a profiles <<<"${PROFILES:-release debug}"
command -v valgrind >/dev/null || { echo "instructions.sh: needs valgrind" >&2; exit 1; }

mkdir -p "$work"
cat >"$work/Cargo.toml" <<TOML
[package]
name = "fndefer-instructions"
version = "0.0.0"
edition = "2024"
publish = false

[[bin]]
name = "instructions"
path = "$root/benches/probe/instructions.rs"

[dependencies]
fndefer = { path = "$fndefer" }
scopeguard = "1"

# Symbols for callgrind's function names; does not change the code.
[profile.release]
debug = "line-tables-only"

[workspace]
TOML
cp "$fndefer/Cargo.lock" "$work/Cargo.lock"

unset RUSTFLAGS
for profile in "${profiles[@]}"; do
    flag=
    [ "$profile" = release ] && flag=--release
    echo "building ($profile)..." >&2
    # shellcheck disable=SC2086
    (cd "$work" && CARGO_TARGET_DIR="$work/target" cargo build --quiet $flag)
done

# calls per case: enough for a stable mean, few enough for valgrind
calls_for() {
    case $1 in
    loop/*/1000) echo 50 ;;
    loop/*/100) echo 200 ;;
    loop/*) echo 1000 ;;
    panic/*/10) echo 50 ;;
    panic/*) echo 200 ;;
    *) echo 2000 ;;
    esac
}

results=$work/results.tsv
: >"$results"
for profile in "${profiles[@]}"; do
    bin=$work/target/$profile/instructions
    mapfile -t cases < <("$bin" list)
    for case in "${cases[@]}"; do
        if [ -n "${CASES:-}" ] && [ "$case" != empty ] && ! [[ $case =~ $CASES ]]; then continue; fi
        calls=$(calls_for "$case")
        out=$work/callgrind.$profile.${case//\//_}.out
        echo "callgrind ($profile): $case x $calls..." >&2
        valgrind --tool=callgrind --toggle-collect='*__instr_measure*' \
            --callgrind-out-file="$out" "$bin" "$case" "$calls" 2>"$work/valgrind.log" ||
            { cat "$work/valgrind.log" >&2; exit 1; }
        ir=$(awk '/^(summary|totals):/ { print $2; exit }' "$out")
        printf '%s\t%s\t%s\t%s\n' "$profile" "$case" "$calls" "$ir" >>"$results"
    done
done

python3 - "$results" <<'PY'
import sys

per = {}  # (profile, case) -> instructions per call, net of the empty loop
raw = {}
for line in open(sys.argv[1]):
    profile, case, calls, ir = line.split("\t")
    raw[(profile, case)] = int(ir) / int(calls)
for (profile, case), v in raw.items():
    per[(profile, case)] = v - raw.get((profile, "empty"), 0.0)
profiles = [p for p in ("release", "debug") if (p, "empty") in raw]

def g(profile, case, div=1):
    v = per.get((profile, case))
    return None if v is None else v / div

def f(x):
    return "—" if x is None else (f"{x:.1f}" if x < 100 else f"{x:,.0f}")

def r(a, b):
    return "—" if a is None or b is None or b <= 0 else f"{a / b:.2f}×"

def table(head, rows):
    print("| " + " | ".join(head) + " |")
    print("|" + "|".join("---" for _ in head) + "|")
    for row in rows:
        print("| " + " | ".join(row) + " |")
    print()

print("instructions per call (callgrind Ir, net of the empty loop: "
      + ", ".join(f"{p} {raw[(p, 'empty')]:.1f}" for p in profiles) + " per iteration)\n")

print("### Static frame (instructions per call; early and normal return alternate)\n")
head, rows = ["defers"], []
for p in profiles:
    head += [f"hand-written ({p})", f"fndefer ({p})", f"scopeguard ({p})", f"fndefer / hand ({p})",
             f"fndefer / scopeguard ({p})"]
for n in (1, 2, 8):
    row = [str(n)]
    for p in profiles:
        h, fd, sg = (g(p, f"static/{v}/{n}") for v in ("hand_written", "fndefer", "scopeguard"))
        row += [f(h), f(fd), f(sg), r(fd, h), r(fd, sg)]
    rows.append(row)
table(head, rows)

print("### Loop defers (instructions per defer)\n")
head, rows = ["defers per call"], []
for p in profiles:
    head += [f"Vec of arg tuples ({p})", f"fndefer ({p})", f"Vec<Box<dyn FnOnce>> ({p})", f"fndefer / tuples ({p})"]
for n in (10, 100, 1000):
    row = [f"{n:,}"]
    for p in profiles:
        t, fd, bx = (g(p, f"loop/{v}/{n}", n) for v in ("vec_tuples", "fndefer", "vec_box_dyn"))
        row += [f(t), f(fd), f(bx), r(fd, t)]
    rows.append(row)
table(head, rows)

print("### `|ret|` error wrapping (instructions per call)\n")
head, rows = ["path"], []
for p in profiles:
    head += [f"map_err ({p})", f"result slot by hand ({p})", f"fndefer ({p})",
             f"fndefer / map_err ({p})", f"fndefer / slot ({p})"]
for path in ("ok", "err"):
    row = [path]
    for p in profiles:
        m, sl, fd = (g(p, f"ret/{v}/{path}") for v in ("map_err", "result_slot", "fndefer"))
        row += [f(m), f(sl), f(fd), r(fd, m), r(fd, sl)]
    rows.append(row)
table(head, rows)

print("### Panic path (instructions per panic caught at the top)\n")
head, rows = ["frames"], []
for p in profiles:
    head += [f"Drop guard ({p})", f"scopeguard ({p})", f"catch per frame by hand ({p})", f"fndefer ({p})",
             f"fndefer / Drop ({p})", f"fndefer / scopeguard ({p})", f"catch floor / Drop ({p})"]
for d in (1, 10):
    row = [str(d)]
    for p in profiles:
        dg, sg, cf, fd = (g(p, f"panic/{v}/{d}") for v in ("drop_guard", "scopeguard", "catch_floor", "fndefer"))
        row += [f(dg), f(sg), f(cf), f(fd), r(fd, dg), r(fd, sg), r(cf, dg)]
    rows.append(row)
table(head, rows)

print("### Targets (issue 15)\n")
def ratio(a, b):
    return None if a is None or b is None else a / b
def verdict(x, limit):
    if x is None:
        return "—", "—"
    return ("met" if x <= limit else "NOT met"), f"{x:.2f}×"
rows = []
# The floor: the same function written by hand with the one catch_unwind
# that recover() semantics need (benches/common/*_fns.rs `catch_*`).
for name, measured, floor, limit in [
    ("panic through 10 frames ≤ 1.5× Drop guards (release)",
     ratio(g("release", "panic/fndefer/10"), g("release", "panic/drop_guard/10")),
     ratio(g("release", "panic/catch_floor/10"), g("release", "panic/drop_guard/10")), 1.5),
    ("panic through 1 frame ≤ 1.5× scopeguard (release)",
     ratio(g("release", "panic/fndefer/1"), g("release", "panic/scopeguard/1")),
     ratio(g("release", "panic/catch_floor/1"), g("release", "panic/scopeguard/1")), 1.5),
    ("debug call with two defers ≤ 3× hand-written",
     ratio(g("debug", "static/fndefer/2"), g("debug", "static/hand_written/2")),
     ratio(g("debug", "static/catch_floor/2"), g("debug", "static/hand_written/2")), 3.0),
]:
    v, x = verdict(measured, limit)
    fv, fx = verdict(floor, limit)
    rows.append([name, v, x, fx])
table(["target", "", "measured", "floor: the same catches by hand"], rows)
PY
