#![deny(deprecated)]

use fndefer::{defer, with_defer};

struct Lock;
impl Lock {
    fn acquire(&self) -> Guard {
        Guard
    }
}
struct Guard;
impl Guard {
    fn release(self) {}
}

#[with_defer]
fn critical(lock: &Lock) {
    defer!(lock.acquire().release());
}

fn main() {
    critical(&Lock);
}
