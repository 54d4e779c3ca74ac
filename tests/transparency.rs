//! `#[with_defer]` does not change what a valid function means (issue 13):
//! each case compiles and behaves as it does without the attribute.

mod common;
use common::{log, take};
use fndefer::{defer, with_defer};
use std::cell::Cell;

/// A `&mut` parameter re-sliced and assigned back (`Read`/`Buf` code).
#[with_defer]
fn reslice(mut buf: &mut [u8], n: usize) -> usize {
    defer!(log("exit"));
    buf = &mut buf[n..];
    buf[0] = 9;
    buf.len()
}

#[test]
fn a_mut_ref_parameter_can_be_resliced_and_assigned_back() {
    let mut data = [0u8; 4];
    assert_eq!(reslice(&mut data, 1), 3);
    assert_eq!(data, [0, 9, 0, 0]);
    assert_eq!(take(), ["exit"]);
}

/// Items of the body see what a macro statement declares there.
#[with_defer]
fn counted_drops() -> u32 {
    defer!(log("exit"));
    thread_local!(static DROPS: Cell<u32> = const { Cell::new(0) });
    struct Counted;
    impl Drop for Counted {
        fn drop(&mut self) {
            DROPS.with(|drops| drops.set(drops.get() + 1));
        }
    }
    drop(Counted);
    drop(Counted);
    DROPS.with(Cell::get)
}

#[test]
fn body_items_see_macro_declared_items() {
    assert_eq!(counted_drops(), 2);
    assert_eq!(take(), ["exit"]);
}

macro_rules! which {
    () => {
        "outer"
    };
}

/// A local `macro_rules!` names a `let` before it, and shadows an outer
/// macro only from its definition on.
#[with_defer]
fn local_macros() -> (i32, &'static str, &'static str) {
    defer!(log("exit"));
    let before = which!();
    let base = 40;
    macro_rules! plus {
        ($x:expr) => {
            base + $x
        };
    }
    macro_rules! which {
        () => {
            "inner"
        };
    }
    (plus!(2), before, which!())
}

#[test]
fn local_macros_keep_their_textual_scope() {
    assert_eq!(local_macros(), (42, "outer", "inner"));
    assert_eq!(take(), ["exit"]);
}

/// A body item that deferred code names is still visible to it.
#[with_defer]
fn deferred_code_names_a_body_item() {
    defer!(report());
    fn report() {
        log(format!("report {}", helper()));
    }
    fn helper() -> u8 {
        7
    }
    log("body");
}

#[test]
fn body_items_named_by_deferred_code_are_visible_to_it() {
    deferred_code_names_a_body_item();
    assert_eq!(take(), ["body", "report 7"]);
}

struct Noisy(&'static str);

impl Drop for Noisy {
    fn drop(&mut self) {
        log(format!("drop {}", self.0));
    }
}

#[allow(clippy::needless_pass_by_value)]
fn params_plain(_a: Noisy, b: Noisy, _c: Noisy, keep: bool) {
    if !keep {
        drop(b);
    }
    log("body end");
}

#[allow(clippy::needless_pass_by_value)]
#[with_defer]
fn params_deferred(_a: Noisy, b: Noisy, _c: Noisy, keep: bool) {
    defer!(log("deferred"));
    if !keep {
        drop(b);
    }
    log("body end");
}

#[allow(clippy::needless_pass_by_value)]
#[with_defer]
fn param_named_by_deferred_code(a: Noisy, _b: Noisy) {
    defer!(|| log(format!("deferred sees {}", a.0)));
    log("body end");
}

/// Parameters are dropped in Rust's order (last declared first) whether or
/// not the body moves one on some path; those deferred code does not name
/// are dropped when the body ends, before the deferred calls; one deferred
/// code names lives until after them.
#[test]
fn parameters_drop_in_rusts_order() {
    for keep in [true, false] {
        params_plain(Noisy("a"), Noisy("b"), Noisy("c"), keep);
        let plain = take();
        params_deferred(Noisy("a"), Noisy("b"), Noisy("c"), keep);
        let mut deferred = take();
        assert_eq!(deferred.pop().as_deref(), Some("deferred"));
        assert_eq!(deferred, plain, "keep = {keep}");
    }
    assert_eq!(plain_order(), ["body end", "drop c", "drop b", "drop a"]);
    param_named_by_deferred_code(Noisy("a"), Noisy("b"));
    assert_eq!(take(), ["body end", "drop b", "deferred sees a", "drop a"]);
}

fn plain_order() -> Vec<String> {
    params_plain(Noisy("a"), Noisy("b"), Noisy("c"), true);
    take()
}

/// A returned closure keeps the signature the `impl Fn` return type gives it.
#[with_defer]
fn lookup(table: Vec<u64>) -> impl Fn(&usize) -> u64 {
    defer!(log("built"));
    move |&i| table[i]
}

#[test]
fn a_returned_closure_gets_its_signature() {
    let get = lookup(vec![10, 20, 30]);
    assert_eq!(get(&2), 30);
    assert_eq!(take(), ["built"]);
}

/// A by-value `self` that holds a `&'a mut` and gives out a reborrow of it
/// for `'a` (indexmap's `OccupiedEntry::into_mut`): the body owns `self`,
/// as the function did.
struct Slot<'a> {
    values: &'a mut Vec<u32>,
    index: usize,
}

impl<'a> Slot<'a> {
    fn index(&self) -> usize {
        self.index
    }

    #[with_defer]
    fn into_mut(self) -> &'a mut u32 {
        defer!(log("into_mut"));
        let index = self.index();
        &mut self.values[index]
    }
}

#[test]
fn a_by_value_self_lends_what_it_holds_for_its_lifetime() {
    let mut values = vec![1, 2, 3];
    let value = Slot {
        values: &mut values,
        index: 1,
    }
    .into_mut();
    *value += 40;
    assert_eq!(values, [1, 42, 3]);
    assert_eq!(take(), ["into_mut"]);
}

struct NoisySelf(&'static str);

impl Drop for NoisySelf {
    fn drop(&mut self) {
        log(format!("drop {}", self.0));
    }
}

impl NoisySelf {
    #[with_defer]
    fn borrowed(self, other: Noisy) {
        defer!(log("deferred"));
        log(format!("body reads {} and {}", self.0, other.0));
    }

    #[with_defer]
    fn consumed(self, other: Noisy) {
        defer!(log("deferred"));
        let moved = self;
        log(format!("body moves {} and reads {}", moved.0, other.0));
    }

    #[with_defer]
    #[allow(clippy::unused_self)]
    fn unmentioned(self, other: Noisy) {
        defer!(log("deferred"));
        log(format!("body reads {}", other.0));
    }

    #[with_defer]
    fn named_by_deferred_code(self) {
        defer!(|| log(format!("deferred sees {}", self.0)));
        log("body end");
    }
}

/// A by-value `self` is a parameter like the others: when the body
/// mentions it and deferred code does not, it is dropped when the body
/// ends, before the deferred calls, whether the body moves it or only reads
/// it (dropped last there, as the first parameter); when the body does not
/// mention it (clippy's `unused_self` stays the user's), or deferred code
/// names it, after them.
#[test]
fn a_by_value_self_drops_like_the_other_parameters() {
    NoisySelf("self").borrowed(Noisy("other"));
    assert_eq!(
        take(),
        [
            "body reads self and other",
            "drop other",
            "drop self",
            "deferred"
        ]
    );
    NoisySelf("self").consumed(Noisy("other"));
    assert_eq!(
        take(),
        [
            "body moves self and reads other",
            "drop self",
            "drop other",
            "deferred"
        ]
    );
    NoisySelf("self").unmentioned(Noisy("other"));
    assert_eq!(
        take(),
        ["body reads other", "drop other", "deferred", "drop self"]
    );
    NoisySelf("self").named_by_deferred_code();
    assert_eq!(take(), ["body end", "deferred sees self", "drop self"]);
}
