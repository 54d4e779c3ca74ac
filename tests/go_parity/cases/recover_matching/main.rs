// Case recover_matching: recover() does not succeed unless it is called from a deferred
// function run by the panicking function itself: a deferred function's own deferred
// function sees nil. runtime/defer_test.go TestRecoverMatching, TestUnconditionalPanic.
// The deferred func literal that has defers of its own is the named fn `nested`.
use fndefer::{Panic, defer, recover, with_defer};

fn go_val(r: Option<Panic>) -> String {
    r.map_or("<nil>".to_string(), |p| p.to_string())
}

#[with_defer]
fn unconditional_panic() {
    defer!(|| {
        println!(
            "unconditional: recovered {}",
            recover()
                .and_then(|p| p.message().map(|m| m == "testUnconditional"))
                .unwrap_or(false)
        );
    });
    panic!("testUnconditional");
}

#[with_defer]
fn nested() {
    defer!(|| {
        // Shouldn't succeed, even though it is called directly
        // from a defer function, since this defer function was
        // not directly called by the panic.
        let r = recover();
        println!("nested deferred: recover() = {}", go_val(r));
    });
}

#[with_defer]
fn recover_matching() {
    defer!(|| {
        let r = recover();
        println!("outer deferred: recover() = {}", go_val(r));
    });
    defer!(nested());
    panic!("panic1");
}

pub fn main() {
    unconditional_panic();
    recover_matching();
}
