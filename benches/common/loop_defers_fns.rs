// The function bodies of benches/loop_defers.rs, pasted with `include!` into
// that bench and into the instruction-count probe (benches/probe/
// instructions.rs) at their crate roots, so both measure the same code
// compiled in the same place.

#[with_defer(allow(loop))]
#[inline(never)]
fn fndefer_loop(c: &Cell<u64>, n: u64) {
    for i in 0..n {
        defer!(bump(c, i));
    }
}

#[inline(never)]
fn vec_box_dyn(c: &Cell<u64>, n: u64) {
    let mut d = BoxStack::new();
    for i in 0..n {
        d.push(move || bump(c, i));
    }
}

/// The floor: the arguments pushed on a `Vec` and the calls made LIFO by hand
/// (no panic safety).
#[inline(never)]
fn vec_tuples(c: &Cell<u64>, n: u64) {
    let mut args: Vec<(u64,)> = Vec::new();
    for i in 0..n {
        args.push((i,));
    }
    while let Some((i,)) = args.pop() {
        bump(c, i);
    }
}
