//! The defer stack of a dynamic frame: the first [`INLINE`] entries live in
//! the frame itself, the rest spill to the heap, so the common case (a
//! handful of loop defers) allocates nothing.

use std::mem::MaybeUninit;

/// Entries kept without allocating.
pub const INLINE: usize = 8;

/// Capacity of the heap part when it is first needed.
const SPILL_START: usize = 56;

/// A LIFO stack with [`INLINE`] entries in place before it spills to a `Vec`.
///
/// # Invariant
///
/// Every method keeps this, also when it panics part-way (`Drop` only relies
/// on it: it zeroes `len` first, so from then on it undercounts), and every
/// `unsafe` block below relies on it:
///
/// - **(a)** `inline[..min(len, INLINE)]` are initialised and the rest of
///   `inline` is not: those slots hold no value the stack owns, so nothing
///   reads or drops them (a slot popped by [`pop`](Self::pop) still has its
///   old bytes, but counts as uninitialised).
/// - **(b)** `len > INLINE` ⇒ `spilled.len() == len - INLINE`, and
///   `len <= INLINE` ⇒ `spilled` is empty.
///
/// So the `i`-th entry pushed (from 0) is `inline[i]` for `i < INLINE` and
/// `spilled[i - INLINE]` after, and the top is entry `len - 1`. Soundness needs
/// only (a); (b) is what makes `pop` and `last_mut` return the top entry.
pub struct SmallStack<T> {
    /// Entries pushed so far, inline and spilled.
    len: usize,
    /// Entries `0..min(len, INLINE)`, initialised: invariant (a).
    inline: [MaybeUninit<T>; INLINE],
    /// Entries `INLINE..len`: invariant (b).
    spilled: Vec<T>,
}

impl<T> SmallStack<T> {
    /// An empty stack; neither allocates nor writes its inline entries.
    /// `len == 0` with nothing initialised and `spilled` empty: (a) and (b)
    /// hold.
    #[inline]
    #[must_use]
    pub const fn new() -> Self {
        SmallStack {
            len: 0,
            inline: [const { MaybeUninit::uninit() }; INLINE],
            spilled: Vec::new(),
        }
    }

    /// Pushes `value` and lends it back, so an adopted local can be used by
    /// the rest of the body.
    #[inline]
    pub fn push(&mut self, value: T) -> &mut T {
        let index = self.len;
        if index < INLINE {
            // `len` may go up first: nothing after it can panic (`index <
            // INLINE` is in bounds, and `MaybeUninit::write` is a plain move),
            // so `inline[index]` is initialised before anything can observe
            // the new `len`, and (a) holds; `spilled` stays empty, so (b) does.
            self.len = index + 1;
            return self.inline[index].write(value);
        }
        // Spilling can panic (`reserve` and `push`, on capacity overflow), so
        // `len` goes up only once the entry is in `spilled`: a panic leaves
        // the stack as it was, rather than counting an entry that is not
        // there (`pop` would return `None` with `len > 0`, and the inline
        // entries would never be popped). `index + 1` cannot overflow unless
        // `T` is zero-sized and `usize::MAX` entries were pushed; it is
        // checked anyway, before anything changes.
        //
        // No test makes this push panic: `Vec::push` panics only on capacity
        // overflow, which for a zero-sized `T` cannot happen while (b) holds
        // (capacity `usize::MAX`, `spilled.len() <= usize::MAX - INLINE`),
        // and otherwise needs a layout over `isize::MAX` bytes, so about that
        // much memory allocated first (and allocation failure aborts rather
        // than panics). `the_invariant_holds_through_pushes_and_pops` checks
        // (b) after every push and pop instead.
        let new_len = index
            .checked_add(1)
            .expect("SmallStack: more than usize::MAX entries");
        if self.spilled.capacity() == 0 {
            self.start_spilling();
        }
        // Inline, not a call per push: a loop past the inline entries
        // usually goes on for a while.
        self.spilled.push(value);
        // `spilled` held `index - INLINE` entries by (b) and now holds
        // `new_len - INLINE`: (b) for the new `len`.
        self.len = new_len;
        let last = self.spilled.len() - 1;
        &mut self.spilled[last]
    }

    /// A loop that got past the inline entries usually goes on: skip the
    /// small doublings (4, 8, 16, 32).
    #[cold]
    #[inline(never)]
    fn start_spilling(&mut self) {
        self.spilled.reserve(SPILL_START);
    }

    /// Removes the most recently pushed entry.
    #[inline]
    pub fn pop(&mut self) -> Option<T> {
        match self.len {
            0 => None,
            len if len <= INLINE => {
                self.len = len - 1;
                // SAFETY: the match arm guarantees `1 <= len <= INLINE`, so
                // `len - 1 < INLINE` and by (a) `inline[len - 1]` is
                // initialised. Lowering `len` to `len - 1` above moves the
                // slot out of `inline[..min(len, INLINE)]`, so by (a) it now
                // counts as uninitialised and is neither read again nor
                // dropped twice; `spilled` stays empty, so (b) holds too.
                Some(unsafe { self.inline[len - 1].assume_init_read() })
            }
            _ => {
                // `len > INLINE`, so by (b) `spilled` holds `len - INLINE >= 1`
                // entries and its last is the top; after the pop it holds
                // `len - 1 - INLINE`, which is (b) for the lowered `len`.
                self.len -= 1;
                self.spilled.pop()
            }
        }
    }

    /// The most recently pushed entry: for a later site's deferred code,
    /// the entry of an earlier site that is still live (everything pushed
    /// after it has been popped already, LIFO).
    #[inline]
    pub fn last_mut(&mut self) -> Option<&mut T> {
        match self.len {
            0 => None,
            len if len <= INLINE => {
                // SAFETY: the match arm guarantees `1 <= len <= INLINE`, so
                // `len - 1 < INLINE` and by (a) `inline[len - 1]` is
                // initialised. The `&mut` borrows `self`, so nothing can pop
                // or drop the entry while it is lent out.
                Some(unsafe { self.inline[len - 1].assume_init_mut() })
            }
            // `len > INLINE`: by (b) the top is `spilled`'s last entry.
            _ => self.spilled.last_mut(),
        }
    }

    /// How many entries are queued.
    #[inline]
    #[must_use]
    pub fn len(&self) -> usize {
        self.len
    }

    /// Whether nothing is queued.
    #[inline]
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }
}

/// Drops the entries left, last pushed first, as a LIFO stack promises: the
/// spilled ones from the top down, then the inline ones from
/// `min(len, INLINE) - 1` down to 0.
impl<T> Drop for SmallStack<T> {
    fn drop(&mut self) {
        let inline_len = self.len.min(INLINE);
        // Mark everything as gone first: if an entry's destructor panics, the
        // inline entries not dropped yet leak instead of being dropped twice.
        self.len = 0;
        // Each popped entry is dropped once, at the end of the loop body. If
        // its destructor panics, the unwind drops the `spilled` field: the
        // entries still in it, once each (front to back, by `Vec`'s drop).
        while let Some(entry) = self.spilled.pop() {
            drop(entry);
        }
        for entry in self.inline[..inline_len].iter_mut().rev() {
            // SAFETY: `inline_len = min(len, INLINE)` for the `len` before
            // it was zeroed, so by (a) exactly `inline[..inline_len]` is
            // initialised, and the slice bounds keep every `entry` in it.
            // Each is dropped once, here, going down: `len = 0` above already
            // counts all of them as gone and nothing after this loop reads
            // `inline`, so if a destructor panics, the entries below it leak
            // (`MaybeUninit` has no drop glue) rather than being dropped
            // again.
            unsafe { entry.assume_init_drop() };
        }
    }
}

impl<T> Default for SmallStack<T> {
    fn default() -> Self {
        Self::new()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::cell::{Cell, RefCell};
    use std::panic::{AssertUnwindSafe, catch_unwind};
    use std::rc::Rc;

    #[test]
    fn lifo_across_the_spill_boundary() {
        let mut stack = SmallStack::new();
        for i in 0..20 {
            *stack.push(i) += 100;
        }
        assert_eq!(stack.len(), 20);
        assert_eq!(stack.last_mut().copied(), Some(119));
        let popped: Vec<i32> = std::iter::from_fn(|| stack.pop()).collect();
        assert_eq!(popped, (100..120).rev().collect::<Vec<_>>());
        assert!(stack.is_empty());
        assert_eq!(stack.pop(), None);
        assert_eq!(stack.last_mut(), None);
        for i in 0..5 {
            stack.push(i);
        }
        assert_eq!(stack.last_mut().copied(), Some(4));
        stack.push(7);
        assert_eq!(stack.pop(), Some(7));
    }

    impl<T> SmallStack<T> {
        /// Asserts invariant (b), and that `len` counts `expected` entries.
        /// (a) cannot be read back from `MaybeUninit`; the tests check it
        /// through what `pop`, `last_mut` and `Drop` return and drop, and
        /// valgrind through the reads.
        fn check_invariant(&self, expected: usize) {
            assert_eq!(self.len, expected);
            assert_eq!(self.spilled.len(), self.len.saturating_sub(INLINE));
        }
    }

    #[test]
    fn the_invariant_holds_through_pushes_and_pops() {
        // A fixed pseudo-random walk (xorshift) towards a depth that changes
        // every 32 steps, in and out of the spill region, against a `Vec`
        // model of the stack.
        let mut rng = 0x2545_f491_4f6c_dd1d_u64;
        let mut stack = SmallStack::new();
        let mut model: Vec<Box<usize>> = Vec::new();
        let mut target = 0;
        let mut crossings = 0;
        for id in 0..4000_usize {
            rng ^= rng << 13;
            rng ^= rng >> 7;
            rng ^= rng << 17;
            if id.is_multiple_of(32) {
                target = (rng >> 32) as usize % (3 * INLINE);
            }
            let was_spilled = stack.len() > INLINE;
            // Three steps in four go towards `target`, the fourth away.
            let towards = !rng.is_multiple_of(4);
            let push = (stack.len() < target) == towards;
            if push {
                assert_eq!(**stack.push(Box::new(id)), id);
                model.push(Box::new(id));
            } else {
                assert_eq!(stack.pop(), model.pop());
            }
            stack.check_invariant(model.len());
            assert_eq!(stack.last_mut(), model.last_mut());
            crossings += usize::from(was_spilled != (stack.len() > INLINE));
        }
        assert!(
            crossings > 50,
            "the walk crossed the spill boundary {crossings} times"
        );
        while let Some(entry) = model.pop() {
            assert_eq!(stack.pop(), Some(entry));
            stack.check_invariant(model.len());
        }
        assert_eq!(stack.pop(), None);
        stack.check_invariant(0);
    }

    /// Logs its id when dropped; panics instead if it is `panics`.
    struct Logged<'a> {
        id: usize,
        log: &'a RefCell<Vec<usize>>,
        panics: bool,
    }
    impl Drop for Logged<'_> {
        fn drop(&mut self) {
            self.log.borrow_mut().push(self.id);
            assert!(!self.panics, "entry {} panics in drop", self.id);
        }
    }

    /// Pushes entries `0..pushed` (entry `panicking` panics when dropped),
    /// pops `popped`, clears the log, drops the stack (catching its panic)
    /// and returns the ids in the order they were dropped.
    fn drop_order(pushed: usize, popped: usize, panicking: Option<usize>) -> Vec<usize> {
        let log = RefCell::new(Vec::new());
        let mut stack = SmallStack::new();
        for id in 0..pushed {
            let panics = panicking == Some(id);
            stack.push(Logged {
                id,
                log: &log,
                panics,
            });
        }
        for _ in 0..popped {
            drop(stack.pop());
        }
        log.borrow_mut().clear();
        let unwound = catch_unwind(AssertUnwindSafe(|| drop(stack))).is_err();
        assert_eq!(unwound, panicking.is_some_and(|id| id < pushed - popped));
        log.into_inner()
    }

    #[test]
    fn drop_is_lifo_across_the_spill_boundary() {
        assert_eq!(drop_order(12, 3, None), [8, 7, 6, 5, 4, 3, 2, 1, 0]);
        assert_eq!(drop_order(20, 0, None), (0..20).rev().collect::<Vec<_>>());
        assert_eq!(drop_order(9, 0, None), [8, 7, 6, 5, 4, 3, 2, 1, 0]);
        assert_eq!(drop_order(5, 1, None), [3, 2, 1, 0]);
        assert_eq!(drop_order(4, 4, None), []);
    }

    #[test]
    fn a_panicking_drop_leaks_the_inline_rest_and_drops_nothing_twice() {
        // Inline entry 5 panics: 4..0 are already counted as gone, and leak.
        assert_eq!(drop_order(12, 0, Some(5)), [11, 10, 9, 8, 7, 6, 5]);
        assert_eq!(drop_order(6, 0, Some(5)), [5]);
        // Spilled entry 10 panics: the unwind drops the rest of `spilled`
        // (by `Vec`'s own drop, front to back), and the inline ones leak.
        assert_eq!(drop_order(12, 0, Some(10)), [11, 10, 8, 9]);
    }

    /// Counts drops, to check each entry is dropped exactly once.
    struct Counted(Rc<Cell<usize>>);
    impl Drop for Counted {
        fn drop(&mut self) {
            self.0.set(self.0.get() + 1);
        }
    }

    #[test]
    fn every_entry_is_dropped_once() {
        for (pushed, popped) in [(0, 0), (3, 1), (8, 8), (8, 2), (12, 0), (12, 5), (30, 29)] {
            let drops = Rc::new(Cell::new(0));
            let mut stack = SmallStack::new();
            for _ in 0..pushed {
                stack.push(Counted(drops.clone()));
            }
            for _ in 0..popped {
                drop(stack.pop());
            }
            assert_eq!(drops.get(), popped);
            drop(stack);
            assert_eq!(drops.get(), pushed, "pushed {pushed}, popped {popped}");
        }
    }
}
