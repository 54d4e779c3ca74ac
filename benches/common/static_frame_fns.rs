// The function bodies of benches/static_frame.rs, pasted with `include!` into
// that bench and into the instruction-count probe (benches/probe/
// instructions.rs) at their crate roots, so both measure the same code
// compiled in the same place.

// ---- 1 defer ----------------------------------------------------------------

#[with_defer]
#[inline(never)]
fn fndefer_1(c: &Cell<u64>, x: u64) -> u64 {
    defer!(bump(c, x));
    if black_box(x) & 1 == 0 {
        return x / 2;
    }
    x * 3 + 1
}

#[inline(never)]
fn hand_1(c: &Cell<u64>, x: u64) -> u64 {
    if black_box(x) & 1 == 0 {
        let r = x / 2;
        bump(c, x);
        return r;
    }
    let r = x * 3 + 1;
    bump(c, x);
    r
}

#[inline(never)]
fn scopeguard_1(c: &Cell<u64>, x: u64) -> u64 {
    scopeguard::defer!(bump(c, x));
    if black_box(x) & 1 == 0 {
        return x / 2;
    }
    x * 3 + 1
}

// ---- 2 defers ---------------------------------------------------------------

#[with_defer]
#[inline(never)]
fn fndefer_2(c: &Cell<u64>, x: u64) -> u64 {
    defer!(bump(c, x));
    defer!(bump(c, x + 1));
    if black_box(x) & 1 == 0 {
        return x / 2;
    }
    x * 3 + 1
}

#[inline(never)]
fn hand_2(c: &Cell<u64>, x: u64) -> u64 {
    if black_box(x) & 1 == 0 {
        let r = x / 2;
        bump(c, x + 1);
        bump(c, x);
        return r;
    }
    let r = x * 3 + 1;
    bump(c, x + 1);
    bump(c, x);
    r
}

#[inline(never)]
fn scopeguard_2(c: &Cell<u64>, x: u64) -> u64 {
    scopeguard::defer!(bump(c, x));
    scopeguard::defer!(bump(c, x + 1));
    if black_box(x) & 1 == 0 {
        return x / 2;
    }
    x * 3 + 1
}

/// The floor for fndefer's semantics, written by hand: the body under
/// `catch_unwind` (a deferred call may `recover()` its panic) and each
/// cleanup under its own (a panic there replaces the one in flight and the
/// rest still run), then the last panic resumed.
#[inline(never)]
fn catch_2(c: &Cell<u64>, x: u64) -> u64 {
    use std::panic::{AssertUnwindSafe, catch_unwind, resume_unwind};
    let (value, mut panic) = match catch_unwind(|| {
        if black_box(x) & 1 == 0 {
            return x / 2;
        }
        x * 3 + 1
    }) {
        Ok(value) => (Some(value), None),
        Err(payload) => (None, Some(payload)),
    };
    if let Err(payload) = catch_unwind(AssertUnwindSafe(|| bump(c, x + 1))) {
        panic = Some(payload);
    }
    if let Err(payload) = catch_unwind(AssertUnwindSafe(|| bump(c, x))) {
        panic = Some(payload);
    }
    match (value, panic) {
        (_, Some(payload)) => resume_unwind(payload),
        (Some(value), None) => value,
        (None, None) => unreachable!("the body returned or panicked"),
    }
}

// ---- 8 defers ---------------------------------------------------------------

#[with_defer]
#[inline(never)]
fn fndefer_8(c: &Cell<u64>, x: u64) -> u64 {
    defer!(bump(c, x));
    defer!(bump(c, x + 1));
    defer!(bump(c, x + 2));
    defer!(bump(c, x + 3));
    defer!(bump(c, x + 4));
    defer!(bump(c, x + 5));
    defer!(bump(c, x + 6));
    defer!(bump(c, x + 7));
    if black_box(x) & 1 == 0 {
        return x / 2;
    }
    x * 3 + 1
}

#[inline(never)]
fn hand_8(c: &Cell<u64>, x: u64) -> u64 {
    if black_box(x) & 1 == 0 {
        let r = x / 2;
        bump(c, x + 7);
        bump(c, x + 6);
        bump(c, x + 5);
        bump(c, x + 4);
        bump(c, x + 3);
        bump(c, x + 2);
        bump(c, x + 1);
        bump(c, x);
        return r;
    }
    let r = x * 3 + 1;
    bump(c, x + 7);
    bump(c, x + 6);
    bump(c, x + 5);
    bump(c, x + 4);
    bump(c, x + 3);
    bump(c, x + 2);
    bump(c, x + 1);
    bump(c, x);
    r
}

#[inline(never)]
fn scopeguard_8(c: &Cell<u64>, x: u64) -> u64 {
    scopeguard::defer!(bump(c, x));
    scopeguard::defer!(bump(c, x + 1));
    scopeguard::defer!(bump(c, x + 2));
    scopeguard::defer!(bump(c, x + 3));
    scopeguard::defer!(bump(c, x + 4));
    scopeguard::defer!(bump(c, x + 5));
    scopeguard::defer!(bump(c, x + 6));
    scopeguard::defer!(bump(c, x + 7));
    if black_box(x) & 1 == 0 {
        return x / 2;
    }
    x * 3 + 1
}

