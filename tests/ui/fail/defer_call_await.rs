use fndefer::{defer, with_defer};

struct Conn;
impl Conn {
    async fn close(&mut self) {}
}

#[with_defer]
async fn serve() {
    let mut conn = Conn;
    defer!(conn.close().await);
}

fn main() {
    drop(serve());
}
