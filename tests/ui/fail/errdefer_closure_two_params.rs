use fndefer::{errdefer, with_defer};

#[with_defer]
fn parse() -> Result<i32, String> {
    errdefer!(|e, extra| {
        let _ = (e, extra);
    });
    Ok(1)
}

fn main() {
    parse().unwrap();
}
