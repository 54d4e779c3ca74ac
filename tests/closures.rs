//! `defer_scope!`: closures with their own defer scope, as Go's function
//! literals have (`go func() { defer wg.Done(); .. }()`).

mod common;

use common::{log, panic_message, take};
use fndefer::{defer, defer_scope, errdefer, recover, with_defer};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

fn assert_fn<F: Fn()>(f: F) -> F {
    f
}
fn assert_fn_mut<F: FnMut()>(f: F) -> F {
    f
}
fn assert_send<T: Send>(value: T) -> T {
    value
}

#[test]
fn deferred_calls_run_when_the_closure_returns_not_the_caller() {
    #[with_defer]
    fn outer() {
        defer!(log("outer deferred"));
        let literal = defer_scope!(|| {
            defer!(log("literal deferred"));
            log("literal body");
        });
        literal();
        log("after literal");
    }
    outer();
    assert_eq!(
        take(),
        [
            "literal body",
            "literal deferred",
            "after literal",
            "outer deferred"
        ]
    );
}

#[test]
fn a_closure_called_twice_runs_its_defers_each_time() {
    let counter = AtomicUsize::new(0);
    let bump = assert_fn(defer_scope!(|| {
        defer!(log(format!("done {}", counter.load(Ordering::SeqCst))));
        counter.fetch_add(1, Ordering::SeqCst);
    }));
    bump();
    bump();
    assert_eq!(take(), ["done 0", "done 1"]);
}

#[test]
fn fn_mut_closures_keep_their_kind_and_see_final_state() {
    let mut seen = Vec::new();
    {
        let mut push = assert_fn_mut(defer_scope!(|| {
            defer! { log(format!("pushed {}", seen.len())); }
            seen.push(seen.len());
        }));
        push();
        push();
    }
    assert_eq!(seen, [0, 1]);
    assert_eq!(take(), ["pushed 1", "pushed 2"]);
}

#[test]
fn fn_once_closures_may_move_their_captures() {
    let name = String::from("job");
    let consume = defer_scope!(move || {
        defer!(log(format!("released {name}")));
        name.len()
    });
    assert_eq!(consume(), 3);
    assert_eq!(take(), ["released job"]);
}

#[test]
fn closure_parameters_and_results() {
    let double = defer_scope!(|x: i32| -> i32 {
        defer!(|ret| if let Some(value) = ret {
            *value += 1;
        });
        x * 2
    });
    assert_eq!(double(4), 9);
    let parse = defer_scope!(|text: &str| -> Result<i32, String> {
        errdefer!(|e| *e = format!("parsing {text:?}: {e}"));
        let value: i32 = text.parse().map_err(|e| format!("{e}"))?;
        Ok(value)
    });
    assert_eq!(parse("12"), Ok(12));
    assert_eq!(
        parse("x"),
        Err("parsing \"x\": invalid digit found in string".to_string())
    );
}

#[test]
fn loops_and_adoption_inside_the_closure() {
    let run = defer_scope!(allow(loop); |n: usize| {
        let mut total = 0;
        defer!(|| log(format!("total {total}")));
        for i in 0..n {
            defer!(log(format!("loop {i}")));
            total += i;
        }
    });
    run(3);
    assert_eq!(take(), ["loop 2", "loop 1", "loop 0", "total 3"]);
}

/// Go: `go func() { defer wg.Done(); defer func() { recover() }(); work() }()`.
#[test]
fn spawned_workers_with_a_counter_and_per_worker_recover() {
    let done = Arc::new(AtomicUsize::new(0));
    let results = Arc::new(Mutex::new(vec![String::new(); 4]));
    let handles: Vec<_> = (0..4)
        .map(|i| {
            let (done, results) = (done.clone(), results.clone());
            std::thread::spawn(assert_send(defer_scope!(move || {
                defer!(done.fetch_add(1, Ordering::SeqCst));
                defer!(|| if let Some(p) = recover() {
                    results.lock().unwrap()[i] = format!("recovered: {p}");
                });
                common::quiet_panics();
                if i == 2 {
                    panic!("worker {i} failed");
                }
                results.lock().unwrap()[i] = format!("result {}", i * 10);
            })))
        })
        .collect();
    for handle in handles {
        handle.join().expect("the worker recovered its own panic");
    }
    assert_eq!(done.load(Ordering::SeqCst), 4);
    assert_eq!(
        *results.lock().unwrap(),
        [
            "result 0",
            "result 10",
            "recovered: worker 2 failed",
            "result 30"
        ]
    );
}

#[test]
fn scoped_threads_borrow_the_callers_state() {
    let finished = AtomicUsize::new(0);
    let sums = Mutex::new(Vec::new());
    let data = [1, 2, 3, 4];
    std::thread::scope(|scope| {
        for chunk in data.chunks(2) {
            scope.spawn(defer_scope!(|| {
                defer!(finished.fetch_add(1, Ordering::SeqCst));
                sums.lock().unwrap().push(chunk.iter().sum::<i32>());
            }));
        }
    });
    assert_eq!(finished.load(Ordering::SeqCst), 2);
    let mut sums = sums.into_inner().unwrap();
    sums.sort_unstable();
    assert_eq!(sums, [3, 7]);
}

#[test]
fn iterator_adaptors() {
    let squares: Vec<i32> = (1..=3)
        .map(defer_scope!(|x: i32| -> i32 {
            defer!(log(format!("mapped {x}")));
            x * x
        }))
        .collect();
    assert_eq!(squares, [1, 4, 9]);
    assert_eq!(take(), ["mapped 1", "mapped 2", "mapped 3"]);
}

struct Button {
    on_click: Box<dyn Fn(&str) -> usize>,
}

#[test]
fn callbacks_stored_in_structs() {
    let button = Button {
        on_click: Box::new(defer_scope!(|who: &str| -> usize {
            defer!(log(format!("handled click by {who}")));
            who.len()
        })),
    };
    assert_eq!((button.on_click)("ann"), 3);
    assert_eq!(take(), ["handled click by ann"]);
}

#[test]
fn a_panic_in_the_closure_runs_its_defers_then_propagates() {
    common::quiet_panics();
    let message = panic_message(defer_scope!(|| {
        defer!(log("cleanup"));
        panic!("inside literal");
    }));
    assert_eq!(message, "inside literal");
    assert_eq!(take(), ["cleanup"]);
}

/// Go: `defer func() { defer fmt.Println("inner"); fmt.Println("outer literal") }()`.
#[test]
fn nested_deferred_function_literals() {
    #[with_defer]
    fn outer() {
        defer!(defer_scope!(|| {
            defer!(log("inner literal deferred"));
            log("deferred literal body");
        })());
        log("body");
    }
    outer();
    assert_eq!(
        take(),
        ["body", "deferred literal body", "inner literal deferred"]
    );
}

/// Go's recover.go: a deferred literal that panics and recovers itself does
/// not disturb the outer function's panic handling.
#[test]
fn a_deferred_literal_recovers_its_own_panic() {
    common::quiet_panics();
    #[with_defer]
    fn outer() -> i32 {
        defer!(defer_scope!(|| {
            defer!(|| log(format!(
                "literal recovered {:?}",
                recover().map(|p| p.to_string())
            )));
            panic!("literal panic");
        })());
        1
    }
    assert_eq!(outer(), 1);
    assert_eq!(take(), ["literal recovered Some(\"literal panic\")"]);
}

#[test]
fn options_silence_lints() {
    let run = defer_scope!(allow(loop); |n: u32| {
        for i in 0..n {
            defer!(log(format!("queued {i}")));
        }
    });
    run(2);
    assert_eq!(take(), ["queued 1", "queued 0"]);
}

/// Go's `defer func() { defer x(); if r := recover(); r != nil { .. } }()`
/// as documented: `defer!(defer_scope!(|| { .. })())` is built at exit (it
/// sees the final state, and the body may still assign what it names), its
/// own defers run when it returns, and its `recover()` stops the panic of
/// the function that deferred it (issue 14.1).
#[with_defer]
fn deferred_literal(fail: bool) {
    let mut state = String::from("start");
    defer!(defer_scope!(|| {
        defer!(log("literal's own deferred call"));
        if let Some(p) = recover() {
            log(format!("recovered {p} at {state}"));
        } else {
            log(format!("nothing to recover at {state}"));
        }
    })());
    state.replace_range(.., "changed");
    if fail {
        panic!("boom");
    }
}

#[test]
fn a_deferred_literal_is_built_at_exit_and_recovers() {
    common::quiet_panics();
    deferred_literal(false);
    assert_eq!(
        take(),
        [
            "nothing to recover at changed",
            "literal's own deferred call"
        ]
    );
    deferred_literal(true);
    assert_eq!(
        take(),
        ["recovered boom at changed", "literal's own deferred call"]
    );
}
