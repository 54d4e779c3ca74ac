// Case exit_skips_defers: os.Exit ends the program at once; pending deferred calls do not
// run (Rust: std::process::exit, which fndefer lints as `exit`). Idiom (os.Exit docs:
// "deferred functions are not run").
use fndefer::{defer, with_defer};

fn cleanup(name: &str) {
    println!("cleanup {}", name);
}

#[with_defer]
fn run() -> i32 {
    defer!(cleanup("run"));
    println!("run body");
    3
}

#[with_defer(allow(exit))]
pub fn main() {
    defer!(println!("main deferred: never printed"));
    let code = run();
    println!("exiting with {}", code);
    std::process::exit(code);
}
