//! Names that are not fndefer's keep their meaning in a `#[with_defer]`
//! function: another crate's `defer!` (scopeguard's, imported in this file)
//! and a function of the user's called `recover` (issue 13). fndefer's own
//! macros are still reached by path.

mod common;
use common::{log, take};
use fndefer::with_defer;
use scopeguard::defer;

#[with_defer]
fn scopeguard_defer_in_a_block(early: bool) -> u32 {
    {
        defer!(log("scopeguard: block end"));
        log("in block");
    }
    log("after block");
    fndefer::defer!(log("fndefer: function end"));
    if early {
        return 1;
    }
    2
}

#[test]
fn another_crates_defer_runs_at_its_block_end() {
    assert_eq!(scopeguard_defer_in_a_block(true), 1);
    assert_eq!(
        take(),
        [
            "in block",
            "scopeguard: block end",
            "after block",
            "fndefer: function end"
        ]
    );
}

/// The user's own `recover`, unrelated to panics.
fn recover() -> u32 {
    7
}

#[with_defer]
fn calls_its_own_recover() -> u32 {
    fndefer::defer!(|| log(format!("deferred: {}", recover())));
    let got = recover();
    got + 1
}

#[with_defer]
fn fndefer_recover_by_path() -> &'static str {
    fndefer::defer!(|ret| if fndefer::recover().is_some() {
        *ret = Some("recovered");
    });
    panic!("boom");
}

#[test]
fn a_function_named_recover_is_the_users() {
    assert_eq!(calls_its_own_recover(), 8);
    assert_eq!(take(), ["deferred: 7"]);
    assert_eq!(fndefer_recover_by_path(), "recovered");
}
