#![deny(deprecated)]
use fndefer::{defer, with_defer};

struct Tx;
impl Tx {
    fn rollback(&mut self) -> Result<(), String> {
        Ok(())
    }
}

#[with_defer]
fn transfer(tx: &mut Tx) {
    defer!(drop(tx.rollback()));
}

#[with_defer(allow(eager_drop))]
fn allowed(tx: &mut Tx) {
    defer!(std::mem::drop(tx.rollback()));
}

fn main() {
    transfer(&mut Tx);
    allowed(&mut Tx);
}
