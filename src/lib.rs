//! Go's function-level `defer`, `panic`/`recover` and named results for Rust.
//!
//! Put `#[with_defer]` on a function and write `defer!(..)` anywhere in its
//! body: the deferred calls run when the function returns — by `return`,
//! `?`, falling off the end, or a panic — last in, first out, with Go's
//! evaluation rules. Deferred code can read and change the result
//! (`defer!(|ret| ..)`, Go's named results), stop a panic with [`recover()`],
//! and `errdefer!` runs only when the function fails.
//!
//! ```
//! use fndefer::{defer, errdefer, with_defer};
//!
//! #[with_defer]
//! fn transfer(log: &mut Vec<String>, amount: u32) -> Result<u32, String> {
//!     log.push("lock".into());
//!     defer!(log.push("unlock".into()));           // runs on every exit
//!     errdefer!(log.push("rollback".into()));      // runs only on Err (or panic)
//!     defer!(|ret| if let Some(Err(e)) = ret {     // Go's named result `err`
//!         *e = format!("transfer {amount}: {e}");
//!     });
//!     if amount > 100 {
//!         return Err("too much".into());
//!     }
//!     log.push("move money".into());
//!     Ok(amount)
//! }
//!
//! let mut log = Vec::new();
//! assert_eq!(transfer(&mut log, 10), Ok(10));
//! assert_eq!(log, ["lock", "move money", "unlock"]);
//!
//! let mut log = Vec::new();
//! assert_eq!(transfer(&mut log, 500), Err("transfer 500: too much".to_string()));
//! assert_eq!(log, ["lock", "rollback", "unlock"]);
//! ```
//!
//! Nothing is allocated for a function with up to 8 `defer!`s outside loops:
//! the macro turns the function into straight-line code with one `Option`
//! slot per `defer!` (see [Performance](#performance)).
//!
//! # Semantics: Go rule → fndefer rule
//!
//! | Go | fndefer |
//! |---|---|
//! | deferred calls run when the function returns, LIFO | same; every exit counts: `return`, `?`, falling off the end, a `return` inside any macro, a panic |
//! | `defer` in a loop queues a call per iteration until the function returns | same; nothing runs at the end of an iteration or block (lint `loop`) |
//! | the function value and arguments are evaluated at the defer statement | arguments: same, left to right. A callee that is a path to an item or a parameter is called at exit; any other callee (a local closure, `make()` in `defer!(make()())`) is evaluated now. `defer!(println!(..))` and the other std formatting macros format now, like `defer fmt.Println(x)` |
//! | `defer r.M()` | a receiver rooted at a parameter, `self` or a static is used in place at exit; rooted at a body local, the local is *adopted*; any other receiver (`a().b()`) is evaluated now (lint `call_chain`) |
//! | a deferred closure sees variables as they are at exit | same for `defer!(\|\| ..)` and `defer! { .. }`: they see parameters, `self`, statics and adopted locals at exit |
//! | `defer f.Close()` and keep using `f` | `f` is adopted: moved into the function's frame and lent back to the body as `&mut File` (or `&File`) under the same name |
//! | named results can be changed by deferred calls | `defer!(\|ret\| ..)` with `ret: &mut Option<R>`: `Some(value)` on a normal or `?` return, `None` while panicking; the function returns what `ret` holds at the end |
//! | named results: variables the body assigns and deferred code reads and changes | `#[with_defer(named(a, b))]`: one name per element of the returned tuple, each a local starting at `Default`, used in place by body and deferred code, returned after the last deferred call; `return (x, y)` sets them first, a bare `return;` returns them as they are |
//! | `recover()` stops the panic when called directly in a deferred function | [`recover()`] written in the deferred code of a `#[with_defer]` function stops *that* function's panic; so does one a handler calls, when the handler is deferred directly (`defer!(handle_crash())`, `defer!(p.catch_panic(v))`) or called by a `\|ret\|` closure (`defer!(\|ret\| err_recover(ret))`), at any depth; from a helper a `defer!(\|\| ..)` closure or block calls, and anywhere else, it returns `None` |
//! | after `recover`, the function returns its named results | it returns `ret`; when `ret` is `None`, the result type's `Default` (Go's zero value: `0`, `""`, `(vec![], false)`, `None`), chosen at compile time; a type without `Default` (or a generic `T` without a `T: Default` bound, or an `impl Trait` result) panics again with a message naming the function |
//! | a panic in a deferred call replaces the current one; the other deferred calls still run | same, and it never aborts the process |
//! | `os.Exit` skips deferred calls | `std::process::exit` too (lint `exit`) |
//! | — (Zig's `errdefer`) | `errdefer!(..)` runs only when the function returns `Err`/`None` or panics; `errdefer!(\|e\| ..)` only on `Err`/`None`, with the error |
//! | a `func` literal has its own defers | [`defer_scope!`]`(\|\| { defer!(..); .. })` |
//! | — (pre-RFC: cancellation) | the deferred calls of an `async fn` also run when its future is dropped before completion |
//!
//! # Forms of `defer!`
//!
//! | form | what runs at exit | evaluated now |
//! |---|---|---|
//! | `defer!(path::f(a, b))` | `path::f(..)` | `a`, `b`, left to right (but `&x`/`&mut x` arguments are places read at exit) |
//! | `defer!(recv.method(a))` | the method call | `a`; the receiver only if it is not rooted at a parameter, `self`, a static or a body local |
//! | `defer!(println!("{x}"))` (`print!`, `eprintln!`, `eprint!`, `format!`, `write!`, `writeln!`, `panic!`) | printing | the formatted text |
//! | `defer!(other_macro!(..))` | the whole macro | nothing |
//! | `defer! { stmts }`, `defer!(\|\| expr)` | the block / closure body | nothing; named body locals are adopted |
//! | `defer!(move \|\| expr)` | the closure | the closure, capturing by value now |
//! | `defer!(\|ret\| ..)` | the closure, with the result slot | nothing |
//!
//! `errdefer!` takes every form above, plus `errdefer!(|e| ..)`.
//!
//! ```
//! use fndefer::{defer, with_defer};
//! use std::cell::RefCell;
//!
//! thread_local!(static LOG: RefCell<Vec<String>> = RefCell::new(Vec::new()));
//! fn log(s: &str) { LOG.with(|l| l.borrow_mut().push(s.to_string())) }
//!
//! struct Conn;
//! impl Conn {
//!     fn close(&self) { log("conn closed") }
//! }
//!
//! #[with_defer]
//! fn forms(conn: &Conn) {
//!     defer!(log("call form"));
//!     defer!(conn.close());
//!     defer! { log("block"); }
//!     defer!(|| log("closure"));
//!     let tag = String::from("move closure");
//!     defer!(move || log(&tag));
//!     log("body");
//! }
//!
//! forms(&Conn);
//! assert_eq!(
//!     LOG.with(|l| l.take()),
//!     ["body", "move closure", "closure", "block", "conn closed", "call form"],
//! );
//! ```
//!
//! A deferred closure or block must end in `()`; `?`, `return value` and
//! `.await` are errors inside it (a bare `return;` ends the deferred call). A
//! call or method form discards the callee's result but keeps rustc's
//! `unused_must_use` warning: write `defer!(|| { let _ = f.sync_all(); })` to
//! discard a `Result` on purpose.
//!
//! # Evaluation rules
//!
//! As in Go, the arguments of a deferred call are evaluated at the `defer!`,
//! and a closure reads variables when it runs. Passing `&x` is like passing a
//! pointer in Go: the place is read at exit. So is an argument built only of
//! borrows, literals, constants and constructors — `Some(&mut err)` for a
//! pointer that may be nil, `(&a, &b)`, `Counters { ok: &ok }` — since in Go
//! it holds pointers: it is built at exit and sees the final values.
//!
//! Evaluated arguments are *moved* into the deferred call. A `&mut`
//! parameter is not `Copy`, so `defer!(note(log, ..))` moves `log` away from
//! the body; pass `&mut *log` (a place, used at exit) or use a closure,
//! `defer!(|| note(log, ..))`.
//!
//! ```
//! use fndefer::{defer, with_defer};
//! use std::fmt::Write;
//!
//! fn show(log: &mut Vec<String>, what: &str, n: i32) {
//!     log.push(format!("{what} {n}"));
//! }
//! fn show_ref(log: &mut Vec<String>, n: &i32) {
//!     log.push(format!("ref {n}"));
//! }
//!
//! #[with_defer]
//! fn eval(log: &mut Vec<String>, mut n: i32) {
//!     defer!(show(&mut *log, "arg", n));      // n == 1 now
//!     defer!(|| show(log, "closure", n));     // n at exit
//!     defer!(show_ref(&mut *log, &n));        // &n: read at exit
//!     defer!(log.push(format!("format! {n}"))); // format! runs now: it is an argument
//!     n = 7;
//! }
//!
//! let mut log = Vec::new();
//! eval(&mut log, 1);
//! assert_eq!(log, ["format! 1", "ref 7", "closure 7", "arg 1"]);
//! ```
//!
//! The callee is evaluated now unless it is a path to an item or a
//! parameter, so Go's `defer trace("f")()` and `defer un(trace("f"))` port
//! directly:
//!
//! ```
//! use fndefer::{defer, with_defer};
//! use std::cell::RefCell;
//!
//! thread_local!(static LOG: RefCell<Vec<String>> = RefCell::new(Vec::new()));
//! fn log(s: String) { LOG.with(|l| l.borrow_mut().push(s)) }
//!
//! fn trace(name: &'static str) -> impl FnOnce() {
//!     log(format!("enter {name}"));
//!     move || log(format!("leave {name}"))
//! }
//!
//! #[with_defer(allow(call_chain))] // calling trace("f") now is the point
//! fn f() {
//!     defer!(trace("f")()); // trace("f") is called now, its result at exit
//!     log("body".into());
//! }
//!
//! f();
//! assert_eq!(LOG.with(|l| l.take()), ["enter f", "body", "leave f"]);
//! ```
//!
//! # Loops
//!
//! A `defer!` inside `for`, `while` or `loop` queues one call per iteration,
//! and they all run when the *function* returns, newest first — as in Go.
//! The `loop` lint warns about it; the fix is Go's: move the loop body into
//! its own function (or a [`defer_scope!`] closure).
//!
//! ```
//! use fndefer::{defer, with_defer};
//!
//! #[with_defer(allow(loop))]
//! fn queued(log: &mut Vec<String>) {
//!     for i in 0..3 {
//!         defer!(log.push(format!("deferred {i}")));
//!     }
//!     log.push("loop done".into());
//! }
//!
//! #[with_defer]
//! fn one(log: &mut Vec<String>, i: i32) {
//!     defer!(log.push(format!("end of {i}")));
//!     log.push(format!("work {i}"));
//! }
//!
//! let mut log = Vec::new();
//! queued(&mut log);
//! assert_eq!(log, ["loop done", "deferred 2", "deferred 1", "deferred 0"]);
//!
//! let mut log = Vec::new();
//! for i in 0..2 {
//!     one(&mut log, i);
//! }
//! assert_eq!(log, ["work 0", "end of 0", "work 1", "end of 1"]);
//! ```
//!
//! # Adoption: `defer f.Close()` and keep using `f`
//!
//! When deferred code names a local of the function body by reference — as a
//! method receiver, as `&x`/`&mut x`, or inside a non-`move` closure or block
//! — the local is *adopted*: it moves into the function's frame at the
//! `defer!`, and is lent back to the rest of the body under the same name.
//! The body's uses keep their meaning — `x += 1`, `x = v`, `x == 0`, passing
//! a `Copy` value, `&mut x`, method calls, fields, macro arguments — as do a
//! later `defer!`'s arguments and the code of a later `defer!` that names it
//! too. Moving a non-`Copy` adopted value out (`consume(x)`, returning it)
//! is an error at that use naming the `defer!` that holds it: the deferred
//! code still needs it; clone it or pass `&x`. A `&mut` the local holds is
//! reborrowed by a call it is passed to, as without the `defer!`. The
//! deferred code that adopted it sees the final state and owns the value.
//!
//! ```
//! use fndefer::{defer, with_defer};
//!
//! struct File { lines: Vec<String>, log: Vec<String> }
//! impl File {
//!     fn write(&mut self, s: &str) { self.lines.push(s.into()); }
//!     fn close(&mut self) {
//!         let n = self.lines.len();
//!         self.log.push(format!("close after {n} lines"));
//!     }
//! }
//!
//! #[with_defer]
//! fn write_two(out: &mut Vec<String>) {
//!     let mut f = File { lines: vec![], log: vec![] };
//!     defer!(|| out.append(&mut f.log)); // runs last: f.close() already ran
//!     defer!(f.close());                 // f stays usable below
//!     f.write("a");
//!     f.write("b");
//!     let mut count = 0;
//!     defer!(|| out.push(format!("count {count}")));
//!     count += 2;                        // adopted above, used as before
//! }
//!
//! let mut out = Vec::new();
//! write_two(&mut out);
//! assert_eq!(out, ["count 2", "close after 2 lines"]);
//! ```
//!
//! A local declared by a `let` and named by deferred code in a deeper block
//! or in a loop (`if verbose { defer!(f.close()) }`, or a closure deferred
//! on every iteration reading a counter declared before the loop) is adopted
//! right where it is declared instead, so the code after that block or loop
//! keeps using it, as in Go. Names bound by other patterns (`match` arms, `if let`, `for`)
//! are adopted at the defer point: using one after the block that adopted it
//! is rustc's "use of moved value".
//!
//! # Named results: `defer!(|ret| ..)`
//!
//! `ret: &mut Option<R>` is the result slot: `Some(value)` after `return`, `?`
//! or falling off the end, `None` while the function is panicking. Whatever it
//! holds when the last deferred call ends is returned — Go's
//! `defer func() { if err != nil { err = fmt.Errorf("..: %w", err) } }()`.
//!
//! ```
//! use fndefer::{defer, with_defer};
//!
//! #[with_defer]
//! fn port(s: &str) -> Result<u16, String> {
//!     defer!(|ret| if let Some(Err(e)) = ret {
//!         *e = format!("port {s:?}: {e}");
//!     });
//!     let p: u16 = s.parse().map_err(|_| "not a number".to_string())?;
//!     Ok(p)
//! }
//!
//! #[with_defer]
//! fn doubled() -> i32 {
//!     defer!(|ret| if let Some(v) = ret { *v *= 2 });
//!     21
//! }
//!
//! assert_eq!(port("80"), Ok(80));
//! assert_eq!(port("x"), Err("port \"x\": not a number".to_string()));
//! assert_eq!(doubled(), 42);
//! ```
//!
//! # Named results: `#[with_defer(named(..))]`
//!
//! Go's named results port as names: `#[with_defer(named(val, err))]` on a
//! function returning `(T1, T2)` (one name per element of the tuple; one
//! name for any other result type) declares `val: T1` and `err: T2` as
//! locals of the function, each starting at its zero value (`Default`; a type
//! without it is a compile error at the result type saying so). The body and
//! the deferred code use them in place — `err = Some(e)`, no `*`, no
//! adoption — and they are returned after the last deferred call.
//! `return (a, b);` sets them and then runs the deferred calls; a bare
//! `return;` or falling off the end returns them as they are, and so does a
//! function that recovered from a panic. A value the body ends with (not an
//! `if`, `match`, block or loop, whose value must then be `()`) sets them too.
//! `?` and macros that `return` a value (`bail!`) do not fit: set the names
//! and `return;`. Not on an `async fn`; `errdefer!` needs `ret`, not names.
//!
//! ```
//! use fndefer::{defer, recover, with_defer};
//!
//! // Go: func parse(s string) (n int, err error) { defer func() {
//! //     if r := recover(); r != nil { err = fmt.Errorf("parse: %v", r) } }() ..
//! #[with_defer(named(n, err))]
//! fn parse(s: &str) -> (u32, Option<String>) {
//!     defer!(|| if let Some(p) = recover() {
//!         err = Some(format!("parse {s}: {p}"));
//!     });
//!     for c in s.chars() {
//!         n = n * 10 + c.to_digit(10).expect("a digit");
//!     }
//! }
//!
//! # std::panic::set_hook(Box::new(|_| {}));
//! assert_eq!(parse("42"), (42, None));
//! assert_eq!(parse("4x"), (4, Some("parse 4x: a digit".to_string())));
//! ```
//!
//! # recover
//!
//! [`recover()`] written directly in the deferred code of a `#[with_defer]`
//! function stops that function's panic and returns it as a [`Panic`];
//! it is `None` when the function is not panicking. Go's reusable handlers
//! port line for line: a function or method deferred directly —
//! `defer!(handle_crash())`, `defer!(p.catch_panic(arg, verb))` — or called
//! by a `|ret|` closure — `defer!(|ret| err_recover(ret))` for Go's `defer
//! errRecover(&err)` — may call `recover()` itself, at any depth (Go would
//! answer nil in a sub-call of the handler; fndefer does not). A helper
//! called from a `defer!(|| ..)` closure or block sees no panic, as in Go,
//! and so does code in the body. Publishing the panic to handlers costs
//! only when the function is panicking.
//! After a recover the function returns `ret`. Go's type switch on the
//! recovered value is `p.downcast_ref::<T>()` for a `std::panic::panic_any(value)`
//! payload (`p.downcast_mut::<T>()` to change it before `p.resume()`,
//! `p.downcast::<T>()` to keep it), and `p.message()` for `panic!("..")`
//! text; `p.resume()` panics again with the same payload.
//!
//! ```
//! use fndefer::{defer, recover, with_defer, Panic};
//!
//! # std::panic::set_hook(Box::new(|_| {}));
//! #[with_defer]
//! fn safe_div(a: i32, b: i32) -> Result<i32, String> {
//!     defer!(|ret| if let Some(p) = recover() {
//!         *ret = Some(Err(format!("recovered: {p}")));
//!     });
//!     Ok(a / b)
//! }
//!
//! fn handle(log: &mut Vec<String>, p: Option<Panic>) {
//!     log.push(match p {
//!         Some(p) => format!("handled {p}"),
//!         None => "no panic".to_string(),
//!     });
//! }
//!
//! #[with_defer]
//! fn job(log: &mut Vec<String>, fail: bool) {
//!     defer!(|| handle(log, recover()));
//!     if fail {
//!         panic!("job failed");
//!     }
//! }
//!
//! assert_eq!(safe_div(6, 3), Ok(2));
//! assert_eq!(safe_div(1, 0), Err("recovered: attempt to divide by zero".to_string()));
//! let mut log = Vec::new();
//! job(&mut log, false);
//! job(&mut log, true);
//! assert_eq!(log, ["no panic", "handled job failed"]);
//! ```
//!
//! A panic raised by a deferred call replaces the current one (or starts
//! one); the remaining deferred calls still run, and a later `recover()` gets
//! the newest panic. To let a panic go on after looking at it, call
//! [`Panic::resume`] (Go's `panic(r)`).
//!
//! ```
//! use fndefer::{defer, recover, with_defer};
//!
//! # std::panic::set_hook(Box::new(|_| {}));
//! #[with_defer]
//! fn replaced(log: &mut Vec<String>) -> String {
//!     defer!(|ret| if let Some(p) = recover() {
//!         *ret = Some(format!("recovered {p}"));
//!     });
//!     defer!(log.push("still runs".into()));
//!     defer!(panic!("second"));
//!     panic!("first");
//! }
//!
//! let mut log = Vec::new();
//! assert_eq!(replaced(&mut log), "recovered second");
//! assert_eq!(log, ["still runs"]);
//! ```
//!
//! # errdefer
//!
//! `errdefer!(..)` (Zig's `errdefer`) runs only when the function returns
//! `Err`/`None`, or panics. `errdefer!(|e| ..)` runs only on an `Err`/`None`
//! return, with `e: &mut E` (for `Option`, `&mut ()`). The function's return
//! type must be a `Result` or an `Option` (aliases work). Queue each undo right
//! after the step it undoes, and a failure undoes exactly what was done.
//!
//! ```
//! use fndefer::{defer, errdefer, with_defer};
//!
//! #[with_defer]
//! fn setup(log: &mut Vec<String>, fail_at: u32) -> Result<(), String> {
//!     log.push("create dir".into());
//!     errdefer!(log.push("remove dir".into()));
//!     if fail_at == 1 {
//!         return Err("write failed".into());
//!     }
//!     log.push("start server".into());
//!     errdefer!(log.push("stop server".into()));
//!     errdefer!(|e| log.push(format!("failed: {e}")));
//!     if fail_at == 2 {
//!         return Err("health check failed".into());
//!     }
//!     Ok(())
//! }
//!
//! let mut log = Vec::new();
//! assert!(setup(&mut log, 0).is_ok());
//! assert_eq!(log, ["create dir", "start server"]);
//!
//! let mut log = Vec::new();
//! assert!(setup(&mut log, 1).is_err());
//! assert_eq!(log, ["create dir", "remove dir"]);
//!
//! let mut log = Vec::new();
//! assert!(setup(&mut log, 2).is_err());
//! assert_eq!(log, [
//!     "create dir", "start server",
//!     "failed: health check failed", "stop server", "remove dir",
//! ]);
//! ```
//!
//! # Closures with their own defer scope: `defer_scope!`
//!
//! A Go function literal has its own defers: `go func() { defer wg.Done() }()`.
//! A `defer!` directly inside a closure of a `#[with_defer]` function is a
//! compile error; wrap the closure in [`defer_scope!`] instead, and its body
//! behaves like a `#[with_defer]` function (recover and `|ret|` included).
//! A deferred function literal with defers of its own,
//! `defer func() { defer cleanup(); .. }()`, is
//! `defer!(defer_scope!(|| { defer!(cleanup()); .. })())`, as Go's literal:
//! it is built at exit (it sees the final values, and the body may go on
//! assigning what it names, which is adopted as for `defer!(|| ..)`), its own
//! deferred calls run when it returns, and a `recover()` its body calls stops
//! the panic of the function that deferred it (the same as
//! `defer!(|| (defer_scope!(|| ..))())`).
//! An async block gets its own defers the same way, with an `async fn`'s
//! rules (the deferred calls run on completion, on a panic while polling, and
//! when the future is dropped): `tokio::spawn(defer_scope!(async move {
//! defer!(wg.done()); .. }))`.
//! Options go before a `;`: `defer_scope!(allow(loop); move || ..)`.
//! The closure keeps its kind (`Fn`, `FnMut`, `FnOnce`) and its `Send`-ness,
//! so it can go to `thread::spawn`, `thread::scope`, iterator adaptors or a
//! stored callback. Without a `-> T` annotation, a closure whose body ends in
//! a statement returns `()` (and may `recover()` without setting `ret`); one
//! that ends in a value returns it. (DESIGN.md proposed the name
//! `with_defer!`; Rust keeps attribute and bang macros in one namespace, so
//! `#[with_defer]` and a `with_defer!` cannot both be exported.)
//!
//! ```
//! use fndefer::{defer, defer_scope, recover};
//! use std::sync::{Arc, Mutex};
//!
//! # std::panic::set_hook(Box::new(|_| {}));
//! let log = Arc::new(Mutex::new(Vec::new()));
//! let mut handles = Vec::new();
//! for i in 0..3 {
//!     let log = log.clone();
//!     handles.push(std::thread::spawn(defer_scope!(move || {
//!         defer!(|| if let Some(p) = recover() {
//!             log.lock().unwrap().push(format!("{i}: recovered {p}"));
//!         });
//!         if i == 1 {
//!             panic!("bad job");
//!         }
//!         log.lock().unwrap().push(format!("{i}: ok"));
//!     })));
//! }
//! for h in handles {
//!     h.join().unwrap(); // no thread died
//! }
//! let mut log = log.lock().unwrap().clone();
//! log.sort();
//! assert_eq!(log, ["0: ok", "1: recovered bad job", "2: ok"]);
//! ```
//!
//! # async
//!
//! `#[with_defer]` works on `async fn`. The deferred calls run when the
//! future completes (by `return`, `?` or falling off the end), when a poll
//! panics (and `recover()` works as in a plain function), and — which Go has
//! no counterpart for — when the future is dropped before it completes
//! (cancellation, e.g. the losing branch of a `select!` or a timeout). On
//! cancellation the deferred calls registered so far run, newest first,
//! except those whose code names `self` in place. A cancelled function has
//! not succeeded, so `errdefer!(..)` runs too; `errdefer!(|e| ..)` does not,
//! as there is no error value.
//!
//! To make that possible, an `async fn`'s parameters are treated like its
//! locals: a parameter that deferred code names by reference is adopted (and
//! used by the body as before), except a parameter that cannot change — one
//! name, not `mut`, of a number, `bool`, `char` or `&T` type — which
//! deferred code copies.
//! Only `self` is used in place, and deferred code naming `self` runs on
//! completion and panic but not on cancellation: the compiler cannot see that
//! the body's borrow of `self` has ended when the future is dropped. A
//! function returning `impl Future<Output = T>` whose body is one `async`
//! block gets the same treatment as an `async fn`. `.await` inside deferred
//! code is an error: deferred code runs synchronously (Rust has no async drop).
//!
//! ```
//! use fndefer::{defer, with_defer};
//! use std::cell::RefCell;
//! use std::future::Future;
//! use std::pin::Pin;
//! use std::task::{Context, Poll, Waker};
//!
//! thread_local!(static LOG: RefCell<Vec<String>> = RefCell::new(Vec::new()));
//! fn log(s: &str) { LOG.with(|l| l.borrow_mut().push(s.to_string())) }
//!
//! /// A future that is pending once: one `.await` point.
//! struct YieldOnce(bool);
//! impl Future for YieldOnce {
//!     type Output = ();
//!     fn poll(mut self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<()> {
//!         if self.0 { Poll::Ready(()) } else { self.0 = true; Poll::Pending }
//!     }
//! }
//!
//! #[with_defer]
//! async fn fetch() -> u32 {
//!     defer!(log("release connection"));
//!     YieldOnce(false).await;
//!     log("got response");
//!     200
//! }
//!
//! /// Polls `f` up to `polls` times, then drops it.
//! fn poll_n<F: Future>(f: F, polls: usize) -> Option<F::Output> {
//!     let mut f = Box::pin(f);
//!     let mut cx = Context::from_waker(Waker::noop());
//!     (0..polls).find_map(|_| match f.as_mut().poll(&mut cx) {
//!         Poll::Ready(v) => Some(v),
//!         Poll::Pending => None,
//!     })
//! }
//!
//! assert_eq!(poll_n(fetch(), 2), Some(200)); // completes
//! assert_eq!(LOG.with(|l| l.take()), ["got response", "release connection"]);
//!
//! assert_eq!(poll_n(fetch(), 1), None); // dropped at the `.await`: cancelled
//! assert_eq!(LOG.with(|l| l.take()), ["release connection"]);
//! ```
//!
//! # Lints and how to silence them
//!
//! `#[with_defer]` reports likely mistakes as rustc warnings at the
//! offending token (modelled on revive's `defer` rule, staticcheck and
//! go-critic). Each is silenced for one function with
//! `#[with_defer(allow(NAME, ..))]` (or `defer_scope!(allow(NAME); ..)`):
//!
//! | lint | warns about |
//! |---|---|
//! | `loop` | a `defer!` in a loop: the calls queue until the function returns |
//! | `infinite_loop` | a `defer!` in a `loop` with no `break`/`return`: it runs only on panic |
//! | `call_chain` | `defer!(a().b())` and `defer!(make()())` call `a()` / `make()` now; write `defer!(\|\| a().b())` to call both at exit |
//! | `immediate_recover` | `defer!(f(recover()))` calls `recover()` now, so it is always `None` |
//! | `exit` | `std::process::exit` after a `defer!` skips the deferred calls (a bare `exit(..)` counts unless the file defines or imports another `exit` and no `process::exit`; an empty `defer!(\|\| {})` queues nothing to skip) |
//! | `eager_time` | `defer!(log(start.elapsed()))` measures at the defer point, not at exit |
//! | `body_recover` | `recover()` in a function's body: it stops no panic of this function, only a panic of a function whose deferred call runs this one as a handler (allow it in such a handler) |
//! | `eager_drop` | `defer!(drop(tx.rollback()))` calls `tx.rollback()` now; write `defer!(let _ = tx.rollback())` |
//! | `track_caller` | `#[track_caller]` on a function with a `defer!`: the body runs in a closure, which stable Rust cannot make `#[track_caller]`, so `Location::caller()` and `#[track_caller]` callees report this function, not its caller |
//!
//! The warning reads like `use of deprecated constant `f::fndefer_eager_time`:
//! this argument is measured now, .. (silence with
//! `#[with_defer(allow(eager_time))]`)` — stable Rust gives proc macros no other
//! way to warn.
//!
//! ```
//! use fndefer::{defer, with_defer};
//! use std::time::Instant;
//!
//! // Measuring at the defer point is what this function wants, so it says so.
//! #[with_defer(allow(eager_time))]
//! fn setup_cost(log: &mut Vec<bool>) {
//!     let start = Instant::now();
//!     defer!(log.push(start.elapsed().as_secs() < 60));
//! }
//!
//! let mut log = Vec::new();
//! setup_cost(&mut log);
//! assert_eq!(log, [true]);
//! ```
//!
//! # What `#[with_defer]` leaves as it was
//!
//! Adding `#[with_defer]` to a valid function does not change what it
//! means; `tests/transparency/run.sh` in the repository checks this on real
//! crates (their own test suites, and their rustc and clippy warnings line
//! by line). The rules that make it so:
//!
//! - **Only fndefer's names are sites.** A proc macro cannot ask rustc what
//!   a name resolves to, so `#[with_defer]` reads the `use` declarations of
//!   the function's file: a bare `defer!` / `errdefer!` / `recover()` is
//!   fndefer's unless the file imports or defines another one (scopeguard's
//!   `defer!`, a `macro_rules! defer`, a `fn recover`) and does not import
//!   fndefer's; `fndefer::defer!` and `fndefer::recover()` always are. The
//!   file counts as a whole: a module that imports scopeguard's `defer` in a
//!   file that also imports fndefer's should spell fndefer's by path.
//! - **Body items stay where they are written**: a local `macro_rules!`
//!   keeps its textual scope, and an item keeps seeing what a macro
//!   statement such as `thread_local!` declares. `use` declarations, and the
//!   items deferred code names (with the body items those name), are moved
//!   in front of the body so deferred code sees them too.
//! - **Parameters that deferred code does not name move into the body**
//!   (as a function's parameters belong to its body): a `&mut` parameter
//!   can be re-sliced and assigned back (`buf = &mut buf[n..]`), and such
//!   parameters are dropped when the body ends, last declared first — as
//!   Rust drops them — *before* the deferred calls run. A by-value `self`
//!   is such a parameter too (it can lend what it holds for its lifetime,
//!   `&mut self.entries[i]` out of a `self` holding a `&'a mut`, and it is
//!   dropped when the body ends whether or not the body moves it). A
//!   parameter that deferred code names stays alive until after the
//!   deferred calls.
//!   (That move is a use clippy counts: `needless_pass_by_value` no longer
//!   fires on a function with a `defer!`; nor does `unnecessary_wraps`,
//!   which reads the function's own `return`s, now the body closure's.
//!   Clippy's pedantic `must_use_candidate` spares a public function that
//!   uses a static, but looks for the use only outside closures: a function
//!   passed by path is mirrored outside the body, other uses, such as a
//!   `static` atomic's method, are not, so such a function may get it.)
//! - **A returned closure keeps its signature**: in
//!   `fn f(t: Vec<u64>) -> impl Fn(&usize) -> u64 { move |&i| t[i] }` the
//!   closure gets the argument types the return type gives it.
//! - **Warnings stay the user's**: the `#[allow(..)]`s the expansion needs
//!   sit on generated statements; the body keeps its own spans, so rustc's
//!   warnings, and clippy's about its expressions, stay where they were. A
//!   `&mut self` that deferred code does not use is captured by the body
//!   whole, so `self.busy = true; f(); self.busy = false;` gets no
//!   "value assigned is never read". Two kinds of clippy lints are lost,
//!   and stable Rust gives a proc macro no way around either: doc lints
//!   that read a doc comment's own text (`doc_markdown` on a link's text
//!   such as `[split_off](..)`, `doc_comment_double_space_linebreaks`),
//!   since a doc comment comes back from an attribute macro that rewrites
//!   the item as `#[doc = ".."]` (only a macro that returns its input
//!   untouched keeps it a doc comment); and, in a function with a
//!   `defer!` in an edition-2015 or 2018 crate, some lints inside the body
//!   (seen on real crates: `explicit_auto_deref`, `borrow_deref_ref`,
//!   `mem_replace_with_default`), which clippy skips as macro output
//!   because there the body closure's `||` keeps the macro's span: a
//!   closure captures by the edition of that span, and 2018's
//!   whole-variable captures break bodies such as `&mut self.value` in
//!   `deref_mut` (from edition 2021 on, the edition is read from the
//!   crate's manifest and the `||` is the user's, so these lints stay).
//!   Run clippy without the attribute to see them.
//! - **`#[track_caller]` cannot be kept** on stable Rust (closures cannot
//!   be `#[track_caller]`), so it warns (`track_caller`, above) rather than
//!   silently reporting the wrong line. A function without any `defer!` is
//!   expanded in place and keeps it.
//! - **`std` is needed**: deferred calls run under `catch_unwind`. A
//!   `#![no_std]` crate can use fndefer on a target that has `std` (the
//!   expansion names only `::core` and `::fndefer`, which links `std`); on a
//!   target without `std`, fndefer itself does not build.
//!
//! # Performance
//!
//! A function with at most 8 `defer!`s, none in a loop, gets a *static
//! frame*: one `Option` slot per site, whose discriminant is the site's "ran"
//! bit (Go's open-coded defers keep a `u8` of the same bits), no heap
//! allocation, and the deferred code open-coded after the body. A `defer!` in
//! a loop, or more than 8, gets a *dynamic frame*: one stack of a generated
//! per-site enum whose variants carry each site's values (a site that adopts
//! locals keeps them in a queue of its own, since the body borrows them), 8
//! entries inline before spilling to the heap — no `Box<dyn FnOnce>` per call. The measurements,
//! against hand-written cleanup, scopeguard, a `Vec<Box<dyn FnOnce()>>` and
//! Go, are in `docs/BENCHMARKS.md` in the repository.
//!
//! ```
//! use fndefer::{defer, with_defer};
//!
//! #[with_defer(allow(loop))]
//! fn many(out: &mut Vec<u32>, n: u32) {
//!     for i in 0..n {
//!         defer!(out.push(i));
//!     }
//! }
//!
//! let mut out = Vec::new();
//! many(&mut out, 200_000);
//! assert_eq!(out.len(), 200_000);
//! assert_eq!(out[0], 199_999); // LIFO
//! assert_eq!(out[199_999], 0);
//! ```
//!
//! # `panic = "abort"`
//!
//! Deferred calls run on a panic only because the panic unwinds through the
//! function. With `panic = "abort"` in the profile, a panic ends the process
//! at once: no deferred call, `errdefer!` or `recover()` runs (like a Go
//! `fatal error`). Returns and `?` are unaffected. Code that must clean up
//! on panic can check `cfg!(panic = "unwind")`.
//!
//! ```
//! use fndefer::{defer, with_defer};
//! use std::sync::atomic::{AtomicBool, Ordering};
//!
//! # std::panic::set_hook(Box::new(|_| {}));
//! static CLEANED: AtomicBool = AtomicBool::new(false);
//!
//! #[with_defer]
//! fn crashes() {
//!     defer!(CLEANED.store(true, Ordering::SeqCst));
//!     panic!("crash");
//! }
//!
//! if cfg!(panic = "unwind") {
//!     assert!(std::panic::catch_unwind(crashes).is_err());
//!     assert!(CLEANED.load(Ordering::SeqCst)); // under "abort" we never get here
//! }
//! ```
//!
//! # Known differences from Go
//!
//! - **A handler's sub-calls see the panic.** In Go a `recover()` in a
//!   function the deferred function calls is nil; a fndefer handler
//!   (`defer!(handler())`, `defer!(|ret| handler(ret))`) sees the panic at
//!   any depth. Defer a closure (`defer!(|| helper())`) for Go's rule.
//! - **An adopted local cannot be moved out while deferred code needs
//!   it.** After `defer!(f.close())` the body uses `f` as before (Go copies
//!   the pointer; Rust must keep `f` for the deferred call). A `Copy` value
//!   moves out as a copy, and a `&mut` the local holds is reborrowed by a
//!   call (`write_to(out)`, as without the attribute); otherwise `return
//!   f`, the body's value `f`, `let g = f`, `x = f` and passing it to a
//!   function or method (`consume(f)`) are an error at that use naming the
//!   line of the `defer!` that holds it. A method that takes `self` by value
//!   (`f.into_inner()`) is rustc's "cannot move out of `*f`", since which
//!   receivers move is known only to the type checker. Pass `&f`, clone it,
//!   or end the deferred use first.
//! - **A local without `mut` is lent back as `&`.** Assigning to it or
//!   borrowing it `&mut` after the `defer!` is an error saying to declare it
//!   `let mut`; calling a `&mut self` method on it is rustc's "cannot borrow
//!   as mutable, as it is behind a `&` reference" (the fix is the same:
//!   `let mut`), as it would be without the attribute.
//! - **Adoption starts at the defer, or at the `let`.** A local is adopted
//!   at the `defer!` that names it, or already at its `let` when
//!   the `defer!` is in a deeper block or a loop; a name bound by a `match`,
//!   `if let` or `for` pattern and adopted in a nested block cannot be used
//!   after that block.
//! - **Method receivers are not copied.** Go's `defer v.Show()` with a value
//!   receiver copies `v` now; `defer!(v.show())` adopts `v` and shows its
//!   final state. For a snapshot write `defer!(Type::show(v.clone()))`.
//! - **Arguments move.** Evaluating an argument now moves it into the deferred
//!   call: a `String` or a `&mut` parameter passed by value is gone for the
//!   rest of the body. Pass `&x` / `&mut *x` (read at exit), `x.clone()`
//!   (a snapshot, Go's copy), or use a closure.
//! - **An argument evaluated now is typed on its own**: it is stored before
//!   the call sees it, so it gets no expected type from the callee. Write the
//!   coercion or the types out: `vec![Box::new(i) as Box<dyn Display>]`,
//!   `move |e: &RefCell<Log>| ..`. (A closure argument without `move` is a Go
//!   function literal: it is built at exit, sees final values, and types as
//!   usual.)
//! - **Go 1.21 and earlier share one loop variable across iterations**, so
//!   `for i := range xs { defer func() { print(i) }() }` prints the last value
//!   each time; a Rust `for` binding is per iteration (as in Go 1.22), so the
//!   fndefer port prints each value.
//! - **Body locals are dropped before the deferred calls run**, unless deferred
//!   code names them (then they are adopted and dropped after it). A
//!   `MutexGuard` held in the body is released before the deferred calls; to
//!   keep the lock for them, as Go's `defer mu.Unlock()` written first does,
//!   adopt it: `defer!(|| drop(guard))`.
//! - **A parameter used as the callee is read at exit**: `defer!(f())` with a
//!   parameter `mut f` that the body reassigns calls the new `f` (Go calls the
//!   old one). Go copies the function value; a Rust closure parameter is not
//!   `Copy`, and taking it at the defer would take it from the body, so the
//!   parameter stays in place. Bind it to a local first: `let g = f; defer!(g());`.
//! - **A receiver rooted at a parameter is read at exit too**: with
//!   `defer!(s.out.flush())`, if the body then points `s.out` at another
//!   buffer, the new one is flushed (Go evaluated the pointer `s.out` at the
//!   defer). A Rust place cannot be held as a pointer while the body keeps
//!   using it mutably, so the receiver is the place, read at exit. Take it
//!   first: `let out = s.out.clone(); defer!(out.flush());`.
//! - **A receiver evaluated now is held until exit**: in
//!   `defer!(cell.borrow_mut().close())` the `RefMut` is taken at the defer and
//!   kept, so a borrow in the body panics; write `defer!(|| cell.borrow_mut().close())`.
//! - **Not every type has a zero value.** After a `recover()` that leaves
//!   `ret` as `None`, the result is its type's `Default`; a type without one
//!   (a generic `T` without `T: Default`, an `impl Trait`) panics again naming
//!   the function. Set `*ret = Some(..)` in the recovering closure.
//! - **The panic hook still prints.** Rust's hook prints the message where the
//!   panic starts, before any `recover()`; Go prints nothing for a recovered
//!   panic. Install a quiet hook (`std::panic::set_hook`) if that matters.
//! - **A panic in a thread ends only that thread** (its `join()` returns
//!   `Err`); in Go an unrecovered panic in any goroutine ends the program.
//! - **`panic = "abort"` runs nothing on panic** (see above), and a panic that
//!   does not unwind (a panic inside `Drop` while unwinding, stack overflow,
//!   `std::process::abort`) cannot be recovered.
//! - **`defer!` needs `#[with_defer]`** on the enclosing function, and a closure
//!   needs [`defer_scope!`] to have defers of its own; a `defer!` inside
//!   another macro's input is not seen.
//! - **A deferred call's `#[must_use]` result is warned about**, as in any
//!   Rust statement: `defer!(file.sync())` keeps rustc's `unused_must_use`;
//!   write what its help says, `defer!(let _ = file.sync())` (the call runs
//!   at exit, its result dropped), or handle the error in a closure.
//! - **The result may not borrow what deferred code mutates.** A method like
//!   `fn enter(&mut self) -> &mut u32` with `defer!(|| self.depth -= 1)` that
//!   returns `&mut self.depth` fails to compile (rustc reports two closures
//!   needing unique access to `self.depth`, at `#[with_defer]`): the deferred
//!   code runs after the body, while the returned borrow is still alive.
//!   Return an owned value, or do the update in the body before returning.

#![forbid(unsafe_code)]

extern crate self as fndefer;

/// The macros: `#[with_defer]` on a function, `defer!` and `errdefer!` in its
/// body, `defer_scope!` for a closure with its own defers. The
/// [crate documentation](crate) describes each form and rule, with examples.
pub use fndefer_macros::{defer, defer_scope, errdefer, with_defer};
pub use fndefer_runtime::Panic;

/// ```
/// use fndefer::{defer, recover, with_defer};
///
/// #[with_defer]
/// fn safe_div(a: i32, b: i32) -> Option<i32> {
///     defer!(|ret| if let Some(p) = recover() {
///         println!("recovered: {p}");
///         *ret = Some(None);
///     });
///     Some(a / b)
/// }
///
/// # std::panic::set_hook(Box::new(|_| {}));
/// assert_eq!(safe_div(6, 3), Some(2));
/// assert_eq!(safe_div(1, 0), None);
/// assert!(fndefer::recover().is_none()); // not in deferred code: always None
/// ```
pub use fndefer_runtime::recover;

#[doc(hidden)]
pub use fndefer_runtime::__private;
