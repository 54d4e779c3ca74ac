use fndefer::with_defer;

#[with_defer(named(a, b))]
fn two_names() -> (u32, u32, u32) {
    a = 1;
}

#[with_defer(named(a, b))]
fn one_value() -> u32 {
    a = 1;
}

fn main() {
    two_names();
    one_value();
}
