//! `#[with_defer] async fn` on a tiny no-dependency executor: deferred calls
//! run on completion (return, `?`, fall-off), on a panic caught per poll (and
//! `recover()` stops it), and on cancellation (the future dropped before it
//! completes), where exactly the deferred calls already registered whose code
//! does not name `self` run, LIFO.

mod common;
use common::{log, panic_message, quiet_panics, take};
use fndefer::{defer, errdefer, recover, with_defer};
use std::future::Future;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::pin::{Pin, pin};
use std::rc::Rc;
use std::task::{Context, Poll, Waker};

// ---------------------------------------------------------------------------
// The executor.

/// Polls `f` to completion on this thread.
fn block_on<F: Future>(f: F) -> F::Output {
    let mut f = pin!(f);
    let mut cx = Context::from_waker(Waker::noop());
    loop {
        if let Poll::Ready(v) = f.as_mut().poll(&mut cx) {
            return v;
        }
    }
}

/// Polls `f` at most `polls` times; if it has not completed by then, drops it
/// (cancellation) and returns `None`.
fn poll_then_drop<F: Future>(f: F, polls: usize) -> Option<F::Output> {
    let mut f = Box::pin(f);
    let mut cx = Context::from_waker(Waker::noop());
    for _ in 0..polls {
        if let Poll::Ready(v) = f.as_mut().poll(&mut cx) {
            return Some(v);
        }
    }
    drop(f);
    None
}

/// Pending once, then ready: one cancel point per `.await`.
struct YieldNow(bool);

fn yield_now() -> YieldNow {
    YieldNow(false)
}

impl Future for YieldNow {
    type Output = ();
    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        if self.0 {
            Poll::Ready(())
        } else {
            self.0 = true;
            cx.waker().wake_by_ref();
            Poll::Pending
        }
    }
}

fn assert_send<T: Send>(_: &T) {}

// ---------------------------------------------------------------------------
// Completion: return, `?`, fall-off, `return` in the middle.

#[with_defer]
async fn completes(n: u32) -> u32 {
    defer!(log("first"));
    yield_now().await;
    defer!(log(format!("second {n}")));
    yield_now().await;
    log("body");
    n + 1
}

#[test]
fn completion_runs_defers_lifo_after_the_body() {
    assert_eq!(block_on(completes(4)), 5);
    assert_eq!(take(), ["body", "second 4", "first"]);
}

fn parse(s: &str) -> Result<u32, String> {
    s.parse().map_err(|_| format!("bad {s:?}"))
}

#[with_defer]
async fn question_mark(a: &str, b: &str) -> Result<u32, String> {
    defer!(log("deferred"));
    let x = parse(a)?;
    yield_now().await;
    defer!(log("after first await"));
    let y = parse(b)?;
    yield_now().await;
    Ok(x + y)
}

#[test]
fn question_mark_runs_defers() {
    assert_eq!(block_on(question_mark("1", "2")), Ok(3));
    assert_eq!(take(), ["after first await", "deferred"]);
    assert_eq!(block_on(question_mark("x", "2")), Err("bad \"x\"".into()));
    assert_eq!(take(), ["deferred"]);
    assert_eq!(block_on(question_mark("1", "y")), Err("bad \"y\"".into()));
    assert_eq!(take(), ["after first await", "deferred"]);
}

#[with_defer]
async fn falls_off(n: u32) {
    defer!(log("deferred"));
    yield_now().await;
    log(format!("body {n}"));
}

#[test]
fn falling_off_the_end_runs_defers() {
    block_on(falls_off(1));
    assert_eq!(take(), ["body 1", "deferred"]);
}

#[with_defer]
async fn early_return(items: Vec<u32>) -> Option<u32> {
    defer!(log("deferred"));
    for item in items {
        yield_now().await;
        if item > 10 {
            log(format!("found {item}"));
            return Some(item);
        }
    }
    log("not found");
    None
}

#[test]
fn return_in_the_middle_runs_defers() {
    assert_eq!(block_on(early_return(vec![1, 20, 30])), Some(20));
    assert_eq!(take(), ["found 20", "deferred"]);
    assert_eq!(block_on(early_return(vec![1, 2])), None);
    assert_eq!(take(), ["not found", "deferred"]);
}

// ---------------------------------------------------------------------------
// Panics, with and without recover.

#[with_defer]
async fn panics_after_await(n: u32) -> u32 {
    defer!(log("first"));
    yield_now().await;
    defer!(log("second"));
    if n > 0 {
        panic!("async boom {n}");
    }
    n
}

#[test]
fn panic_runs_defers_then_continues() {
    quiet_panics();
    let msg = panic_message(|| block_on(panics_after_await(3)));
    assert_eq!(msg, "async boom 3");
    assert_eq!(take(), ["second", "first"]);
}

#[with_defer]
async fn recovers_with_value() -> Result<u32, String> {
    defer!(|ret| {
        if let Some(p) = recover() {
            log(format!("recovered {p}"));
            *ret = Some(Err(format!("panicked: {p}")));
        }
    });
    defer!(log("inner defer"));
    yield_now().await;
    panic!("boom");
}

#[test]
fn recover_stops_the_panic_and_sets_the_result() {
    quiet_panics();
    assert_eq!(
        block_on(recovers_with_value()),
        Err("panicked: boom".to_string())
    );
    assert_eq!(take(), ["inner defer", "recovered boom"]);
}

#[with_defer]
async fn recovers_unit() {
    defer!(|| log(format!("recovered {:?}", recover().map(|p| p.to_string()))));
    yield_now().await;
    panic!("unit boom");
}

#[test]
fn recover_in_a_unit_async_fn_returns_unit() {
    quiet_panics();
    block_on(recovers_unit());
    assert_eq!(take(), ["recovered Some(\"unit boom\")"]);
}

#[with_defer]
async fn recovers_without_result() -> u32 {
    defer!(|| log(format!("recovered {}", recover().is_some())));
    yield_now().await;
    panic!("lost");
}

#[test]
fn recover_without_setting_ret_returns_the_zero_value() {
    quiet_panics();
    assert_eq!(block_on(recovers_without_result()), 0);
    assert_eq!(take(), ["recovered true"]);
    let msg = panic_message(|| block_on(recovers_without_zero()));
    assert!(msg.contains("recovers_without_zero"), "{msg}");
    assert_eq!(take(), ["recovered true"]);
}

/// No `Default`: the panic resumes, naming the function.
struct NoZero;

#[with_defer]
async fn recovers_without_zero() -> NoZero {
    defer!(|| log(format!("recovered {}", recover().is_some())));
    yield_now().await;
    panic!("lost");
}

#[with_defer]
async fn recover_is_none_on_success() -> u32 {
    defer!(|| log(format!("recover {:?}", recover().is_some())));
    yield_now().await;
    1
}

#[test]
fn recover_returns_none_when_not_panicking() {
    assert_eq!(block_on(recover_is_none_on_success()), 1);
    assert_eq!(take(), ["recover false"]);
}

#[with_defer]
async fn deferred_call_panics() -> u32 {
    defer!(|| log("still runs"));
    defer!(|| panic!("from defer"));
    yield_now().await;
    5
}

#[test]
fn a_panicking_deferred_call_starts_a_panic_and_later_defers_still_run() {
    quiet_panics();
    let msg = panic_message(|| block_on(deferred_call_panics()));
    assert_eq!(msg, "from defer");
    assert_eq!(take(), ["still runs"]);
}

// ---------------------------------------------------------------------------
// `|ret|` and errdefer.

#[with_defer]
async fn wraps_error(path: &str) -> Result<usize, String> {
    defer!(|ret| {
        if let Some(Err(e)) = ret {
            *e = format!("open {path}: {e}");
        }
    });
    yield_now().await;
    if path.is_empty() {
        return Err("empty path".into());
    }
    Ok(path.len())
}

#[test]
fn ret_wraps_the_error() {
    assert_eq!(block_on(wraps_error("abc")), Ok(3));
    assert_eq!(
        block_on(wraps_error("")),
        Err("open : empty path".to_string())
    );
    assert_eq!(take(), Vec::<String>::new());
}

#[with_defer]
async fn ret_sees_the_value() -> u32 {
    defer!(|ret| {
        log(format!("ret {ret:?}"));
        if let Some(v) = ret {
            *v *= 10;
        }
    });
    yield_now().await;
    4
}

#[test]
fn ret_sees_and_changes_the_value() {
    assert_eq!(block_on(ret_sees_the_value()), 40);
    assert_eq!(take(), ["ret Some(4)"]);
}

#[with_defer]
async fn errdefers(mode: u8) -> Result<u8, String> {
    defer!(log("defer"));
    errdefer!(log("errdefer"));
    errdefer!(|e| log(format!("errdefer |e| {e}")));
    yield_now().await;
    match mode {
        0 => Ok(0),
        1 => Err("bad".into()),
        2 => panic!("errdefer panic"),
        _ => {
            // Cancel point: the test drops the future here.
            yield_now().await;
            Ok(3)
        }
    }
}

#[test]
fn errdefer_skipped_on_ok() {
    assert_eq!(block_on(errdefers(0)), Ok(0));
    assert_eq!(take(), ["defer"]);
}

#[test]
fn errdefer_runs_on_err() {
    assert_eq!(block_on(errdefers(1)), Err("bad".into()));
    assert_eq!(take(), ["errdefer |e| bad", "errdefer", "defer"]);
}

#[test]
fn errdefer_runs_on_panic_but_not_the_e_form() {
    quiet_panics();
    assert_eq!(panic_message(|| block_on(errdefers(2))), "errdefer panic");
    assert_eq!(take(), ["errdefer", "defer"]);
}

#[test]
fn errdefer_runs_on_cancellation_but_not_the_e_form() {
    assert_eq!(poll_then_drop(errdefers(3), 2), None);
    assert_eq!(take(), ["errdefer", "defer"]);
}

#[with_defer]
async fn option_errdefer(x: Option<u8>) -> Option<u8> {
    errdefer!(log("none"));
    yield_now().await;
    let v = x?;
    Some(v + 1)
}

#[test]
fn errdefer_on_option_none() {
    assert_eq!(block_on(option_errdefer(Some(1))), Some(2));
    assert_eq!(take(), Vec::<String>::new());
    assert_eq!(block_on(option_errdefer(None)), None);
    assert_eq!(take(), ["none"]);
}

// ---------------------------------------------------------------------------
// Adoption of a local and of a parameter.

struct Conn {
    id: u32,
    sent: Vec<String>,
}

impl Conn {
    fn new(id: u32) -> Conn {
        Conn { id, sent: vec![] }
    }
    fn close(&mut self) {
        log(format!("close {} after {:?}", self.id, self.sent));
    }
    async fn send(&mut self, msg: &str) {
        yield_now().await;
        self.sent.push(msg.to_string());
    }
}

#[with_defer]
async fn adopts_local() -> usize {
    let mut conn = Conn::new(1);
    defer!(conn.close());
    conn.send("a").await;
    conn.send("b").await;
    conn.sent.len()
}

#[test]
fn a_local_is_adopted_and_the_deferred_call_sees_its_final_state() {
    assert_eq!(block_on(adopts_local()), 2);
    assert_eq!(take(), ["close 1 after [\"a\", \"b\"]"]);
}

#[with_defer]
async fn adopts_parameters(mut conn: Conn, mut n: u32, label: String) -> u32 {
    defer!(conn.close());
    defer!(|| log(format!("{label}: n = {n}")));
    conn.send("x").await;
    n += 1;
    conn.send(label.as_str()).await;
    n += 1;
    n
}

#[test]
fn parameters_are_adopted_and_deferred_code_sees_their_final_state() {
    assert_eq!(
        block_on(adopts_parameters(Conn::new(2), 10, "lbl".into())),
        12
    );
    assert_eq!(take(), ["lbl: n = 12", "close 2 after [\"x\", \"lbl\"]"]);
}

#[test]
fn adopted_parameters_are_seen_at_the_cancel_point() {
    assert_eq!(
        poll_then_drop(adopts_parameters(Conn::new(3), 0, "c".into()), 2),
        None
    );
    // Polled twice: the first send completed, `*n += 1` ran, the second send
    // is pending.
    assert_eq!(take(), ["c: n = 1", "close 3 after [\"x\"]"]);
}

// ---------------------------------------------------------------------------
// Cancellation: exactly the registered, eligible deferred calls, LIFO.

#[with_defer]
async fn many_forms(n: u32) -> u32 {
    let s = String::from("local");
    defer!(log("call form"));
    defer!(println!("println form {n}"));
    defer! { log("block form"); }
    defer!(|| log(format!("closure form {s}")));
    let m = n * 2;
    defer!(move || log(format!("move closure form {m}")));
    defer!(|ret| log(format!("ret form {ret:?} {:?}", recover().is_some())));
    yield_now().await; // cancel point after 1 poll
    defer!(log("registered after the first await"));
    yield_now().await;
    n
}

#[test]
fn every_eligible_form_runs_on_cancellation_lifo() {
    assert_eq!(poll_then_drop(many_forms(1), 1), None);
    assert_eq!(
        take(),
        [
            "ret form None false",
            "move closure form 2",
            "closure form local",
            "block form",
            "call form",
        ]
    );
    assert_eq!(poll_then_drop(many_forms(1), 2), None);
    assert_eq!(
        take(),
        [
            "registered after the first await",
            "ret form None false",
            "move closure form 2",
            "closure form local",
            "block form",
            "call form",
        ]
    );
    // The same function completing: `ret` is `Some`.
    assert_eq!(block_on(many_forms(1)), 1);
    assert_eq!(take()[1], "ret form Some(1) false");
}

#[test]
fn a_future_dropped_before_its_first_poll_runs_nothing() {
    drop(many_forms(1));
    assert_eq!(poll_then_drop(many_forms(1), 0), None);
    assert_eq!(take(), Vec::<String>::new());
}

#[test]
fn a_completed_future_does_not_run_its_defers_again_when_dropped() {
    let mut fut = Box::pin(completes(1));
    let mut cx = Context::from_waker(Waker::noop());
    loop {
        if fut.as_mut().poll(&mut cx).is_ready() {
            break;
        }
    }
    assert_eq!(take(), ["body", "second 1", "first"]);
    drop(fut);
    assert_eq!(take(), Vec::<String>::new());
}

#[with_defer(allow(loop))]
async fn loop_defers(rounds: u32) -> u32 {
    defer!(log("before loop"));
    for i in 0..rounds {
        defer!(log(format!("loop {i}")));
        yield_now().await; // poll k+1 stops here in iteration k
    }
    defer!(log("after loop"));
    yield_now().await;
    rounds
}

#[test]
fn cancellation_runs_loop_defers_registered_before_the_cancel_point() {
    assert_eq!(poll_then_drop(loop_defers(5), 3), None);
    assert_eq!(take(), ["loop 2", "loop 1", "loop 0", "before loop"]);
    assert_eq!(poll_then_drop(loop_defers(5), 1), None);
    assert_eq!(take(), ["loop 0", "before loop"]);
    assert_eq!(poll_then_drop(loop_defers(2), 3), None);
    assert_eq!(take(), ["after loop", "loop 1", "loop 0", "before loop"]);
    assert_eq!(block_on(loop_defers(2)), 2);
    assert_eq!(take(), ["after loop", "loop 1", "loop 0", "before loop"]);
}

#[with_defer]
async fn more_than_eight(stop: u32) {
    defer!(log("0"));
    defer!(log("1"));
    defer!(log("2"));
    defer!(log("3"));
    defer!(log("4"));
    if stop == 5 {
        yield_now().await;
    }
    defer!(log("5"));
    defer!(log("6"));
    defer!(log("7"));
    defer!(log("8"));
    yield_now().await;
    defer!(log("9"));
}

#[test]
fn cancellation_of_a_dynamic_frame_with_more_than_eight_sites() {
    assert_eq!(poll_then_drop(more_than_eight(5), 1), None);
    assert_eq!(take(), ["4", "3", "2", "1", "0"]);
    assert_eq!(poll_then_drop(more_than_eight(0), 1), None);
    assert_eq!(take(), ["8", "7", "6", "5", "4", "3", "2", "1", "0"]);
}

#[with_defer]
async fn inner(name: &'static str) {
    defer!(log(format!("{name} inner")));
    yield_now().await;
}

#[with_defer]
async fn outer() {
    defer!(log("outer"));
    inner("a").await;
    defer!(log("outer after a"));
    inner("b").await;
}

#[test]
fn nested_futures_cancel_innermost_first() {
    assert_eq!(poll_then_drop(outer(), 2), None);
    assert_eq!(take(), ["a inner", "b inner", "outer after a", "outer"]);
    block_on(outer());
    assert_eq!(take(), ["a inner", "b inner", "outer after a", "outer"]);
}

#[with_defer]
async fn panicking_defer_on_cancel() {
    defer!(log("first"));
    defer!(|| panic!("deferred panic on cancel"));
    defer!(log("third"));
    yield_now().await;
}

#[test]
fn a_panic_in_a_deferred_call_during_cancellation_propagates_out_of_drop() {
    quiet_panics();
    let fut = panicking_defer_on_cancel();
    let msg = panic_message(move || poll_then_drop(fut, 1));
    assert_eq!(msg, "deferred panic on cancel");
    assert_eq!(take(), ["third", "first"]);
}

#[test]
fn a_panic_in_a_deferred_call_while_already_unwinding_is_dropped() {
    quiet_panics();
    let msg = panic_message(|| {
        let mut fut = Box::pin(panicking_defer_on_cancel());
        let mut cx = Context::from_waker(Waker::noop());
        assert!(fut.as_mut().poll(&mut cx).is_pending());
        panic!("outer panic");
    });
    assert_eq!(msg, "outer panic");
    assert_eq!(take(), ["third", "first"]);
}

// ---------------------------------------------------------------------------
// `&mut self` methods: inherent and a trait impl (native `async fn` in traits).

struct Walker {
    depth: u32,
    path: Vec<String>,
}

impl Walker {
    #[with_defer]
    async fn enter(&mut self, name: &str, fail: bool) -> Result<u32, String> {
        self.depth += 1;
        self.path.push(name.to_string());
        defer! {
            self.depth -= 1;
            self.path.pop();
            log("self restored");
        }
        defer!(log(format!("leaving {name}")));
        yield_now().await;
        if fail {
            return Err(format!("failed at {}", self.path.join("/")));
        }
        yield_now().await;
        Ok(self.depth)
    }
}

#[test]
fn mut_self_method_restores_state_on_every_exit() {
    let mut w = Walker {
        depth: 0,
        path: vec![],
    };
    assert_eq!(block_on(w.enter("a", false)), Ok(1));
    assert_eq!(take(), ["leaving a", "self restored"]);
    assert_eq!(block_on(w.enter("b", true)), Err("failed at b".into()));
    assert_eq!(take(), ["leaving b", "self restored"]);
    assert_eq!((w.depth, w.path.len()), (0, 0));
}

#[test]
fn deferred_code_naming_self_is_skipped_on_cancellation() {
    let mut w = Walker {
        depth: 0,
        path: vec![],
    };
    assert_eq!(poll_then_drop(w.enter("a", false), 1), None);
    assert_eq!(take(), ["leaving a"]);
    // The deferred block naming `self` could not run.
    assert_eq!((w.depth, w.path.len()), (1, 1));
}

trait Service {
    async fn call(&mut self, req: u32) -> Result<u32, String>;
}

struct Counter {
    calls: u32,
    in_flight: u32,
}

impl Service for Counter {
    #[with_defer]
    async fn call(&mut self, req: u32) -> Result<u32, String> {
        self.in_flight += 1;
        defer!(|| self.in_flight -= 1);
        defer!(|| log(format!("req {req}")));
        errdefer!(|e| log(format!("error {e}")));
        yield_now().await;
        self.calls += 1;
        if req == 0 {
            Err("zero")?;
        }
        Ok(req * self.calls)
    }
}

#[test]
fn trait_impl_async_fn_with_mut_self() {
    let mut c = Counter {
        calls: 0,
        in_flight: 0,
    };
    assert_eq!(block_on(c.call(3)), Ok(3));
    assert_eq!(take(), ["req 3"]);
    assert_eq!(block_on(c.call(0)), Err("zero".into()));
    assert_eq!(take(), ["error zero", "req 0"]);
    assert_eq!((c.calls, c.in_flight), (2, 0));
    assert_eq!(poll_then_drop(c.call(5), 1), None);
    assert_eq!(take(), ["req 5"]);
    assert_eq!((c.calls, c.in_flight), (2, 1));
}

trait Greeter {
    fn name(&self) -> String;

    #[with_defer]
    async fn greet(&self, greeting: &str) -> String {
        // `self.name()` is an argument: evaluated now, so this deferred call
        // does not name `self` at exit and runs on cancellation too.
        defer!(log(format!("named {}", self.name())));
        // Names `self` at exit: skipped on cancellation.
        defer!(|| log(format!("greeted by {}", self.name())));
        defer!(|| log(format!("greeting {greeting}")));
        yield_now().await;
        format!("{greeting}, {}", self.name())
    }
}

struct Named(&'static str);

impl Greeter for Named {
    fn name(&self) -> String {
        self.0.to_string()
    }
}

#[test]
fn trait_default_async_method() {
    assert_eq!(block_on(Named("x").greet("hi")), "hi, x");
    assert_eq!(take(), ["greeting hi", "greeted by x", "named x"]);
    assert_eq!(poll_then_drop(Named("y").greet("yo"), 1), None);
    assert_eq!(take(), ["greeting yo", "named y"]);
}

// ---------------------------------------------------------------------------
// Generics and lifetimes.

#[with_defer]
async fn generic<T, E>(items: Vec<T>, check: impl Fn(&T) -> Result<(), E>) -> Result<usize, E>
where
    T: std::fmt::Debug,
{
    defer!(|| log(format!("items {items:?}")));
    errdefer!(log("generic failed"));
    for item in items.iter() {
        yield_now().await;
        check(item)?;
    }
    Ok(items.len())
}

#[test]
fn generic_async_fn() {
    let ok = |x: &u8| if *x < 10 { Ok(()) } else { Err(*x) };
    assert_eq!(block_on(generic(vec![1u8, 2], ok)), Ok(2));
    assert_eq!(take(), ["items [1, 2]"]);
    assert_eq!(block_on(generic(vec![1u8, 20], ok)), Err(20));
    assert_eq!(take(), ["generic failed", "items [1, 20]"]);
}

#[with_defer]
async fn borrows<'a>(text: &'a str, sep: char) -> &'a str {
    defer!(|| log(format!("split {text:?}")));
    yield_now().await;
    text.split(sep).next().unwrap_or(text)
}

#[test]
fn async_fn_returning_a_borrow_of_a_parameter() {
    let owned = String::from("a,b");
    assert_eq!(block_on(borrows(&owned, ',')), "a");
    assert_eq!(take(), ["split \"a,b\""]);
}

// ---------------------------------------------------------------------------
// Send.

#[with_defer(allow(loop))]
async fn send_body(name: String) -> usize {
    let buf = vec![1u8, 2, 3];
    defer!(|| log(format!("{name} {}", buf.len())));
    for i in 0..2 {
        defer!(log(format!("loop {i}")));
        yield_now().await;
    }
    name.len()
}

#[with_defer]
async fn not_send_body() -> usize {
    let rc = Rc::new(5usize);
    defer!(log("not send"));
    yield_now().await; // the Rc is held across this await
    *rc
}

#[test]
fn future_is_send_when_the_body_is() {
    let fut = send_body("s".into());
    assert_send(&fut);
    let fut = Box::new(fut) as Box<dyn Future<Output = usize> + Send>;
    assert_eq!(block_on(Box::into_pin(fut)), 1);
    assert_eq!(take(), ["loop 1", "loop 0", "s 3"]);
    let fut = Walker {
        depth: 0,
        path: vec![],
    };
    let mut fut = fut;
    let f = fut.enter("w", false);
    assert_send(&f);
    drop(f);
    assert_send(
        &Counter {
            calls: 0,
            in_flight: 0,
        }
        .call(1),
    );
    take();
}

#[test]
fn a_send_future_runs_on_another_thread() {
    let fut = send_body("thread".into());
    let out = std::thread::spawn(move || (block_on(fut), take()))
        .join()
        .unwrap();
    assert_eq!(
        out,
        (6, vec!["loop 1".into(), "loop 0".into(), "thread 3".into()])
    );
}

#[test]
fn a_non_send_body_still_compiles_and_runs_when_send_is_not_required() {
    assert_eq!(block_on(not_send_body()), 5);
    assert_eq!(take(), ["not send"]);
    assert_eq!(poll_then_drop(not_send_body(), 1), None);
    assert_eq!(take(), ["not send"]);
}

/// Resolves only for `!Send` types: for a `Send` type both impls apply and
/// `A` cannot be inferred (the `static_assertions::assert_not_impl_any!` trick).
trait AmbiguousIfSend<A> {}
impl<T: ?Sized> AmbiguousIfSend<()> for T {}
#[allow(dead_code)]
struct IsSend;
impl<T: ?Sized + Send> AmbiguousIfSend<IsSend> for T {}
fn assert_not_send<T: ?Sized + AmbiguousIfSend<A>, A>(_: &T) {}

/// The `Rc` held across an await makes the future `!Send`, checked at compile
/// time; `send_body`, with the same frame machinery, is `Send` above, so only
/// the body decides.
#[test]
fn a_body_holding_an_rc_across_an_await_makes_the_future_not_send() {
    let fut = not_send_body();
    assert_not_send(&fut);
    drop(fut);
}

// ---------------------------------------------------------------------------
// Unwind safety of the test helpers (the future crosses `catch_unwind`).

#[test]
fn catch_unwind_around_block_on() {
    quiet_panics();
    let r = catch_unwind(AssertUnwindSafe(|| block_on(panics_after_await(1))));
    assert!(r.is_err());
    assert_eq!(take(), ["second", "first"]);
    assert_eq!(block_on(panics_after_await(0)), 0);
    assert_eq!(take(), ["second", "first"]);
}

// ---------------------------------------------------------------------------
// More parameter shapes.

#[derive(Debug, Default)]
struct Stats {
    hits: u32,
}

fn report(stats: &Stats) {
    log(format!("report {stats:?}"));
}

fn bump(stats: &mut Stats) {
    stats.hits += 100;
}

#[with_defer]
async fn ref_args(mut stats: Stats, (a, b): (u32, u32), mut buf: &mut Vec<u32>) -> u32 {
    defer!(report(&stats));
    defer!(|| log(format!("pair {a} {b}")));
    // `mut buf`: the adopted `&mut Vec` is lent back as `&mut &mut Vec`.
    defer!(|| buf.push(99));
    stats.hits += 1;
    yield_now().await;
    buf.push(a + b);
    stats.hits += 1;
    stats.hits
}

#[test]
fn reference_arguments_patterns_and_borrowed_parameters() {
    let mut buf = vec![];
    assert_eq!(block_on(ref_args(Stats::default(), (1, 2), &mut buf)), 2);
    assert_eq!(take(), ["pair 1 2", "report Stats { hits: 2 }"]);
    assert_eq!(buf, [3, 99]);
    let mut buf = vec![];
    assert_eq!(
        poll_then_drop(ref_args(Stats::default(), (1, 2), &mut buf), 1),
        None
    );
    assert_eq!(take(), ["pair 1 2", "report Stats { hits: 1 }"]);
    assert_eq!(buf, [99]);
}

#[with_defer]
async fn mut_ref_param(mut stats: Stats) -> u32 {
    defer!(bump(&mut stats));
    stats.hits += 1;
    yield_now().await;
    stats.hits
}

#[test]
fn a_mut_ref_argument_adopts_a_parameter() {
    assert_eq!(block_on(mut_ref_param(Stats::default())), 1);
    assert_eq!(poll_then_drop(mut_ref_param(Stats::default()), 1), None);
}

/// A later defer takes `&mut` of a name an earlier defer adopted (bugs.md B7).
mod b7 {
    use super::*;

    #[with_defer]
    async fn two_sites(mut stats: Stats) -> u32 {
        defer!(report(&stats));
        defer!(bump(&mut stats));
        stats.hits += 1;
        yield_now().await;
        stats.hits
    }

    #[test]
    fn a_later_defer_may_take_mut_ref_of_an_adopted_parameter() {
        assert_eq!(block_on(two_sites(Stats::default())), 1);
        assert_eq!(take(), ["report Stats { hits: 101 }"]);
    }
}

/// A `&mut T` parameter named in deferred code stays writable in the body
/// (bugs.md B8).
mod b8 {
    use super::*;

    #[with_defer]
    async fn fill(buf: &mut Vec<u32>) {
        defer!(|| buf.push(99));
        yield_now().await;
        buf.push(1);
    }

    #[test]
    fn a_mut_ref_parameter_named_in_deferred_code_stays_mutable_in_the_body() {
        let mut buf = vec![];
        block_on(fill(&mut buf));
        assert_eq!(buf, [1, 99]);
        let mut buf = vec![];
        assert_eq!(poll_then_drop(fill(&mut buf), 1), None);
        assert_eq!(buf, [99]);
    }
}

struct Owner {
    name: String,
}

impl Owner {
    #[with_defer]
    async fn consume(self, tag: u32) -> String {
        defer!(log(format!("tag {tag}")));
        defer!(|| log(format!("owner {}", self.name)));
        defer!(log("last registered"));
        yield_now().await;
        self.name.clone()
    }

    #[with_defer]
    async fn shared(&self) -> usize {
        defer!(|| log(format!("shared {}", self.name)));
        yield_now().await;
        self.name.len()
    }

    #[with_defer]
    async fn boxed(self: Box<Self>) -> usize {
        defer!(|| log(format!("boxed {}", self.name)));
        yield_now().await;
        self.name.len()
    }
}

#[test]
fn self_by_value_shared_and_boxed() {
    let o = Owner { name: "o".into() };
    assert_eq!(block_on(o.consume(1)), "o");
    assert_eq!(take(), ["last registered", "owner o", "tag 1"]);
    let o = Owner { name: "p".into() };
    assert_eq!(poll_then_drop(o.consume(2), 1), None);
    // Only the deferred call naming `self` is skipped; LIFO among the others.
    assert_eq!(take(), ["last registered", "tag 2"]);
    let o = Owner { name: "q".into() };
    assert_eq!(block_on(o.shared()), 1);
    assert_eq!(take(), ["shared q"]);
    assert_eq!(poll_then_drop(o.shared(), 1), None);
    assert_eq!(take(), Vec::<String>::new());
    assert_eq!(block_on(Box::new(Owner { name: "rr".into() }).boxed()), 2);
    assert_eq!(take(), ["boxed rr"]);
}

static COUNT: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);

#[with_defer]
async fn uses_static() {
    defer!(COUNT.fetch_add(1, std::sync::atomic::Ordering::SeqCst));
    defer! { log(format!("count {}", COUNT.load(std::sync::atomic::Ordering::SeqCst))); }
    yield_now().await;
}

#[test]
fn statics_are_used_in_place_and_run_on_cancellation() {
    let before = COUNT.load(std::sync::atomic::Ordering::SeqCst);
    assert_eq!(poll_then_drop(uses_static(), 1), None);
    assert_eq!(take(), [format!("count {before}")]);
    assert_eq!(COUNT.load(std::sync::atomic::Ordering::SeqCst), before + 1);
}

#[with_defer]
async fn panics_on_first_poll() -> u32 {
    defer!(|ret| {
        if recover().is_some() {
            *ret = Some(1);
        }
    });
    panic!("before any await");
}

#[test]
fn a_panic_before_the_first_await_is_recovered() {
    quiet_panics();
    assert_eq!(block_on(panics_on_first_poll()), 1);
}

#[with_defer]
async fn errdefer_after_recover() -> Result<u32, String> {
    errdefer!(log("errdefer after recover"));
    defer!(|| log(format!("recovered {}", recover().is_some())));
    yield_now().await;
    panic!("x");
}

#[test]
fn errdefer_runs_when_recovered_without_setting_ret() {
    quiet_panics();
    let msg = panic_message(|| block_on(errdefer_after_recover()));
    assert!(msg.contains("errdefer_after_recover"), "{msg}");
    assert_eq!(take(), ["recovered true", "errdefer after recover"]);
}

struct Wrapper<T>(T);

impl<T: Clone + std::fmt::Debug + Send> Wrapper<T> {
    #[with_defer]
    pub(crate) async fn get<U: std::fmt::Display>(&mut self, extra: U) -> T {
        defer!(|| log(format!("extra {extra}")));
        defer!(|| log(format!("inner {:?}", self.0)));
        yield_now().await;
        self.0.clone()
    }
}

#[test]
fn generic_impl_method() {
    let mut w = Wrapper(vec![1]);
    let f = w.get("e");
    assert_send(&f);
    assert_eq!(block_on(f), vec![1]);
    assert_eq!(take(), ["inner [1]", "extra e"]);
}

/// An `async fn`'s `Copy` parameter that cannot change stays a plain value
/// in the body when deferred code names it (issue 14.6): `if id == 0`, not
/// `*id`. Deferred code sees the same value, also on cancellation.
#[with_defer]
async fn plain_copy_param(id: u32, name: &str) -> u32 {
    defer!(|| log(format!("deferred {id} {name}")));
    yield_now().await;
    if id == 0 {
        return 0;
    }
    id + 1
}

#[test]
fn an_unchanging_copy_param_stays_a_value() {
    assert_eq!(block_on(plain_copy_param(0, "zero")), 0);
    assert_eq!(block_on(plain_copy_param(41, "x")), 42);
    assert_eq!(take(), ["deferred 0 zero", "deferred 41 x"]);
}

/// `defer_scope!(async move { .. })`: an async block with its own defers,
/// with an `async fn`'s rules (issue 14.7): completion, panic (recover
/// included) and cancellation.
#[test]
fn an_async_block_has_its_own_defer_scope() {
    quiet_panics();
    let n = 2;
    let done = block_on(fndefer::defer_scope!(async move {
        defer!(log(format!("done {n}")));
        yield_now().await;
        n * 10
    }));
    assert_eq!(done, 20);
    assert_eq!(take(), ["done 2"]);

    block_on(fndefer::defer_scope!(async {
        defer!(|| if let Some(p) = recover() {
            log(format!("recovered {p}"));
        });
        yield_now().await;
        panic!("worker");
    }));
    assert_eq!(take(), ["recovered worker"]);

    let cancelled = poll_then_drop(
        fndefer::defer_scope!(async {
            defer!(log("released on cancel"));
            yield_now().await;
            yield_now().await;
        }),
        1,
    );
    assert_eq!(cancelled, None);
    assert_eq!(take(), ["released on cancel"]);
}
