//! fndefer (docs in progress)

extern crate self as fndefer;

pub use fndefer_macros::{defer, defer_scope, errdefer, with_defer};
pub use fndefer_runtime::{Panic, recover};

#[doc(hidden)]
pub use fndefer_runtime::__private;
