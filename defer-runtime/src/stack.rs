//! The defer stack of a dynamic frame: the first [`INLINE`] entries live in
//! the frame itself, the rest spill to the heap, so the common case (a
//! handful of loop defers) allocates nothing.

use std::mem::MaybeUninit;

/// Entries kept without allocating.
pub const INLINE: usize = 8;

/// Capacity of the heap part when it is first needed.
const SPILL_START: usize = 56;

/// A LIFO stack with [`INLINE`] entries in place before it spills to a `Vec`.
pub struct SmallStack<T> {
    /// Entries pushed so far, inline and spilled.
    len: usize,
    /// `inline[..min(len, INLINE)]` are initialised.
    inline: [MaybeUninit<T>; INLINE],
    /// Entries `INLINE..len`.
    spilled: Vec<T>,
}

impl<T> SmallStack<T> {
    /// An empty stack; neither allocates nor writes its inline entries.
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
        self.len = index + 1;
        if index < INLINE {
            return self.inline[index].write(value);
        }
        if self.spilled.capacity() == 0 {
            self.start_spilling();
        }
        // Inline, not a call per push: a loop past the inline entries
        // usually goes on for a while.
        self.spilled.push(value);
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
                // SAFETY: `inline[len - 1]` is initialised (invariant on
                // `inline`), and lowering `len` first marks it as moved out,
                // so it is neither read again nor dropped twice.
                Some(unsafe { self.inline[len - 1].assume_init_read() })
            }
            _ => {
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
                // SAFETY: `inline[len - 1]` is initialised.
                Some(unsafe { self.inline[len - 1].assume_init_mut() })
            }
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

impl<T> Drop for SmallStack<T> {
    fn drop(&mut self) {
        let inline_len = self.len.min(INLINE);
        // Mark everything as gone first: if an entry's destructor panics, the
        // remaining inline entries leak instead of being dropped twice.
        self.len = 0;
        for entry in &mut self.inline[..inline_len] {
            // SAFETY: `inline[..inline_len]` was initialised and is dropped
            // exactly once here; `len = 0` above keeps anything else from
            // touching it again. `spilled` drops itself.
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
    use std::cell::Cell;
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
