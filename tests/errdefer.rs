//! `errdefer!`: runs only when the function fails (returns `Err`/`None`) or
//! panics; `errdefer!(|e| ..)` gets the error, only on an `Err`/`None` return.

mod common;
use common::{log, panic_message, quiet_panics, take};
use fndefer::{defer, errdefer, recover, with_defer};
use std::io;

#[with_defer]
fn result_fn(fail: bool) -> Result<u8, String> {
    defer!(log("always"));
    errdefer!(log("rollback"));
    if fail {
        return Err("bad".into());
    }
    Ok(1)
}

#[test]
fn result_err_runs_ok_does_not() {
    assert_eq!(result_fn(false), Ok(1));
    assert_eq!(take(), ["always"]);
    assert_eq!(result_fn(true), Err("bad".into()));
    assert_eq!(take(), ["rollback", "always"]);
}

#[with_defer]
fn option_fn(v: Option<u8>) -> Option<u8> {
    errdefer!(log("none"));
    errdefer!(|e| {
        let () = *e;
        log("none with unit error");
    });
    let x = v?;
    Some(x + 1)
}

#[test]
fn option_none_runs_some_does_not() {
    assert_eq!(option_fn(Some(1)), Some(2));
    assert!(take().is_empty());
    assert_eq!(option_fn(None), None);
    assert_eq!(take(), ["none with unit error", "none"]);
}

#[with_defer]
fn io_fn(fail: bool) -> io::Result<()> {
    errdefer!(|e| log(format!("io error kind {:?}", e.kind())));
    if fail {
        return Err(io::Error::new(io::ErrorKind::NotFound, "missing"));
    }
    Ok(())
}

#[test]
fn io_result_alias() {
    assert!(io_fn(false).is_ok());
    assert!(take().is_empty());
    assert_eq!(io_fn(true).unwrap_err().kind(), io::ErrorKind::NotFound);
    assert_eq!(take(), ["io error kind NotFound"]);
}

#[derive(Debug, PartialEq)]
struct MyErr {
    msg: String,
    context: Vec<String>,
}

type MyResult<T> = Result<T, MyErr>;

fn step(ok: bool) -> MyResult<()> {
    if ok {
        Ok(())
    } else {
        Err(MyErr {
            msg: "step failed".into(),
            context: vec![],
        })
    }
}

#[with_defer]
fn user_alias(ok: bool) -> MyResult<u32> {
    errdefer!(|e| e.context.push("in user_alias".into()));
    errdefer!(|e: &mut MyErr| e.context.push("typed closure param".into()));
    step(ok)?;
    Ok(3)
}

#[test]
fn user_alias_and_error_modified() {
    assert_eq!(user_alias(true), Ok(3));
    assert_eq!(
        user_alias(false),
        Err(MyErr {
            msg: "step failed".into(),
            context: vec!["typed closure param".into(), "in user_alias".into()],
        })
    );
}

#[with_defer]
fn modifies_error(fail: bool) -> Result<(), String> {
    errdefer!(|e| {
        e.insert_str(0, "ctx: ");
    });
    if fail { Err("boom".into()) } else { Ok(()) }
}

#[test]
fn error_closure_modifies_the_returned_error() {
    assert_eq!(modifies_error(true), Err("ctx: boom".to_string()));
    assert_eq!(modifies_error(false), Ok(()));
}

#[with_defer]
fn on_panic() -> Result<(), String> {
    errdefer!(log("plain errdefer on panic"));
    errdefer!(|e| log(format!("error closure on panic?! {e}")));
    defer!(log("defer on panic"));
    panic!("p");
}

#[test]
fn plain_errdefer_runs_on_panic_error_closure_does_not() {
    quiet_panics();
    assert_eq!(panic_message(on_panic), "p");
    assert_eq!(take(), ["defer on panic", "plain errdefer on panic"]);
}

#[with_defer]
fn forms(fail: bool, out: &mut Vec<String>) -> Result<(), ()> {
    let mut local = String::from("local");
    errdefer!(out.push("method".into()));
    errdefer! {
        out.push(format!("block {local}"));
    }
    errdefer!(|| log(format!("closure {local}")));
    errdefer!(move || log("move closure".to_string()));
    local.push('!');
    if fail { Err(()) } else { Ok(()) }
}

#[test]
fn all_forms_of_errdefer() {
    let mut out = vec![];
    forms(false, &mut out).unwrap();
    assert!(out.is_empty());
    assert!(take().is_empty());
    forms(true, &mut out).unwrap_err();
    assert_eq!(out, ["block local!", "method"]);
    assert_eq!(take(), ["move closure", "closure local!"]);
}

#[with_defer]
fn ret_turns_ok_into_err(flip: bool) -> Result<i32, String> {
    errdefer!(log("errdefer registered first"));
    defer!(|ret| {
        if flip && let Some(r) = ret {
            *r = Err("flipped".into());
        }
    });
    errdefer!(log("errdefer registered last"));
    Ok(1)
}

#[test]
fn errdefer_sees_the_result_as_it_is_when_it_runs() {
    assert_eq!(ret_turns_ok_into_err(true), Err("flipped".into()));
    // LIFO: the last errdefer ran before the flip, the first after it.
    assert_eq!(take(), ["errdefer registered first"]);
    assert_eq!(ret_turns_ok_into_err(false), Ok(1));
    assert!(take().is_empty());
}

#[with_defer]
fn recovered_into_ok() -> Result<i32, String> {
    errdefer!(log("errdefer after recovery into Ok"));
    defer!(|ret| {
        if recover().is_some() {
            *ret = Some(Ok(0));
        }
    });
    errdefer!(log("errdefer while panicking"));
    panic!("p");
}

#[test]
fn errdefer_around_a_recovery() {
    quiet_panics();
    assert_eq!(recovered_into_ok(), Ok(0));
    assert_eq!(take(), ["errdefer while panicking"]);
}

#[with_defer]
fn recovered_without_ret() -> Option<i32> {
    errdefer!(log("errdefer: recovered without a result"));
    defer!(|| {
        let _ = recover();
    });
    panic!("p");
}

#[test]
fn errdefer_runs_when_recovered_without_result() {
    quiet_panics();
    // The zero value of `Option<i32>` is `None`: a failure, so errdefer ran.
    assert_eq!(recovered_without_ret(), None);
    assert_eq!(take(), ["errdefer: recovered without a result"]);
}

#[with_defer(allow(loop))]
fn errdefer_in_loop(n: u32, fail_at: u32) -> Result<u32, u32> {
    for i in 0..n {
        errdefer!(log(format!("undo {i}")));
        if i == fail_at {
            return Err(i);
        }
    }
    Ok(n)
}

#[test]
fn errdefer_in_a_loop_undoes_completed_steps() {
    assert_eq!(errdefer_in_loop(3, 99), Ok(3));
    assert!(take().is_empty());
    assert_eq!(errdefer_in_loop(5, 2), Err(2));
    assert_eq!(take(), ["undo 2", "undo 1", "undo 0"]);
}

#[with_defer]
fn question_mark_errdefer(input: &str) -> Result<i32, std::num::ParseIntError> {
    errdefer!(|e| log(format!("parse failed: {e}")));
    let v: i32 = input.parse()?;
    Ok(v)
}

#[test]
fn errdefer_on_question_mark() {
    assert_eq!(question_mark_errdefer("4"), Ok(4));
    assert!(question_mark_errdefer("z").is_err());
    assert_eq!(take(), ["parse failed: invalid digit found in string"]);
}

struct Tx {
    committed: bool,
    rolled_back: bool,
}

impl Tx {
    #[with_defer]
    fn run(&mut self, fail: bool) -> Result<(), String> {
        errdefer! { self.rolled_back = true; }
        if fail {
            return Err("fail".into());
        }
        self.committed = true;
        Ok(())
    }
}

#[test]
fn errdefer_in_a_method_touches_self() {
    let mut tx = Tx {
        committed: false,
        rolled_back: false,
    };
    tx.run(true).unwrap_err();
    assert!(tx.rolled_back && !tx.committed);
    let mut tx = Tx {
        committed: false,
        rolled_back: false,
    };
    tx.run(false).unwrap();
    assert!(!tx.rolled_back && tx.committed);
}

#[with_defer]
fn errdefer_eager_args(fail: bool) -> Result<(), ()> {
    let mut n = 1;
    errdefer!(log(format!("n was {n}")));
    n += 1;
    log(format!("n is {n}"));
    if fail { Err(()) } else { Ok(()) }
}

#[test]
fn errdefer_call_form_evaluates_args_now() {
    errdefer_eager_args(true).unwrap_err();
    assert_eq!(take(), ["n is 2", "n was 1"]);
}
