// Case session_receivers: deferred method calls on struct pointers that the body keeps
// mutating: `defer s.End()` on a pointer parameter, `defer s.stats.Print(..)` with a value
// receiver (copied at the defer), `defer s.out.Flush()` whose pointer field is evaluated at the
// defer although the body later rotates s.out to a new buffer, and a local buffer flushed at exit.
// Held-out style twin written from the user docs only.
use fndefer::{defer, with_defer};
use std::cell::{Cell, RefCell};
use std::rc::Rc;

#[derive(Clone, Default)]
struct Stats {
    reads: i32,
    writes: i32,
}

impl Stats {
    fn print(self, label: &str) {
        println!(
            "  stats {}: reads={} writes={}",
            label, self.reads, self.writes
        );
    }
}

struct Buffer {
    name: String,
    pending: RefCell<Vec<String>>,
    flushed: Cell<usize>,
}

fn new_buffer(name: String) -> Rc<Buffer> {
    Rc::new(Buffer {
        name,
        pending: RefCell::new(Vec::new()),
        flushed: Cell::new(0),
    })
}

impl Buffer {
    fn write(&self, s: String) {
        self.pending.borrow_mut().push(s);
    }

    fn flush(&self) {
        let mut pending = self.pending.borrow_mut();
        println!("  flush {}: [{}]", self.name, pending.join(" "));
        self.flushed.set(self.flushed.get() + pending.len());
        pending.clear();
    }
}

struct Session {
    user: String,
    state: String,
    stats: Stats,
    out: Rc<Buffer>,
}

impl Session {
    fn read(&mut self, key: &str) -> String {
        self.stats.reads += 1;
        format!("{}={}", key, key.len())
    }

    fn end(&self) {
        println!(
            "  end session {} state={} reads={} out={}",
            self.user, self.state, self.stats.reads, self.out.name
        );
    }
}

#[with_defer]
fn handle(s: &mut Session, keys: &[&str], rotate_after: i32) {
    defer!(s.end());
    defer!(Stats::print(s.stats.clone(), "at start"));
    // Workaround: `defer!(s.out.flush())` (the docs: a receiver rooted at a parameter is used
    // in place at exit, "like Go's pointer receiver") flushes whatever `s.out` holds at exit,
    // i.e. the rotated buffer; Go evaluates the pointer `s.out` at the defer. Copy the
    // pointer first (the docs' `x.clone()` snapshot) so the original buffer is flushed.
    let out = s.out.clone();
    defer!(out.flush());
    let audit = new_buffer(format!("audit-{}", s.user));
    defer!(audit.flush());
    s.state = "busy".to_string();
    for (i, k) in keys.iter().enumerate() {
        if i as i32 == rotate_after {
            audit.write("rotate".to_string());
            s.out = new_buffer(format!("{}'", s.out.name));
        }
        let line = s.read(k);
        s.out.write(line);
        s.stats.writes += 1;
    }
    audit.write(format!("wrote {}", s.stats.writes));
    s.state = "idle".to_string();
    defer!(Stats::print(s.stats.clone(), "at end"));
}

pub fn main() {
    let mut s = Session {
        user: "ann".to_string(),
        state: String::new(),
        stats: Stats::default(),
        out: new_buffer("main".to_string()),
    };
    handle(&mut s, &["a", "bb", "ccc"], -1);
    println!("after 1: {} {}", s.out.name, s.out.pending.borrow().len());
    let first = s.out.clone();
    handle(&mut s, &["dd", "e", "ffff"], 2);
    println!(
        "after 2: {} {} first flushed {}",
        s.out.name,
        s.out.pending.borrow().len(),
        first.flushed.get()
    );
    s.out.flush();
}
