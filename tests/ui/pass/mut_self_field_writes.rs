//! A `&mut self` method that sets a field, calls out and resets it gets no
//! new warning (issue 13, smallvec's `DrainFilter::next`): rustc's liveness
//! check would call the first write never read if the body closure captured
//! the field alone. Bodies returning borrows of `self`'s fields still compile.
#![deny(warnings)]

use fndefer::{defer, with_defer};

pub struct Guarded {
    pub busy: bool,
    pub data: Vec<u8>,
    pub hits: u32,
}

impl Guarded {
    #[with_defer]
    pub fn call_out(&mut self, f: impl Fn(bool)) {
        defer!(|| {});
        self.busy = true;
        f(true);
        self.busy = false;
    }

    #[with_defer]
    pub fn data_mut(&mut self) -> &mut Vec<u8> {
        defer!(|| {});
        self.hits += 1;
        &mut self.data
    }

    #[with_defer]
    pub fn parts(&mut self) -> (&mut Vec<u8>, &mut u32) {
        defer!(println!("parts"));
        (&mut self.data, &mut self.hits)
    }
}

fn main() {
    let mut guarded = Guarded {
        busy: false,
        data: Vec::new(),
        hits: 0,
    };
    guarded.call_out(|busy| assert!(busy));
    assert!(!guarded.busy);
    guarded.data_mut().push(1);
    let (data, hits) = guarded.parts();
    assert_eq!((data.as_slice(), *hits), (&[1u8][..], 1));
}
