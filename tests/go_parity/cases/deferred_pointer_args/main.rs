// Case deferred_pointer_args: the deferred helper takes a pointer that may be
// nil, `defer deferWrap(wrap, &err)` (the DeferWrap helper of
// github.com/tkw1536/goprogram's errwrap package, which checks
// `err == nil || *err == nil`), and a struct argument that holds pointers:
// the arguments are evaluated at the defer, but what they point to is read
// when the deferred call runs.
use fndefer::{defer, with_defer};

struct ExitError {
    code: i32,
    msg: String,
}

impl ExitError {
    fn wrap_error(&self, err: &str) -> String {
        format!("{} (exit {}): {}", self.msg, self.code, err)
    }
}

fn defer_wrap(wrap: ExitError, err: Option<&mut Option<String>>) {
    let Some(err) = err.filter(|err| err.is_some()) else {
        println!("deferWrap: nothing to wrap for {}", wrap.msg);
        return;
    };
    *err = err.as_deref().map(|e| wrap.wrap_error(e));
}

struct Counters<'a> {
    ok: &'a i32,
    failed: &'a i32,
}

fn tally(c: Counters) {
    println!("tally: ok {} failed {}", c.ok, c.failed);
}

#[with_defer(named(err))]
fn run(name: &str, fail: bool) -> Option<String> {
    defer!(defer_wrap(ExitError { code: 3, msg: format!("run {name}") }, Some(&mut err)));
    if fail {
        return Some("boom".to_string());
    }
    println!("ran {name}");
    None
}

#[with_defer]
fn run_all(names: &[&str]) {
    let (mut ok, mut failed) = (0, 0);
    defer!(tally(Counters { ok: &ok, failed: &failed }));
    defer!(defer_wrap(ExitError { code: 1, msg: "runAll".to_string() }, None));
    for (i, name) in names.iter().enumerate() {
        if let Some(err) = run(name, i % 2 == 1) {
            println!("error: {err}");
            failed += 1;
        } else {
            ok += 1;
        }
    }
}

pub fn main() {
    run_all(&["a", "b", "c"]);
}
