#!/usr/bin/env bash
# Writes the crate that benches/compile_time.sh builds: N functions with
# defers, in one of four variants of the same bodies:
#
#   with        #[with_defer] + defer! (fndefer)
#   without     the cleanup written by hand before every return
#   scopeguard  scopeguard guards (`guard(args, |args| ..)` / `defer!`)
#   tracing     `without` plus #[tracing::instrument(skip_all)] on each
#               function (a well-known attribute macro, for scale)
#   floor       `without` plus #[floor_macro::walk] (benches/floor-macro:
#               the signature parsed with syn, every body token visited and
#               emitted again): the floor of the expansion time per function
#   floor_quote `floor` plus the scaffolding of fndefer's static frame
#               around each body, built with quote! (#[floor_macro::frame_quote])
#   floor_text  the same scaffolding lexed by rustc from text, its generated
#               names respanned (#[floor_macro::frame_text])
#   floor_rules the same scaffolding left to a macro_rules! of the crate, the
#               proc macro emitting only what varies (#[floor_macro::frame_rules])
#   floor_sites `with`'s bodies under #[floor_macro::sites]: floor_rules plus
#               each site's input parsed with syn (and replaced by a slot's
#               assignment), the least a syn-based #[with_defer] must do
#   catch       `scopeguard` with each function's body under one
#               `catch_unwind` by hand: the least that fndefer's semantics
#               (a deferred call may `recover()` the body's panic) add to
#               scopeguard's code, the floor for its compile time
#
# usage: gen_compile_crate.sh <with|without|scopeguard|tracing> <out dir> <fndefer path> [N]
#   SHAPES="0 1 2 3"  which of the four shapes to cycle through (default all;
#                     e.g. SHAPES=3 for 1,000 loop-defer functions, to see
#                     what one shape costs)
set -euo pipefail
mode=$1 out=$2 fndefer=$3 n=${4:-1000}
# `catch` is `scopeguard`'s functions, each body wrapped (below).
shape_mode=$mode
[ "$mode" = floor_sites ] && shape_mode=with
[ "$mode" = catch ] && shape_mode=scopeguard
case $mode in floor_sites) ;; floor*) shape_mode=without ;; esac
read -r -a shapes <<<"${SHAPES:-0 1 2 3}"
case $mode in with | without | scopeguard | tracing | catch | floor | floor_quote | floor_text | floor_rules | floor_sites) ;; *)
    echo "gen_compile_crate.sh: unknown variant $mode" >&2
    exit 2
    ;;
esac
mkdir -p "$out/src"
{
    echo '[package]'
    echo "name = \"compile_bench_$mode\""
    echo 'version = "0.0.0"'
    echo 'edition = "2024"'
    echo 'publish = false'
    echo
    echo '[dependencies]'
    # Every variant depends on fndefer so that only the expansion differs.
    echo "fndefer = { path = \"$fndefer\" }"
    # The version the workspace's benches use (Cargo.lock pins 1.2.0).
    [ "$shape_mode" = scopeguard ] && echo 'scopeguard = "1"'
    [ "$mode" = tracing ] && echo 'tracing = "0.1"'
    case $mode in floor*) ;; *) false ;; esac && echo "floor-macro = { path = \"$(cd "$(dirname "$0")" && pwd)/floor-macro\" }"
    echo
    echo '[workspace]'
} >"$out/Cargo.toml"

# Four shapes, cycled, so the crate is not one function copied 1,000 times:
#   0: one call-form defer, an early return and `?`
#   1: two defers (call form + a late-bound block), three returns
#   2: a `|ret|` error-wrapping defer
#   3: a defer in a loop (dynamic frame)
#
# The scopeguard variant is a port of each shape as a scopeguard user would
# write it: a guard owning the arguments evaluated at the defer (Go's rule,
# which fndefer follows) where the fndefer code uses the call form, a
# `defer!` block where fndefer's block is late-bound, a guarded `Vec` for the
# loop. Shape 2 cannot be expressed: a guard cannot see or change the
# function's result, so the port is the idiomatic `map_err` (the same as
# `without`), as the comment in the generated code says.
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
    attr=
    [ "$mode" = tracing ] && attr='#[tracing::instrument(skip_all)]'
    [ "$mode" = floor ] && attr='#[floor_macro::walk]'
    [ "$mode" = floor_quote ] && attr='#[floor_macro::frame_quote]'
    [ "$mode" = floor_text ] && attr='#[floor_macro::frame_text]'
    [ "$mode" = floor_rules ] && attr='#[floor_macro::frame_rules]'
    case $mode in floor_rules | floor_sites) ;; *) false ;; esac && cat <<'RS'

// What #[floor_macro::frame_quote] emits around a body, as a macro_rules!.
#[macro_export]
macro_rules! frame_rules {
    (($($ret:tt)*) $name:literal $slot:ident { $($body:tt)* }) => {{
        let marker = ::fndefer::__private::Marker::new();
        let mut $slot = ::core::option::Option::None;
        let mut frame = ::fndefer::__private::run(&marker, || -> $($ret)* {
            $slot = ::core::option::Option::Some(());
            $($body)*
        });
        let $slot = &mut $slot;
        if let ::core::option::Option::Some(value) = $slot.take() {
            frame.call_handler(|frame| {
                {
                    let () = value;
                }
            });
        }
        frame.finish_or(|| {
            use ::fndefer::__private::zero::{ViaDefault as _, ViaPanic as _};
            (&::fndefer::__private::zero::of(&marker)).zero_value($name)
        })
    }};
}
RS
    ns=${#shapes[@]}
    for ((i = 0; i < n; i++)); do
        shape=${shapes[$((i % ns))]}
        case $shape_mode,$shape in
        with,0) cat <<RS
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
            ;;
        without,0 | tracing,0) cat <<RS
$attr
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
            ;;
        scopeguard,0) cat <<RS
pub fn f$i(c: &Cell<u64>, x: u64) -> Result<u64, Error> {
    // defer!(bump(c, x + $i)): the arguments are evaluated here and owned by
    // the guard, which calls bump with them when the function returns.
    let _guard = scopeguard::guard((c, x + $i), |(c, a)| bump(c, a));
    if x == $i {
        return Ok(0);
    }
    let y = check(x)?;
    Ok(y * 2)
}
RS
            ;;
        with,1) cat <<RS
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
            ;;
        without,1 | tracing,1) cat <<RS
$attr
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
            ;;
        scopeguard,1) cat <<RS
pub fn f$i(c: &Cell<u64>, x: u64) -> u64 {
    // Call form: arguments evaluated now, owned by the guard.
    let _bump = scopeguard::guard((c, x), |(c, x)| bump(c, x));
    let mut total = x;
    // Block form: late-bound, like fndefer's defer! { .. }. Guards drop in
    // reverse order, so this runs first, as in fndefer.
    scopeguard::defer! {
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
            ;;
        with,2) cat <<RS
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
            ;;
        without,2 | tracing,2 | scopeguard,2)
            [ "$mode" = scopeguard ] && cat <<RS
// Not expressible with scopeguard: a guard cannot see or change the
// function's result (fndefer's defer!(|ret| ..)). The closest idiomatic code
// of a scopeguard user is map_err on each \`?\`, i.e. the hand-written port.
RS
            cat <<RS
$attr
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
            ;;
        with,3) cat <<RS
#[with_defer(allow(loop))]
pub fn f$i(c: &Cell<u64>, n: u64) {
    for k in 0..n {
        defer!(bump(c, k + $i));
    }
}
RS
            ;;
        without,3 | tracing,3) cat <<RS
$attr
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
            ;;
        scopeguard,3) cat <<RS
pub fn f$i(c: &Cell<u64>, n: u64) {
    // A guarded Vec of the arguments, run LIFO at return (and on unwind).
    let mut queued = scopeguard::guard(Vec::new(), |queued: Vec<(u64,)>| {
        for (a,) in queued.into_iter().rev() {
            bump(c, a);
        }
    });
    for k in 0..n {
        queued.push((k + $i,));
    }
}
RS
            ;;
        *)
            echo "gen_compile_crate.sh: unknown shape $shape" >&2
            exit 2
            ;;
        esac
    done
} >"$out/src/lib.rs"

if [ "$mode" = catch ]; then
    # Each fN's body (from its `{` to its `}` at column 0) as a closure under
    # catch_unwind, the panic resumed: `return` and `?` leave the closure,
    # as they leave fndefer's body closure.
    awk '
        /^pub fn f[0-9]+\(.*\{$/ { print; print "    match ::std::panic::catch_unwind(::std::panic::AssertUnwindSafe(|| {"; inside = 1; next }
        inside && /^}$/ { print "    })) {"; print "        Ok(value) => value,"; print "        Err(payload) => ::std::panic::resume_unwind(payload),"; print "    }"; print "}"; inside = 0; next }
        { print }
    ' "$out/src/lib.rs" >"$out/src/lib.rs.tmp" && mv "$out/src/lib.rs.tmp" "$out/src/lib.rs"
fi
# `floor_sites`: fndefer's bodies, the attribute swapped for the floor's.
if [ "$mode" = floor_sites ]; then
    sed -i "s/^#\\[with_defer/#[floor_macro::sites/" "$out/src/lib.rs"
fi
