use fndefer::{defer, with_defer};

fn flush() -> Result<(), String> {
    Ok(())
}

#[with_defer]
fn save() -> Result<(), String> {
    defer!(|| {
        flush()?;
    });
    Ok(())
}

fn main() {
    save().unwrap();
}
