// Case frunner_cleanup: port of fRunner from Go 1.19 src/testing/fuzz.go and
// (*common).runCleanup from src/testing/testing.go (golang/go, go1.19.8;
// /usr/share/go-1.19/src/testing/). fRunner's first defer is a function literal with a defer
// of its own (`defer func() { if !didPanic { f.signal <- true } }()`) whose recover() stops
// the fuzz test's panic (or a cleanup's) and whose doPanic panics again; runCleanup has the
// named result panicVal, set by a conditional deferred recover, and a deferred literal that
// calls runCleanup again so that a panicking cleanup does not skip the others.
// Adapted to run standalone: F and common keep the fields these functions use (no parent,
// no subtests, no durations); Fuzz runs the target on two seeds; Error, Logf, Fail, Failed,
// Cleanup, setRan and report are cut down (report prints PASS or FAIL and the log), and the
// loop of doPanic that flushes the output up to the root is one flushToParent of f itself;
// main runs fRunner on a few fuzz tests and prints what happens.
// *F is &F with Cell/RefCell fields (Go mutates it through the pointer from the body and the
// deferred literals); common is folded into F; sync.RWMutex is a no-op stub (one thread);
// `chan bool` with a buffer of 1 is a Vec; the recovered `any` is Option<Panic>.
use fndefer::{Panic, defer, defer_scope, recover, with_defer};
use std::cell::{Cell, RefCell};
use std::sync::atomic::{AtomicU32, Ordering};

static NUM_FAILED: AtomicU32 = AtomicU32::new(0); // number of test failures

fn err_nil_panic_or_goexit() -> String {
    "test executed panic(nil) or runtime.Goexit".to_string()
}

#[derive(PartialEq)]
enum PanicHandling {
    NormalPanic,
    RecoverAndReturnPanic,
}

// sync.RWMutex: this program has one goroutine.
#[derive(Default)]
struct RwMutex;

impl RwMutex {
    fn lock(&self) {}
    fn unlock(&self) {}
    fn rlock(&self) {}
    fn runlock(&self) {}
}

#[derive(Default)]
struct F {
    mu: RwMutex,
    output: RefCell<Vec<String>>,
    failed: Cell<bool>,
    skipped: Cell<bool>,
    finished: Cell<bool>,
    done: Cell<bool>,
    ran: Cell<bool>,
    cleanups: RefCell<Vec<Box<dyn Fn()>>>,
    name: String,
    sub: Vec<F>,
    signal: RefCell<Vec<bool>>,
    fuzz_called: Cell<bool>,
}

impl F {
    #[with_defer]
    fn fail(&self) {
        self.mu.lock();
        defer!(self.mu.unlock());
        self.failed.set(true);
    }

    #[with_defer]
    fn failed(&self) -> bool {
        self.mu.rlock();
        defer!(self.mu.runlock());
        self.failed.get()
    }

    #[with_defer]
    fn logf(&self, text: String) {
        self.mu.lock();
        defer!(self.mu.unlock());
        self.output.borrow_mut().push(text);
    }

    fn error(&self, text: &str) {
        self.logf(format!("{}\n", text));
        self.fail();
    }

    #[with_defer]
    fn cleanup(&self, f: Box<dyn Fn()>) {
        self.mu.lock();
        defer!(self.mu.unlock());
        self.cleanups.borrow_mut().push(f);
    }

    #[with_defer]
    fn set_ran(&self) {
        self.mu.lock();
        defer!(self.mu.unlock());
        self.ran.set(true);
    }

    fn flush_to_parent(&self, _test_name: &str, text: String) {
        print!("{}", text);
        for line in self.output.borrow().iter() {
            print!("    {}", line);
            if !line.ends_with('\n') {
                println!();
            }
        }
        self.output.borrow_mut().clear();
    }

    fn fuzz(&self, ff: fn(&str)) {
        self.fuzz_called.set(true);
        for seed in ["seed1", "seed2"] {
            ff(seed);
        }
    }

    fn report(&self) {
        if self.failed() {
            self.flush_to_parent(&self.name, format!("--- {}: {}\n", "FAIL", self.name));
        } else {
            self.flush_to_parent(&self.name, format!("--- {}: {}\n", "PASS", self.name));
        }
    }

    // runCleanup is called at the end of the test.
    // If catchPanic is true, this will catch panics, and return the recovered
    // value if any.
    #[with_defer(named(panic_val))]
    fn run_cleanup(&self, ph: PanicHandling) -> Option<Panic> {
        if ph == PanicHandling::RecoverAndReturnPanic {
            defer!(|| {
                panic_val = recover();
            });
        }

        // Make sure that if a cleanup function panics,
        // we still run the remaining cleanup functions.
        defer!(|| {
            self.mu.lock();
            let recur = !self.cleanups.borrow().is_empty();
            self.mu.unlock();
            if recur {
                self.run_cleanup(PanicHandling::NormalPanic);
            }
        });

        loop {
            let mut cleanup: Option<Box<dyn Fn()>> = None;
            self.mu.lock();
            if !self.cleanups.borrow().is_empty() {
                cleanup = self.cleanups.borrow_mut().pop();
            }
            self.mu.unlock();
            if cleanup.is_none() {
                return None;
            }
            cleanup.unwrap()();
        }
    }
}

// fRunner wraps a call to a fuzz test and ensures that cleanup functions are
// called and status flags are set. fRunner should be called in its own
// goroutine. To wait for its completion, receive from f.signal.
#[with_defer]
fn f_runner(f: &F, fun: fn(&F)) {
    // When this goroutine is done, either because runtime.Goexit was called, a
    // panic started, or fn returned normally, record the duration and send
    // t.signal, indicating the fuzz test is done.
    defer!(defer_scope!(|| {
        // Detect whether the fuzz test panicked or called runtime.Goexit
        // without calling F.Fuzz, F.Fail, or F.Skip. If it did, panic (possibly
        // replacing a nil panic value). Nothing should recover after fRunner
        // unwinds, so this should crash the process and print stack.
        // Unfortunately, recovering here adds stack frames, but the location of
        // the original panic should still be
        // clear.
        if f.failed() {
            NUM_FAILED.fetch_add(1, Ordering::SeqCst);
        }
        let mut err = recover();
        if err.is_none() {
            f.mu.rlock();
            let fuzz_not_called = !f.fuzz_called.get() && !f.skipped.get() && !f.failed.get();
            if !f.finished.get() && !f.skipped.get() && !f.failed.get() {
                err = Some(Panic::from_payload(Box::new(err_nil_panic_or_goexit())));
            }
            f.mu.runlock();
            if fuzz_not_called && err.is_none() {
                f.error("returned without calling F.Fuzz, F.Fail, or F.Skip");
            }
        }

        // Use a deferred call to ensure that we report that the test is
        // complete even if a cleanup function calls F.FailNow. See issue 41355.
        let mut did_panic = false;
        defer!(|| {
            if !did_panic {
                // Only report that the test is complete if it doesn't panic,
                // as otherwise the test binary can exit before the panic is
                // reported to the user. See issue 41479.
                f.signal.borrow_mut().push(true);
            }
        });

        // If we recovered a panic or inappropriate runtime.Goexit, fail the test,
        // flush the output log up to the root, then panic.
        let mut do_panic = |err: Panic| {
            f.fail();
            if let Some(r) = f.run_cleanup(PanicHandling::RecoverAndReturnPanic) {
                f.logf(format!("cleanup panicked with {}", r));
            }
            f.flush_to_parent(&f.name, format!("--- FAIL: {}\n", f.name));
            did_panic = true;
            err.resume();
        };
        if let Some(err) = err {
            do_panic(err);
        }

        // Report after all subtests have finished.
        f.report();
        f.done.set(true);
        f.set_ran();
    })());
    defer!(|| {
        if f.sub.is_empty() {
            f.run_cleanup(PanicHandling::NormalPanic);
        }
    });

    fun(f);

    // Code beyond this point will not be executed when FailNow or SkipNow
    // is invoked.
    f.mu.lock();
    f.finished.set(true);
    f.mu.unlock();
}

#[with_defer]
fn run(name: &str, fun: fn(&F)) {
    let f = F { name: name.to_string(), ..F::default() };
    defer!(|| if let Some(r) = recover() {
        println!(
            "{}: fRunner panicked: {} (signals={} done={} numFailed={})",
            name,
            r,
            f.signal.borrow().len(),
            f.done.get(),
            NUM_FAILED.load(Ordering::SeqCst)
        );
    });
    f_runner(&f, fun);
    let signal = f.signal.borrow_mut().remove(0);
    println!(
        "{}: fRunner returned (signal={} done={} ran={} numFailed={})",
        name,
        signal,
        f.done.get(),
        f.ran.get(),
        NUM_FAILED.load(Ordering::SeqCst)
    );
}

pub fn main() {
    std::panic::set_hook(Box::new(|_| {}));
    run("FuzzOK", |f| {
        f.cleanup(Box::new(|| println!("  cleanup: remove corpus dir")));
        f.fuzz(|s| println!("  fuzz {}", s));
    });
    run("FuzzNoFuzz", |f| {
        f.cleanup(Box::new(|| println!("  cleanup: close db")));
        f.logf("set up without fuzzing".to_string());
    });
    run("FuzzFail", |f| {
        f.logf("bad corpus".to_string());
        f.fail();
    });
    run("FuzzPanics", |f| {
        f.cleanup(Box::new(|| println!("  cleanup: stop server")));
        f.logf("about to panic".to_string());
        panic!("fuzz target exploded");
    });
    run("FuzzCleanupPanics", |f| {
        f.cleanup(Box::new(|| println!("  cleanup A")));
        f.cleanup(Box::new(|| panic!("cleanup B failed")));
        f.cleanup(Box::new(|| println!("  cleanup C")));
        f.fuzz(|s| println!("  fuzz {}", s));
    });
    run("FuzzBothPanic", |f| {
        f.cleanup(Box::new(|| println!("  cleanup A")));
        f.cleanup(Box::new(|| panic!("cleanup B failed too")));
        panic!("fuzz target exploded again");
    });
}
