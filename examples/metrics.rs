//! Timing and metrics of a function, ported from the Go idioms
//!
//! ```go
//! func timeTrack(start time.Time, name string) {
//!     log.Printf("%s took %s", name, time.Since(start))
//! }
//!
//! func factorial(n int) int {
//!     defer timeTrack(time.Now(), "factorial") // time.Now() is evaluated NOW
//!     ...
//! }
//!
//! func trace(s string) string { fmt.Println("entering:", s); return s }
//! func un(s string)           { fmt.Println("leaving:", s) }
//! func a() { defer un(trace("a")); ... }       // Effective Go
//! ```
//!
//! fndefer evaluates arguments at the defer point exactly as Go does, so
//! `defer!(time_track(clock::now(), "factorial"))` reads the clock when the
//! function starts and `time_track` subtracts at exit. The clock here is
//! simulated (each unit of work advances it by 1 ms) so that the output is the
//! same on every run; `std::time::Instant` works the same way.
//!
//! Run with `cargo run --example metrics`.

use std::cell::RefCell;
use std::collections::BTreeMap;

use fndefer::{defer, recover, with_defer};

/// A deterministic stand-in for `std::time::Instant`.
mod clock {
    use std::cell::Cell;

    thread_local!(static NOW_MS: Cell<u64> = const { Cell::new(0) });

    #[derive(Clone, Copy)]
    pub struct Instant(u64);

    pub fn now() -> Instant {
        Instant(NOW_MS.with(Cell::get))
    }

    /// Pretend to work for `ms` milliseconds.
    pub fn work(ms: u64) {
        NOW_MS.with(|t| t.set(t.get() + ms));
    }

    impl Instant {
        pub fn elapsed(&self) -> u64 {
            now().0 - self.0
        }
    }
}

fn time_track(start: clock::Instant, name: &str) {
    println!("  {name} took {}ms", start.elapsed());
}

#[with_defer]
fn factorial(n: u64) -> u64 {
    defer!(time_track(clock::now(), "factorial")); // clock::now() runs here, at entry
    let mut acc = 1;
    for i in 1..=n {
        clock::work(1);
        acc *= i;
    }
    acc
}

// Effective Go's trace/un pair.
fn trace(s: &'static str) -> &'static str {
    println!("  entering: {s}");
    s
}

fn un(s: &str) {
    println!("  leaving: {s}");
}

#[with_defer]
fn a() {
    defer!(un(trace("a"))); // trace("a") runs now; un runs at exit
    println!("  in a");
}

#[with_defer]
fn b() {
    defer!(un(trace("b")));
    println!("  in b");
    a();
}

// `defer trace("c")()`: the callee is an expression, evaluated now; the
// function it returns is called at exit.
fn enter(name: &'static str) -> impl FnOnce() {
    println!("  entering: {name}");
    move || println!("  leaving: {name}")
}

// `enter` runs now on purpose (Go's `defer trace()()`): allow the lint.
#[with_defer(allow(call_chain))]
fn c() {
    defer!(enter("c")());
    println!("  in c");
}

/// Per-function call counts and total time, like a Prometheus summary.
#[derive(Default)]
struct Metrics {
    stats: RefCell<BTreeMap<&'static str, Stat>>,
}

#[derive(Default, Debug)]
struct Stat {
    calls: u32,
    errors: u32,
    panics: u32,
    total_ms: u64,
}

impl Metrics {
    fn observe(&self, name: &'static str, ms: u64, outcome: Outcome) {
        let mut stats = self.stats.borrow_mut();
        let stat = stats.entry(name).or_default();
        stat.calls += 1;
        stat.total_ms += ms;
        match outcome {
            Outcome::Ok => {}
            Outcome::Err => stat.errors += 1,
            Outcome::Panic => stat.panics += 1,
        }
    }
}

enum Outcome {
    Ok,
    Err,
    Panic,
}

fn outcome<T, E>(ret: &Option<Result<T, E>>) -> Outcome {
    match ret {
        Some(Ok(_)) => Outcome::Ok,
        Some(Err(_)) => Outcome::Err,
        None => Outcome::Panic, // `ret` is None while the function is panicking
    }
}

/// An instrumented handler: one `defer!` records duration and outcome on
/// every exit, reading the named result (`ret`) the way a Go deferred closure
/// reads `err`.
#[with_defer]
fn fetch(metrics: &Metrics, key: &str) -> Result<String, String> {
    let start = clock::now();
    defer!(|ret| metrics.observe("fetch", start.elapsed(), outcome(ret)));
    clock::work(3);
    match key {
        "" => Err("empty key".to_string()),
        "boom" => panic!("backend crashed"),
        _ => {
            clock::work(2);
            Ok(format!("value of {key}"))
        }
    }
}

/// The classic mistake, which the `eager_time` lint catches:
/// `defer log(time.Since(start))` measures at the defer point.
#[with_defer(allow(eager_time))]
fn measured_too_early(metrics: &Metrics) {
    let start = clock::now();
    defer!(metrics.observe("too_early", start.elapsed(), Outcome::Ok)); // elapsed() runs NOW
    clock::work(10);
}

#[with_defer]
fn measured_at_exit(metrics: &Metrics) {
    let start = clock::now();
    defer!(|| metrics.observe("at_exit", start.elapsed(), Outcome::Ok)); // runs at exit
    clock::work(10);
}

#[with_defer]
fn fetch_logged(metrics: &Metrics, key: &str) {
    defer!(|| if let Some(p) = recover() {
        println!("  fetch({key:?}) panicked: {p}");
    });
    match fetch(metrics, key) {
        Ok(v) => println!("  fetch({key:?}) = {v:?}"),
        Err(e) => println!("  fetch({key:?}) failed: {e}"),
    }
}

fn main() {
    std::panic::set_hook(Box::new(|_| {})); // the recovered panic is reported below

    println!("1. defer!(time_track(clock::now(), \"factorial\")): the start time is read at entry");
    println!("  factorial(5) = {}", factorial(5));

    println!("2. Effective Go's defer un(trace(\"a\"))");
    b();

    println!("3. defer trace(\"c\")(): the callee expression runs now, its result at exit");
    c();

    println!("4. a metrics summary fed by defer!(|ret| ..) on every exit");
    let metrics = Metrics::default();
    for key in ["user:1", "", "user:2", "boom", "user:3"] {
        fetch_logged(&metrics, key);
    }

    println!("5. elapsed() as a defer argument measures at the defer point");
    measured_too_early(&metrics);
    measured_at_exit(&metrics);

    println!("metrics:");
    for (name, s) in metrics.stats.borrow().iter() {
        println!(
            "  {name:<10} calls={} errors={} panics={} total={}ms",
            s.calls, s.errors, s.panics, s.total_ms
        );
    }
}
