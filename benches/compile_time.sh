#!/usr/bin/env bash
# Compile-time benchmark (DESIGN.md: expanding 1,000 annotated functions adds
# at most 25% to the crate's build time over the same functions unannotated;
# issue 15: within 1.25x of the same functions written with scopeguard).
#
# Generates four crates of the same N functions (benches/gen_compile_crate.sh):
#   without     the cleanup written by hand before every return
#   scopeguard  scopeguard guards, a port of each shape
#   tracing     `without` + #[tracing::instrument(skip_all)] (an attribute
#               macro everybody uses, for scale)
#   floor       `without` + #[floor_macro::walk] (benches/floor-macro): the
#               signature parsed with syn, every body token visited and
#               emitted again, the floor of expansion time per function
#   catch       `scopeguard` with each body under one catch_unwind by hand:
#               the floor of what fndefer's semantics add to scopeguard
#   with        #[with_defer] + defer! (fndefer)
# Dependencies are built first; then only the generated crate is rebuilt
# (best of REPS, non-incremental, the variants interleaved within each
# repetition so that load from other processes hits them alike), for `cargo
# check`, `cargo build` and `cargo build --release`. Wall time is the headline
# (as before); CPU time (user + sys of cargo and rustc, best of REPS) is shown
# too: it is less disturbed by a busy machine, but counts rustc's parallel
# codegen threads.
#
# The expansion time is rustc's own `expand_crate` pass from `-Z time-passes`.
# That flag is unstable: it is read with RUSTC_BOOTSTRAP=1 in a separate
# target dir, for this measurement only (skip it with NO_TIME_PASSES=1). The
# same output gives the main passes of a debug and a release build per
# variant (where the time goes).
#
# usage: benches/compile_time.sh [N]
#   REPS=3                 repetitions (best of)
#   VARIANTS="without scopeguard tracing floor catch with"   which crates (any subset)
#   SHAPES="0 1 2 3"       which function shapes (see gen_compile_crate.sh)
#   FNDEFER_DIR=<repo>     the fndefer checkout the crates depend on
#   NO_TIME_PASSES=1       skip the -Z time-passes part
#   CARGO_TARGET_DIR       where everything is generated: its compile-bench/
#                          (default target/compile-bench), never committed
# needs bc and awk; tracing is fetched from crates.io on the first run.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
n=${1:-1000}
reps=${REPS:-3}
read -r -a variants <<<"${VARIANTS:-without scopeguard tracing floor catch with}"
fndefer=${FNDEFER_DIR:-$root}
target=${CARGO_TARGET_DIR:-$root/target}
case $target in /*) ;; *) target=$root/$target ;; esac
work=$target/compile-bench
mkdir -p "$work"
export CARGO_INCREMENTAL=0
unset RUSTFLAGS
log=$work/cargo.log

has() { # variant -> 0 if it is being measured
    local v
    for v in "${variants[@]}"; do [ "$v" = "$1" ] && return 0; done
    return 1
}

for mode in "${variants[@]}"; do
    rm -rf "${work:?}/$mode"
    benches/gen_compile_crate.sh "$mode" "$work/$mode" "$fndefer" "$n"
    cp "$fndefer/Cargo.lock" "$work/$mode/Cargo.lock"
done

# "wall cpu" seconds of one cargo invocation, after touching the crate's source
time_one() { # dir cargo-args...
    local dir=$1
    shift
    touch "$dir/src/lib.rs"
    local TIMEFORMAT='%R %U %S' out
    if ! out=$({ time (cd "$dir" && CARGO_TARGET_DIR="$work/target" cargo "$@" --quiet >"$log" 2>&1); } 2>&1); then
        cat "$log" >&2
        echo "compile_time.sh: cargo $* failed in $dir" >&2
        return 1
    fi
    echo "$out" | tail -1 | awk '{ printf "%.3f %.3f\n", $1, $2 + $3 }'
}

echo "building dependencies..." >&2
for mode in "${variants[@]}"; do
    for cmd in check build "build --release"; do
        # shellcheck disable=SC2086
        (cd "$work/$mode" && CARGO_TARGET_DIR="$work/target" cargo $cmd --quiet)
    done
done

declare -A secs cpu
cmds=(check build "build --release")
for cmd in "${cmds[@]}"; do
    for ((r = 0; r < reps; r++)); do
        for mode in "${variants[@]}"; do
            echo "timing $mode: cargo $cmd ($((r + 1))/$reps)..." >&2
            # shellcheck disable=SC2086
            res=$(time_one "$work/$mode" $cmd)
            read -r w c <<<"$res"
            if [ -z "${secs[$mode,$cmd]:-}" ] || [ "$(echo "$w < ${secs[$mode,$cmd]}" | bc -l)" = 1 ]; then
                secs[$mode,$cmd]=$w
            fi
            if [ -z "${cpu[$mode,$cmd]:-}" ] || [ "$(echo "$c < ${cpu[$mode,$cmd]}" | bc -l)" = 1 ]; then
                cpu[$mode,$cmd]=$c
            fi
        done
    done
done

ratio() { # a b -> a/b with 2 decimals, or — when missing
    if [ -n "${1:-}" ] && [ -n "${2:-}" ] && [ "$(echo "$2 > 0" | bc -l)" = 1 ]; then
        printf '%.2f×' "$(echo "$1 / $2" | bc -l)"
    else
        printf '—'
    fi
}

echo
echo "compile time, $n functions, best of $reps, CARGO_INCREMENTAL=0 ($(rustc -V))"
if has with && has without; then
    # The table of issue 7 (kept as it was: fndefer against hand-written).
    printf '| %-22s | %14s | %14s | %10s | %14s |\n' "command" "without (s)" "with (s)" "added" "added per fn"
    printf '|%s|%s|%s|%s|%s|\n' "------------------------" "----------------" "----------------" "------------" "----------------"
    for cmd in "${cmds[@]}"; do
        w=${secs[with,$cmd]} wo=${secs[without,$cmd]}
        pct=$(echo "($w - $wo) * 100 / $wo" | bc -l)
        per=$(echo "($w - $wo) * 1000000 / $n" | bc -l)
        printf '| %-22s | %14s | %14s | %9.1f%% | %11.0f µs |\n' "cargo $cmd" "$wo" "$w" "$pct" "$per"
    done
fi

side_by_side() { # title, array name (secs or cpu)
    local -n tab=$2
    echo
    echo "$1"
    local head="| command |" rule="|---|"
    for mode in "${variants[@]}"; do
        head+=" $mode (s) |"
        rule+="---|"
    done
    head+=" with / scopeguard | catch / scopeguard (floor) | with / without | with − scopeguard per fn |"
    rule+="---|---|---|---|"
    echo "$head"
    echo "$rule"
    for cmd in "${cmds[@]}"; do
        local row="| cargo $cmd |"
        for mode in "${variants[@]}"; do row+=" ${tab[$mode,$cmd]} |"; done
        local w=${tab[with,$cmd]:-} sg=${tab[scopeguard,$cmd]:-} wo=${tab[without,$cmd]:-} ca=${tab[catch,$cmd]:-}
        row+=" $(ratio "$w" "$sg") | $(ratio "$ca" "$sg") | $(ratio "$w" "$wo") |"
        if [ -n "$w" ] && [ -n "$sg" ]; then
            row+=" $(printf '%.0f µs' "$(echo "($w - $sg) * 1000000 / $n" | bc -l)") |"
        else
            row+=" — |"
        fi
        echo "$row"
    done
}
side_by_side "wall time, best of $reps (target: with / scopeguard ≤ 1.25× for check and build):" secs
side_by_side "CPU time (user + sys of cargo and rustc), best of $reps:" cpu

if [ -z "${NO_TIME_PASSES:-}" ]; then
    echo "measuring rustc passes (rustc -Z time-passes, RUSTC_BOOTSTRAP=1)..." >&2
    tp=$work/target-time-passes
    passes=(expand_crate type_check_crate MIR_borrow_checking monomorphization_collector_graph_walk
        codegen_to_LLVM_IR LLVM_passes codegen_crate link total)
    declare -A pass
    for profile in debug release; do
        flag=
        [ $profile = release ] && flag=--release
        for mode in "${variants[@]}"; do
            out=$work/time-passes-$mode-$profile.txt
            # dependencies first, so the output is the crate's alone
            # shellcheck disable=SC2086
            (cd "$work/$mode" && RUSTC_BOOTSTRAP=1 CARGO_TARGET_DIR="$tp" cargo build --quiet $flag)
            touch "$work/$mode/src/lib.rs"
            # shellcheck disable=SC2086
            (cd "$work/$mode" && RUSTC_BOOTSTRAP=1 CARGO_TARGET_DIR="$tp" \
                cargo rustc --quiet --lib $flag -- -Z time-passes >"$out" 2>&1) || true
            for p in "${passes[@]}"; do
                # the last line of a pass is the crate's (not a nested call)
                pass[$mode,$profile,$p]=$(awk -v p="$p" '$1 == "time:" && $NF == p { gsub(";", "", $2); v = $2 } END { print v }' "$out")
            done
        done
    done
    ew=${pass[with,debug,expand_crate]:-} ewo=${pass[without,debug,expand_crate]:-}
    if [ -n "$ew" ] && [ -n "$ewo" ]; then
        per=$(echo "($ew - $ewo) * 1000000 / $n" | bc -l)
        echo
        printf 'expand_crate: without %.3f s, with %.3f s: %.0f µs of expansion per annotated function\n' \
            "$ewo" "$ew" "$per"
    elif has with && has without; then
        echo "expand_crate: could not read -Z time-passes output (see $work/time-passes-*.txt)" >&2
    fi
    for profile in debug release; do
        echo
        echo "rustc passes of the generated crate, $profile build (-Z time-passes, seconds; one run):"
        head="| pass |" rule="|---|"
        for mode in "${variants[@]}"; do
            head+=" $mode |"
            rule+="---|"
        done
        echo "$head with − scopeguard per fn |"
        echo "$rule---|"
        for p in "${passes[@]}"; do
            row="| $p |"
            for mode in "${variants[@]}"; do row+=" ${pass[$mode,$profile,$p]:-—} |"; done
            w=${pass[with,$profile,$p]:-} sg=${pass[scopeguard,$profile,$p]:-}
            if [ -n "$w" ] && [ -n "$sg" ]; then
                row+=" $(printf '%.0f µs' "$(echo "($w - $sg) * 1000000 / $n" | bc -l)") |"
            else
                row+=" — |"
            fi
            echo "$row"
        done
        if [ $profile = debug ]; then
            row="| expand_crate per fn, over without |"
            for mode in "${variants[@]}"; do
                e=${pass[$mode,debug,expand_crate]:-} e0=${pass[without,debug,expand_crate]:-}
                if [ -n "$e" ] && [ -n "$e0" ]; then
                    row+=" $(printf '%.0f µs' "$(echo "($e - $e0) * 1000000 / $n" | bc -l)") |"
                else
                    row+=" — |"
                fi
            done
            echo "$row |"
        fi
    done
fi
