#![deny(deprecated)]
use fndefer::{defer, with_defer};

#[track_caller]
#[with_defer]
fn checked(v: &[u8], i: usize) -> u8 {
    defer!(println!("checked"));
    v[i]
}

#[track_caller]
#[with_defer(allow(track_caller))]
fn allowed(v: &[u8], i: usize) -> u8 {
    defer!(println!("allowed"));
    v[i]
}

#[track_caller]
#[with_defer]
fn no_site(v: &[u8], i: usize) -> u8 {
    v[i]
}

fn main() {
    checked(&[1], 0);
    allowed(&[1], 0);
    no_site(&[1], 0);
}
