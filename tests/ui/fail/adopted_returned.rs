// Returning (or moving out) a local that a deferred call still uses: the
// error names the `defer!` that holds it and what to write instead.
use fndefer::{defer, with_defer};

#[with_defer]
fn load() -> Option<String> {
    let mut err: Option<String> = None;
    defer!(|| if let Some(e) = &err {
        println!("failed: {e}");
    });
    err = Some("disk full".to_owned());
    err
}

#[with_defer]
fn name() -> String {
    let name = String::from("gopher");
    defer!(|| println!("{}", name.len()));
    let moved = name;
    moved
}

fn consume(_: String) {}

fn takes(n: u32) -> u32 {
    n
}

// Passed by value: a `Copy` local is copied, a `String` is the same error.
#[with_defer]
fn passes() -> u32 {
    let n = 3;
    let tag = String::from("t");
    defer!(|| println!("{n} {tag}"));
    consume(tag);
    takes(n)
}

// Shadowed: the error names the `defer!` that holds the returned `s`.
#[with_defer]
fn shadowed() -> String {
    let s = String::from("first");
    defer!(|| println!("{s}"));
    let s = String::from("second");
    defer!(|| println!("{s}"));
    s
}

// A `let mut` local passed by value: the same error (a `&mut` it held
// would be reborrowed instead).
#[with_defer]
fn passes_mut() {
    let mut name = String::from("a");
    defer!(|| println!("{name}"));
    name.push('!');
    consume(name);
}

fn main() {
    passes_mut();
    shadowed();
    load();
    name();
    passes();
}
