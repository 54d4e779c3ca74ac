// Case loop_resources: defers inside loops over slices: one `defer c.Close()` per dialled
// connection, kept open (and shared through a slice) until the function returns; deferred
// calls whose arguments are evaluated per iteration next to closures that read a running total
// at exit (per-iteration copies `i, name := i, name`); `continue`/`break` past defers; a
// later defer overriding the named result; nested loops queueing calls.
// Held-out style twin written from the user docs only.
use fndefer::{defer, with_defer};
use std::cell::RefCell;
use std::rc::Rc;

struct Conn {
    id: i32,
    sent: Vec<String>,
    closed: bool,
}

fn dial(id: i32) -> Rc<RefCell<Conn>> {
    println!("dial {}", id);
    Rc::new(RefCell::new(Conn {
        id,
        sent: Vec::new(),
        closed: false,
    }))
}

impl Conn {
    fn send(&mut self, msg: &str) {
        if self.closed {
            panic!("send on closed conn {}", self.id);
        }
        self.sent.push(msg.to_string());
    }

    fn close(&mut self) {
        self.closed = true;
        println!("close conn {} after {} messages", self.id, self.sent.len());
    }
}

// broadcast opens one connection per peer; all stay open until it returns.
#[with_defer(allow(loop))]
fn broadcast(peers: &[i32], msgs: &[&str]) -> i32 {
    let mut conns = Vec::new();
    for &p in peers {
        let c = dial(p);
        // Workaround: `defer!(c.borrow_mut().close())` (the receiver form of the docs' table)
        // evaluates `c.borrow_mut()` now (lint call_chain) and then fails to compile:
        // E0596 "cannot borrow value as mutable" at #[with_defer], plus E0597 on `c`.
        // The lint's advice, a closure, calls both at exit and adopts `c`.
        defer!(|| c.borrow_mut().close());
        conns.push(c.clone());
    }
    let mut sent = 0;
    for m in msgs {
        for c in &conns {
            c.borrow_mut().send(m);
            sent += 1;
        }
    }
    println!("broadcast done");
    sent
}

#[with_defer(allow(loop))]
fn process_batch(names: &[&str]) -> i32 {
    let mut total = 0;
    for (i, name) in names.iter().enumerate() {
        if name.is_empty() {
            println!("skip empty at {}", i);
            continue;
        }
        defer!(println!("deferred arg: {} {} total {}", i, name, total));
        defer!(|| {
            println!("deferred closure: {} {} total {}", i, name, total);
        });
        total += name.len() as i32;
        // `name` (a `for` binding, `&&str`) is adopted by the closure above and reads as before.
        if *name == "stop" {
            break;
        }
    }
    defer!(|ret| *ret = Some(total));
    println!("batch loop done, total {}", total);
    -1
}

#[with_defer(allow(loop))]
fn grid(rows: i32, cols: i32) {
    for r in 0..rows {
        for c in 0..cols {
            if (r + c) % 2 == 1 {
                continue;
            }
            defer!(print!("cell({},{}) ", r, c));
        }
        defer!(println!("| row {}", r));
    }
    println!("grid queued");
}

pub fn main() {
    println!("sent {}", broadcast(&[1, 2, 3], &["hi", "bye"]));
    println!(
        "processed {}",
        process_batch(&["ab", "", "cde", "stop", "never"])
    );
    grid(3, 3);
    println!("end");
}
