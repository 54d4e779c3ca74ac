//! Deferred calls run LIFO on every exit of the function, never at the end
//! of a block, and only if their `defer!` was reached.

mod common;
use common::{log, take};
use fndefer::{defer, with_defer};

#[with_defer]
fn three() {
    defer!(log("1"));
    defer!(log("2"));
    defer!(log("3"));
    log("body");
}

#[test]
fn lifo() {
    three();
    assert_eq!(take(), ["body", "3", "2", "1"]);
}

#[with_defer]
fn early_return(x: i32) -> i32 {
    defer!(log("a"));
    if x > 0 {
        defer!(log("b"));
        return x;
    }
    defer!(log("c"));
    log("end");
    -x
}

#[test]
fn return_and_branch_not_taken() {
    assert_eq!(early_return(1), 1);
    assert_eq!(take(), ["b", "a"]);
    assert_eq!(early_return(-2), 2);
    assert_eq!(take(), ["end", "c", "a"]);
}

fn parse(s: &str) -> Result<i32, String> {
    s.parse::<i32>().map_err(|e| e.to_string())
}

#[with_defer]
fn question_mark(a: &str, b: &str) -> Result<i32, String> {
    defer!(log("first"));
    let x = parse(a)?;
    defer!(log("second"));
    let y = parse(b)?;
    defer!(log("third"));
    Ok(x + y)
}

#[test]
fn question_mark_exits() {
    assert!(question_mark("x", "1").is_err());
    assert_eq!(take(), ["first"]);
    assert!(question_mark("1", "x").is_err());
    assert_eq!(take(), ["second", "first"]);
    assert_eq!(question_mark("1", "2"), Ok(3));
    assert_eq!(take(), ["third", "second", "first"]);
}

#[with_defer]
fn falls_off(v: &mut Vec<i32>) {
    defer!(log("deferred"));
    v.push(1);
    log("last statement");
}

#[test]
fn falling_off_the_end() {
    let mut v = vec![];
    falls_off(&mut v);
    assert_eq!(v, [1]);
    assert_eq!(take(), ["last statement", "deferred"]);
}

macro_rules! bail {
    ($e:expr) => {
        return Err($e.to_string())
    };
}

macro_rules! ensure {
    ($cond:expr, $e:expr) => {
        if !$cond {
            bail!($e);
        }
    };
}

#[with_defer]
fn bails(n: i32) -> Result<i32, String> {
    defer!(log("a"));
    ensure!(n != 0, "zero");
    defer!(log("b"));
    if n < 0 {
        bail!("negative");
    }
    Ok(n)
}

#[test]
fn return_inside_macro_rules() {
    assert_eq!(bails(0), Err("zero".to_string()));
    assert_eq!(take(), ["a"]);
    assert_eq!(bails(-1), Err("negative".to_string()));
    assert_eq!(take(), ["b", "a"]);
    assert_eq!(bails(5), Ok(5));
    assert_eq!(take(), ["b", "a"]);
}

#[with_defer]
fn nested_match(x: Option<i32>) -> i32 {
    defer!(log("outer"));
    {
        defer!(log("block"));
        match x {
            Some(n) if n > 10 => {
                defer!(log("big arm"));
                {
                    {
                        return n * 10;
                    }
                }
            }
            Some(n) => {
                defer!(log("small arm"));
                if n == 0 {
                    return 0;
                }
            }
            None => return -1,
        }
        log("after match");
    }
    log("after block");
    1
}

#[test]
fn early_return_in_nested_blocks_and_arms() {
    assert_eq!(nested_match(Some(11)), 110);
    assert_eq!(take(), ["big arm", "block", "outer"]);
    assert_eq!(nested_match(Some(0)), 0);
    assert_eq!(take(), ["small arm", "block", "outer"]);
    assert_eq!(nested_match(None), -1);
    assert_eq!(take(), ["block", "outer"]);
    assert_eq!(nested_match(Some(3)), 1);
    assert_eq!(
        take(),
        ["after match", "after block", "small arm", "block", "outer"]
    );
}

#[with_defer]
fn block_end_is_not_exit() {
    {
        defer!(log("inner"));
        log("end of block");
    }
    log("after block");
    if true {
        defer!(log("if"));
    }
    log("after if");
    let v = {
        defer!(log("let block"));
        5
    };
    log(format!("v={v}"));
}

#[test]
fn nested_block_defers_run_at_function_end() {
    block_end_is_not_exit();
    assert_eq!(
        take(),
        [
            "end of block",
            "after block",
            "after if",
            "v=5",
            "let block",
            "if",
            "inner"
        ]
    );
}

#[with_defer]
fn not_taken(flag: bool) {
    if flag {
        defer!(log("taken"));
    } else {
        defer!(log("else"));
    }
    if false {
        defer!(log("never"));
    }
    match flag {
        true => defer!(log("arm true")),
        false => {}
    }
    log("body");
}

#[test]
fn branch_not_taken_never_runs() {
    not_taken(true);
    assert_eq!(take(), ["body", "arm true", "taken"]);
    not_taken(false);
    assert_eq!(take(), ["body", "else"]);
}

#[with_defer]
fn inner_fn(tag: &'static str) -> &'static str {
    defer!(log(format!("inner {tag}")));
    log(format!("inner body {tag}"));
    tag
}

#[with_defer]
fn outer_fn() {
    defer!(log("outer"));
    inner_fn("a");
    defer!(log("outer 2"));
    inner_fn("b");
}

#[test]
fn nested_functions_have_their_own_frames() {
    outer_fn();
    assert_eq!(
        take(),
        [
            "inner body a",
            "inner a",
            "inner body b",
            "inner b",
            "outer 2",
            "outer"
        ]
    );
}

#[with_defer]
fn returns_value_computed_before_defers(v: &mut Vec<i32>) -> usize {
    defer! { v.push(99); }
    v.push(1);
    v.len()
}

#[test]
fn return_value_is_computed_before_deferred_code() {
    let mut v = vec![];
    assert_eq!(returns_value_computed_before_defers(&mut v), 1);
    assert_eq!(v, [1, 99]);
}

#[with_defer]
fn no_defers_reached(x: i32) -> i32 {
    if x > 100 {
        defer!(log("unreachable in test"));
    }
    x + 1
}

#[test]
fn function_with_no_defer_reached() {
    assert_eq!(no_defers_reached(1), 2);
    assert!(take().is_empty());
}

#[with_defer]
fn eight_sites(n: u32) {
    defer!(log("0"));
    defer!(log("1"));
    if n > 0 {
        defer!(log("2"));
    }
    defer!(log("3"));
    if n > 1 {
        defer!(log("4"));
    }
    defer!(log("5"));
    if n > 2 {
        return;
    }
    defer!(log("6"));
    defer!(log("7"));
}

#[test]
fn eight_site_static_frame_with_gaps() {
    eight_sites(0);
    assert_eq!(take(), ["7", "6", "5", "3", "1", "0"]);
    eight_sites(1);
    assert_eq!(take(), ["7", "6", "5", "3", "2", "1", "0"]);
    eight_sites(3);
    assert_eq!(take(), ["5", "4", "3", "2", "1", "0"]);
}
