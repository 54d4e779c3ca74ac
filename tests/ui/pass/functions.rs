//! Every kind of function `#[with_defer]` goes on.
#![deny(warnings)]

use fndefer::{defer, with_defer};

fn log(_: &str) {}

struct Walker {
    depth: u32,
}

impl Walker {
    #[with_defer]
    fn enter(&mut self) -> u32 {
        self.depth += 1;
        defer!(|| self.depth -= 1);
        self.depth
    }

    #[with_defer]
    fn field(&mut self) -> &mut u32 {
        defer!(log("field"));
        &mut self.depth
    }

    #[with_defer]
    fn peek(&self) -> u32 {
        defer!(log("peek"));
        self.depth
    }

    #[with_defer]
    fn consume(self) -> u32 {
        defer!(log("consume"));
        self.depth
    }

    #[with_defer]
    fn boxed(self: Box<Self>) -> u32 {
        defer!(log("boxed"));
        self.depth
    }
}

trait Job {
    fn name(&self) -> &'static str;

    #[with_defer]
    fn run(&self) -> usize {
        defer!(log(self.name()));
        self.name().len()
    }
}

struct Hello;
impl Job for Hello {
    fn name(&self) -> &'static str {
        "hello"
    }
}

#[with_defer]
fn generic<T: Clone + std::fmt::Debug>(value: &T) -> T {
    defer!(println!("{:?}", value));
    value.clone()
}

#[with_defer]
unsafe fn raw(ptr: *const u8) -> u8 {
    defer!(log("raw"));
    unsafe { *ptr }
}

#[with_defer]
extern "C" fn callback(code: i32) -> i32 {
    defer!(log("callback"));
    code
}

#[with_defer]
fn early(flag: bool) -> Result<u32, String> {
    defer!(log("early"));
    if flag {
        return Err("flag".into());
    }
    let n: u32 = "7".parse().map_err(|_| String::from("parse"))?;
    Ok(n)
}

#[with_defer]
async fn fetch(id: u32) -> Result<u32, String> {
    defer!(log("fetch"));
    let id = async { id }.await;
    Ok(id)
}

#[with_defer]
fn no_defer() -> u32 {
    7
}

fn main() {
    let mut walker = Walker { depth: 0 };
    walker.enter();
    *walker.field() += 1;
    walker.peek();
    Box::new(Walker { depth: 1 }).boxed();
    walker.consume();
    Hello.run();
    generic(&1);
    unsafe { raw(&1) };
    callback(1);
    let _ = early(false);
    no_defer();
    drop(fetch(1));
}
