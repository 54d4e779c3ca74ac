//! Generated names cannot clash with user names, generated paths are
//! absolute, and the expansion triggers no warnings (this file denies them;
//! the clippy attributes take effect under `cargo clippy --tests`).
#![deny(warnings)]
#![deny(clippy::pedantic)]
#![allow(clippy::missing_panics_doc)]

mod common;

use common::{log, take};
use fndefer::{defer, errdefer, recover, with_defer};

// A user `core` module in scope: generated `::core::..` paths must not
// resolve to it.
#[allow(dead_code)]
mod core {
    pub mod panic {}
    pub mod option {}
    pub struct Option;
}

// User items named like generated identifiers.
#[allow(non_camel_case_types, dead_code)]
enum __sites {
    A,
}
#[allow(dead_code)]
fn __value() -> u8 {
    2
}
#[allow(dead_code)]
fn run() {}
#[allow(dead_code)]
struct Frame;
#[allow(dead_code)]
type Result<T> = std::result::Result<T, String>;
#[allow(dead_code)]
type Option<T> = std::option::Option<T>;
#[allow(dead_code)]
fn catch_unwind() {}

#[with_defer]
fn user_names(ret: u32, frame: u32) -> u32 {
    #[allow(non_snake_case)]
    let __slot0 = 10;
    let __bits = 100;
    let slot = 1000;
    let __out = 10_000;
    let __frame = 100_000u32;
    let __marker = 0;
    let __sites = 0;
    let __value = 0;
    let _ = (__marker, __sites, __value);
    defer!(log(format!(
        "{ret} {frame} {__slot0} {__bits} {slot} {__out} {__frame}"
    )));
    defer!(|| log(format!("closure {ret} {frame} {__slot0} {slot}")));
    ret + frame + __slot0 + __bits + slot + __out + __frame
}

#[test]
fn locals_and_params_named_like_generated_ones() {
    assert_eq!(user_names(1, 2), 111_113);
    assert_eq!(
        take(),
        ["closure 1 2 10 1000", "1 2 10 100 1000 10000 100000"]
    );
}

#[with_defer]
fn ret_named_param_and_ret_closure(ret: i32) -> i32 {
    defer!(|ret| {
        if let Some(v) = ret {
            *v += 1;
        }
    });
    ret * 2
}

#[test]
fn ret_param_and_ret_closure_param() {
    assert_eq!(ret_named_param_and_ret_closure(5), 11);
}

#[with_defer]
fn user_result_alias(fail: bool) -> Result<Option<u8>> {
    errdefer!(|e| e.push('!'));
    defer!(|ret| {
        if let Some(Ok(Some(v))) = ret {
            *v += 1;
        }
    });
    if fail {
        Err("e".to_string())
    } else {
        Ok(Some(1))
    }
}

#[test]
fn user_aliases_named_result_and_option() {
    assert_eq!(user_result_alias(false), Ok(Some(2)));
    assert_eq!(user_result_alias(true), Err("e!".to_string()));
}

#[with_defer]
fn no_unused_mut_or_variables(mut a: Vec<u8>) -> usize {
    let mut local = vec![1u8];
    let shared = vec![2u8];
    let mut counter = 0u32;
    defer!(|| log(format!("{local:?} {shared:?} {counter}")));
    local.push(3);
    counter += 1;
    a.push(shared[0]);
    let copied = counter;
    if copied > 5 {
        return counter as usize;
    }
    a.len() + passed_along(&mut a, counter)
}

// Adopted `let mut` locals passed to calls (a held `&mut` reborrowed, a
// `Copy` value copied) expand without lints either.
#[with_defer]
fn passed_along(buf: &mut Vec<u8>, count: u32) -> usize {
    let mut target: &mut Vec<u8> = buf;
    let mut seen = count;
    defer!(|| log(format!("{target:?} {seen}")));
    seen += 1;
    extend_by(target, seen);
    extend_by(target, seen);
    target.len()
}

fn extend_by(buf: &mut Vec<u8>, count: u32) {
    buf.extend((0..count).map(|_| 0));
}

#[test]
fn no_warnings_for_adopted_bindings() {
    assert_eq!(no_unused_mut_or_variables(vec![]), 6);
    assert_eq!(take(), ["[2, 0, 0, 0, 0] 2", "[1, 3] [2] 1"]);
}

#[with_defer]
fn mut_used_only_by_deferred_code() {
    let mut v = Vec::<u8>::new();
    defer!(v.push(1));
}

#[with_defer]
fn recover_import_used() {
    defer!(|| {
        if let Some(p) = recover() {
            log(format!("recovered {p}"));
        }
    });
    std::panic::panic_any(String::from("r"));
}

#[test]
fn recover_is_used_and_mut_only_for_deferred_code() {
    common::quiet_panics();
    mut_used_only_by_deferred_code();
    recover_import_used();
    assert_eq!(take(), ["recovered r"]);
}

#[with_defer(allow(loop))]
fn loop_with_user_names(n: u32) -> u32 {
    let mut total = 0;
    for __sites in 0..n {
        defer!(log(format!("site {__sites}")));
        total += __sites;
    }
    total
}

#[test]
fn loop_frame_with_user_names() {
    assert_eq!(loop_with_user_names(3), 3);
    assert_eq!(take(), ["site 2", "site 1", "site 0"]);
}

struct S {
    frame: u32,
    ret: u32,
}

impl S {
    #[with_defer]
    fn fields_named_like_generated(&mut self) -> u32 {
        defer! { self.frame += 1; }
        self.ret += 1;
        self.ret
    }
}

#[test]
fn fields_named_frame_and_ret() {
    let mut s = S { frame: 0, ret: 0 };
    assert_eq!(s.fields_named_like_generated(), 1);
    assert_eq!(s.frame, 1);
}

/// A by-value `self` moved into the body (a branch never taken names it):
/// no warning, pedantic clippy included.
struct Owned<'a> {
    counts: &'a mut Vec<u32>,
    seen: u32,
}

impl<'a> Owned<'a> {
    #[with_defer]
    fn into_first(self) -> &'a mut u32 {
        defer!(log("into_first"));
        &mut self.counts[0]
    }

    #[with_defer]
    fn total(mut self, extra: u32) -> u32 {
        defer!(log("total"));
        self.seen += extra;
        self.counts.push(self.seen);
        self.counts.iter().sum()
    }
}

#[test]
fn a_by_value_self_moves_into_the_body() {
    let mut counts = vec![1, 2];
    *Owned {
        counts: &mut counts,
        seen: 0,
    }
    .into_first() += 10;
    let owned = Owned {
        counts: &mut counts,
        seen: 1,
    };
    assert_eq!(owned.total(3), 17);
    assert_eq!(take(), ["into_first", "total"]);
}

macro_rules! make_fn {
    ($name:ident, $x:ident) => {
        #[with_defer]
        fn $name($x: u32) -> u32 {
            defer!(log(format!("macro fn {}", $x)));
            $x + 1
        }
    };
}

make_fn!(from_macro, frame);

#[test]
fn function_generated_by_macro_rules() {
    assert_eq!(from_macro(1), 2);
    assert_eq!(take(), ["macro fn 1"]);
}

/// Documented function: docs and attributes are kept.
#[with_defer]
#[must_use]
#[inline]
pub fn attributes_kept(x: u32) -> u32 {
    defer!(log("attrs"));
    x
}

#[test]
fn doc_and_attributes_kept() {
    assert_eq!(attributes_kept(3), 3);
    assert_eq!(take(), ["attrs"]);
}

// Items in scope named like the generated locals used to break expansion:
// mixed-site hygiene hides locals but not items from `let` patterns (E0530).
// The generated names now carry a `__fndefer_` prefix.
mod items_named_like_generated_locals {
    use super::*;

    #[allow(non_upper_case_globals, dead_code)]
    static __frame: u8 = 1;
    #[allow(non_upper_case_globals, dead_code)]
    const __slot0: u8 = 2;
    #[allow(non_upper_case_globals, dead_code)]
    const __bits: u8 = 3;
    #[allow(non_camel_case_types, dead_code)]
    struct __marker;
    #[allow(non_camel_case_types, dead_code)]
    struct __out;

    #[with_defer(allow(loop))]
    fn with_items_in_scope(n: u32) -> u32 {
        defer!(log("static"));
        for i in 0..n {
            defer!(log(format!("loop {i}")));
        }
        n
    }

    #[test]
    fn items_do_not_clash_with_generated_locals() {
        assert_eq!(with_items_in_scope(1), 1);
        assert_eq!(take(), ["loop 0", "static"]);
    }
}

/// No clippy lint at the user's tokens from what the expansion adds: `&v`
/// of an adopted local (read through its lent-back reference), and Go's
/// deferred function literal `defer!(defer_scope!(|| ..)())`.
#[with_defer]
fn adopted_borrowed_and_literal() -> usize {
    let v = vec![1u8, 2];
    defer!(|| log(format!("len {}", v.len())));
    defer!(fndefer::defer_scope!(|| {
        defer!(log("literal's own defer".to_owned()));
        log("literal".to_owned());
    })());
    let r: &Vec<u8> = &v;
    r.len() + v.len()
}

#[test]
fn no_lints_from_adoption_or_literals() {
    assert_eq!(adopted_borrowed_and_literal(), 4);
    assert_eq!(take(), ["literal", "literal's own defer", "len 2"]);
}

/// Go's `func() { defer ..; .. }()` in a body, `defer_scope!(|| ..)()`: no
/// `redundant_closure_call` (the closure comes back through a function), and
/// an argument's type still reaches the closure from where it is passed.
fn called_literals() -> usize {
    fndefer::defer_scope!(|| {
        defer!(log("scope's defer".to_owned()));
        log("scope".to_owned());
    })();
    let lengths: Vec<usize> = ["a", "bc"]
        .iter()
        .map(fndefer::defer_scope!(|s| {
            defer!(log(format!("mapped {s}")));
            s.len()
        }))
        .collect();
    lengths.iter().sum()
}

#[test]
fn no_lints_from_called_literals() {
    assert_eq!(called_literals(), 3);
    assert_eq!(take(), ["scope", "scope's defer", "mapped a", "mapped bc"]);
}
