// Case recover_named_result: recover returns the panic value and the function returns
// its named results as they were set by the deferred closure.
// Idiom (Go blog "Defer, Panic, and Recover"); recover.go try/try1 and test8a/test8b.
use fndefer::{defer, recover, with_defer};

#[with_defer]
fn safe_div(a: i32, b: i32) -> (i32, Option<String>) {
    defer!(|ret| {
        if let Some(r) = recover() {
            *ret = Some((0, Some(format!("recovered: {}", r))));
        }
    });
    if b == 0 {
        panic!("division by zero");
    }
    let q = a / b;
    (q, None)
}

// Run g().  If it panics, return the panic value; else return deflt.
#[with_defer]
fn try_call(g: fn(), deflt: &str) -> String {
    defer!(|ret| {
        if let Some(v) = recover() {
            *ret = Some(format!("panic: {}", v));
        }
    });
    defer!(g());
    deflt.to_string()
}

fn varargs(s: &mut i32, a: &[i32]) {
    *s = 0;
    for v in a {
        *s += v;
    }
}

#[with_defer]
fn test8a() -> i32 {
    defer!(|ret| {
        let r = ret.get_or_insert(0);
        varargs(r, &[1, 2, 3]);
        if recover().is_some() {
            *r += 100;
        }
    });
    std::panic::panic_any(0i32)
}

#[with_defer]
fn test8b() -> i32 {
    defer!(|ret| {
        let r = ret.get_or_insert(0);
        varargs(r, &[4, 5, 6]);
        if recover().is_some() {
            *r += 100;
        }
    });
    0
}

// fmt.Println of an error value: its text, or <nil>.
fn go_err(e: Option<String>) -> String {
    e.unwrap_or_else(|| "<nil>".to_string())
}

pub fn main() {
    for b in [2, 0] {
        let (q, err) = safe_div(10, b);
        println!("safeDiv(10, {} ) = {} {}", b, q, go_err(err));
    }
    println!("{}", try_call(|| panic!("five"), "55"));
    println!("{}", try_call(|| {}, "hi"));
    println!(
        "{}",
        try_call(|| std::panic::panic_any("an error".to_string()), "x")
    );
    println!("test8a: {} test8b: {}", test8a(), test8b());
}
