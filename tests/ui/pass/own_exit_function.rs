//! A function of the user's called `exit` is not `std::process::exit`: no
//! warning that it skips the deferred calls.
#![deny(warnings)]

use fndefer::{defer, with_defer};

struct Machine {
    halted: bool,
}

fn flush() {}

/// An interpreter's `exit` instruction.
fn exit(machine: &mut Machine, code: i32) -> i32 {
    machine.halted = true;
    code
}

#[with_defer]
fn run(machine: &mut Machine, code: i32) -> i32 {
    defer!(flush());
    if code != 0 {
        return exit(machine, code);
    }
    0
}

fn main() {
    let mut machine = Machine { halted: false };
    assert_eq!(run(&mut machine, 3), 3);
    assert!(machine.halted);
}
