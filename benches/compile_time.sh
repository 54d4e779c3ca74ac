#!/usr/bin/env bash
# Compile-time benchmark (DESIGN.md: expanding 1,000 annotated functions adds
# at most 25% to the crate's build time over the same functions unannotated).
#
# Generates two crates of N functions (benches/gen_compile_crate.sh): `with`
# uses #[with_defer] + defer!, `without` has the same bodies with the cleanup
# written by hand before every return. Dependencies are built first; then
# only the generated crate is rebuilt (best of REPS, non-incremental), for
# `cargo check`, `cargo build` and `cargo build --release`.
#
# The expansion time is rustc's own `expand_crate` pass from `-Z time-passes`.
# That flag is unstable: it is read with RUSTC_BOOTSTRAP=1 in a separate
# target dir, for this measurement only (skip it with NO_TIME_PASSES=1).
#
# usage: benches/compile_time.sh [N]     (env: REPS=3, CARGO_TARGET_DIR)
# Everything is generated under $CARGO_TARGET_DIR/compile-bench (default
# target/compile-bench), never committed.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
n=${1:-1000}
reps=${REPS:-3}
target=${CARGO_TARGET_DIR:-$root/target}
case $target in /*) ;; *) target=$root/$target ;; esac
work=$target/compile-bench
export CARGO_INCREMENTAL=0
unset RUSTFLAGS

for mode in with without; do
    rm -rf "$work/$mode"
    benches/gen_compile_crate.sh "$mode" "$work/$mode" "$root" "$n"
    cp Cargo.lock "$work/$mode/Cargo.lock"
done

# seconds (wall) of one cargo invocation, after touching the crate's source
time_one() { # dir cargo-args...
    local dir=$1
    shift
    touch "$dir/src/lib.rs"
    local t0 t1
    t0=$(date +%s.%N)
    (cd "$dir" && CARGO_TARGET_DIR="$work/target" cargo "$@" --quiet)
    t1=$(date +%s.%N)
    echo "$t1 - $t0" | bc -l
}

best_of() { # dir cargo-args...
    local best=""
    for ((r = 0; r < reps; r++)); do
        local t
        t=$(time_one "$@")
        if [ -z "$best" ] || [ "$(echo "$t < $best" | bc -l)" = 1 ]; then best=$t; fi
    done
    printf '%.3f' "$best"
}

echo "building dependencies..." >&2
for mode in with without; do
    for cmd in check build "build --release"; do
        # shellcheck disable=SC2086
        (cd "$work/$mode" && CARGO_TARGET_DIR="$work/target" cargo $cmd --quiet)
    done
done

declare -A secs
for cmd in check build "build --release"; do
    for mode in without with; do
        echo "timing $mode: cargo $cmd..." >&2
        # shellcheck disable=SC2086
        secs[$mode,$cmd]=$(best_of "$work/$mode" $cmd)
    done
done

expand_ms() { # dir -> expand_crate seconds
    local dir=$1
    touch "$dir/src/lib.rs"
    (cd "$dir" && RUSTC_BOOTSTRAP=1 CARGO_TARGET_DIR="$work/target-time-passes" \
        cargo rustc --quiet --lib -- -Z time-passes 2>&1) |
        awk '$NF == "expand_crate" { gsub(";", "", $2); print $2 }' | tail -1
}

echo
echo "compile time, $n functions, best of $reps, CARGO_INCREMENTAL=0 ($(rustc -V))"
printf '| %-22s | %14s | %14s | %10s | %14s |\n' "command" "without (s)" "with (s)" "added" "added per fn"
printf '|%s|%s|%s|%s|%s|\n' "------------------------" "----------------" "----------------" "------------" "----------------"
for cmd in check build "build --release"; do
    w=${secs[with,$cmd]} wo=${secs[without,$cmd]}
    pct=$(echo "($w - $wo) * 100 / $wo" | bc -l)
    per=$(echo "($w - $wo) * 1000000 / $n" | bc -l)
    printf '| %-22s | %14s | %14s | %9.1f%% | %11.0f µs |\n' "cargo $cmd" "$wo" "$w" "$pct" "$per"
done

if [ -z "${NO_TIME_PASSES:-}" ]; then
    echo "measuring expansion (rustc -Z time-passes, RUSTC_BOOTSTRAP=1)..." >&2
    ew=$(expand_ms "$work/with" || true)
    ewo=$(expand_ms "$work/without" || true)
    if [ -n "$ew" ] && [ -n "$ewo" ]; then
        per=$(echo "($ew - $ewo) * 1000000 / $n" | bc -l)
        echo
        printf 'expand_crate: without %.3f s, with %.3f s: %.0f µs of expansion per annotated function\n' \
            "$ewo" "$ew" "$per"
    else
        echo "expand_crate: could not read -Z time-passes output" >&2
    fi
fi
