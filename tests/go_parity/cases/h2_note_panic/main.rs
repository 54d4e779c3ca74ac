// Case h2_note_panic: port of http2testHookOnPanicMu, http2testHookOnPanic,
// (*http2serverConn).notePanic and the defers of (*http2serverConn).serve from Go 1.19
// src/net/http/h2_bundle.go (golang/go, go1.19.8; /usr/share/go-1.19/src/net/http/h2_bundle.go,
// bundled from golang.org/x/net/http2/server.go). serve defers the method notePanic first, so
// it runs last; notePanic locks the test hook's mutex with a defer of its own when the mutex is
// set, and calls recover() itself when the hook is set, panicking again if the hook says so.
// Adapted to run standalone: the hook mutex is a mutex that prints Lock and Unlock; the conn,
// the streams, the shutdown timer and the doneServing channel are stubs that print when they
// are closed or stopped; the serve loop handles a list of frame names (a "bad" frame panics,
// "goaway" returns); main sets the hooks as the http2 tests do and prints what happens.
// The two package variables are thread-locals; `chan struct{}` is a flag that close() sets.
use fndefer::{Panic, defer, recover, with_defer};
use std::cell::{Cell, RefCell};
use std::rc::Rc;

#[derive(Default)]
struct LogMutex {
    locked: Cell<bool>,
}

impl LogMutex {
    fn lock(&self) {
        assert!(!self.locked.replace(true), "deadlock");
        println!("  hook mutex: Lock");
    }

    fn unlock(&self) {
        println!("  hook mutex: Unlock");
        self.locked.set(false);
    }
}

type Hook = fn(&Http2ServerConn, &Panic) -> bool;

thread_local! {
    static HTTP2_TEST_HOOK_ON_PANIC_MU: RefCell<Option<Rc<LogMutex>>> = const { RefCell::new(None) }; // nil except in tests

    // testHookOnPanic, if non-nil, should be called with testHookOnPanicMu
    // held. It returns whether the panic should be re-panicked.
    static HTTP2_TEST_HOOK_ON_PANIC: Cell<Option<Hook>> = const { Cell::new(None) };
}

fn http2_test_hook_on_panic_mu() -> Option<Rc<LogMutex>> {
    HTTP2_TEST_HOOK_ON_PANIC_MU.with(|m| m.borrow().clone())
}

fn http2_test_hook_on_panic() -> Option<Hook> {
    HTTP2_TEST_HOOK_ON_PANIC.with(|h| h.get())
}

// recover(), called from the body of the handler notePanic.
fn recovered() -> Option<Panic> {
    recover()
}

struct Conn {
    name: String,
}

impl Conn {
    fn close(&self) -> Option<String> {
        println!("  {}: conn closed", self.name);
        None
    }
}

#[derive(Default)]
struct Chan {
    closed: Cell<bool>,
}

fn close(ch: &Chan) {
    ch.closed.set(true);
}

struct Http2ServerConn {
    conn: Conn,
    done_serving: Chan,
    frames: Vec<&'static str>,
}

impl Http2ServerConn {
    fn close_all_streams_on_conn_close(&self) {
        println!("  {}: streams closed", self.conn.name);
    }

    fn stop_shutdown_timer(&self) {
        println!("  {}: shutdown timer stopped", self.conn.name);
    }

    // Go's notePanic calls recover() in its body. It needs #[with_defer] for its own defer, and
    // #[with_defer] rejects recover() in a body, so the call is in a helper (`recovered`).
    #[with_defer]
    fn note_panic(&self) {
        // Note: this is for serverConn.serve panicking, not http.Handler code.
        if let Some(mu) = http2_test_hook_on_panic_mu() {
            mu.lock();
            defer!(mu.unlock());
        }
        if let Some(hook) = http2_test_hook_on_panic() {
            if let Some(e) = recovered() {
                if hook(self, &e) {
                    e.resume();
                }
            }
        }
    }

    #[with_defer]
    fn serve(&self) {
        defer!(self.note_panic());
        defer!(self.conn.close());
        defer!(self.close_all_streams_on_conn_close());
        defer!(self.stop_shutdown_timer());
        defer!(close(&self.done_serving)); // unblocks handlers trying to send

        for f in &self.frames {
            match *f {
                "bad" => panic!("http2: unexpected frame on {}", self.conn.name),
                "goaway" => {
                    println!("  {}: goaway", self.conn.name);
                    return;
                }
                _ => println!("  {}: frame {}", self.conn.name, f),
            }
        }
    }
}

#[with_defer]
fn run(name: &str, frames: &[&'static str]) {
    defer!(|| if let Some(r) = recover() {
        println!("{}: serve panicked: {}", name, r);
    });
    println!("{}:", name);
    let sc = Http2ServerConn { conn: Conn { name: name.to_string() }, done_serving: Chan::default(), frames: frames.to_vec() };
    sc.serve();
    let open = !sc.done_serving.closed.get();
    println!("{}: serve returned (doneServing open: {})", name, open);
}

pub fn main() {
    std::panic::set_hook(Box::new(|_| {}));
    run("plain", &["headers", "data", "goaway", "data"]);
    run("no hook", &["headers", "bad", "data"]);

    HTTP2_TEST_HOOK_ON_PANIC_MU.with(|m| *m.borrow_mut() = Some(Rc::new(LogMutex::default())));
    run("mutex only", &["headers", "bad"]);

    HTTP2_TEST_HOOK_ON_PANIC.with(|h| {
        h.set(Some(|sc, panic_val| {
            println!("  hook: {} panicked with {}", sc.conn.name, panic_val);
            false
        }))
    });
    run("hook swallows", &["headers", "bad", "data"]);
    run("hook, no panic", &["headers"]);

    HTTP2_TEST_HOOK_ON_PANIC.with(|h| {
        h.set(Some(|sc, panic_val| {
            println!("  hook: {} panicked with {}; re-panic", sc.conn.name, panic_val);
            true
        }))
    });
    run("hook re-panics", &["bad"]);

    HTTP2_TEST_HOOK_ON_PANIC_MU.with(|m| *m.borrow_mut() = None);
    run("hook without mutex", &["data", "bad"]);
}
