use fndefer::errdefer;

fn rollback() {}

fn step() -> Result<(), String> {
    errdefer!(rollback());
    Ok(())
}

fn main() {
    step().unwrap();
}
