// Case method_receiver: deferred method calls. A pointer receiver is evaluated at the
// defer statement and the method sees the final state; a value receiver is copied at the
// defer statement. Methods that defer on their own receiver (s.depth-- on exit).
// Idiom; runtime/defer_test.go TestIssue37688 (defer ap.method1()/method2() in loops).
use fndefer::{defer, with_defer};

#[derive(Clone)]
struct Counter {
    name: String,
    n: i32,
}

impl Counter {
    fn report_ptr(&self) {
        println!("pointer receiver: {} {}", self.name, self.n);
    }

    fn report_value(self) {
        println!("value receiver: {} {}", self.name, self.n);
    }

    fn add(&mut self, k: i32) {
        self.n += k;
    }
}

#[with_defer(allow(call_chain))]
fn use_counter() {
    let mut c = Counter {
        name: "c".to_string(),
        n: 0,
    };
    defer!(c.report_ptr());
    // Go copies a value receiver at the defer statement: `c.clone()` is evaluated now.
    defer!(c.clone().report_value());
    c.add(1);
    c.add(2);
    println!("body: {}", c.n);
}

#[derive(Clone)]
struct Server {
    depth: usize,
    log: Vec<String>,
}

impl Server {
    fn enter(&mut self, name: String) {
        self.log
            .push(format!("{:width$}{}", "", name, width = self.depth * 2));
    }

    #[with_defer]
    fn handle(&mut self, n: i32) {
        self.depth += 1;
        defer!(|| self.depth -= 1);
        defer!(self.enter(format!("leave {}", n)));
        self.enter(format!("enter {}", n));
        if n > 0 {
            self.handle(n - 1);
        }
    }

    #[with_defer]
    fn summary(self) -> String {
        defer!(|ret| if let Some(out) = ret {
            out.push_str(&format!(" (depth {})", self.depth))
        });
        format!("{} log lines", self.log.len())
    }
}

pub fn main() {
    use_counter();
    let mut s = Server {
        depth: 0,
        log: Vec::new(),
    };
    s.handle(2);
    for line in &s.log {
        println!("{}", line);
    }
    println!("{}", s.summary());
}
