// Case defer_test_go: port of /usr/share/go-1.19/src/runtime/defer_test.go TestUnconditionalPanic,
// TestOpenAndNonOpenDefers, TestNonOpenAndOpenDefers, TestConditionalDefers,
// TestDisappearingDefer, TestDeferForFuncWithNoExit, TestDeferWithRepeatedRepanics,
// TestIssue37688 and TestIssue43941 (the other tests of that file are the cases
// aborted_panic, recover_matching, nonssa_args, issue43920 and issue43921).
// *testing.T is a small struct whose Fatal prints the message; each test prints PASS or FAIL.
// The helper growStackIter (runtime/export_test.go) is written out, and the commented-out
// debug prints of interpreter() print to stdout, as do the call counts of TestIssue37688.
// Go's func literals with defers of their own are defer_scope! closures; `steps`, an int
// shared by pointer with them, is a Cell.
use fndefer::{Panic, defer, defer_scope, recover, with_defer};
use std::cell::Cell;
use std::panic::panic_any;
use std::sync::Mutex;
use std::sync::atomic::{AtomicI32, AtomicU32, Ordering};

struct T {
    failed: Cell<bool>,
}

impl T {
    fn fatal(&self, msg: &str) {
        self.failed.set(true);
        println!("    FATAL: {}", msg);
    }
}

fn run(name: &str, f: fn(t: &T)) {
    let t = &T {
        failed: Cell::new(false),
    };
    f(t);
    if t.failed.get() {
        println!("--- FAIL: {}", name);
    } else {
        println!("--- PASS: {}", name);
    }
}

fn go_val(r: &Option<Panic>) -> String {
    match r {
        None => "<nil>".to_string(),
        Some(p) => match p.downcast_ref::<i32>() {
            Some(n) => n.to_string(),
            None => p.to_string(),
        },
    }
}

fn msg(r: &Option<Panic>) -> Option<&str> {
    r.as_ref().and_then(|p| p.message())
}

// Make sure open-coded defer exit code is not lost, even when there is an
// unconditional panic (hence no return from the function)
#[with_defer]
fn test_unconditional_panic(t: &T) {
    defer!(|| {
        if msg(&recover()) != Some("testUnconditional") {
            t.fatal("expected unconditional panic");
        }
    });
    panic!("testUnconditional");
}

static GLOB: i32 = 3;

// Test an open-coded defer and non-open-coded defer - make sure both defers run
// and call recover()
#[with_defer(allow(loop))]
fn test_open_and_non_open_defers(t: &T) {
    loop {
        // Non-open defer because in a loop
        defer!(move || {
            let _n = 3;
            if msg(&recover()) != Some("testNonOpenDefer") {
                t.fatal("expected testNonOpen panic");
            }
        });
        if GLOB > 2 {
            break;
        }
    }
    test_open(t, 47);
    panic!("testNonOpenDefer");
}

#[with_defer]
fn test_open(t: &T, arg: i32) {
    defer!(move || {
        let _n = 4;
        if msg(&recover()) != Some("testOpenDefer") {
            t.fatal("expected testOpen panic");
        }
    });
    if arg > 2 {
        panic!("testOpenDefer");
    }
}

// Test a non-open-coded defer and an open-coded defer - make sure both defers run
// and call recover()
#[with_defer(allow(loop))]
fn test_non_open_and_open_defers(t: &T) {
    test_open(t, 47);
    loop {
        // Non-open defer because in a loop
        defer!(move || {
            let _n = 3;
            if msg(&recover()) != Some("testNonOpenDefer") {
                t.fatal("expected testNonOpen panic");
            }
        });
        if GLOB > 2 {
            break;
        }
    }
    panic!("testNonOpenDefer");
}

static LIST: Mutex<Vec<i32>> = Mutex::new(Vec::new());

fn fmt_list(l: &[i32]) -> String {
    let items: Vec<String> = l.iter().map(|i| i.to_string()).collect();
    format!("[{}]", items.join(" "))
}

// Make sure that conditional open-coded defers are activated correctly and run in
// the correct order.
#[with_defer]
fn test_conditional_defers(t: &T) {
    *LIST.lock().unwrap() = Vec::with_capacity(10);

    defer!(|| {
        if msg(&recover()) != Some("testConditional") {
            t.fatal("expected panic");
        }
        let want = vec![4, 2, 1];
        let list = LIST.lock().unwrap().clone();
        if want != list {
            t.fatal(&format!(
                "wanted {}, got {}",
                fmt_list(&want),
                fmt_list(&list)
            ));
        }
    });
    test_conditional_defers_(8);
}

#[with_defer]
fn test_conditional_defers_(n: i32) {
    let doappend = |i: i32| {
        LIST.lock().unwrap().push(i);
    };

    defer!(doappend(1));
    if n > 5 {
        defer!(doappend(2));
        if n > 8 {
            defer!(doappend(3));
        } else {
            defer!(doappend(4));
        }
    }
    panic!("testConditional");
}

// Test that there is no compile-time or run-time error if an open-coded defer
// call is removed by constant propagation and dead-code elimination.
#[with_defer]
fn test_disappearing_defer(t: &T) {
    match std::env::consts::OS {
        "invalidOS" => {
            defer!(|| {
                t.fatal("Defer shouldn't run");
            });
        }
        _ => {}
    }
}

#[inline(never)]
fn do_panic() {
    panic!("Test panic");
}

// runtime's export_test.go: grow the stack by recursing n times.
fn grow_stack_iter(p: &mut i32, n: i32) {
    if n == 0 {
        *p = n + 1;
        return;
    }
    *p = n + 1;
    grow_stack_iter(p, n - 1);
}

#[with_defer]
fn test_defer_for_func_with_no_exit(t: &T) {
    let mut cond = 1;
    defer!(|| {
        if cond != 2 {
            t.fatal(&format!("cond: wanted 2, got {}", cond));
        }
        if msg(&recover()) != Some("Test panic") {
            t.fatal("Didn't find expected panic");
        }
    });
    let mut x = 0;
    // Force a stack copy, to make sure that the &cond pointer passed to defer
    // function is properly updated.
    grow_stack_iter(&mut x, 1000);
    cond = 2;
    do_panic();

    // This function has no exit/return, since it ends with an infinite loop
    loop {}
}

// Test case approximating issue #37664, where a recursive function (interpreter)
// may do repeated recovers/re-panics until it reaches the frame where the panic
// can actually be handled. The recurseFnPanicRec() function is testing that there
// are no stale defer structs on the defer chain after the interpreter() sequence,
// by writing a bunch of 0xffffffffs into several recursive stack frames, and then
// doing a single panic-recover which would invoke any such stale defer structs.
fn test_defer_with_repeated_repanics(_t: &T) {
    interpreter(0, 6, 2);
    recurse_fn_panic_rec(0, 10);
    interpreter(0, 5, 1);
    recurse_fn_panic_rec(0, 10);
    interpreter(0, 6, 3);
    recurse_fn_panic_rec(0, 10);
    println!("    saveInt = {}", SAVE_INT.load(Ordering::Relaxed));
}

#[with_defer]
fn interpreter(level: i32, maxlevel: i32, rec: i32) {
    defer!(|| {
        let e = recover();
        let Some(e) = e else {
            return;
        };
        if level != *e.downcast_ref::<i32>().unwrap() {
            println!("    re-panicing, level {}", level);
            e.resume();
        }
        println!("    Recovered, level {}", level);
    });
    if level + 1 < maxlevel {
        interpreter(level + 1, maxlevel, rec);
    } else {
        println!("    Initiating panic");
        panic_any(rec);
    }
}

#[with_defer]
fn recurse_fn_panic_rec(level: i32, maxlevel: i32) {
    defer!(|| {
        let _ = recover();
    });
    recurse_fn(level, maxlevel);
}

static SAVE_INT: AtomicU32 = AtomicU32::new(0);

fn recurse_fn(level: i32, maxlevel: i32) {
    let a = [0xffffffffu32; 40];
    if level + 1 < maxlevel {
        // Make sure a array is referenced, so it is not optimized away
        SAVE_INT.store(a[4], Ordering::Relaxed);
        recurse_fn(level + 1, maxlevel);
    } else {
        panic!("recurseFn panic");
    }
}

// Try to reproduce issue #37688, where a pointer to an open-coded defer struct is
// mistakenly held, and that struct keeps a pointer to a stack-allocated defer
// struct, and that stack-allocated struct gets overwritten or the stack gets
// moved, so a memory error happens on GC.
fn test_issue37688(_t: &T) {
    for _j in 0..10 {
        g2();
        g3();
    }
    let g = GLOBSTRUCT.lock().unwrap();
    println!(
        "    method1: {} method2: {} globstruct: {{{} {} {} {} {} {} {} {} {}}}",
        CALLS1.load(Ordering::Relaxed),
        CALLS2.load(Ordering::Relaxed),
        g.a,
        g.b,
        g.c,
        g.d,
        g.e,
        g.f,
        g.g,
        g.h,
        g.i
    );
}

struct Foo {}

static CALLS1: AtomicI32 = AtomicI32::new(0);
static CALLS2: AtomicI32 = AtomicI32::new(0);

impl Foo {
    #[inline(never)]
    fn method1(&self) {
        CALLS1.fetch_add(1, Ordering::Relaxed);
    }

    #[inline(never)]
    fn method2(&self) {
        CALLS2.fetch_add(1, Ordering::Relaxed);
    }
}

#[with_defer(allow(loop))]
fn g2() {
    // Go's `var a foo; ap := &a` (a escapes to the heap): body locals are dropped before the
    // deferred calls run, so `ap` borrowing a body local `a` could not reach them; `&Foo {}`
    // is a promoted constant ('static), like a heap object that lives on.
    let ap = &Foo {};
    // The loop forces this defer to be heap-allocated and the remaining two
    // to be stack-allocated.
    for _i in 0..1 {
        defer!(ap.method1());
    }
    defer!(ap.method2());
    defer!(ap.method1());
    ff1(ap, 1, 2, 3, 4, 5, 6, 7, 8, 9);
    // Try to get the stack to be moved by growing it too large, so
    // existing stack-allocated defer becomes invalid.
    rec1(2000);
}

fn g3() {
    // Mix up the stack layout by adding in an extra function frame
    g2();
}

struct GlobStruct {
    a: i32,
    b: i32,
    c: i32,
    d: i32,
    e: i32,
    f: i32,
    g: i32,
    h: i32,
    i: i32,
}

static GLOBSTRUCT: Mutex<GlobStruct> = Mutex::new(GlobStruct {
    a: 0,
    b: 0,
    c: 0,
    d: 0,
    e: 0,
    f: 0,
    g: 0,
    h: 0,
    i: 0,
});

#[allow(clippy::too_many_arguments)]
#[with_defer]
fn ff1(ap: &Foo, a: i32, b: i32, c: i32, d: i32, e: i32, f: i32, g: i32, h: i32, i: i32) {
    defer!(ap.method1());

    // Make a defer that has a very large set of args, hence big size for the
    // defer record for the open-coded frame (which means it won't use the
    // defer pool)
    defer!(move || {
        let (_ap, a, b, c, d, e, f, g, h, _i) = (ap, a, b, c, d, e, f, g, h, i);
        if let Some(_v) = recover() {}
        let mut globstruct = GLOBSTRUCT.lock().unwrap();
        globstruct.a = a;
        globstruct.b = b;
        globstruct.c = c;
        globstruct.d = d;
        globstruct.e = e;
        globstruct.f = f;
        globstruct.g = g;
        globstruct.h = h;
    });
    panic!("ff1 panic");
}

fn rec1(max: i32) {
    if max > 0 {
        rec1(max - 1);
    }
}

fn expect(t: &T, n: i32, err: Option<Panic>) {
    if err.as_ref().and_then(|p| p.downcast_ref::<i32>()) != Some(&n) {
        t.fatal(&format!("have {}, want {}", go_val(&err), n));
    }
}

fn step(t: &T, steps: &Cell<i32>, want: i32) {
    steps.set(steps.get() + 1);
    if steps.get() != want {
        t.fatal(&format!("have {}, want {}", steps.get(), want));
    }
    println!("    step {}", want);
}

#[with_defer]
fn test_issue43941(t: &T) {
    let steps = Cell::new(7);
    defer!(|| {
        step(t, &steps, 14);
        expect(t, 4, recover());
    });
    (defer_scope!(|| {
        (defer_scope!(|| {
            defer!(defer_scope!(|| {
                defer!(|| {
                    expect(t, 3, recover());
                });
                defer!(panic_any(3i32));
                panic_any(2i32);
            })());
            defer!(|| {
                expect(t, 1, recover());
            });
            defer!(panic_any(1i32));
        }))();
        defer!(|| {});
        defer!(|| {});
        defer!(step(t, &steps, 10));
        defer!(step(t, &steps, 9));
        step(t, &steps, 8);
    }))();
    (defer_scope!(|| {
        defer!(step(t, &steps, 13));
        defer!(step(t, &steps, 12));
        (defer_scope!(|| {
            defer!(step(t, &steps, 11));
            panic_any(4i32);
        }))();

        // Code below isn't executed,
        // but removing it breaks the test case.
        defer!(|| {});
        defer!(panic_any(-1i32));
        defer!(step(t, &steps, -1));
        defer!(step(t, &steps, -1));
        defer!(|| {});
    }))();
}

pub fn main() {
    run("TestUnconditionalPanic", test_unconditional_panic);
    run("TestOpenAndNonOpenDefers", test_open_and_non_open_defers);
    run("TestNonOpenAndOpenDefers", test_non_open_and_open_defers);
    run("TestConditionalDefers", test_conditional_defers);
    run("TestDisappearingDefer", test_disappearing_defer);
    run(
        "TestDeferForFuncWithNoExit",
        test_defer_for_func_with_no_exit,
    );
    run(
        "TestDeferWithRepeatedRepanics",
        test_defer_with_repeated_repanics,
    );
    run("TestIssue37688", test_issue37688);
    run("TestIssue43941", test_issue43941);
}
