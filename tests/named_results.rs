//! `defer!(|ret| ..)`: Go's named results. `ret` is `Some(value)` after a
//! normal or `?` return, `None` while panicking; the function returns what it
//! holds after the last deferred call.

mod common;
use common::{log, panic_message, quiet_panics, take};
use fndefer::{defer, recover, with_defer};

fn parse(s: &str) -> Result<i32, String> {
    s.parse::<i32>().map_err(|e| e.to_string())
}

#[with_defer]
fn wraps_errors(a: &str) -> Result<i32, String> {
    defer!(|ret| {
        if let Some(Err(e)) = ret {
            *e = format!("parsing {a:?}: {e}");
        }
    });
    let v = parse(a)?;
    if v < 0 {
        return Err("negative".into());
    }
    Ok(v)
}

#[test]
fn error_wrapping() {
    assert_eq!(wraps_errors("5"), Ok(5));
    assert_eq!(
        wraps_errors("x"),
        Err("parsing \"x\": invalid digit found in string".to_string())
    );
    assert_eq!(
        wraps_errors("-1"),
        Err("parsing \"-1\": negative".to_string())
    );
}

#[with_defer]
fn doubles() -> i32 {
    defer!(|ret| log(format!("outer sees {ret:?}")));
    defer!(|ret| {
        if let Some(v) = ret {
            *v *= 2;
        }
    });
    defer!(|ret| log(format!("inner sees {ret:?}")));
    21
}

#[test]
fn lifo_ret_closures_see_each_others_changes() {
    assert_eq!(doubles(), 42);
    assert_eq!(take(), ["inner sees Some(21)", "outer sees Some(42)"]);
}

#[with_defer]
fn replaces(ok: bool) -> Option<&'static str> {
    defer!(|ret| *ret = Some(Some("replaced")));
    if ok { Some("orig") } else { None }
}

#[test]
fn ret_replaced_wholesale() {
    assert_eq!(replaces(true), Some("replaced"));
    assert_eq!(replaces(false), Some("replaced"));
}

#[with_defer]
fn none_while_panicking() -> i32 {
    defer!(|ret| log(format!("ret while panicking {ret:?}")));
    panic!("p");
}

#[test]
fn ret_is_none_while_panicking() {
    quiet_panics();
    assert_eq!(panic_message(none_while_panicking), "p");
    assert_eq!(take(), ["ret while panicking None"]);
}

#[with_defer]
fn setting_ret_does_not_stop_a_panic() -> i32 {
    defer!(|ret| *ret = Some(1));
    panic!("still");
}

#[test]
fn ret_without_recover_keeps_panicking() {
    quiet_panics();
    assert_eq!(panic_message(setting_ret_does_not_stop_a_panic), "still");
}

#[with_defer]
fn recovered_value(div: i32) -> Result<i32, String> {
    defer!(|ret| {
        if let Some(p) = recover() {
            *ret = Some(Err(format!("recovered: {p}")));
        }
    });
    Ok(10 / div)
}

#[test]
fn recovered_value_becomes_the_result() {
    quiet_panics();
    assert_eq!(recovered_value(2), Ok(5));
    assert_eq!(
        recovered_value(0),
        Err("recovered: attempt to divide by zero".to_string())
    );
}

#[with_defer]
fn ret_set_then_recovered_elsewhere() -> i32 {
    defer!(|| {
        let _ = recover();
    });
    defer!(|ret| *ret = Some(99));
    panic!("x");
}

#[test]
fn ret_set_by_one_defer_recovered_by_another() {
    quiet_panics();
    assert_eq!(ret_set_then_recovered_elsewhere(), 99);
}

#[with_defer]
fn picks_reference<'a>(v: &'a [i32], fallback: &'a i32) -> &'a i32 {
    defer!(|ret| {
        if let Some(r) = ret
            && **r < 0
        {
            *r = fallback;
        }
    });
    &v[0]
}

#[with_defer]
fn static_str(n: u8) -> &'static str {
    defer!(|ret| {
        if ret.is_none() && recover().is_some() {
            *ret = Some("recovered");
        }
    });
    ["zero", "one"][n as usize]
}

#[test]
fn references_as_results() {
    quiet_panics();
    let fallback = 0;
    assert_eq!(*picks_reference(&[5], &fallback), 5);
    assert!(std::ptr::eq(picks_reference(&[-5], &fallback), &fallback));
    assert_eq!(static_str(1), "one");
    assert_eq!(static_str(7), "recovered");
}

struct Holder {
    items: Vec<i32>,
    reads: u32,
}

impl Holder {
    #[with_defer]
    fn get_mut(&mut self, i: usize) -> Option<&mut i32> {
        defer!(|ret| {
            if let Some(Some(v)) = ret {
                **v += 100;
            }
        });
        defer! { self.reads += 1; }
        self.items.get_mut(i)
    }
}

#[test]
fn mut_reference_result_modified_by_ret() {
    let mut h = Holder {
        items: vec![1, 2],
        reads: 0,
    };
    *h.get_mut(1).unwrap() += 1;
    assert!(h.get_mut(5).is_none());
    assert_eq!(h.items, [1, 103]);
    assert_eq!(h.reads, 2);
}

#[with_defer]
fn move_ret(mut p: i32) -> i32 {
    defer!(move |ret| {
        if let Some(v) = ret {
            *v += p;
        }
    });
    p = 1000;
    p
}

#[test]
fn move_ret_closure_captures_now() {
    assert_eq!(move_ret(5), 1005);
}

#[with_defer]
fn unit_ret() {
    defer!(|ret| log(format!("unit ret {ret:?}")));
}

#[test]
fn unit_function_ret() {
    unit_ret();
    assert_eq!(take(), ["unit ret Some(())"]);
}

#[with_defer(allow(loop))]
fn ret_in_dynamic_frame(n: i32) -> i32 {
    for i in 0..n {
        defer!(move |ret| {
            if let Some(v) = ret {
                *v = *v * 10 + i;
            }
        });
    }
    0
}

#[test]
fn ret_closures_in_a_loop() {
    // LIFO: i = 2, then 1, then 0.
    assert_eq!(ret_in_dynamic_frame(3), 210);
}

#[with_defer]
fn ret_sees_param_final_state(mut count: u32) -> u32 {
    defer!(|ret| {
        if let Some(v) = ret {
            *v += count;
        }
    });
    count = 7;
    1
}

#[test]
fn ret_closure_sees_parameters_at_exit() {
    assert_eq!(ret_sees_param_final_state(0), 8);
}

#[with_defer]
fn ret_with_adopted_local() -> Vec<String> {
    let mut extra = String::from("a");
    defer!(|ret| {
        if let Some(v) = ret {
            v.push(extra.clone());
        }
    });
    extra.push('b');
    vec!["x".to_string()]
}

#[test]
fn ret_closure_adopts_locals() {
    assert_eq!(ret_with_adopted_local(), ["x", "ab"]);
}

#[with_defer]
fn ret_cleared_panics_naming_fn() -> i32 {
    defer!(|ret| *ret = None);
    1
}

struct NoZero;

#[with_defer]
fn ret_cleared_without_zero() -> NoZero {
    defer!(|ret| *ret = None);
    NoZero
}

#[test]
fn clearing_ret_on_normal_return() {
    // A `None` result with no panic in flight is treated like a recovered
    // panic without a result: the zero value, or a panic naming the function.
    quiet_panics();
    assert_eq!(ret_cleared_panics_naming_fn(), 0);
    let msg = panic_message(ret_cleared_without_zero);
    assert!(msg.contains("ret_cleared_without_zero"), "{msg}");
}

/// Go's named results (issue 14.3): `#[with_defer(named(..))]`.
mod named {
    use super::*;

    #[derive(Debug, PartialEq)]
    struct Error(String);

    /// The body assigns the names, deferred code reads and changes them.
    #[with_defer(named(val, err))]
    fn lookup(key: &str) -> (String, Option<Error>) {
        defer!(|| if let Some(e) = &mut err {
            e.0 = format!("lookup {key}: {}", e.0);
        });
        if key.is_empty() {
            err = Some(Error("empty key".into()));
            return;
        }
        val = key.to_uppercase();
    }

    /// `return (a, b)` sets them, then the deferred calls run.
    #[with_defer(named(n, ok))]
    fn parse(s: &str) -> (u32, bool) {
        defer!(|| log(format!("parse {s}: {n} {ok}")));
        match s.parse() {
            Ok(v) => return (v, true),
            Err(_) => return (0, false),
        }
    }

    /// Values set before a panic are returned after a recover (fmt's
    /// `handled = true`), and deferred code can set the result of a
    /// panicking call (go/parser).
    #[with_defer(named(handled))]
    fn catch(fail: bool) -> bool {
        defer!(|| if recover().is_some() {
            log(format!("recovered, handled = {handled}"));
        });
        handled = true;
        if fail {
            panic!("verb");
        }
        handled = false;
    }

    #[with_defer(named(count, err))]
    fn read_all(parts: &[&str]) -> (usize, Option<String>) {
        defer!(|| if let Some(p) = recover() {
            err = Some(format!("read: {p}"));
        });
        for part in parts {
            if part.is_empty() {
                panic!("empty part");
            }
            count += part.len();
        }
    }

    /// A value the body ends with sets the result.
    #[with_defer(named(total))]
    fn sum(xs: &[u32]) -> u32 {
        defer!(|| total *= 2);
        xs.iter().sum()
    }

    #[test]
    fn named_results_port_go() {
        quiet_panics();
        assert_eq!(lookup("go"), ("GO".to_string(), None));
        assert_eq!(
            lookup(""),
            (String::new(), Some(Error("lookup : empty key".into())))
        );
        assert_eq!(parse("12"), (12, true));
        assert_eq!(parse("x"), (0, false));
        assert_eq!(take(), ["parse 12: 12 true", "parse x: 0 false"]);
        assert!(catch(true));
        assert!(!catch(false));
        assert_eq!(take(), ["recovered, handled = true"]);
        assert_eq!(read_all(&["ab", "c"]), (3, None));
        assert_eq!(
            read_all(&["ab", "", "c"]),
            (2, Some("read: empty part".to_string()))
        );
        assert_eq!(sum(&[1, 2]), 6);
    }
}

/// `return (m, None)` where `m` is itself a named result (Go's `return m,
/// nil`): the name is returned as it is, not moved.
#[with_defer(named(m, err))]
fn returns_its_own_name(fail: bool) -> (Option<String>, Option<String>) {
    defer!(|| if err.is_some() {
        m = None;
    });
    m = Some("module".to_string());
    if fail {
        return (m, Some("corrupt".to_string()));
    }
    return (m, None);
}

#[test]
fn returning_a_named_result_by_its_name() {
    assert_eq!(returns_its_own_name(false), (Some("module".into()), None));
    assert_eq!(returns_its_own_name(true), (None, Some("corrupt".into())));
}
