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

fn main() {
    load();
    name();
}
