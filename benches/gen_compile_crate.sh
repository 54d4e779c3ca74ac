#!/usr/bin/env bash
# Writes the crate that benches/compile_time.sh builds: N functions with
# defers, either annotated (`with`: #[with_defer] + defer!) or with the same
# bodies and the cleanup written by hand before every return (`without`).
#
# usage: gen_compile_crate.sh <with|without> <out dir> <fndefer path> [N]
set -euo pipefail
mode=$1 out=$2 fndefer=$3 n=${4:-1000}
mkdir -p "$out/src"
{
    echo '[package]'
    echo "name = \"compile_bench_$mode\""
    echo 'version = "0.0.0"'
    echo 'edition = "2024"'
    echo 'publish = false'
    echo
    echo '[dependencies]'
    # Both crates depend on fndefer so that only the expansion differs.
    echo "fndefer = { path = \"$fndefer\" }"
    echo
    echo '[workspace]'
} >"$out/Cargo.toml"

# Four shapes, cycled, so the crate is not one function copied 1,000 times:
#   0: one call-form defer, an early return and `?`
#   1: two defers (call form + a late-bound block), three returns
#   2: a `|ret|` error-wrapping defer
#   3: a defer in a loop (dynamic frame)
{
    echo '#![allow(clippy::all, unused)]'
    echo 'use std::cell::Cell;'
    [ "$mode" = with ] && echo 'use fndefer::{defer, with_defer};'
    cat <<'RS'

#[derive(Debug, Clone, Copy)]
pub struct Error(pub u32, pub bool);

#[inline(never)]
pub fn bump(c: &Cell<u64>, x: u64) {
    c.set(c.get().wrapping_add(x));
}

pub fn check(x: u64) -> Result<u64, Error> {
    if x == 0 { Err(Error(1, false)) } else { Ok(x) }
}
RS
    for ((i = 0; i < n; i++)); do
        case $((i % 4)) in
        0) if [ "$mode" = with ]; then cat <<RS
#[with_defer]
pub fn f$i(c: &Cell<u64>, x: u64) -> Result<u64, Error> {
    defer!(bump(c, x + $i));
    if x == $i {
        return Ok(0);
    }
    let y = check(x)?;
    Ok(y * 2)
}
RS
           else cat <<RS
pub fn f$i(c: &Cell<u64>, x: u64) -> Result<u64, Error> {
    if x == $i {
        bump(c, x + $i);
        return Ok(0);
    }
    let y = match check(x) {
        Ok(y) => y,
        Err(e) => {
            bump(c, x + $i);
            return Err(e);
        }
    };
    let r = Ok(y * 2);
    bump(c, x + $i);
    r
}
RS
           fi ;;
        1) if [ "$mode" = with ]; then cat <<RS
#[with_defer]
pub fn f$i(c: &Cell<u64>, x: u64) -> u64 {
    defer!(bump(c, x));
    let mut total = x;
    defer! {
        c.set(c.get() + $i);
    }
    if x > 100 {
        return total;
    }
    for k in 0..x {
        total += k;
        if total > 1000 {
            return total;
        }
    }
    total + $i
}
RS
           else cat <<RS
pub fn f$i(c: &Cell<u64>, x: u64) -> u64 {
    let mut total = x;
    if x > 100 {
        c.set(c.get() + $i);
        bump(c, x);
        return total;
    }
    for k in 0..x {
        total += k;
        if total > 1000 {
            c.set(c.get() + $i);
            bump(c, x);
            return total;
        }
    }
    let r = total + $i;
    c.set(c.get() + $i);
    bump(c, x);
    r
}
RS
           fi ;;
        2) if [ "$mode" = with ]; then cat <<RS
#[with_defer]
pub fn f$i(x: u64) -> Result<u64, Error> {
    defer!(|ret| {
        if let Some(Err(e)) = ret {
            e.1 = true;
        }
    });
    let y = check(x)?;
    let z = check(y - $i)?;
    Ok(y + z)
}
RS
           else cat <<RS
pub fn f$i(x: u64) -> Result<u64, Error> {
    let wrap = |mut e: Error| {
        e.1 = true;
        e
    };
    let y = check(x).map_err(wrap)?;
    let z = check(y - $i).map_err(wrap)?;
    Ok(y + z)
}
RS
           fi ;;
        3) if [ "$mode" = with ]; then cat <<RS
#[with_defer(allow(loop))]
pub fn f$i(c: &Cell<u64>, n: u64) {
    for k in 0..n {
        defer!(bump(c, k + $i));
    }
}
RS
           else cat <<RS
pub fn f$i(c: &Cell<u64>, n: u64) {
    let mut queued = Vec::new();
    for k in 0..n {
        queued.push((k + $i,));
    }
    while let Some((a,)) = queued.pop() {
        bump(c, a);
    }
}
RS
           fi ;;
        esac
    done
} >"$out/src/lib.rs"
