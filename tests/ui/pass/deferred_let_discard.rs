//! `defer!(let _ = ..)`, rustc's help for a deferred `#[must_use]` result:
//! the call runs at exit, its result discarded, without a warning.
#![deny(warnings)]

use fndefer::{defer, with_defer};

struct File {
    syncs: u32,
}

impl File {
    #[must_use]
    fn sync(&mut self) -> Result<u32, String> {
        self.syncs += 1;
        Ok(self.syncs)
    }
}

#[with_defer]
fn save(file: &mut File) -> u32 {
    defer!(let _ = file.sync());
    file.syncs
}

fn main() {
    let mut file = File { syncs: 0 };
    assert_eq!(save(&mut file), 0);
    assert_eq!(file.syncs, 1);
}
