// Case early_returns: defers registered before an `if err != nil { return err }` run on that
// early return; defers registered after it do not. Rust's `?` is the same exit.
// Idiom (Go error handling; DESIGN.md "every exit counts: return, ?").
use fndefer::{defer, with_defer};

fn step(name: &str, fail: &str) -> Result<(), String> {
    if name == fail {
        return Err(format!("{} failed", name));
    }
    println!("  step {} ok", name);
    Ok(())
}

#[with_defer]
fn pipeline(fail: &str) -> Result<(), String> {
    defer!(println!("  cleanup 1"));
    step("fetch", fail)?;
    defer!(println!("  cleanup 2"));
    step("parse", fail).map_err(|err| format!("pipeline: {}", err))?;
    defer!(println!("  cleanup 3"));
    step("store", fail)?;
    println!("  all steps done");
    Ok(())
}

pub fn main() {
    for fail in ["none", "fetch", "parse", "store"] {
        println!("fail at {}:", fail);
        let err = pipeline(fail);
        println!(
            "  err: {}",
            err.err().unwrap_or_else(|| "<nil>".to_string())
        );
    }
}
