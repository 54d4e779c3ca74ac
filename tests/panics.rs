//! Panics: deferred calls run, the payload propagates unchanged, a panicking
//! deferred call replaces the panic in flight, and nothing aborts.

mod common;
use common::{log, panic_message, quiet_panics, take};
use fndefer::{defer, with_defer};
use std::panic::{AssertUnwindSafe, catch_unwind, panic_any};

#[derive(Debug, PartialEq)]
struct Custom(u32);

#[with_defer]
fn body_panics(payload: u32) -> i32 {
    defer!(log("first"));
    defer!(log("second"));
    log("body");
    panic_any(Custom(payload));
}

#[test]
fn body_panic_runs_defers_then_propagates_same_payload() {
    quiet_panics();
    let err = catch_unwind(|| body_panics(7)).unwrap_err();
    assert_eq!(err.downcast_ref::<Custom>(), Some(&Custom(7)));
    assert_eq!(take(), ["body", "second", "first"]);
}

#[with_defer]
fn str_panic() {
    defer!(log("deferred"));
    panic!("static message");
}

#[with_defer]
fn string_panic(n: i32) {
    defer!(log("deferred"));
    panic!("formatted {n}");
}

#[test]
fn str_and_string_payloads_propagate() {
    quiet_panics();
    let err = catch_unwind(str_panic).unwrap_err();
    assert_eq!(err.downcast_ref::<&str>(), Some(&"static message"));
    let err = catch_unwind(|| string_panic(3)).unwrap_err();
    assert_eq!(
        err.downcast_ref::<String>().map(String::as_str),
        Some("formatted 3")
    );
    assert_eq!(take(), ["deferred", "deferred"]);
}

#[with_defer]
fn deferred_replaces(body: bool) {
    defer!(log("last to run"));
    defer!(panic_any(Custom(2)));
    defer!(log("between"));
    defer!(panic_any(Custom(1)));
    if body {
        panic_any(Custom(0));
    }
}

#[test]
fn panic_in_deferred_call_replaces_current_and_rest_still_run() {
    quiet_panics();
    let err = catch_unwind(|| deferred_replaces(true)).unwrap_err();
    assert_eq!(err.downcast_ref::<Custom>(), Some(&Custom(2)));
    assert_eq!(take(), ["between", "last to run"]);
}

#[test]
fn panic_in_deferred_call_starts_a_panic() {
    quiet_panics();
    let err = catch_unwind(|| deferred_replaces(false)).unwrap_err();
    assert_eq!(err.downcast_ref::<Custom>(), Some(&Custom(2)));
    assert_eq!(take(), ["between", "last to run"]);
}

#[with_defer]
fn deferred_panic_on_normal_return() -> i32 {
    defer!(log("runs after the panicking one"));
    defer! {
        log("about to panic");
        boom("from deferred block");
    }
    log("body");
    5
}

/// Panics, typed `()` rather than `!` (see bug B4 below).
fn boom(msg: &str) {
    panic!("{msg}");
}

fn boom_any(payload: Custom) {
    panic_any(payload);
}

#[test]
fn deferred_block_panic_turns_return_into_panic() {
    quiet_panics();
    assert_eq!(
        panic_message(deferred_panic_on_normal_return),
        "from deferred block"
    );
    assert_eq!(
        take(),
        ["body", "about to panic", "runs after the panicking one"]
    );
}

#[with_defer(allow(loop))]
fn many_panicking(n: u32) {
    for i in 0..n {
        defer!(|| {
            log(format!("d{i}"));
            boom_any(Custom(i));
        });
    }
    panic!("body");
}

#[test]
fn never_aborts_when_several_defers_panic() {
    quiet_panics();
    let err = catch_unwind(|| many_panicking(20)).unwrap_err();
    // The last deferred call to run is the first queued: its panic wins.
    assert_eq!(err.downcast_ref::<Custom>(), Some(&Custom(0)));
    let expected: Vec<String> = (0..20).rev().map(|i| format!("d{i}")).collect();
    assert_eq!(take(), expected);
}

struct PanicsOnDrop(&'static str);
impl Drop for PanicsOnDrop {
    fn drop(&mut self) {
        log(format!("drop {}", self.0));
        panic!("drop panic {}", self.0);
    }
}

#[with_defer]
fn payload_that_panics_on_drop() {
    defer!(log("last"));
    defer!(panic!("replacement"));
    panic_any(PanicsOnDrop("payload"));
}

#[test]
fn replacing_a_payload_whose_drop_panics_does_not_abort() {
    quiet_panics();
    assert_eq!(panic_message(payload_that_panics_on_drop), "replacement");
    assert_eq!(take(), ["drop payload", "last"]);
}

#[with_defer]
fn inner(tag: &'static str, panic: bool) -> i32 {
    defer!(log(format!("inner {tag}")));
    if panic {
        panic!("inner {tag}");
    }
    1
}

#[with_defer]
fn outer(panic: bool) -> i32 {
    defer!(log("outer"));
    let a = inner("a", false);
    defer!(log("outer 2"));
    a + inner("b", panic)
}

#[test]
fn panic_unwinds_through_nested_frames() {
    quiet_panics();
    assert_eq!(outer(false), 2);
    assert_eq!(take(), ["inner a", "inner b", "outer 2", "outer"]);
    assert_eq!(panic_message(|| outer(true)), "inner b");
    assert_eq!(take(), ["inner a", "inner b", "outer 2", "outer"]);
}

#[with_defer(allow(loop))]
fn panic_in_loop_body(n: i32) {
    for i in 0..n {
        #[allow(clippy::manual_assert)]
        if i == 2 {
            panic!("at {i}");
        }
        defer!(log(format!("loop {i}")));
    }
}

#[test]
fn panic_mid_loop_runs_queued_defers() {
    quiet_panics();
    assert_eq!(panic_message(|| panic_in_loop_body(5)), "at 2");
    assert_eq!(take(), ["loop 1", "loop 0"]);
}

#[with_defer]
fn panicking_deferred_method(v: &mut Vec<i32>) {
    defer!(v.push(3));
    defer! {
        v.push(2);
        boom("block");
    }
    v.push(1);
}

#[test]
fn state_changes_before_and_after_a_deferred_panic_are_kept() {
    quiet_panics();
    let mut v = vec![];
    let msg = panic_message(AssertUnwindSafe(|| panicking_deferred_method(&mut v)));
    assert_eq!(msg, "block");
    assert_eq!(v, [1, 2, 3]);
}

// Deferred code may end in a diverging expression (was fndefer bug B4).
mod diverging_deferred_code {
    use super::*;

    #[with_defer]
    fn block_ends_in_panic() -> i32 {
        defer!(log("still runs"));
        defer! {
            log("about to panic");
            panic!("from deferred block");
        }
        5
    }

    #[with_defer]
    fn closure_ends_in_panic_any() {
        defer!(|| {
            log("closure");
            panic_any(Custom(9));
        });
    }

    #[test]
    fn deferred_code_may_end_in_a_panic() {
        quiet_panics();
        assert_eq!(panic_message(block_ends_in_panic), "from deferred block");
        assert_eq!(take(), ["about to panic", "still runs"]);
        let err = catch_unwind(closure_ends_in_panic_any).unwrap_err();
        assert_eq!(err.downcast_ref::<Custom>(), Some(&Custom(9)));
        assert_eq!(take(), ["closure"]);
    }
}

/// Bodies that never return normally: a `loop` left only by a panic, and a
/// function with a return type whose body ends in `panic!`.
mod diverging_bodies {
    use super::*;

    #[with_defer]
    fn loops_until_panic(n: u32) {
        defer!(log("diverged"));
        let mut i = 0;
        loop {
            i += 1;
            if i == n {
                panic!("stop at {n}");
            }
        }
    }

    #[with_defer]
    fn always_panics() -> i32 {
        defer!(log("always"));
        panic!("always")
    }

    #[test]
    fn deferred_calls_run_and_the_panic_continues() {
        common::quiet_panics();
        assert_eq!(panic_message(|| loops_until_panic(3)), "stop at 3");
        assert_eq!(panic_message(always_panics), "always");
        assert_eq!(take(), ["diverged", "always"]);
    }
}
