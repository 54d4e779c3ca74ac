//! A local adopted by a defer in a nested block stays usable after the
//! block: it is adopted where it is declared (pre-adoption).
#![deny(warnings)]

use fndefer::{defer, with_defer};

struct File;
impl File {
    fn close(&mut self) {}
    fn write(&mut self) {}
}

#[with_defer]
fn run(flag: bool) {
    let mut file = File;
    if flag {
        defer!(file.close());
    }
    file.write();
}

fn main() {
    run(true);
}
