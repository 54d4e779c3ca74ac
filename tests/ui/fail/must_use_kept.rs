#![deny(unused_must_use)]

use fndefer::{defer, with_defer};

fn sync() -> Result<(), String> {
    Ok(())
}

#[with_defer]
fn save() {
    defer!(sync());
}

fn main() {
    save();
}
