//! Defers in loops queue one call per iteration until the function returns.

mod common;
use common::{log, take};
use fndefer::{defer, with_defer};

#[with_defer(allow(loop))]
fn for_loop(n: i32) {
    for i in 0..n {
        defer!(log(format!("for {i}")));
        log(format!("iter {i}"));
    }
    log("after loop");
}

#[test]
fn for_loop_lifo_across_iterations() {
    for_loop(3);
    assert_eq!(
        take(),
        [
            "iter 0",
            "iter 1",
            "iter 2",
            "after loop",
            "for 2",
            "for 1",
            "for 0"
        ]
    );
    for_loop(0);
    assert_eq!(take(), ["after loop"]);
}

#[with_defer(allow(loop))]
fn while_loop(mut n: i32) {
    while n > 0 {
        defer!(log(format!("while {n}")));
        n -= 1;
    }
    log(format!("n={n}"));
}

#[test]
fn while_loop_defers() {
    while_loop(3);
    assert_eq!(take(), ["n=0", "while 1", "while 2", "while 3"]);
}

#[with_defer(allow(loop))]
fn plain_loop() -> i32 {
    let mut i = 0;
    loop {
        if i == 3 {
            break i * 10;
        }
        defer!(log(format!("loop {i}")));
        i += 1;
    }
}

#[test]
fn loop_with_break_value() {
    assert_eq!(plain_loop(), 30);
    assert_eq!(take(), ["loop 2", "loop 1", "loop 0"]);
}

#[with_defer(allow(loop))]
fn labeled(rows: i32, cols: i32) -> i32 {
    let mut seen = 0;
    'outer: for r in 0..rows {
        defer!(log(format!("row {r}")));
        for c in 0..cols {
            if c == 1 && r == 1 {
                continue 'outer;
            }
            if r == 2 {
                break 'outer;
            }
            defer!(log(format!("cell {r}{c}")));
            seen += 1;
        }
    }
    seen
}

#[test]
fn labeled_break_and_continue() {
    assert_eq!(labeled(4, 2), 3);
    assert_eq!(
        take(),
        ["row 2", "cell 10", "row 1", "cell 01", "cell 00", "row 0"]
    );
}

#[with_defer(allow(loop))]
fn return_from_loop(stop: i32) -> i32 {
    defer!(log("before loop"));
    for i in 0.. {
        defer!(log(format!("i {i}")));
        if i == stop {
            return i;
        }
    }
    unreachable!()
}

#[test]
fn return_from_inside_a_loop() {
    assert_eq!(return_from_loop(2), 2);
    assert_eq!(take(), ["i 2", "i 1", "i 0", "before loop"]);
}

#[with_defer(allow(loop))]
fn mixed(n: i32) {
    defer!(log("static first"));
    for i in 0..n {
        defer!(log(format!("a {i}")));
        if i % 2 == 0 {
            defer!(log(format!("b {i}")));
        }
    }
    defer!(log("static last"));
    let mut j = 0;
    while j < 2 {
        defer!(log(format!("w {j}")));
        j += 1;
    }
}

#[test]
fn mixed_static_and_loop_sites() {
    mixed(3);
    assert_eq!(
        take(),
        [
            "w 1",
            "w 0",
            "static last",
            "b 2",
            "a 2",
            "a 1",
            "b 0",
            "a 0",
            "static first"
        ]
    );
}

#[with_defer(allow(loop))]
fn nested_loops() {
    for i in 0..2 {
        for j in 0..2 {
            defer!(log(format!("{i}{j}")));
        }
        defer!(log(format!("end {i}")));
    }
}

#[test]
fn nested_loops_interleave_lifo() {
    nested_loops();
    assert_eq!(take(), ["end 1", "11", "10", "end 0", "01", "00"]);
}

thread_local!(static SUM: std::cell::Cell<(u64, u64, Option<u64>, Option<u64>)> =
    const { std::cell::Cell::new((0, 0, None, None)) });

fn visit(i: u64) {
    SUM.with(|s| {
        let (sum, count, first, _) = s.get();
        s.set((sum + i, count + 1, first.or(Some(i)), Some(i)));
    });
}

#[with_defer(allow(loop))]
fn many(n: u64) {
    for i in 0..n {
        defer!(visit(i));
    }
}

#[test]
fn two_hundred_thousand_loop_defers_in_one_call() {
    const N: u64 = 200_000;
    many(N);
    let (sum, count, first, last) = SUM.with(std::cell::Cell::get);
    assert_eq!(count, N);
    assert_eq!(sum, N * (N - 1) / 2);
    assert_eq!(first, Some(N - 1), "the last queued runs first");
    assert_eq!(last, Some(0), "the first queued runs last");
}

#[with_defer(allow(loop))]
fn loop_args_moved(words: &[&str]) {
    for w in words {
        let owned = w.to_uppercase();
        defer!(log(owned));
    }
}

#[test]
fn owned_values_queued_per_iteration() {
    loop_args_moved(&["a", "b", "c"]);
    assert_eq!(take(), ["C", "B", "A"]);
}

#[with_defer]
fn nine_sites(skip: u32) {
    defer!(log("0"));
    defer!(log("1"));
    defer!(log("2"));
    if skip != 3 {
        defer!(log("3"));
    }
    defer!(log("4"));
    defer!(log("5"));
    defer!(log("6"));
    defer!(log("7"));
    if skip == 9 {
        return;
    }
    defer!(log("8"));
    defer!(log("9"));
}

#[test]
fn more_than_eight_sites_without_a_loop() {
    nine_sites(0);
    assert_eq!(take(), ["9", "8", "7", "6", "5", "4", "3", "2", "1", "0"]);
    nine_sites(3);
    assert_eq!(take(), ["9", "8", "7", "6", "5", "4", "2", "1", "0"]);
    nine_sites(9);
    assert_eq!(take(), ["7", "6", "5", "4", "3", "2", "1", "0"]);
}

#[with_defer(allow(loop))]
fn defers_in_loop_see_final_params(mut total: i32) {
    for i in 0..3 {
        defer!(|| log(format!("closure {i} total={total}")));
        total += i;
    }
    total += 100;
}

#[test]
fn loop_closures_see_final_parameter_state() {
    defers_in_loop_see_final_params(0);
    assert_eq!(
        take(),
        [
            "closure 2 total=103",
            "closure 1 total=103",
            "closure 0 total=103"
        ]
    );
}
