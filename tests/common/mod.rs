//! Shared helpers for the integration tests: a per-thread event log.
#![allow(dead_code)]

use std::cell::RefCell;

thread_local!(static LOG: RefCell<Vec<String>> = const { RefCell::new(Vec::new()) });

/// Records one event.
pub fn log(event: impl Into<String>) {
    LOG.with(|l| l.borrow_mut().push(event.into()));
}

/// Returns the events recorded so far on this thread and clears the log.
pub fn take() -> Vec<String> {
    LOG.with(|l| std::mem::take(&mut *l.borrow_mut()))
}

/// Records an event and returns `value`: for checking evaluation order.
pub fn tap<T>(event: &str, value: T) -> T {
    log(event);
    value
}

/// Runs `f`, expecting it to panic, and returns the panic message.
pub fn panic_message<R>(f: impl FnOnce() -> R) -> String {
    let Err(payload) = std::panic::catch_unwind(std::panic::AssertUnwindSafe(f)) else {
        panic!("expected a panic")
    };
    if let Some(s) = payload.downcast_ref::<&'static str>() {
        (*s).to_string()
    } else if let Some(s) = payload.downcast_ref::<String>() {
        s.clone()
    } else {
        "<non-string payload>".to_string()
    }
}

/// Silences the default panic hook's output for the expected panics in this
/// test binary, but keeps it for failing assertions and unwraps (installed
/// once; tests that count hook calls use their own binary).
pub fn quiet_panics() {
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
            if message.starts_with("assertion")
                || message.starts_with("called `")
                || message.starts_with("expected a panic")
            {
                default(info);
            }
        }));
    });
}
