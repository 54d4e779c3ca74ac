// Case fake_clock_timing: timing code against a fake clock so the output is deterministic:
// `defer timeTrack(clock.Now(), name)` (start evaluated at the defer), `defer un(trace(..))`
// with a multi-value trace, a prometheus-style `timer := NewTimer(h); defer
// timer.ObserveDuration()`, a closure setting the named result from clock.Since at exit next to
// the classic eager mistake, and a timed step that panics (its timing still recorded).
// Held-out style twin written from the user docs only.
use fndefer::{defer, recover, with_defer};
use std::sync::atomic::{AtomicI32, Ordering};

struct Clock {
    now: AtomicI32,
}

impl Clock {
    fn now(&self) -> i32 {
        self.now.load(Ordering::SeqCst)
    }
    fn since(&self, t: i32) -> i32 {
        self.now() - t
    }
    fn sleep(&self, ms: i32) {
        self.now.fetch_add(ms, Ordering::SeqCst);
    }
}

static CLOCK: Clock = Clock {
    now: AtomicI32::new(1000),
};

struct Histogram {
    name: String,
    obs: Vec<i32>,
}

impl Histogram {
    fn observe(&mut self, ms: i32) {
        self.obs.push(ms);
    }
}

struct Timer<'a> {
    h: &'a mut Histogram,
    start: i32,
}

fn new_timer(h: &mut Histogram) -> Timer<'_> {
    Timer {
        h,
        start: CLOCK.now(),
    }
}

impl Timer<'_> {
    fn observe_duration(&mut self) {
        self.h.observe(CLOCK.since(self.start));
    }
}

fn time_track(start: i32, name: &str) {
    println!("  {} took {}ms", name, CLOCK.since(start));
}

fn trace(name: &str) -> (String, i32) {
    println!("enter {} at {}", name, CLOCK.now());
    (name.to_string(), CLOCK.now())
}

fn un((name, start): (String, i32)) {
    println!("leave {} after {} ms", name, CLOCK.since(start));
}

#[with_defer]
fn step(name: &str, ms: i32) {
    defer!(time_track(CLOCK.now(), name));
    CLOCK.sleep(ms);
    if name == "flaky" {
        panic!("flaky step failed after {}ms", ms);
    }
}

#[with_defer]
fn safe_step(name: &str, ms: i32) -> Result<(), String> {
    defer!(|ret| if let Some(r) = recover() {
        *ret = Some(Err(r.to_string()));
    });
    step(name, ms);
    Ok(())
}

#[with_defer]
fn pipeline(h: &mut Histogram, steps: &[&str]) -> i32 {
    defer!(un(trace("pipeline")));
    let mut timer = new_timer(h);
    defer!(timer.observe_duration());
    let start = CLOCK.now();
    // Inside deferred code an adopted local is the value itself; only the body sees `&i32`.
    defer!(|ret| *ret = Some(CLOCK.since(start)));
    defer!(println!("eager: pipeline took {} ms", CLOCK.since(start)));
    for (i, s) in steps.iter().enumerate() {
        if let Err(err) = safe_step(s, 10 * (i as i32 + 1)) {
            println!("  step error: {}", err);
        }
    }
    CLOCK.sleep(1);
    -1
}

pub fn main() {
    let mut h = Histogram {
        name: "pipeline_ms".to_string(),
        obs: Vec::new(),
    };
    println!("elapsed {}", pipeline(&mut h, &["fetch", "parse", "store"]));
    println!(
        "elapsed {}",
        pipeline(&mut h, &["fetch", "flaky", "store", "index"])
    );
    let mut obs = h.obs.clone();
    obs.sort();
    let obs: Vec<String> = obs.iter().map(|o| o.to_string()).collect();
    println!("{} [{}] now {}", h.name, obs.join(" "), CLOCK.now());
}
