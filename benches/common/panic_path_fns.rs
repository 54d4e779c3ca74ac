// The function bodies of benches/panic_path.rs, pasted with `include!` into
// that bench and into the instruction-count probe (benches/probe/
// instructions.rs) at their crate roots, so both measure the same code
// compiled in the same place.

#[with_defer]
#[inline(never)]
fn fndefer_frame(c: &Cell<u64>, depth: u32) -> u64 {
    defer!(bump(c, 1));
    if black_box(depth) <= 1 {
        panic!("boom");
    }
    fndefer_frame(c, depth - 1) + 1
}

#[inline(never)]
fn scopeguard_frame(c: &Cell<u64>, depth: u32) -> u64 {
    scopeguard::defer!(bump(c, 1));
    if black_box(depth) <= 1 {
        panic!("boom");
    }
    scopeguard_frame(c, depth - 1) + 1
}

/// The floor for any `recover()`: the body's panic caught in every frame (a
/// deferred call may stop it), the cleanup run, the panic resumed — written
/// by hand with `catch_unwind`, as fndefer must do it.
#[inline(never)]
fn catch_frame(c: &Cell<u64>, depth: u32) -> u64 {
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        if black_box(depth) <= 1 {
            panic!("boom");
        }
        catch_frame(c, depth - 1) + 1
    }));
    bump(c, 1);
    match result {
        Ok(value) => value,
        Err(payload) => std::panic::resume_unwind(payload),
    }
}
