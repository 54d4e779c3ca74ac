// Case tabwriter_handle_panic: text/tabwriter's error scheme (Go 1.19,
// src/text/tabwriter/tabwriter.go, reduced to the cell-less parts): write
// errors of the output are panics of osError; Write and flush defer the
// method handler `b.handlePanic(&err, op)`, which resets after a failed
// Flush, turns osError into the named error result (Write's `n`, set before
// the panic, is returned as it was) and turns any other panic into a new one.
use fndefer::{defer, defer_scope, recover, with_defer};

struct FailingOut {
    budget: u32,
}

impl FailingOut {
    fn write(&mut self, p: &[u8]) -> (usize, Option<String>) {
        if self.budget == 0 {
            return (0, Some("disk full".to_string()));
        }
        self.budget -= 1;
        println!("out: {:?}", String::from_utf8_lossy(p));
        (p.len(), None)
    }
}

struct Writer {
    output: FailingOut,
    buf: Vec<u8>,
    lines: u32,
}

struct OsError {
    err: String,
}

impl Writer {
    fn reset(&mut self) {
        self.buf.clear();
        println!("reset");
    }

    fn write0(&mut self, buf: &[u8]) {
        let (n, mut err) = self.output.write(buf);
        if n != buf.len() && err.is_none() {
            err = Some("short write".to_string());
        }
        if let Some(err) = err {
            std::panic::panic_any(OsError { err });
        }
    }

    fn handle_panic(&mut self, err: &mut Option<String>, op: &str) {
        if let Some(e) = recover() {
            if op == "Flush" {
                // If Flush ran into a panic, we still need to reset.
                self.reset();
            }
            if let Some(nerr) = e.downcast_ref::<OsError>() {
                *err = Some(nerr.err.clone());
                return;
            }
            panic!("tabwriter: panic during {op}");
        }
    }

    fn flush_public(&mut self) -> Option<String> {
        self.flush()
    }

    #[with_defer(named(err))]
    fn flush(&mut self) -> Option<String> {
        defer!(self.handle_panic(&mut err, "Flush"));
        self.flush_no_defers();
        return None;
    }

    fn flush_no_defers(&mut self) {
        if !self.buf.is_empty() {
            // A copy: `write0` borrows the writer mutably.
            let buf = self.buf.clone();
            self.write0(&buf);
        }
        self.reset();
    }

    #[with_defer(named(n, err))]
    fn write(&mut self, buf: &[u8]) -> (usize, Option<String>) {
        defer!(self.handle_panic(&mut err, "Write"));
        n = 0;
        for (i, &ch) in buf.iter().enumerate() {
            if ch == b'\n' {
                self.buf.extend_from_slice(&buf[n..i + 1]);
                n = i + 1;
                self.lines += 1;
                if self.lines == 4 {
                    panic!("too many lines");
                }
                self.flush_no_defers();
            }
        }
        self.buf.extend_from_slice(&buf[n..]);
        n = buf.len();
        return;
    }
}

fn nil(err: Option<String>) -> String {
    err.unwrap_or_else(|| "<nil>".to_string())
}

pub fn main() {
    std::panic::set_hook(Box::new(|_| {}));
    let mut w = Writer {
        output: FailingOut { budget: 2 },
        buf: Vec::new(),
        lines: 0,
    };
    let (n, err) = w.write(b"a\tb\nc");
    println!("Write: {n} {}", nil(err));
    println!("Flush: {}", nil(w.flush_public()));
    let (n, err) = w.write(b"d\ne\nf");
    println!("Write: {n} {}", nil(err));
    println!("Flush: {} buffered: {}", nil(w.flush_public()), w.buf.len());
    defer_scope!(|| {
        defer!(|| println!("recovered: {}", recover().map_or("<nil>".to_string(), |p| p.to_string())));
        w.output = FailingOut { budget: 5 };
        let (n, err) = w.write(b"g\nh\n");
        println!("not reached {n} {}", nil(err));
    })();
}
