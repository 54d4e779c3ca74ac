//! What every bench shares: the cleanup work, identical in every variant, and
//! the hand-rolled `Vec<Box<dyn FnOnce()>>` defer stack (the obvious design a
//! runtime-only library would use).
#![allow(dead_code)]

use std::cell::Cell;
use std::hint::black_box;

/// The deferred work: add to a counter, through `black_box` so nothing is
/// folded away. Not inlined, like Go's `//go:noinline` twin in
/// `benches/go/defer_test.go`: every variant pays one real call per cleanup.
#[inline(never)]
pub fn bump(counter: &Cell<u64>, x: u64) {
    counter.set(counter.get().wrapping_add(black_box(x)));
}

/// A stack of boxed closures run LIFO on drop (so on every return and on
/// panic): what `defer` looks like without a macro.
pub struct BoxStack<'a>(pub Vec<Box<dyn FnOnce() + 'a>>);

impl<'a> BoxStack<'a> {
    #[inline]
    pub fn new() -> Self {
        BoxStack(Vec::new())
    }

    #[inline]
    pub fn push(&mut self, f: impl FnOnce() + 'a) {
        self.0.push(Box::new(f));
    }
}

impl Drop for BoxStack<'_> {
    #[inline]
    fn drop(&mut self) {
        while let Some(f) = self.0.pop() {
            f();
        }
    }
}
