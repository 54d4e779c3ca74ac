//! `#[with_defer]` on methods, trait impls, trait default methods, generics,
//! lifetimes, `impl Trait`, `unsafe fn` and `extern "C" fn`.

mod common;
use common::{log, take};
use fndefer::{defer, errdefer, with_defer};
use std::fmt::Debug;

#[derive(Debug, Default, Clone, PartialEq)]
struct Conn {
    name: String,
    depth: u32,
    ops: Vec<String>,
    value: i32,
}

impl Conn {
    fn new(name: &str) -> Self {
        Conn {
            name: name.to_string(),
            ..Conn::default()
        }
    }

    fn note(&self, what: &str) {
        log(format!(
            "{} {what} depth={} value={}",
            self.name, self.depth, self.value
        ));
    }

    #[with_defer]
    fn by_ref(&self) -> usize {
        defer!(self.note("by_ref deferred"));
        self.ops.len()
    }

    #[with_defer]
    fn by_mut(&mut self, v: i32) {
        self.depth += 1;
        defer! { self.depth -= 1; }
        defer!(self.note("by_mut deferred"));
        self.value = v;
        self.note("by_mut body");
    }

    #[with_defer]
    fn by_value(mut self) -> Conn {
        defer!(|| log(format!("by_value sees value={}", self.value)));
        self.value += 1;
        self.clone()
    }

    #[with_defer]
    fn boxed(self: Box<Self>) -> String {
        defer!(self.note("boxed deferred"));
        self.name.clone()
    }

    #[with_defer]
    fn slot(&mut self) -> &mut i32 {
        self.depth += 1;
        defer! {
            self.depth -= 1;
            self.ops.push("slot".into());
        }
        &mut self.value
    }

    #[with_defer]
    fn name_ref<'a>(&'a self, prefix: &'a str) -> (&'a str, &'a str) {
        defer!(self.note("name_ref"));
        (prefix, &self.name)
    }

    #[with_defer]
    fn maybe(&mut self, ok: bool) -> Option<i32> {
        errdefer!(self.ops.push("rolled back".into()));
        defer!(self.ops.push("always".into()));
        if ok { Some(self.value) } else { None }
    }

    #[with_defer]
    fn try_op(&mut self, ok: bool) -> Result<i32, String> {
        self.ops.push("begin".into());
        errdefer!(|e| {
            self.ops.push(format!("abort: {e}"));
        });
        if !ok {
            return Err("nope".into());
        }
        self.ops.push("commit".into());
        Ok(1)
    }

    #[with_defer]
    fn items(&self) -> impl Iterator<Item = usize> + '_ {
        defer!(self.note("items"));
        self.ops.iter().map(String::len)
    }

    #[with_defer]
    fn assoc(tag: &str) -> Self {
        defer!(log(format!("assoc {tag}")));
        Conn::new(tag)
    }
}

#[test]
fn inherent_receivers() {
    let mut c = Conn::new("c");
    assert_eq!(c.by_ref(), 0);
    c.by_mut(5);
    assert_eq!(c.depth, 0);
    let d = c.clone().by_value();
    assert_eq!(d.value, 6);
    assert_eq!(Box::new(c.clone()).boxed(), "c");
    assert_eq!(
        take(),
        [
            "c by_ref deferred depth=0 value=0",
            "c by_mut body depth=1 value=5",
            "c by_mut deferred depth=1 value=5",
            "by_value sees value=6",
            "c boxed deferred depth=0 value=5",
        ]
    );
}

#[test]
fn mut_borrow_returned_while_deferred_block_mutates_another_field() {
    let mut c = Conn::new("c");
    *c.slot() += 41;
    *c.slot() += 1;
    assert_eq!(c.value, 42);
    assert_eq!(c.depth, 0);
    assert_eq!(c.ops, ["slot", "slot"]);
}

#[test]
fn lifetimes_option_result_impl_trait_assoc() {
    let mut c = Conn::assoc("k");
    assert_eq!(c.name_ref("p"), ("p", "k"));
    assert_eq!(c.maybe(true), Some(0));
    assert_eq!(c.maybe(false), None);
    assert_eq!(c.ops, ["always", "always", "rolled back"]);
    c.ops.clear();
    assert_eq!(c.try_op(false), Err("nope".to_string()));
    assert_eq!(c.try_op(true), Ok(1));
    assert_eq!(c.ops, ["begin", "abort: nope", "begin", "commit"]);
    let lens: Vec<usize> = c.items().collect();
    assert_eq!(lens, [5, 11, 5, 6]);
    assert_eq!(
        take(),
        [
            "assoc k",
            "k name_ref depth=0 value=0",
            "k items depth=0 value=0"
        ]
    );
}

trait Resource {
    fn name(&self) -> String;
    fn open(&mut self) -> bool;
    fn close(&mut self);

    #[with_defer]
    fn with_open(&mut self, work: i32) -> i32 {
        if !self.open() {
            return -1;
        }
        defer!(self.close());
        log(format!("{} working {work}", self.name()));
        work * 2
    }

    #[with_defer]
    fn describe(&self) -> String
    where
        Self: Sized,
    {
        defer!(log(format!("describe {}", self.name())));
        self.name()
    }
}

struct File {
    open: bool,
    fail: bool,
}

impl Resource for File {
    #[with_defer]
    fn name(&self) -> String {
        defer!(|| ());
        "file".to_string()
    }

    fn open(&mut self) -> bool {
        self.open = !self.fail;
        self.open
    }

    #[with_defer]
    fn close(&mut self) {
        defer!(log("closed"));
        self.open = false;
    }
}

#[test]
fn trait_default_methods_and_impl_methods() {
    let mut f = File {
        open: false,
        fail: false,
    };
    assert_eq!(f.with_open(3), 6);
    assert!(!f.open);
    assert_eq!(f.describe(), "file");
    let mut g = File {
        open: false,
        fail: true,
    };
    assert_eq!(g.with_open(3), -1);
    assert_eq!(take(), ["file working 3", "closed", "describe file"]);
}

#[with_defer]
fn generic<T: Debug + Clone, U>(items: &mut Vec<T>, extra: U) -> usize
where
    U: Into<T>,
{
    defer!(|| log(format!("items {items:?}")));
    items.push(extra.into());
    items.len()
}

#[with_defer]
fn first_word<'a>(s: &'a str, log_it: bool) -> &'a str {
    if log_it {
        defer!(log(format!("first_word {s}")));
    }
    s.split(' ').next().unwrap_or("")
}

#[with_defer]
fn make_iter(n: u32) -> impl Iterator<Item = u32> {
    defer!(log(format!("made {n}")));
    0..n
}

#[with_defer]
fn const_generic<const N: usize>(arr: [u8; N]) -> usize {
    defer!(log(format!("N={N}")));
    arr.len()
}

#[test]
fn generics_lifetimes_where_impl_trait() {
    let mut v: Vec<i64> = vec![1];
    assert_eq!(generic(&mut v, 2i32), 2);
    assert_eq!(first_word("hello world", true), "hello");
    assert_eq!(make_iter(3).sum::<u32>(), 3);
    assert_eq!(const_generic([0u8; 4]), 4);
    assert_eq!(
        take(),
        ["items [1, 2]", "first_word hello world", "made 3", "N=4"]
    );
}

struct Wrapper<T> {
    inner: T,
    log: Vec<String>,
}

impl<T: Debug> Wrapper<T> {
    #[with_defer]
    fn replace(&mut self, new: T) -> T {
        // Arguments are evaluated now, the block sees `self` at exit.
        defer!(self.log.push(format!("was {:?}", self.inner)));
        defer! { self.log.push(format!("now {:?}", self.inner)); }
        std::mem::replace(&mut self.inner, new)
    }
}

#[test]
fn generic_impl_method() {
    let mut w = Wrapper {
        inner: 1u8,
        log: vec![],
    };
    assert_eq!(w.replace(2), 1);
    assert_eq!(w.replace(3), 2);
    assert_eq!(w.log, ["now 2", "was 1", "now 3", "was 2"]);
}

/// # Safety
/// `p` must be valid for reads and writes.
#[with_defer]
unsafe fn unsafe_incr(p: *mut i32) -> i32 {
    defer!(log(format!("unsafe {}", unsafe { *p })));
    unsafe {
        *p += 1;
        *p
    }
}

#[with_defer]
extern "C" fn c_abi(x: i32) -> i32 {
    defer!(log(format!("extern C {x}")));
    x * 3
}

#[with_defer]
pub(crate) fn visibility_kept() -> u8 {
    defer!(log("pub(crate)"));
    1
}

#[test]
fn unsafe_and_extern_c() {
    let mut x = 1;
    assert_eq!(unsafe { unsafe_incr(&mut x) }, 2);
    let f: extern "C" fn(i32) -> i32 = c_abi;
    assert_eq!(f(2), 6);
    assert_eq!(visibility_kept(), 1);
    assert_eq!(take(), ["unsafe 1", "extern C 2", "pub(crate)"]);
}

struct Stack {
    depth: u32,
    max: u32,
}

impl Stack {
    #[with_defer]
    fn recurse(&mut self, n: u32) -> u32 {
        self.depth += 1;
        self.max = self.max.max(self.depth);
        defer! { self.depth -= 1; }
        if n == 0 {
            return 0;
        }
        1 + self.recurse(n - 1)
    }
}

#[test]
fn recursive_method_with_deferred_field_update() {
    let mut s = Stack { depth: 0, max: 0 };
    assert_eq!(s.recurse(10), 10);
    assert_eq!((s.depth, s.max), (0, 11));
}

trait Consume {
    fn consume(self) -> String;
    fn consume_box(self: Box<Self>) -> String;
    fn bump(&mut self) -> u32;
}

struct Token {
    id: u32,
}

impl Consume for Token {
    #[with_defer]
    fn consume(mut self) -> String {
        defer!(|| log(format!("consumed {}", self.id)));
        self.id += 1;
        format!("token {}", self.id)
    }

    #[with_defer]
    fn consume_box(self: Box<Self>) -> String {
        defer!(log(format!("box {}", self.id)));
        format!("boxed {}", self.id)
    }

    #[with_defer]
    fn bump(&mut self) -> u32 {
        defer! { self.id *= 10; }
        self.id += 1;
        self.id
    }
}

#[test]
fn trait_impl_methods_with_every_receiver() {
    let mut t = Token { id: 1 };
    assert_eq!(t.bump(), 2);
    assert_eq!(t.id, 20);
    assert_eq!(Box::new(Token { id: 5 }).consume_box(), "boxed 5");
    assert_eq!(t.consume(), "token 21");
    let dynamic: Box<dyn Consume> = Box::new(Token { id: 7 });
    assert_eq!(dynamic.consume_box(), "boxed 7");
    assert_eq!(take(), ["box 5", "consumed 21", "box 7"]);
}
