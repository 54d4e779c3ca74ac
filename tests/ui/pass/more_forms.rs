//! Less common but supported spellings, all warning-free.
#![deny(warnings)]

use fndefer::{defer, defer_scope, errdefer, recover, with_defer};
use std::io;

fn log(_: &str) {}

#[with_defer]
fn early_return_in_deferred_code(flag: bool) {
    defer!(|| {
        if flag {
            return;
        }
        log("not flagged");
    });
}

#[with_defer]
fn defer_in_match_arm(value: Option<u8>) -> u8 {
    match value {
        Some(_) => defer!(log("some")),
        None => {}
    }
    value.unwrap_or(0)
}

#[with_defer]
fn errdefer_on_option(text: &str) -> Option<usize> {
    errdefer!(|e| {
        let () = *e;
        log("none");
    });
    errdefer!(move || log("moved"));
    text.find('x')
}

#[with_defer]
fn errdefer_on_io_result(fail: bool) -> io::Result<()> {
    errdefer!(|e| log(&e.to_string()));
    if fail {
        return Err(io::Error::other("failed"));
    }
    Ok(())
}

#[with_defer]
fn recover_inside_format_macro() {
    defer!(|| println!("{:?}", recover().map(|p| p.to_string())));
    panic!("printed, then swallowed");
}

#[with_defer]
fn scope_inside(items: &[u32]) -> u32 {
    defer!(log("outer"));
    let sum = defer_scope!(|| {
        defer!(log("inner"));
        items.iter().sum::<u32>()
    });
    sum()
}

#[with_defer]
async fn async_errdefer(fail: bool) -> Result<u8, String> {
    errdefer!(log("async failed"));
    defer!(|ret| {
        if let Some(Ok(value)) = ret {
            *value += 1;
        }
    });
    if fail {
        return Err("fail".into());
    }
    Ok(1)
}

#[with_defer]
fn raw_identifiers(r#type: u8) -> u8 {
    let mut r#match = 1;
    defer!(|| log(&format!("{} {}", r#type, r#match)));
    r#match += 1;
    r#type
}

#[with_defer]
fn main() {
    raw_identifiers(1);
    defer!(log("main done"));
    early_return_in_deferred_code(true);
    defer_in_match_arm(Some(1));
    errdefer_on_option("abc");
    let _ = errdefer_on_io_result(true);
    recover_inside_format_macro();
    scope_inside(&[1, 2]);
    drop(async_errdefer(false));
}
