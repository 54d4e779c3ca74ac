/// A LIFO stack that keeps its first `INLINE` entries in place and spills the
/// rest to the heap, so the common case (a handful of loop defers) allocates
/// nothing.
pub struct SmallStack<T> {
    inline: [Option<T>; INLINE],
    inline_len: usize,
    spilled: Vec<T>,
}

/// Entries kept without allocating, per stack.
pub const INLINE: usize = 8;

impl<T> SmallStack<T> {
    /// An empty stack; does not allocate.
    #[inline]
    pub const fn new() -> Self {
        SmallStack {
            inline: [const { None }; INLINE],
            inline_len: 0,
            spilled: Vec::new(),
        }
    }

    /// Pushes `value` and lends it back, so an adopted local can be used by
    /// the rest of the body.
    #[inline]
    pub fn push(&mut self, value: T) -> &mut T {
        if self.inline_len < INLINE {
            let slot = &mut self.inline[self.inline_len];
            self.inline_len += 1;
            slot.insert(value)
        } else {
            self.spilled.push(value);
            let last = self.spilled.len() - 1;
            &mut self.spilled[last]
        }
    }

    /// Removes the most recently pushed entry.
    #[inline]
    pub fn pop(&mut self) -> Option<T> {
        if let Some(value) = self.spilled.pop() {
            return Some(value);
        }
        if self.inline_len == 0 {
            return None;
        }
        self.inline_len -= 1;
        self.inline[self.inline_len].take()
    }

    /// The most recently pushed entry.
    #[inline]
    pub fn last_mut(&mut self) -> Option<&mut T> {
        if let Some(value) = self.spilled.last_mut() {
            return Some(value);
        }
        match self.inline_len {
            0 => None,
            len => self.inline[len - 1].as_mut(),
        }
    }

    /// How many entries are queued.
    #[inline]
    pub fn len(&self) -> usize {
        self.inline_len + self.spilled.len()
    }

    /// Whether nothing is queued.
    #[inline]
    pub fn is_empty(&self) -> bool {
        self.len() == 0
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
    }
}
