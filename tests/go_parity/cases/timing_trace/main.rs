// Case timing_trace: `start := time.Now(); defer func() { log(time.Since(start)) }()` measures
// at exit, while `defer log(time.Since(start))` measures at the defer statement; the
// `defer trace("name")()` idiom calls trace now and the returned func at exit.
// Idiom (Go blog "Defer, Panic, and Recover"; Go Programming Language 5.8 `defer trace(..)()`).
// Durations are not printed, only facts about them, so the output is deterministic.
use fndefer::{defer, with_defer};
use std::time::{Duration, Instant};

fn trace(name: &'static str) -> impl FnOnce() {
    println!("enter {}", name);
    move || println!("exit {}", name)
}

fn report(label: &str, d: Duration) {
    println!(
        "{} measured at least 20ms: {}",
        label,
        d >= Duration::from_millis(20)
    );
}

#[with_defer(allow(call_chain, eager_time))]
fn slow() {
    defer!(trace("slow")());
    let start = Instant::now();
    defer!(|| report("closure", start.elapsed()));
    defer!(report("argument", start.elapsed()));
    std::thread::sleep(Duration::from_millis(25));
    println!("slow body done");
}

pub fn main() {
    slow();
}
