use fndefer::with_defer;

#[with_defer]
struct Config {
    verbose: bool,
}

fn main() {
    let _ = Config { verbose: true }.verbose;
}
