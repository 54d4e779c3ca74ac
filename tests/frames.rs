//! Frames allocate nothing: static frames never, dynamic frames not for the
//! first 8 queued calls. A counting global allocator counts only the
//! allocations made on a thread that asked for counting.

use fndefer::{defer, errdefer, with_defer};
use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;
use std::hint::black_box;

struct Counting;

thread_local! {
    static COUNTING: Cell<bool> = const { Cell::new(false) };
    static ALLOCATIONS: Cell<usize> = const { Cell::new(0) };
}

fn note() {
    // `try_with`: the thread-locals may be gone while a thread shuts down.
    if COUNTING.try_with(Cell::get).unwrap_or(false) {
        let _ = ALLOCATIONS.try_with(|a| a.set(a.get() + 1));
    }
}

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        note();
        unsafe { System.alloc(layout) }
    }
    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        note();
        unsafe { System.alloc_zeroed(layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        note();
        unsafe { System.realloc(ptr, layout, new_size) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

/// Allocations made on this thread while `f` runs (the test harness's other
/// threads are not counted).
fn allocations<R>(f: impl FnOnce() -> R) -> usize {
    ALLOCATIONS.with(|a| a.set(0));
    COUNTING.with(|c| c.set(true));
    let result = f();
    COUNTING.with(|c| c.set(false));
    drop(black_box(result));
    ALLOCATIONS.with(Cell::get)
}

thread_local!(static SINK: Cell<u64> = const { Cell::new(0) });
fn sink(v: u64) {
    SINK.with(|s| s.set(s.get().wrapping_add(black_box(v))));
}

#[inline(never)]
#[with_defer]
fn static1(a: u64) -> u64 {
    defer!(sink(a));
    a + 1
}

#[inline(never)]
#[with_defer]
fn static2(a: u64) -> u64 {
    defer!(sink(a));
    defer!(sink(a * 2));
    a + 1
}

#[inline(never)]
#[with_defer]
fn static8(a: u64) -> u64 {
    defer!(sink(a));
    defer!(sink(a + 1));
    defer!(sink(a + 2));
    defer!(sink(a + 3));
    defer!(sink(a + 4));
    defer!(sink(a + 5));
    defer!(sink(a + 6));
    defer!(sink(a + 7));
    a + 1
}

#[inline(always)]
#[with_defer]
fn static_inlined(a: u64) -> u64 {
    defer!(sink(a));
    defer! { sink(a + 1); }
    a
}

#[inline(never)]
#[with_defer]
fn static_with_adoption_and_ret(a: u64) -> Result<u64, u64> {
    let mut total = a;
    defer!(|| sink(total));
    defer!(|ret| {
        if let Some(Ok(v)) = ret {
            *v += 1;
        }
    });
    errdefer!(sink(0));
    total += 1;
    if a == 0 { Err(0) } else { Ok(total) }
}

#[inline(never)]
#[with_defer]
fn errdefer_option(a: u64) -> Option<u64> {
    errdefer!(|e| {
        let () = *e;
        sink(1);
    });
    if a == 0 { None } else { Some(a) }
}

#[test]
fn static_frames_allocate_nothing() {
    assert_eq!(allocations(|| static1(black_box(1))), 0);
    assert_eq!(allocations(|| static2(black_box(1))), 0);
    assert_eq!(allocations(|| static8(black_box(1))), 0);
    assert_eq!(allocations(|| static_inlined(black_box(1))), 0);
    assert_eq!(
        allocations(|| static_with_adoption_and_ret(black_box(1))),
        0
    );
    assert_eq!(
        allocations(|| static_with_adoption_and_ret(black_box(0))),
        0
    );
    assert_eq!(allocations(|| errdefer_option(black_box(0))), 0);
    assert_eq!(allocations(|| errdefer_option(black_box(3))), 0);
}

#[inline(never)]
#[with_defer(allow(loop))]
fn loop_defers(n: u64) {
    for i in 0..n {
        defer!(sink(i));
    }
}

#[inline(never)]
#[with_defer(allow(loop))]
fn two_loop_sites(n: u64) {
    for i in 0..n {
        defer!(sink(i));
        defer!(|| sink(i + n));
    }
}

#[inline(never)]
#[with_defer]
fn nine_static_sites(a: u64) {
    defer!(sink(a));
    defer!(sink(a + 1));
    defer!(sink(a + 2));
    defer!(sink(a + 3));
    defer!(sink(a + 4));
    defer!(sink(a + 5));
    defer!(sink(a + 6));
    defer!(sink(a + 7));
    defer!(sink(a + 8));
}

#[test]
fn loops_with_up_to_eight_defers_allocate_nothing() {
    for n in 0..=8 {
        assert_eq!(allocations(|| loop_defers(black_box(n))), 0, "n = {n}");
    }
    for n in 0..=4 {
        assert_eq!(allocations(|| two_loop_sites(black_box(n))), 0, "n = {n}");
    }
}

#[test]
fn nine_or_more_loop_defers_spill_to_the_heap() {
    assert!(allocations(|| loop_defers(black_box(9))) > 0);
    assert!(allocations(|| loop_defers(black_box(1000))) > 0);
    assert!(allocations(|| two_loop_sites(black_box(5))) > 0);
}

#[test]
fn nine_sites_without_a_loop_all_run() {
    // More than 8 sites make a dynamic frame even without a loop.
    SINK.with(|s| s.set(0));
    nine_static_sites(black_box(10));
    assert_eq!(SINK.with(Cell::get), (10..19).sum::<u64>());
}

#[test]
fn counter_sees_allocations() {
    assert_eq!(allocations(|| vec![1u8; 4]), 1);
}
