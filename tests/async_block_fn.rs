//! `#[with_defer]` on a function returning `impl Future` whose body is one
//! `async` block: the block gets the semantics of an `async fn` body.

mod common;

use common::{log, take};
use fndefer::{defer, errdefer, with_defer};
use std::future::Future;
use std::pin::pin;
use std::task::{Context, Poll, Waker};

fn block_on<F: Future>(future: F) -> F::Output {
    let mut future = pin!(future);
    let mut cx = Context::from_waker(Waker::noop());
    loop {
        if let Poll::Ready(value) = future.as_mut().poll(&mut cx) {
            return value;
        }
    }
}

/// Pending once, then ready.
struct YieldOnce(bool);

impl Future for YieldOnce {
    type Output = ();
    fn poll(mut self: std::pin::Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        if self.0 {
            Poll::Ready(())
        } else {
            self.0 = true;
            cx.waker().wake_by_ref();
            Poll::Pending
        }
    }
}

#[with_defer]
fn fetch(name: &str, fail: bool) -> impl Future<Output = Result<usize, String>> + '_ {
    async move {
        defer!(log(format!("closed {name}")));
        errdefer!(|e| log(format!("failed: {e}")));
        YieldOnce(false).await;
        if fail {
            Err(format!("{name} unreachable"))?;
        }
        Ok(name.len())
    }
}

#[with_defer]
fn unit_block(n: u32) -> impl Future<Output = ()> + Send {
    async move {
        let mut total = 0;
        defer!(|| log(format!("total {total}")));
        for i in 0..n {
            YieldOnce(false).await;
            total += i;
        }
    }
}

fn assert_send<T: Send>(value: T) -> T {
    value
}

#[test]
fn completes_like_an_async_fn() {
    assert_eq!(block_on(fetch("db", false)), Ok(2));
    assert_eq!(take(), ["closed db"]);
    assert_eq!(
        block_on(fetch("db", true)),
        Err("db unreachable".to_string())
    );
    assert_eq!(take(), ["failed: db unreachable", "closed db"]);
    block_on(assert_send(unit_block(3)));
    assert_eq!(take(), ["total 3"]);
}

#[test]
fn cancellation_runs_the_deferred_calls() {
    let mut future = Box::pin(fetch("cache", false));
    let mut cx = Context::from_waker(Waker::noop());
    assert!(future.as_mut().poll(&mut cx).is_pending());
    drop(future);
    assert_eq!(take(), ["closed cache"]);
}
