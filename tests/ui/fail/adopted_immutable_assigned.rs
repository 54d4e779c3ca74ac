// A local without `mut`, adopted by a deferred closure, then assigned and
// borrowed `&mut` by the body: the error says to declare it `let mut`
// (rustc's own help would retype the lent-back binding, and the `&&` of the
// deferred code is not the place to add `mut`).
use fndefer::{defer, with_defer};

fn touch(flag: &mut bool) {
    *flag = !*flag;
}

#[with_defer]
fn run(fail: bool) {
    let finished = false;
    let err: Option<String> = None;
    defer!(|| if !finished && err.is_none() {
        println!("not finished");
    });
    if fail {
        return;
    }
    finished = true;
    touch(&mut finished);
}

#[with_defer]
fn count() {
    let total = 0;
    defer!(|| println!("{total}"));
    total += 1;
}

fn main() {
    run(false);
    count();
}
