use fndefer::{defer, with_defer};

struct File {
    name: String,
}
impl File {
    fn close(&mut self) {}
}

#[with_defer]
fn run() {
    let mut file = File {
        name: String::from("a"),
    };
    let name = &file.name;
    defer!(file.close());
    println!("{name}");
}

fn main() {
    run();
}
