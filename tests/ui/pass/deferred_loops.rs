//! `break`/`continue` aimed at a loop inside the deferred code are fine.
#![deny(warnings)]

use fndefer::{defer, with_defer};

fn close(_: u32) {}

#[with_defer(allow(loop))]
fn run(items: &[u32]) {
    for &item in items {
        defer! {
            'steps: for step in 0..item {
                for inner in 0..step {
                    if inner == 1 {
                        continue 'steps;
                    }
                    if inner == 3 {
                        break;
                    }
                }
                if step == 5 {
                    break 'steps;
                }
                close(step);
            }
            let mut n = 0;
            while n < item {
                n += 1;
                if n == 2 {
                    continue;
                }
            }
            let found = 'search: {
                if item == 1 {
                    break 'search true;
                }
                false
            };
            close(u32::from(found));
            let last = loop {
                break item;
            };
            close(last);
        }
    }
}

fn main() {
    run(&[0, 3]);
}
