use fndefer::{defer, with_defer};

struct Conn;

#[with_defer(named(conn, ok))]
fn open() -> (Conn, bool) {
    defer!(|| ok = true);
    conn = Conn;
}

fn main() {
    open();
}
