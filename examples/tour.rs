//! A narrated tour of fndefer, for Go programmers.
//!
//! Run it with `cargo run --example tour`. Each section prints a heading, says
//! what Go would do, then shows what the `#[with_defer]` function does.

use fndefer::{Panic, defer, defer_scope, errdefer, recover, with_defer};

fn section(title: &str) {
    println!();
    println!("== {title} ==");
}

fn say(what: &str) {
    println!("   {what}");
}

// ---------------------------------------------------------------------------
// 1. The forms of defer!
// ---------------------------------------------------------------------------

fn step(what: &str) {
    println!("   deferred: {what}");
}

struct Conn {
    name: &'static str,
}

impl Conn {
    fn close(&self) {
        println!("   deferred: conn {} closed", self.name);
    }
}

#[with_defer]
fn forms(conn: &Conn) {
    defer!(step("call form: defer!(step(\"..\"))"));
    defer!(conn.close()); // method form: `defer conn.Close()`
    defer! {
        step("block form: defer! { .. }");
    }
    defer!(|| step("closure form: defer!(|| ..)"));
    let label = String::from("move closure: captured at the defer point");
    defer!(move || step(&label));
    say("body runs first; the deferred calls run LIFO when the function returns");
}

// ---------------------------------------------------------------------------
// 2. Go's evaluation rules
// ---------------------------------------------------------------------------

fn show(label: &str, n: i32) {
    println!("   deferred: {label} = {n}");
}

fn show_ref(label: &str, n: &i32) {
    println!("   deferred: {label} = {n}");
}

#[with_defer]
fn evaluation(mut n: i32) {
    // `defer fmt.Println(n)`: the argument is evaluated now.
    defer!(show("argument evaluated at the defer point", n));
    // println! formats its arguments now too, like `defer fmt.Println("n =", n)`.
    defer!(println!(
        "   deferred: println! formatted at the defer point: n = {n}"
    ));
    // `defer func() { fmt.Println(n) }()`: a closure sees n as it is at exit.
    defer!(|| show("closure reads n at exit", n));
    // `&n` is like passing a pointer: the place is read at exit.
    defer!(show_ref("&n is read at exit", &n));
    n = 10;
    say(&format!(
        "body set n = {n}; watch which deferred calls see 1 and which see 10"
    ));
}

// ---------------------------------------------------------------------------
// 3. Loops
// ---------------------------------------------------------------------------

// Like Go, a defer in a loop queues one call per iteration; they all run when
// the function returns, newest first. The `loop` lint warns about this; this
// function says it means it.
#[with_defer(allow(loop))]
fn loop_defers() {
    for i in 0..3 {
        defer!(println!("   deferred: iteration {i}"));
        say(&format!("iteration {i} queued a defer"));
    }
    say("loop done; nothing has run yet");
}

// The Go fix: move the loop body into its own function.
#[with_defer]
fn one_iteration(i: i32) {
    defer!(println!("   deferred: end of iteration {i}"));
    say(&format!("iteration {i} working"));
}

fn loop_with_helper() {
    for i in 0..3 {
        one_iteration(i);
    }
}

// ---------------------------------------------------------------------------
// 4. Adoption: `defer f.Close()` and keep using f
// ---------------------------------------------------------------------------

struct File {
    name: String,
    lines: Vec<String>,
}

impl File {
    fn create(name: &str) -> File {
        println!("   open {name}");
        File {
            name: name.to_string(),
            lines: Vec::new(),
        }
    }
    fn write(&mut self, line: &str) {
        self.lines.push(line.to_string());
    }
    fn close(&mut self) {
        println!(
            "   deferred: close {} after {} lines",
            self.name,
            self.lines.len()
        );
    }
}

#[with_defer]
fn adoption() {
    let mut f = File::create("notes.txt");
    defer!(f.close()); // f is adopted: moved into the frame, lent back as `&mut File`
    f.write("hello");
    f.write("world");
    let mut count = 0;
    defer!(|| println!("   deferred: count at exit = {count}"));
    count += 2; // adopted by the defer! above, and used as before
    say(&format!("wrote {} lines, count = {count}", f.lines.len()));
}

// ---------------------------------------------------------------------------
// 5. Named results: |ret|
// ---------------------------------------------------------------------------

fn parse_port(s: &str) -> Result<u16, String> {
    s.parse::<u16>().map_err(|e| e.to_string())
}

// Go:
//   func port(s string) (p int, err error) {
//       defer func() { if err != nil { err = fmt.Errorf("port %q: %w", s, err) } }()
//       return parse(s)
//   }
#[with_defer]
fn port(s: &str) -> Result<u16, String> {
    defer!(|ret| if let Some(Err(e)) = ret {
        *e = format!("port {s:?}: {e}");
    });
    let p = parse_port(s)?;
    Ok(p)
}

#[with_defer]
fn doubled() -> i32 {
    defer!(|ret| if let Some(v) = ret {
        *v *= 2;
    });
    21
}

// ---------------------------------------------------------------------------
// 6. recover
// ---------------------------------------------------------------------------

#[with_defer]
fn safe_div(a: i32, b: i32) -> Result<i32, String> {
    defer!(|ret| if let Some(p) = recover() {
        *ret = Some(Err(format!("recovered: {p}")));
    });
    Ok(a / b)
}

fn log_panic(p: Option<Panic>) {
    match p {
        Some(p) => println!("   deferred: handler got the panic: {p}"),
        None => println!("   deferred: handler: no panic"),
    }
}

#[with_defer]
fn with_handler(fail: bool) {
    // Go's `defer handler()` with recover() inside handler: pass recover() in.
    defer!(|| log_panic(recover()));
    if fail {
        panic!("worker failed");
    }
    say("no panic this time");
}

// ---------------------------------------------------------------------------
// 7. errdefer
// ---------------------------------------------------------------------------

#[with_defer]
fn reserve(seats: u32) -> Result<u32, String> {
    say(&format!("reserve {seats} seats"));
    errdefer!(println!("   errdefer: release {seats} seats"));
    errdefer!(|e| println!("   errdefer: the error being returned is {e:?}"));
    defer!(println!("   deferred: always runs"));
    if seats > 4 {
        return Err(format!("{seats} seats is too many"));
    }
    Ok(seats)
}

// ---------------------------------------------------------------------------
// 8. Panics in deferred calls
// ---------------------------------------------------------------------------

#[with_defer]
fn replaced() -> String {
    defer!(|ret| if let Some(p) = recover() {
        *ret = Some(format!("recovered the newest panic: {p}"));
    });
    defer!(println!("   deferred: still runs after the deferred panic"));
    defer!(panic!("second panic, from a deferred call"));
    panic!("first panic");
}

// ---------------------------------------------------------------------------
// 9. Lints
// ---------------------------------------------------------------------------

#[with_defer(allow(eager_time))]
fn timed() {
    let start = std::time::Instant::now();
    // The eager_time lint would warn here: `start.elapsed()` is measured now.
    defer!(report_micros(start.elapsed().as_micros() < 1_000_000));
    say("elapsed was measured at the defer point (eager_time lint silenced)");
}

fn report_micros(fast: bool) {
    println!("   deferred: measured at the defer point, under a second: {fast}");
}

// ---------------------------------------------------------------------------
// 10. defer_scope!
// ---------------------------------------------------------------------------

#[with_defer]
fn func_literal() {
    defer!(println!("   deferred: func_literal returns"));
    for i in 0..2 {
        // Each call of the closure runs its own defers when the closure returns.
        (defer_scope!(|| {
            defer!(println!("   deferred: literal {i} returns"));
            say(&format!("literal {i} body"));
        }))();
    }
    say("func_literal body done");
}

// ---------------------------------------------------------------------------
// 11. async fn: completion and cancellation
// ---------------------------------------------------------------------------

/// A future that is pending once: one `.await` point.
struct YieldOnce(bool);

impl std::future::Future for YieldOnce {
    type Output = ();
    fn poll(
        mut self: std::pin::Pin<&mut Self>,
        _: &mut std::task::Context<'_>,
    ) -> std::task::Poll<()> {
        if self.0 {
            std::task::Poll::Ready(())
        } else {
            self.0 = true;
            std::task::Poll::Pending
        }
    }
}

#[with_defer]
async fn fetch(url: &str) -> u32 {
    defer!(println!("   deferred: release the connection for {url}"));
    say(&format!("request {url} sent, awaiting the response"));
    YieldOnce(false).await;
    say(&format!("response for {url} received"));
    200
}

/// A minimal executor: polls `f` up to `polls` times, then drops it.
fn poll_n<F: std::future::Future>(f: F, polls: usize) -> Option<F::Output> {
    let mut f = Box::pin(f);
    let mut cx = std::task::Context::from_waker(std::task::Waker::noop());
    for _ in 0..polls {
        if let std::task::Poll::Ready(v) = f.as_mut().poll(&mut cx) {
            return Some(v);
        }
    }
    None
}

fn main() {
    // Panics below are recovered; keep the default hook from printing them
    // to stderr, and show them in the narration instead.
    std::panic::set_hook(Box::new(|info| {
        let payload = info.payload();
        let msg = payload
            .downcast_ref::<&str>()
            .copied()
            .or_else(|| payload.downcast_ref::<String>().map(String::as_str))
            .unwrap_or("?");
        println!("   (panic: {msg})");
    }));

    println!("fndefer tour: Go's defer, panic/recover and named results in Rust");
    println!("(lines `(panic: ..)` come from the panic hook, where each panic starts)");

    section("1. defer! forms (run LIFO at function exit)");
    say("Go: defer f(x); defer c.Close(); defer func() { .. }()");
    forms(&Conn { name: "db" });

    section("2. evaluation rules: arguments now, closures at exit");
    say("Go: `defer show(n)` evaluates n now; `defer func() { show(n) }()` reads n at exit");
    evaluation(1);

    section("3. defer in a loop queues until the function returns");
    say("Go: `for i := 0; i < 3; i++ { defer fmt.Println(i) }` prints 2 1 0 at return");
    loop_defers();
    say("the Go fix, a helper function per iteration:");
    loop_with_helper();

    section("4. adoption: defer!(f.close()) then keep using f");
    say("Go: f := create(..); defer f.Close(); f.Write(..)");
    say("fndefer moves f into the frame and lends it back to the body as `&mut File`");
    adoption();

    section("5. named results: defer!(|ret| ..) sees and changes the result");
    say(
        "Go: func port(s string) (p int, err error) { defer func() { if err != nil { err = .. } }() }",
    );
    say(&format!("port(\"8080\") = {:?}", port("8080")));
    say(&format!("port(\"http\") = {:?}", port("http")));
    say(&format!("doubled() = {} (body returned 21)", doubled()));

    section("6. recover()");
    say("Go: defer func() { if r := recover(); r != nil { err = .. } }()");
    say(&format!("safe_div(6, 3) = {:?}", safe_div(6, 3)));
    say(&format!("safe_div(1, 0) = {:?}", safe_div(1, 0)));
    say("Go's `defer handler()` with recover() inside handler becomes");
    say("defer!(|| handler(recover())): recover() must be written in the deferred code");
    with_handler(false);
    with_handler(true);
    say("with_handler(true) returned normally after recovering");

    section("7. errdefer!: runs only when the function fails");
    say(
        "Zig's errdefer: undo only on an Err return (or a panic); errdefer!(|e| ..) sees the error",
    );
    say(&format!("reserve(2) = {:?}", reserve(2)));
    say(&format!("reserve(9) = {:?}", reserve(9)));

    section("8. a panic in a deferred call replaces the current one");
    say("as in Go: the remaining deferred calls still run; recover() gets the newest panic");
    say(&format!("replaced() = {:?}", replaced()));

    section("9. lints");
    say("#[with_defer] warns (as rustc warnings) about: loop, infinite_loop,");
    say("call_chain, immediate_recover, exit, eager_time.");
    say("Without the allow, `defer!(report(start.elapsed()))` in timed() prints:");
    say("  warning: use of deprecated constant `timed::fndefer_eager_time`: this argument");
    say("  is measured now, at the defer point, not when the function returns; write");
    say("  `defer!(|| ..)` to measure at exit (silence with `#[with_defer(allow(eager_time))]`)");
    say("Silence one per function: #[with_defer(allow(loop, eager_time))]");
    timed();

    section("10. defer_scope!: a closure with its own defers (a Go func literal)");
    say("Go: func() { defer fmt.Println(\"literal deferred\"); .. }()");
    func_literal();

    section("11. async fn: defers run on completion, panic and cancellation");
    say("no Go counterpart: dropping the future before it completes runs its defers too");
    say(&format!(
        "polled to completion: {:?}",
        poll_n(fetch("/a"), 2)
    ));
    say(&format!(
        "dropped after one poll (cancelled): {:?}",
        poll_n(fetch("/b"), 1)
    ));

    println!();
    println!("tour done: see the crate docs and docs/porting-from-go.md for more");
}
