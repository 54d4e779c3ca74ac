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
/// Written inside the deferred code of a `#[with_defer]` function (a
/// `defer!(|| ..)` closure or a `defer! { .. }` block), the macro rewrites the
/// call so that it stops *that function's* panic and returns it. Called
/// anywhere else — in the body, in a helper function, in a nested closure —
/// it returns `None`, as Go's `recover` does when it is not called directly by
/// a deferred function.
#[must_use = "`recover()` stops the panic only to hand it to you; inspect or drop the `Panic` explicitly"]
pub fn recover() -> Option<Panic> {
    None
}
