#!/usr/bin/env bash
# Expansion time per function against its floors (issue 15: at most 0.3 ms
# of expansion per annotated function).
#
# Builds the crates of benches/gen_compile_crate.sh side by side and reads
# rustc's own `expand_crate` pass (`-Z time-passes`, RUSTC_BOOTSTRAP=1, best
# of REPS, the variants interleaved within each repetition). With
# CALLGRIND=1 it also counts the instructions of rustc's expansion
# (`MacroExpander::fully_expand_fragment`, inclusive) for each crate under
# valgrind: deterministic, so a 5 % difference can be trusted on a shared
# machine, which the wall times cannot.
#
# The floors (benches/floor-macro; each proc macro unoptimized, as a user's
# default dev profile builds it, like fndefer's):
#   floor        the signature parsed with syn, every body token visited
#                and emitted again, nothing else
#   floor_quote  floor + the scaffolding of fndefer's static frame with one
#                deferred call around the body, built with quote! (the least
#                code that runs the body under catch_unwind and a call after)
#   floor_text   the same scaffolding lexed by rustc from text and respanned
#   floor_rules  the same scaffolding transcribed by a macro_rules! of the
#                crate; the proc macro emits only the return type, the name
#                and the body
#   floor_sites  fndefer's own bodies: floor_rules + every `defer!`'s input
#                parsed with syn (the least a syn-based macro does to learn a
#                site's form) and replaced by a slot's assignment
#   with         #[with_defer] (fndefer)
#
# usage: benches/expansion_floor.sh [N]        (default 1000 functions)
#   REPS=5  VARIANTS="without floor floor_quote floor_rules floor_sites with"
#   CALLGRIND=1 (instructions too; N=200 is enough and takes ~5 min)
#   FNDEFER_DIR=<checkout>  CARGO_TARGET_DIR (work goes to its expansion-floor/)
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
n=${1:-1000}
reps=${REPS:-5}
read -r -a variants <<<"${VARIANTS:-without floor floor_quote floor_rules floor_sites with}"
fndefer=${FNDEFER_DIR:-$root}
target=${CARGO_TARGET_DIR:-$root/target}
case $target in /*) ;; *) target=$root/$target ;; esac
work=$target/expansion-floor
mkdir -p "$work"
export CARGO_INCREMENTAL=0 RUSTC_BOOTSTRAP=1
unset RUSTFLAGS

for v in "${variants[@]}"; do
    rm -rf "$work/$v"
    SHAPES="${SHAPES:-0 1 2 3}" bash benches/gen_compile_crate.sh "$v" "$work/$v" "$fndefer" "$n" >/dev/null
    cp Cargo.lock "$work/$v/"
    (cd "$work/$v" && CARGO_TARGET_DIR="$work/target-$v" cargo check -q)
done

declare -A best
expand_time() { # variant -> seconds of expand_crate
    touch "$work/$1/src/lib.rs"
    (cd "$work/$1" && CARGO_TARGET_DIR="$work/target-$1" cargo rustc -q --lib -- -Z time-passes 2>&1) |
        awk '$NF == "expand_crate" { for (i = 1; i <= NF; i++) if ($i == "time:") { t = $(i + 1); sub(";", "", t); print t; exit } }'
}
for ((r = 0; r < reps; r++)); do
    for v in "${variants[@]}"; do
        t=$(expand_time "$v")
        if [ -z "${best[$v]:-}" ] || [ "$(echo "$t < ${best[$v]}" | bc)" = 1 ]; then best[$v]=$t; fi
    done
done

declare -A instr
if [ "${CALLGRIND:-0}" = 1 ]; then
    wrap=$work/callgrind-rustc.sh
    cat >"$wrap" <<'SH'
#!/bin/sh
exec valgrind --tool=callgrind --trace-children=yes --callgrind-out-file="$CG_OUT.%p" "$@"
SH
    chmod +x "$wrap"
    for v in "${variants[@]}"; do
        rm -f "$work/cg-$v".*
        touch "$work/$v/src/lib.rs"
        (cd "$work/$v" && CG_OUT="$work/cg-$v" RUSTC_WORKSPACE_WRAPPER="$wrap" \
            CARGO_TARGET_DIR="$work/target-$v" cargo check -q 2>/dev/null) || true
        # the largest output is the compilation (the others are `rustc -vV` probes)
        out=$(ls -S "$work/cg-$v".* | head -1)
        callgrind_annotate --inclusive=yes "$out" >"$work/cg-$v.txt" 2>/dev/null
        instr[$v]=$(awk '/MacroExpander>::fully_expand_fragment/ { gsub(",", "", $1); print $1; exit }' "$work/cg-$v.txt")
    done
fi

base=${best[without]:-0}
ibase=${instr[without]:-0}
echo
echo "expand_crate, $n functions, best of $reps (-Z time-passes), $(nproc) cores, $(date -u +%F)"
printf '| %-12s | %10s | %16s |' variant "seconds" "ms per fn, over without"
if [ "${CALLGRIND:-0}" = 1 ]; then printf ' %18s | %16s |' "instructions" "M per fn, over without"; fi
echo
for v in "${variants[@]}"; do
    printf '| %-12s | %10s | %16.3f |' "$v" "${best[$v]}" "$(echo "(${best[$v]} - $base) * 1000 / $n" | bc -l)"
    if [ "${CALLGRIND:-0}" = 1 ]; then
        printf ' %18s | %16.2f |' "${instr[$v]}" "$(echo "(${instr[$v]} - $ibase) / $n / 1000000" | bc -l)"
    fi
    echo
done
