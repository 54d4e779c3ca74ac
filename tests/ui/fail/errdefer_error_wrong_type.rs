use fndefer::{errdefer, with_defer};

#[with_defer]
fn parse(text: &str) -> Result<i32, std::num::ParseIntError> {
    errdefer!(|e: &mut String| e.push_str("!"));
    text.parse()
}

fn main() {
    let _ = parse("1");
}
