//! Runtime support for [`fndefer`](https://docs.rs/fndefer): the panic value
//! handed out by `recover()`, and the frame machinery that `#[with_defer]`
//! expands to.
//!
//! Use the `fndefer` crate; this one exists so that the proc-macro crate and
//! the runtime can be versioned together behind the facade.

#![deny(missing_docs)]
#![deny(unsafe_op_in_unsafe_fn, clippy::undocumented_unsafe_blocks)]

mod panic;
mod stack;

#[doc(hidden)]
pub mod __private;

pub use panic::Panic;

/// Go's `recover()`.
///
/// Stops the panic of the `#[with_defer]` function whose deferred call is
/// running and returns it; `None` when that function is not panicking.
///
/// - Written in deferred code (`defer!(|| ..)`, `defer! { .. }`,
///   `defer!(|ret| ..)`), the macro binds it to *that function's* panic.
/// - Called by a handler the deferred call runs — `defer!(handle_crash())`,
///   `defer!(p.catch_panic(verb))`, `defer!(|ret| err_recover(ret))`, at any
///   depth, in a nested closure too — it stops the panic of the function
///   whose deferred call is running on this thread (Go's `defer
///   HandleCrash()`; Go would return nil for a handler called from inside a
///   deferred closure, fndefer does not).
/// - Inside another `#[with_defer]` function that such a call runs, its own
///   deferred code sees its own panic; a handler called from there sees the
///   nearest panicking function's.
/// - Anywhere else — in a function body, when nothing is panicking — `None`.
#[must_use = "`recover()` stops the panic only to hand it to you; inspect or drop the `Panic` explicitly"]
pub fn recover() -> Option<Panic> {
    __private::recover_published()
}
