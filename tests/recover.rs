//! `recover()` and `fndefer::Panic`.

mod common;
use common::{log, panic_message, quiet_panics, take};
use fndefer::{Panic, defer, recover, with_defer};
use std::panic::{catch_unwind, panic_any};

#[with_defer]
fn stops_panic() {
    defer!(log("runs after recover"));
    defer!(|| {
        if let Some(p) = recover() {
            log(format!("recovered {p}"));
        }
    });
    defer!(log("runs before recover"));
    panic!("boom");
}

#[test]
fn recover_in_deferred_code_stops_the_panic() {
    quiet_panics();
    stops_panic();
    assert_eq!(
        take(),
        [
            "runs before recover",
            "recovered boom",
            "runs after recover"
        ]
    );
}

#[with_defer]
fn block_form_recover() -> i32 {
    defer! {
        let p = recover();
        log(format!("block got {:?}", p.map(|p| p.to_string())));
    }
    defer!(|ret| {
        if recover().is_some() {
            *ret = Some(-1);
        }
    });
    panic!("in body");
}

#[test]
fn recover_in_ret_closure_and_second_recover_gets_none() {
    quiet_panics();
    assert_eq!(block_form_recover(), -1);
    assert_eq!(take(), ["block got None"]);
}

#[with_defer]
fn not_panicking() -> i32 {
    defer!(|| log(format!("not panicking: {}", recover().is_none())));
    1
}

#[test]
fn recover_returns_none_when_not_panicking() {
    assert_eq!(not_panicking(), 1);
    assert_eq!(take(), ["not panicking: true"]);
}

#[with_defer]
fn cleanup_called_while_outer_panics() {
    defer!(|| log(format!("inner recover: {:?}", recover())));
    log("inner body");
}

#[with_defer]
fn outer_panics_calls_helper_from_defer() {
    defer!(cleanup_called_while_outer_panics());
    panic!("outer");
}

#[test]
fn recover_is_none_in_a_function_called_while_an_outer_one_panics() {
    quiet_panics();
    assert_eq!(panic_message(outer_panics_calls_helper_from_defer), "outer");
    assert_eq!(take(), ["inner body", "inner recover: None"]);
}

#[with_defer]
fn inner_ok() -> i32 {
    defer!(|| log(format!("inner_ok recover none: {}", recover().is_none())));
    7
}

#[with_defer]
fn only_outer_panics() -> i32 {
    defer!(|ret| {
        if let Some(p) = recover() {
            log(format!("outer recovered {p}"));
            *ret = Some(0);
        }
    });
    let v = inner_ok();
    if v == 7 {
        panic!("outer after inner");
    }
    v
}

#[test]
fn nested_frames_where_only_the_outer_panics() {
    quiet_panics();
    assert_eq!(only_outer_panics(), 0);
    assert_eq!(
        take(),
        [
            "inner_ok recover none: true",
            "outer recovered outer after inner"
        ]
    );
}

#[with_defer]
fn inner_panics() -> i32 {
    defer!(log("inner deferred"));
    panic!("inner");
}

#[with_defer]
fn outer_recovers_inner() -> i32 {
    defer!(|ret| {
        if let Some(p) = recover() {
            *ret = Some(p.message().unwrap().len() as i32);
        }
    });
    inner_panics() + 1
}

#[test]
fn outer_recovers_a_panic_from_an_inner_frame() {
    quiet_panics();
    assert_eq!(outer_recovers_inner(), 5);
    assert_eq!(take(), ["inner deferred"]);
}

#[with_defer]
fn unit_recovers() {
    defer!(|| {
        let _ = recover();
    });
    panic!("unit");
}

#[with_defer]
fn value_recovers_without_ret() -> u8 {
    defer!(|| {
        let _ = recover();
    });
    panic!("value");
}

/// No `Default`: no zero value to return.
struct NoZero;

#[with_defer]
fn no_zero_recovers_without_ret() -> NoZero {
    defer!(|| {
        let _ = recover();
    });
    panic!("value");
}

#[with_defer]
fn generic_default_recovers<T: Default>() -> (Vec<T>, bool, String) {
    defer!(|| {
        let _ = recover();
    });
    panic!("generic");
}

#[with_defer]
fn generic_without_bound_recovers<T>(_: T) -> T {
    defer!(|| {
        let _ = recover();
    });
    panic!("generic");
}

/// A written type whose name only contains `impl`.
#[derive(Debug, Default, PartialEq)]
struct SimpleImplication(u8);

#[with_defer]
fn impl_in_a_type_name_recovers() -> SimpleImplication {
    defer!(|| {
        let _ = recover();
    });
    panic!("value");
}

/// After a `recover()` that leaves `ret` as `None`, a function returns its
/// type's `Default` as Go returns zero values (issue 14.4); a type without
/// one resumes the panic naming the function. A generic `T` gets the
/// default only when its bounds say `T: Default`.
#[test]
fn after_recover_without_ret_a_function_returns_its_zero_value() {
    quiet_panics();
    unit_recovers();
    assert_eq!(value_recovers_without_ret(), 0);
    assert_eq!(
        generic_default_recovers::<u8>(),
        (vec![], false, String::new())
    );
    let msg = panic_message(no_zero_recovers_without_ret);
    assert!(msg.contains("no_zero_recovers_without_ret"), "{msg}");
    // `impl` as part of a name is not `impl Trait`.
    assert_eq!(impl_in_a_type_name_recovers(), SimpleImplication(0));
    let msg = panic_message(|| generic_without_bound_recovers(1u8));
    assert!(msg.contains("generic_without_bound_recovers"), "{msg}");
}

#[with_defer]
fn repanics() {
    defer!(|| {
        if let Some(p) = recover() {
            panic!("re: {p}");
        }
    });
    panic!("orig");
}

#[with_defer]
fn resumes() {
    defer!(log("after resume"));
    defer!(|| {
        if let Some(p) = recover() {
            log("resuming");
            p.resume();
        }
    });
    panic_any(42u64);
}

#[test]
fn re_panic_after_recover() {
    quiet_panics();
    assert_eq!(panic_message(repanics), "re: orig");
    let err = catch_unwind(resumes).unwrap_err();
    assert_eq!(err.downcast_ref::<u64>(), Some(&42));
    assert_eq!(take(), ["resuming", "after resume"]);
}

fn boom(msg: &str) {
    panic!("{msg}");
}

#[with_defer]
fn newest_panic() -> String {
    defer!(|ret| {
        if let Some(p) = recover() {
            *ret = Some(p.to_string());
        }
    });
    defer!(boom("second"));
    panic!("first");
}

#[with_defer]
fn deferred_panic_on_normal_exit() -> String {
    defer!(|ret| {
        log(format!("ret before recover {ret:?}"));
        if let Some(p) = recover() {
            *ret = Some(format!("recovered {p}"));
        }
    });
    defer!(boom("late"));
    "normal".to_string()
}

#[test]
fn recover_gets_the_newest_panic() {
    quiet_panics();
    assert_eq!(newest_panic(), "second");
    assert_eq!(deferred_panic_on_normal_exit(), "recovered late");
    // A panicking deferred call does not clear the result slot.
    assert_eq!(take(), ["ret before recover Some(\"normal\")"]);
}

fn helper() -> Option<Panic> {
    recover()
}

#[with_defer]
fn recover_in_helper_and_nested_closure() {
    defer!(|| {
        log(format!("helper: {:?}", helper().is_none()));
        let nested = || recover();
        log(format!("nested closure: {:?}", nested().is_none()));
        log(format!("path: {:?}", fndefer::recover().is_some()));
    });
    panic!("p");
}

#[test]
fn recover_in_helper_or_nested_closure_returns_none() {
    quiet_panics();
    // `fndefer::recover()` written directly in deferred code does recover.
    recover_in_helper_and_nested_closure();
    assert_eq!(
        take(),
        ["helper: true", "nested closure: true", "path: true"]
    );
}

#[with_defer]
fn only_helpers_try() {
    defer!(|| log(format!("helper: {:?}", helper().is_none())));
    panic!("still panicking");
}

#[test]
fn helper_recover_does_not_stop_the_panic() {
    quiet_panics();
    assert_eq!(panic_message(only_helpers_try), "still panicking");
    assert_eq!(take(), ["helper: true"]);
}

fn log_panic(p: Option<Panic>) {
    log(format!("handler got {:?}", p.map(|p| p.to_string())));
}

#[with_defer]
fn reusable_handler() {
    defer!(|| log_panic(recover()));
    panic!("handled");
}

#[test]
fn reusable_handler_takes_the_value() {
    quiet_panics();
    reusable_handler();
    assert_eq!(take(), ["handler got Some(\"handled\")"]);
}

#[test]
fn recover_outside_deferred_code_is_none() {
    assert!(fndefer::recover().is_none());
}

#[derive(Debug, PartialEq)]
struct Code(i32);

#[with_defer]
fn catch(f: fn()) -> Option<Panic> {
    defer!(|ret| *ret = Some(recover()));
    f();
    None
}

#[test]
fn panic_api() {
    quiet_panics();
    let p = catch(|| panic!("static str")).unwrap();
    assert_eq!(p.to_string(), "static str");
    assert_eq!(p.message(), Some("static str"));
    assert_eq!(format!("{p:?}"), "Panic(\"static str\")");
    assert_eq!(p.downcast_ref::<&str>(), Some(&"static str"));

    let p = catch(|| panic!("formatted {}", std::hint::black_box(1))).unwrap();
    assert_eq!(p.to_string(), "formatted 1");
    assert_eq!(p.message(), Some("formatted 1"));
    assert_eq!(
        p.downcast_ref::<String>().map(String::as_str),
        Some("formatted 1")
    );

    let p = catch(|| panic_any(Code(3))).unwrap();
    assert_eq!(p.to_string(), "Box<dyn Any>");
    assert_eq!(p.message(), None);
    assert_eq!(format!("{p:?}"), "Panic(Box<dyn Any>)");
    assert_eq!(p.downcast_ref::<Code>(), Some(&Code(3)));
    assert_eq!(p.downcast_ref::<String>(), None);
    let payload = p.into_payload();
    assert_eq!(payload.downcast_ref::<Code>(), Some(&Code(3)));

    let p = catch(|| panic_any(Code(4))).unwrap();
    let err = catch_unwind(std::panic::AssertUnwindSafe(move || p.resume())).unwrap_err();
    assert_eq!(err.downcast_ref::<Code>(), Some(&Code(4)));

    assert!(catch(|| ()).is_none());

    let p = Panic::from_payload(Box::new(String::from("made")));
    assert_eq!(p.to_string(), "made");
}

#[with_defer(allow(loop))]
fn recover_in_dynamic_frame(n: i32) -> i32 {
    defer!(|ret| {
        if let Some(p) = recover() {
            *ret = Some(p.message().map_or(0, str::len) as i32);
        }
    });
    for i in 0..n {
        defer!(log(format!("loop {i}")));
    }
    panic!("1234");
}

#[test]
fn recover_in_a_dynamic_frame() {
    quiet_panics();
    assert_eq!(recover_in_dynamic_frame(2), 4);
    assert_eq!(take(), ["loop 1", "loop 0"]);
}

/// `recover()` in a closure nested in deferred code is not called directly by
/// the deferred call: `None`, as in Go, whether or not the closure sits in a
/// macro's input (review §2.10.1: the token path used to recover there).
#[with_defer]
fn recover_in_nested_closure() {
    defer!(|| {
        let r = (|| recover())();
        log(format!("nested closure: {}", r.is_some()));
    });
    panic!("x");
}

#[with_defer]
fn recover_in_nested_closure_in_macro_input() {
    defer!(|| {
        log(format!(
            "nested closure in macro: {}",
            (|| recover())().is_some()
        ));
    });
    panic!("y");
}

#[test]
fn recover_in_a_nested_closure_is_none_inside_and_outside_macro_input() {
    quiet_panics();
    assert_eq!(panic_message(recover_in_nested_closure), "x");
    assert_eq!(panic_message(recover_in_nested_closure_in_macro_input), "y");
    assert_eq!(
        take(),
        ["nested closure: false", "nested closure in macro: false"]
    );
}

/// Go's reusable recover handlers (issue 14.2): a function or method
/// deferred directly, or called by a `|ret|` closure, that calls
/// `recover()` itself stops the panic (Go's `defer HandleCrash()`,
/// `defer p.catchPanic(verb)`, `defer errRecover(&err)`).
fn handle_crash() {
    if let Some(p) = recover() {
        log(format!("handled: {p}"));
    }
}

struct Printer {
    verb: &'static str,
}

impl Printer {
    fn catch_panic(&self, arg: &str) {
        if let Some(p) = recover() {
            log(format!("%!{}(PANIC={p}) for {arg}", self.verb));
        }
    }
}

fn err_recover(ret: &mut Option<Result<u32, String>>) {
    if let Some(p) = recover() {
        *ret = Some(Err(format!("template: {p}")));
    }
}

#[with_defer]
fn crashes() {
    defer!(handle_crash());
    panic!("crash");
}

#[with_defer]
fn prints(p: &Printer) {
    defer!(p.catch_panic("arg"));
    panic!("bad verb");
}

#[with_defer]
fn executes(fail: bool) -> Result<u32, String> {
    defer!(|ret| err_recover(ret));
    if fail {
        panic!("unexpected EOF");
    }
    Ok(1)
}

#[with_defer]
fn helper_called_from_a_plain_closure() {
    defer!(|| handle_crash());
    panic!("not for the helper");
}

#[test]
fn handlers_that_call_recover_themselves_stop_the_panic() {
    quiet_panics();
    crashes();
    prints(&Printer { verb: "d" });
    assert_eq!(executes(true), Err("template: unexpected EOF".to_owned()));
    assert_eq!(executes(false), Ok(1));
    assert_eq!(take(), ["handled: crash", "%!d(PANIC=bad verb) for arg"]);
    // From inside a `defer!(|| ..)` closure a helper sees no panic, as in Go.
    assert_eq!(
        panic_message(helper_called_from_a_plain_closure),
        "not for the helper"
    );
    assert!(take().is_empty());
}

/// A handler with deferred calls of its own (Go's h2 `notePanic`: lock,
/// `defer Unlock()`, then `recover()` in its body) stops the panic of the
/// function that deferred it; `body_recover` says what a body's `recover()`
/// does, and the handler allows it.
#[with_defer(allow(body_recover))]
fn note_panic() {
    defer!(log("unlock"));
    log("lock");
    if let Some(p) = recover() {
        log(format!("noted {p}"));
    }
}

#[with_defer]
fn serves() {
    defer!(note_panic());
    panic!("handler");
}

#[test]
fn a_handler_with_its_own_defers_recovers_in_its_body() {
    quiet_panics();
    serves();
    assert_eq!(take(), ["lock", "noted handler", "unlock"]);
}

/// A handler deferred first stops a panic that starts in a later deferred
/// call, while the body itself returned normally (Go: `defer handleCrash()`
/// then `defer func() { panic(..) }()`); a handler in a nested function's
/// deferred call does not take the outer function's panic once that one
/// is being handled.
#[with_defer]
fn panic_in_a_deferred_call_reaches_an_earlier_handler() -> u32 {
    defer!(handle_crash());
    defer!(|| panic!("from a deferred call"));
    log("body");
    7
}

#[with_defer]
fn inner_handler_sees_its_own_panic_only() {
    defer!(handle_crash());
    log("inner body");
}

#[with_defer]
fn outer_panics_inner_runs_in_its_handler() {
    defer!(handle_crash());
    defer!(|| inner_handler_sees_its_own_panic_only());
    panic!("outer");
}

#[test]
fn handlers_see_panics_started_by_deferred_calls() {
    quiet_panics();
    assert_eq!(panic_in_a_deferred_call_reaches_an_earlier_handler(), 7);
    assert_eq!(take(), ["body", "handled: from a deferred call"]);
    outer_panics_inner_runs_in_its_handler();
    assert_eq!(take(), ["inner body", "handled: outer"]);
}

/// A deferred call that panics while its function panics (in a dynamic
/// frame's drain) still restores the outer function's published panic, so
/// the outer handler recovers it.
#[with_defer(allow(loop))]
fn inner_drain_panics() {
    for i in 0..2 {
        defer!(|| if i == 0 {
            panic!("in drain")
        });
    }
    panic!("inner");
}

fn outer_handler() {
    let inner = std::panic::catch_unwind(inner_drain_panics);
    log(format!(
        "inner: {}",
        Panic::from_payload(inner.unwrap_err())
    ));
    if let Some(p) = recover() {
        log(format!("outer handler recovered {p}"));
    }
}

#[with_defer]
fn outer_with_handler() {
    defer!(outer_handler());
    panic!("outer");
}

#[test]
fn a_panic_in_a_drain_keeps_the_outer_published_panic() {
    quiet_panics();
    outer_with_handler();
    assert_eq!(take(), ["inner: in drain", "outer handler recovered outer"]);
}
