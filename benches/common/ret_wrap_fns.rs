// The function bodies of benches/ret_wrap.rs, pasted with `include!` into
// that bench and into the instruction-count probe (benches/probe/
// instructions.rs) at their crate roots, so both measure the same code
// compiled in the same place.

/// An error that costs nothing to build, so the bench times the control flow
/// and not an allocator (the Go twin uses preallocated error values).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Error {
    code: u32,
    wrapped: bool,
}

#[inline(never)]
fn step(x: u64) -> Result<u64, Error> {
    if black_box(x) == 0 {
        Err(Error {
            code: 7,
            wrapped: false,
        })
    } else {
        Ok(x.wrapping_mul(3))
    }
}

#[inline(never)]
fn wrap(e: Error) -> Error {
    Error {
        code: black_box(e.code),
        wrapped: true,
    }
}

#[with_defer]
#[inline(never)]
fn fndefer_ret(x: u64) -> Result<u64, Error> {
    defer!(|ret| {
        if let Some(Err(e)) = ret {
            *e = wrap(*e);
        }
    });
    let y = step(x)?;
    Ok(y + 1)
}

#[inline(never)]
fn hand_map_err(x: u64) -> Result<u64, Error> {
    let y = step(x).map_err(wrap)?;
    Ok(y + 1)
}

/// What a `|ret|` defer asks of the compiler, written by hand: the body's
/// result in an `Option` slot that the cleanup changes through a `&mut`
/// before it is returned. The floor for `defer!(|ret| ..)`'s shape, beside
/// `map_err`'s (which returns each path's value where it is made).
#[inline(never)]
fn hand_result_slot(x: u64) -> Result<u64, Error> {
    let body = || -> Result<u64, Error> {
        let y = step(x)?;
        Ok(y + 1)
    };
    let mut ret = Some(body());
    if let Some(Err(e)) = &mut ret {
        *e = wrap(*e);
    }
    match ret {
        Some(value) => value,
        None => unreachable!("the body returned"),
    }
}
