//! `#[with_defer] async fn` under tokio: completion, cancellation by
//! `select!`, `timeout` and `abort()`, `Send` futures on `tokio::spawn`
//! (current-thread and multi-thread runtimes), panics in spawned tasks.

use fndefer::{defer, errdefer, recover, with_defer};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::sync::{Notify, oneshot};

/// An event log shared between tasks and threads.
#[derive(Clone, Default)]
struct Log(Arc<Mutex<Vec<String>>>);

impl Log {
    fn push(&self, event: impl Into<String>) {
        self.0.lock().unwrap().push(event.into());
    }
    fn take(&self) -> Vec<String> {
        std::mem::take(&mut *self.0.lock().unwrap())
    }
}

/// Silences the panic hook for the expected panics of this binary.
fn quiet_panics() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        let default = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            let payload = info.payload();
            let message = payload
                .downcast_ref::<&str>()
                .copied()
                .or_else(|| payload.downcast_ref::<String>().map(String::as_str))
                .unwrap_or("");
            if !message.starts_with("task boom") {
                default(info);
            }
        }));
    });
}

/// Registers deferred calls, tells `started`, then waits for `release` (or
/// forever without one). `log` is adopted by the deferred code (a parameter
/// named by reference), so it stays usable in the body as `&Log`.
#[with_defer]
async fn worker(log: Log, started: Option<oneshot::Sender<()>>, release: Arc<Notify>) -> u32 {
    defer!(log.push("first"));
    tokio::task::yield_now().await;
    defer!(|ret| log.push(format!("ret {ret:?}")));
    log.push("body");
    if let Some(started) = started {
        let _ = started.send(());
    }
    release.notified().await;
    defer!(log.push("after release"));
    7
}

/// The same shape returning a `Result`, for `errdefer!(|e| ..)`.
#[with_defer]
async fn fallible_worker(log: Log, release: Arc<Notify>, fail: bool) -> Result<u32, String> {
    defer!(log.push("fallible first"));
    errdefer!(log.push("fallible errdefer"));
    errdefer!(|e| log.push(format!("fallible errdefer |e| {e}")));
    tokio::task::yield_now().await;
    log.push("fallible body");
    release.notified().await;
    if fail {
        return Err("failed".into());
    }
    Ok(1)
}

#[tokio::test]
async fn completion() {
    let log = Log::default();
    let release = Arc::new(Notify::new());
    release.notify_one(); // a stored permit: `notified()` completes at once
    assert_eq!(worker(log.clone(), None, release).await, 7);
    assert_eq!(
        log.take(),
        ["body", "after release", "ret Some(7)", "first"]
    );
}

#[tokio::test]
async fn completion_with_err_runs_errdefers() {
    let log = Log::default();
    let release = Arc::new(Notify::new());
    release.notify_one();
    assert_eq!(
        fallible_worker(log.clone(), release, true).await,
        Err("failed".into())
    );
    assert_eq!(
        log.take(),
        [
            "fallible body",
            "fallible errdefer |e| failed",
            "fallible errdefer",
            "fallible first"
        ]
    );
}

#[tokio::test]
async fn select_drops_the_losing_branch_and_its_defers_run() {
    let log = Log::default();
    let release = Arc::new(Notify::new()); // never notified
    tokio::select! {
        v = worker(log.clone(), None, release.clone()) => panic!("worker won: {v}"),
        _ = tokio::time::sleep(Duration::from_millis(20)) => log.push("timer won"),
    }
    assert_eq!(log.take(), ["body", "ret None", "first", "timer won"]);
}

#[tokio::test]
async fn select_cancellation_runs_errdefer_but_not_the_e_form() {
    let log = Log::default();
    let release = Arc::new(Notify::new());
    tokio::select! {
        _ = fallible_worker(log.clone(), release.clone(), false) => panic!("worker won"),
        _ = tokio::time::sleep(Duration::from_millis(20)) => {}
    }
    assert_eq!(
        log.take(),
        ["fallible body", "fallible errdefer", "fallible first"]
    );
}

#[tokio::test]
async fn select_cancellation_before_the_first_yield() {
    // `biased;` polls the ready branch first: the worker future is never
    // polled, so nothing was deferred and nothing runs.
    let log = Log::default();
    let release = Arc::new(Notify::new());
    tokio::select! {
        biased;
        _ = std::future::ready(()) => {}
        _ = worker(log.clone(), None, release.clone()) => panic!("worker won"),
    }
    assert_eq!(log.take(), Vec::<String>::new());
}

#[tokio::test]
async fn select_winner_completes_normally() {
    let log = Log::default();
    let release = Arc::new(Notify::new());
    release.notify_one();
    tokio::select! {
        v = worker(log.clone(), None, release.clone()) => assert_eq!(v, 7),
        _ = tokio::time::sleep(Duration::from_secs(60)) => panic!("timer won"),
    }
    assert_eq!(
        log.take(),
        ["body", "after release", "ret Some(7)", "first"]
    );
}

#[tokio::test]
async fn timeout_cancels_and_defers_run() {
    let log = Log::default();
    let release = Arc::new(Notify::new());
    let out = tokio::time::timeout(
        Duration::from_millis(20),
        worker(log.clone(), None, release.clone()),
    )
    .await;
    assert!(out.is_err());
    assert_eq!(log.take(), ["body", "ret None", "first"]);
}

#[tokio::test]
async fn timeout_not_reached() {
    let log = Log::default();
    let release = Arc::new(Notify::new());
    release.notify_one();
    let out = tokio::time::timeout(
        Duration::from_secs(60),
        worker(log.clone(), None, release.clone()),
    )
    .await;
    assert_eq!(out.ok(), Some(7));
    assert_eq!(
        log.take(),
        ["body", "after release", "ret Some(7)", "first"]
    );
}

#[tokio::test]
async fn abort_drops_the_task_and_defers_run() {
    let log = Log::default();
    let release = Arc::new(Notify::new());
    let (started, is_started) = oneshot::channel();
    let handle = tokio::spawn(worker(log.clone(), Some(started), release.clone()));
    is_started.await.unwrap();
    handle.abort();
    let err = handle.await.unwrap_err();
    assert!(err.is_cancelled());
    assert_eq!(log.take(), ["body", "ret None", "first"]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn abort_on_a_multi_thread_runtime() {
    let log = Log::default();
    let release = Arc::new(Notify::new());
    let (started, is_started) = oneshot::channel();
    let handle = tokio::spawn(worker(log.clone(), Some(started), release.clone()));
    is_started.await.unwrap();
    handle.abort();
    assert!(handle.await.unwrap_err().is_cancelled());
    assert_eq!(log.take(), ["body", "ret None", "first"]);
}

#[tokio::test]
async fn spawned_task_runs_its_defers() {
    let log = Log::default();
    let release = Arc::new(Notify::new());
    let handle = tokio::spawn(worker(log.clone(), None, release.clone()));
    tokio::task::yield_now().await;
    release.notify_one();
    assert_eq!(handle.await.unwrap(), 7);
    assert_eq!(
        log.take(),
        ["body", "after release", "ret Some(7)", "first"]
    );
}

#[with_defer(allow(loop))]
async fn hops(log: Log, n: u32) -> u32 {
    defer!(log.push("hops done"));
    let mut total = 0;
    for i in 0..n {
        defer!(log.push(format!("hop {i}")));
        tokio::task::yield_now().await;
        tokio::time::sleep(Duration::from_millis(1)).await;
        total += i;
    }
    total
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn spawned_on_a_multi_thread_runtime_moving_between_threads() {
    let log = Log::default();
    let handles: Vec<_> = (0..4)
        .map(|_| tokio::spawn(hops(Log::default(), 5)))
        .collect();
    for h in handles {
        assert_eq!(h.await.unwrap(), 10);
    }
    assert_eq!(tokio::spawn(hops(log.clone(), 3)).await.unwrap(), 3);
    assert_eq!(log.take(), ["hop 2", "hop 1", "hop 0", "hops done"]);
}

#[with_defer]
async fn task_panics(log: Log, recover_it: bool) -> Result<u32, String> {
    defer!(|ret| {
        if recover_it {
            if let Some(p) = recover() {
                log.push(format!("recovered {p}"));
                *ret = Some(Err(format!("task panicked: {p}")));
            }
        }
    });
    defer!(log.push("cleanup"));
    tokio::task::yield_now().await;
    panic!("task boom");
}

#[tokio::test]
async fn panic_in_a_spawned_task_recovered_by_a_deferred_call() {
    quiet_panics();
    let log = Log::default();
    let out = tokio::spawn(task_panics(log.clone(), true)).await.unwrap();
    assert_eq!(out, Err("task panicked: task boom".to_string()));
    assert_eq!(log.take(), ["cleanup", "recovered task boom"]);
}

#[tokio::test]
async fn panic_in_a_spawned_task_not_recovered_runs_defers_and_fails_the_join() {
    quiet_panics();
    let log = Log::default();
    let err = tokio::spawn(task_panics(log.clone(), false))
        .await
        .unwrap_err();
    assert!(err.is_panic());
    let payload = err.into_panic();
    assert_eq!(payload.downcast_ref::<&str>(), Some(&"task boom"));
    assert_eq!(log.take(), ["cleanup"]);
}

/// A `&mut self` method holding a tokio lock guard across awaits: deferred
/// code naming `self` restores state on completion but cannot run on
/// cancellation; the rest does.
struct Pool {
    busy: u32,
    log: Log,
}

impl Pool {
    #[with_defer]
    async fn run(&mut self, lock: Arc<tokio::sync::Mutex<u32>>, wait: Arc<Notify>) -> u32 {
        self.busy += 1;
        defer!(|| self.busy -= 1);
        let log = self.log.clone();
        defer!(log.push("released"));
        let mut guard = lock.lock().await;
        *guard += 1;
        wait.notified().await;
        *guard
    }
}

#[tokio::test]
async fn mut_self_method_under_select() {
    let mut pool = Pool {
        busy: 0,
        log: Log::default(),
    };
    let lock = Arc::new(tokio::sync::Mutex::new(0));
    let wait = Arc::new(Notify::new());
    wait.notify_one();
    assert_eq!(pool.run(lock.clone(), wait.clone()).await, 1);
    assert_eq!(pool.busy, 0);
    assert_eq!(pool.log.take(), ["released"]);
    tokio::select! {
        _ = pool.run(lock.clone(), wait.clone()) => panic!("run won"),
        _ = tokio::time::sleep(Duration::from_millis(20)) => {}
    }
    // The lock guard was dropped with the future: the lock is free again.
    assert_eq!(*lock.try_lock().unwrap(), 2);
    assert_eq!(pool.log.take(), ["released"]);
    assert_eq!(
        pool.busy, 1,
        "deferred code naming self is skipped on cancel"
    );
}

/// A `return` written inside `tokio::select!` in the body ends the function:
/// the deferred calls run.
#[with_defer]
async fn returns_from_select(log: Log, quick: bool) -> &'static str {
    defer!(log.push("deferred"));
    let release = Notify::new();
    tokio::select! {
        _ = release.notified() => {}
        _ = tokio::time::sleep(Duration::from_millis(if quick { 1 } else { 60_000 })) => {
            return "timed out";
        }
        _ = tokio::task::yield_now(), if !quick => {}
    }
    log.push("after select");
    "done"
}

#[tokio::test]
async fn return_inside_select_in_the_body() {
    let log = Log::default();
    assert_eq!(returns_from_select(log.clone(), true).await, "timed out");
    assert_eq!(log.take(), ["deferred"]);
    assert_eq!(returns_from_select(log.clone(), false).await, "done");
    assert_eq!(log.take(), ["after select", "deferred"]);
}

/// `tokio::spawn(defer_scope!(async move { defer!(wg.done()); .. }))`: a
/// spawned task with its own defers stays `Send`, and its deferred call runs
/// when the task ends (issue 14.7).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_spawned_async_block_has_its_own_defers() {
    let done = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let mut tasks = Vec::new();
    for i in 0..4usize {
        let done = done.clone();
        tasks.push(tokio::spawn(fndefer::defer_scope!(async move {
            fndefer::defer!(done.fetch_add(1, std::sync::atomic::Ordering::SeqCst));
            tokio::task::yield_now().await;
            i * 2
        })));
    }
    let mut sum = 0;
    for task in tasks {
        sum += task.await.unwrap();
    }
    assert_eq!(sum, 12);
    assert_eq!(done.load(std::sync::atomic::Ordering::SeqCst), 4);
}
