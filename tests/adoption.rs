//! Adoption: a body local named by reference in deferred code moves into the
//! frame and is lent back to the body under the same name; the deferred code
//! sees its final state.

mod common;
use common::{log, take};
use fndefer::{defer, with_defer};

#[derive(Debug)]
struct File {
    name: String,
    writes: u32,
    closed: bool,
}

impl File {
    fn open(name: &str) -> File {
        File {
            name: name.to_string(),
            writes: 0,
            closed: false,
        }
    }
    fn write(&mut self) {
        assert!(!self.closed, "write after close");
        self.writes += 1;
    }
    fn close(&mut self) {
        self.closed = true;
        log(format!("close {} writes={}", self.name, self.writes));
    }
    fn finish(self) {
        log(format!("finish {} writes={}", self.name, self.writes));
    }
    fn peek(&self) {
        log(format!("peek {} writes={}", self.name, self.writes));
    }
}

/// An adopted local reads as before (issue 14.5): `&f` is still a `&File`.
fn is_ref_to<T: ?Sized>(_: &T) {}

#[with_defer]
fn close_then_use() -> u32 {
    let mut f = File::open("a");
    defer!(f.close());
    is_ref_to::<File>(&f);
    f.write();
    f.write();
    log(format!("body writes={}", f.writes));
    f.writes
}

#[test]
fn receiver_adopted_and_usable_after_defer() {
    assert_eq!(close_then_use(), 2);
    assert_eq!(take(), ["body writes=2", "close a writes=2"]);
}

#[with_defer]
fn by_value_method_at_exit() {
    let mut f = File::open("v");
    defer!(f.finish());
    f.write();
}

#[test]
fn adopted_receiver_consumed_by_self_method_at_exit() {
    by_value_method_at_exit();
    assert_eq!(take(), ["finish v writes=1"]);
}

#[derive(Default, Debug)]
struct Stats {
    hits: u32,
    misses: u32,
}

fn report(tag: &str, s: &Stats) {
    log(format!("{tag} hits={} misses={}", s.hits, s.misses));
}

#[with_defer]
fn ref_arg_stats(keys: &[i32]) {
    let mut stats = Stats::default();
    defer!(report("stats", &stats));
    for k in keys {
        if *k > 0 {
            stats.hits += 1;
        } else {
            stats.misses += 1;
        }
    }
}

#[test]
fn reference_argument_sees_final_state() {
    ref_arg_stats(&[1, -1, 2]);
    assert_eq!(take(), ["stats hits=2 misses=1"]);
}

#[with_defer]
fn counter_closure(n: u32) -> u32 {
    let mut total = 0;
    defer!(|| log(format!("total {total}")));
    for _ in 0..n {
        total += 1;
    }
    total
}

#[test]
fn closure_sees_counter_updated_later() {
    assert_eq!(counter_closure(4), 4);
    assert_eq!(take(), ["total 4"]);
}

#[with_defer]
fn non_mut_binding() -> usize {
    let v = vec![1, 2, 3];
    defer!(|| log(format!("len {}", v.len())));
    is_ref_to::<Vec<i32>>(&v);
    let r: &Vec<i32> = &v;
    r.iter().sum::<i32>() as usize + v.len()
}

#[test]
fn non_mut_binding_lent_back_as_shared_ref() {
    assert_eq!(non_mut_binding(), 9);
    assert_eq!(take(), ["len 3"]);
}

#[with_defer(allow(loop))]
fn adopted_in_loop(n: u32) {
    for i in 0..n {
        let mut f = File::open(&format!("f{i}"));
        defer!(f.close());
        for _ in 0..=i {
            f.write();
        }
    }
    log("loop done");
}

#[test]
fn adoption_in_loops_one_value_per_iteration_lifo() {
    adopted_in_loop(3);
    assert_eq!(
        take(),
        [
            "loop done",
            "close f2 writes=3",
            "close f1 writes=2",
            "close f0 writes=1"
        ]
    );
}

#[with_defer(allow(loop))]
fn adopted_buffers_in_loop() {
    for i in 0..3 {
        let mut buf = String::new();
        defer!(|| log(buf.clone()));
        buf.push_str(&format!("buf{i}"));
        if i == 1 {
            buf.push('!');
        }
    }
}

#[test]
fn closure_adoption_in_loop() {
    adopted_buffers_in_loop();
    assert_eq!(take(), ["buf2", "buf1!", "buf0"]);
}

#[with_defer]
fn nested_block_adoption() {
    {
        let mut f = File::open("inner");
        defer!(f.close());
        f.write();
        log("end of block");
    }
    log("after block");
}

#[test]
fn value_adopted_in_a_block_outlives_the_block() {
    nested_block_adoption();
    assert_eq!(
        take(),
        ["end of block", "after block", "close inner writes=1"]
    );
}

#[with_defer]
fn two_defers_same_local() {
    let mut f = File::open("two");
    defer!(f.close());
    defer!(f.peek());
    defer!(|| log(format!(
        "closure sees writes={} closed={}",
        f.writes, f.closed
    )));
    f.write();
    f.write();
    f.write();
}

#[test]
fn same_local_named_by_several_defers() {
    two_defers_same_local();
    assert_eq!(
        take(),
        [
            "closure sees writes=3 closed=false",
            "peek two writes=3",
            "close two writes=3"
        ]
    );
}

#[with_defer]
fn adopted_then_captured_by_body_closure() -> i32 {
    let mut count = 0;
    defer!(|| log(format!("count {count}")));
    let mut bump = |by: i32| count += by;
    bump(2);
    bump(3);
    count
}

#[test]
fn adopted_local_captured_by_a_later_closure() {
    assert_eq!(adopted_then_captured_by_body_closure(), 5);
    assert_eq!(take(), ["count 5"]);
}

#[with_defer]
fn shadowed_param(x: i32) {
    let x = x * 10;
    defer!(|| log(format!("shadowing local {x}")));
    log(format!("body {x}"));
}

#[test]
fn deferred_code_binds_the_local_that_shadows_a_parameter() {
    shadowed_param(4);
    assert_eq!(take(), ["body 40", "shadowing local 40"]);
}

#[with_defer]
fn later_shadow() {
    let mut x = 1;
    defer!(|| log(format!("deferred x={x}")));
    x = 2;
    let x = "later shadow";
    log(format!("body {x}"));
}

#[test]
fn deferred_code_ignores_a_later_shadow() {
    later_shadow();
    assert_eq!(take(), ["body later shadow", "deferred x=2"]);
}

#[with_defer]
fn param_then_later_local_shadow(mut p: i32) {
    defer!(|| log(format!("deferred p={p}")));
    p += 1;
    let p = 1000;
    log(format!("body p={p}"));
}

#[test]
fn deferred_code_binds_the_parameter_not_a_later_local() {
    param_then_later_local_shadow(1);
    assert_eq!(take(), ["body p=1000", "deferred p=2"]);
}

#[with_defer]
fn inner_block_shadow() {
    let x = String::from("outer");
    {
        let x = String::from("inner");
        defer!(|| log(format!("deferred {x}")));
    }
    log(format!("after block {x}"));
}

#[test]
fn deferred_code_binds_the_inner_shadow_in_a_block() {
    inner_block_shadow();
    assert_eq!(take(), ["after block outer", "deferred inner"]);
}

#[with_defer]
fn shadow_by_receiver() {
    let f = 5;
    let mut f = File::open(&format!("shadow{f}"));
    defer!(f.close());
    f.write();
    let f = "str shadow";
    log(f);
}

#[test]
fn receiver_binds_the_shadow_in_scope_at_the_defer_point() {
    shadow_by_receiver();
    assert_eq!(take(), ["str shadow", "close shadow5 writes=1"]);
}

#[with_defer]
fn inline_captures(tag: &str) {
    let mut n = 1;
    let name = String::from("nm");
    defer!(|| log(format!("{tag}:{name}:{n}:{}", n * 2)));
    defer! { log(format!("block {n}")); }
    n = 7;
}

#[test]
fn inline_format_captures_inside_deferred_code_are_adopted() {
    inline_captures("t");
    assert_eq!(take(), ["block 7", "t:nm:7:14"]);
}

#[with_defer]
fn mut_ref_arg_to_local() -> Vec<i32> {
    let mut v = vec![1];
    defer!(push_marker(&mut v));
    v.push(2);
    v.clone()
}

fn push_marker(v: &mut Vec<i32>) {
    v.push(99);
    log(format!("marker {v:?}"));
}

#[test]
fn mut_reference_argument_adopts_the_local() {
    assert_eq!(mut_ref_arg_to_local(), [1, 2]);
    assert_eq!(take(), ["marker [1, 2, 99]"]);
}

struct Outer {
    inner: File,
}

#[with_defer]
fn field_receiver() {
    let mut o = Outer {
        inner: File::open("field"),
    };
    defer!(o.inner.close());
    o.inner.write();
}

#[test]
fn receiver_rooted_at_a_local_field() {
    field_receiver();
    assert_eq!(take(), ["close field writes=1"]);
}

#[with_defer]
fn field_ref_arg() {
    let mut s = (Stats::default(), 0);
    defer!(report("field", &s.0));
    s.0.hits = 3;
    s.1 = 1;
}

#[test]
fn field_reference_argument_adopts_the_local() {
    field_ref_arg();
    assert_eq!(take(), ["field hits=3 misses=0"]);
}

#[with_defer]
fn early_return_with_adopted(fail: bool) -> Result<u32, String> {
    let mut f = File::open("early");
    defer!(f.close());
    f.write();
    if fail {
        return Err(format!("failed after {}", f.writes));
    }
    f.write();
    Ok(f.writes)
}

#[test]
fn adopted_local_across_early_return() {
    assert_eq!(
        early_return_with_adopted(true),
        Err("failed after 1".into())
    );
    assert_eq!(early_return_with_adopted(false), Ok(2));
    assert_eq!(take(), ["close early writes=1", "close early writes=2"]);
}

// A defer may name several locals an earlier defer adopted (was fndefer bug B5).
mod two_locals_named_by_two_defers {
    use super::*;

    #[with_defer]
    fn two_locals() {
        let mut n = 1;
        let name = String::from("nm");
        defer!(|| log(format!("first {name} {n}")));
        defer! { log(format!("second {name} {n}")); }
        n = 7;
    }

    #[with_defer]
    fn two_files() {
        let mut a = File::open("a");
        let mut b = File::open("b");
        defer!(|| {
            a.close();
            b.close();
        });
        defer!(|| log(format!("total {}", a.writes + b.writes)));
        a.write();
        b.write();
    }

    #[test]
    fn a_second_defer_may_name_several_adopted_locals() {
        two_locals();
        assert_eq!(take(), ["second nm 7", "first nm 7"]);
        two_files();
        assert_eq!(take(), ["total 2", "close a writes=1", "close b writes=1"]);
    }
}

/// bugs.md B7 and B8, sync side: `&mut x` of a name adopted earlier, and a
/// binding that holds a `&mut` stays writable in the body after adoption.
mod mut_refs_after_adoption {
    use super::*;

    fn bump(stats: &mut Stats) {
        stats.hits += 100;
    }

    #[with_defer]
    fn later_defer_takes_mut_ref() -> u32 {
        let mut stats = Stats::default();
        defer!(report("final", &stats));
        defer!(bump(&mut stats));
        stats.hits += 1;
        bump(&mut stats);
        stats.hits
    }

    #[with_defer]
    fn binding_holding_mut_ref(buf: &mut Vec<u32>) {
        let out = &mut *buf;
        defer!(|| out.push(99));
        out.push(1);
    }

    #[with_defer]
    fn typed_binding(buf: &mut Vec<u32>) {
        let out: &mut Vec<u32> = buf;
        defer!(out.push(7));
        out.push(2);
    }

    #[test]
    fn mut_refs_stay_usable() {
        assert_eq!(later_defer_takes_mut_ref(), 101);
        assert_eq!(take(), ["final hits=201 misses=0"]);
        let mut buf = Vec::new();
        binding_holding_mut_ref(&mut buf);
        typed_binding(&mut buf);
        assert_eq!(buf, [1, 99, 2, 7]);
    }
}

/// A local named by a deferred call in a deeper block or in a loop is
/// adopted where it is declared, so the rest of the function keeps using it
/// (Go: a closure deferred in a branch or a loop captures the variable).
mod pre_adoption {
    use super::*;

    #[with_defer(allow(loop))]
    fn outer_local_in_loop(xs: &[i32]) -> i32 {
        let mut total = 0;
        for x in xs {
            defer!(|| log(format!("total {total} x {x}")));
            total += *x;
        }
        total
    }

    #[with_defer]
    fn conditional_defer(c: bool) -> String {
        let mut name = String::from("a");
        if c {
            defer!(|| log(format!("name {name}")));
        }
        name.push('b');
        name.clone()
    }

    #[with_defer]
    fn conditional_close(c: bool) -> u32 {
        let mut file = File::open("cfg");
        if c {
            defer!(file.close());
        }
        file.write();
        file.writes
    }

    #[with_defer(allow(loop))]
    fn loop_in_loop() {
        for round in 0..2 {
            let mut seen = Vec::new();
            for i in 0..2 {
                defer!(|| log(format!("round {round} seen {seen:?} at {i}")));
                seen.push(i);
            }
            seen.push(9);
        }
    }

    /// A destructuring `let`: only the names deferred code uses are adopted
    /// at the `let`; the others stay plain locals (review §2.10.2).
    #[with_defer]
    fn destructured(flag: bool) -> usize {
        let (a, mut b) = (String::from("a"), 1);
        if flag {
            defer!(|| log(format!("deferred {a}")));
        }
        b += 1;
        log(format!("body {a} {b}"));
        a.len() + b
    }

    #[test]
    fn a_destructuring_let_is_adopted_at_the_let() {
        assert_eq!(destructured(true), 3);
        assert_eq!(take(), ["body a 2", "deferred a"]);
        assert_eq!(destructured(false), 3);
        assert_eq!(take(), ["body a 2"]);
    }

    #[test]
    fn the_rest_of_the_function_keeps_the_local() {
        assert_eq!(outer_local_in_loop(&[1, 2, 3]), 6);
        assert_eq!(take(), ["total 6 x 3", "total 6 x 2", "total 6 x 1"]);
        assert_eq!(conditional_defer(true), "ab");
        assert_eq!(take(), ["name ab"]);
        assert_eq!(conditional_defer(false), "ab");
        assert!(take().is_empty());
        assert_eq!(conditional_close(true), 1);
        assert_eq!(take(), ["close cfg writes=1"]);
        assert_eq!(conditional_close(false), 1);
        assert!(take().is_empty());
        loop_in_loop();
        assert_eq!(
            take(),
            [
                "round 1 seen [0, 1, 9] at 1",
                "round 1 seen [0, 1, 9] at 0",
                "round 0 seen [0, 1, 9] at 1",
                "round 0 seen [0, 1, 9] at 0",
            ]
        );
    }
}

/// An adopted `Copy` local moved as a value (`let m = n`, `x = n`,
/// `return n`, the body's value) is copied out: the deferred code still sees
/// the local, and its final value.
#[with_defer]
fn copy_values_moved_out(early: bool) -> u64 {
    let mut n: u64 = 1;
    defer!(|| log(format!("deferred n={n}")));
    n += 1;
    let copied = n;
    let assigned;
    assigned = n;
    n *= 10;
    if early {
        return n;
    }
    n += copied + assigned;
    n
}

#[test]
fn adopted_copy_values_moved_out_keep_their_meaning() {
    assert_eq!(copy_values_moved_out(true), 20);
    assert_eq!(take(), ["deferred n=20"]);
    assert_eq!(copy_values_moved_out(false), 24);
    assert_eq!(take(), ["deferred n=24"]);
}

fn push_twice(v: &mut Vec<u32>, x: u32) {
    v.push(x);
    v.push(x);
}

fn write_tag(w: &mut dyn std::fmt::Write, tag: &str) {
    let _ = w.write_str(tag);
}

/// Adopted `let mut` locals passed to calls: a `&mut` the local holds is
/// reborrowed by each call, as without the `defer!` (so it can be passed
/// again and reassigned), and a `Copy` value is copied.
#[with_defer]
fn mut_locals_passed(into: &mut Vec<u32>, spare: &'static mut Vec<u32>, out: &mut String) -> u32 {
    let mut count = 1;
    let mut target: &mut Vec<u32> = into;
    let mut sink: &mut dyn std::fmt::Write = out;
    defer!(|| log(format!("count={count} target={target:?}")));
    defer!(|| write_tag(sink, "|exit"));
    push_twice(target, count);
    count += 1;
    push_twice(target, count);
    write_tag(sink, "body");
    target = spare;
    push_twice(target, count);
    std::convert::identity(count)
}

#[test]
fn adopted_mut_locals_passed_to_calls_are_reborrowed_or_copied() {
    let mut into = Vec::new();
    let mut out = String::new();
    let spare = Box::leak(Box::new(vec![9]));
    assert_eq!(mut_locals_passed(&mut into, spare, &mut out), 2);
    assert_eq!(into, [1, 1, 2, 2]);
    assert_eq!(out, "body|exit");
    assert_eq!(take(), ["count=2 target=[9, 2, 2]"]);
}

fn make<T: Default>() -> T {
    T::default()
}

/// Adopted `let mut` locals whose type is inferred from a later use (here
/// the calls they are passed to) infer as without the `defer!`.
#[with_defer]
fn inferred_locals_passed() -> u32 {
    let mut made = make();
    let mut parsed = "7".parse().unwrap();
    defer!(|| log(format!("made={made} parsed={parsed}")));
    made += 1;
    parsed += 1;
    std::convert::identity::<u32>(made) + std::convert::identity::<u32>(parsed)
}

#[test]
fn adopted_locals_typed_by_the_calls_they_are_passed_to() {
    assert_eq!(inferred_locals_passed(), 9);
    assert_eq!(take(), ["made=1 parsed=8"]);
}
