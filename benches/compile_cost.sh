#!/usr/bin/env bash
# Where the compile time of #[with_defer] goes, per function shape: for each
# of gen_compile_crate.sh's four shapes, N functions of that shape alone,
# written with fndefer and with scopeguard, and for each crate
#   - the LLVM IR lines of a debug build (cargo llvm-lines: what codegen and
#     LLVM are handed), per function and the generic instantiations that
#     make them up;
#   - rustc's passes from -Z time-passes (RUSTC_BOOTSTRAP=1, debug build):
#     expansion, type check, borrow check, codegen, LLVM, per function.
#
# usage: benches/compile_cost.sh [N]      (default 250 functions per shape)
#   SHAPES="0 1 2 3"   which shapes
#   TOP=12             instantiations listed per crate
#   FNDEFER_DIR=<repo> the fndefer checkout to measure
#   CARGO_TARGET_DIR   generates into its compile-cost/ (default target/compile-cost)
# needs cargo-llvm-lines (`cargo install cargo-llvm-lines`; without it only
# the passes are shown) and awk.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
n=${1:-250}
top=${TOP:-12}
read -r -a shapes <<<"${SHAPES:-0 1 2 3}"
fndefer=${FNDEFER_DIR:-$root}
target=${CARGO_TARGET_DIR:-$root/target}
case $target in /*) ;; *) target=$root/$target ;; esac
work=$target/compile-cost
mkdir -p "$work"
export CARGO_INCREMENTAL=0
unset RUSTFLAGS
lines=
cargo llvm-lines --version >/dev/null 2>&1 && lines=1
[ -n "$lines" ] || echo "cargo-llvm-lines not installed: LLVM lines skipped" >&2

names=("one call-form defer, early return, ?" "two defers, three returns"
    "|ret| error wrapping" "a defer in a loop (dynamic frame)")
passes=(expand_crate type_check_crate MIR_borrow_checking monomorphization_collector_graph_walk
    codegen_to_LLVM_IR LLVM_passes total)

for shape in "${shapes[@]}"; do
    echo
    echo "## shape $shape: ${names[$shape]} ($n functions)"
    declare -A pass=() total=() copies=()
    for mode in scopeguard with; do
        dir=$work/shape$shape-$mode
        rm -rf "$dir"
        SHAPES=$shape benches/gen_compile_crate.sh "$mode" "$dir" "$fndefer" "$n"
        cp "$fndefer/Cargo.lock" "$dir/Cargo.lock"
        echo "shape $shape, $mode..." >&2
        (cd "$dir" && RUSTC_BOOTSTRAP=1 CARGO_TARGET_DIR="$work/target" cargo build --quiet)
        touch "$dir/src/lib.rs"
        (cd "$dir" && RUSTC_BOOTSTRAP=1 CARGO_TARGET_DIR="$work/target" \
            cargo rustc --quiet --lib -- -Z time-passes >"$dir/time-passes.txt" 2>&1)
        for p in "${passes[@]}"; do
            pass[$mode,$p]=$(awk -v p="$p" '$1 == "time:" && $NF == p { gsub(";", "", $2); v = $2 } END { print v }' "$dir/time-passes.txt")
        done
        if [ -n "$lines" ]; then
            # (without RUSTC_BOOTSTRAP: with it, instantiations are not grouped)
            (cd "$dir" && CARGO_TARGET_DIR="$work/target-lines" \
                cargo llvm-lines --lib 2>/dev/null >"$dir/llvm-lines.txt")
            total[$mode]=$(awk '$NF == "(TOTAL)" { print $1 }' "$dir/llvm-lines.txt")
            copies[$mode]=$(awk '$NF == "(TOTAL)" { print $2 }' "$dir/llvm-lines.txt")
        fi
    done
    echo
    echo "| per function | scopeguard | fndefer | fndefer − scopeguard |"
    echo "|---|---|---|---|"
    if [ -n "$lines" ]; then
        awk -v a="${total[scopeguard]}" -v b="${total[with]}" -v n="$n" \
            'BEGIN { printf "| LLVM IR lines (debug) | %.0f | %.0f | %+.0f |\n", a / n, b / n, (b - a) / n }'
        awk -v a="${copies[scopeguard]}" -v b="${copies[with]}" -v n="$n" \
            'BEGIN { printf "| functions codegened | %.1f | %.1f | %+.1f |\n", a / n, b / n, (b - a) / n }'
    fi
    for p in "${passes[@]}"; do
        awk -v p="$p" -v a="${pass[scopeguard,$p]}" -v b="${pass[with,$p]}" -v n="$n" \
            'BEGIN { printf "| %s (µs) | %.0f | %.0f | %+.0f |\n", p, a * 1e6 / n, b * 1e6 / n, (b - a) * 1e6 / n }'
    done
    if [ -n "$lines" ]; then
        for mode in with scopeguard; do
            echo
            echo "$mode: the $top largest instantiations (LLVM IR lines per annotated function, copies per function)"
            echo
            echo "| lines / fn | copies / fn | function |"
            echo "|---|---|---|"
            awk -v n="$n" -v top="$top" 'NR > 3 && shown < top {
                    l = $1; c = $4; name = $0
                    sub(/^ *[0-9]+ +\([^)]*\) +[0-9]+ +\([^)]*\) +/, "", name)
                    gsub(/\|/, "\\|", name)
                    printf "| %.1f | %.2f | `%s` |\n", l / n, c / n, name; shown++ }' \
                "$work/shape$shape-$mode/llvm-lines.txt"
        done
    fi
done
