//! Procedural macros of [`fndefer`](https://docs.rs/fndefer). Use them through
//! that crate: the expanded code calls `::fndefer::__private`.
//!
//! The pipeline, one module per stage, with typed values between them:
//!
//! ```text
//! tokens ─input─▶ Input ─analyze─▶ Analysis ─plan─▶ Plan ─codegen─▶ SiteCode
//!                   │                                    splice + frame ─▶ tokens
//!                   └─(fatal)─▶ fallback
//! ```
//!
//! - [`input`]: what is expanded ([`lazy`]: parsing it cheaply) (a function, or a `defer_scope!` closure or
//!   async block),
//!   signature checks; [`args`]: `allow(..)`, `named(..)` ([`named`]: Go's
//!   named results); [`imports`]: which bare
//!   `defer`, `errdefer` and `recover` are fndefer's; [`edition`]: whether
//!   the crate captures disjoint fields (both read once per file by
//!   [`file_cache`]).
//! - [`analyze`]: one walk of the body that records sites, lets, locals,
//!   captures and lints, taking each site out and leaving a placeholder;
//!   [`site`] parses and validates one site, [`lower`] reduces it to data; [`scope`] is Rust's binding
//!   rules, once; [`syntax`] holds the stateless questions and the rule for
//!   what nested code each question enters.
//! - [`plan`]: pure decisions (pre-adoption, who adopts and who shares each
//!   local, the frame's shape and layout).
//! - [`codegen`]: per-site registration and exit code; [`recover`]: the
//!   `recover()` rewrite; [`lints`]: warnings; [`diag`]: error messages.
//! - [`deref`]: adopted locals keep their meaning where they are used;
//!   [`placement`]: which body items go in front of the body closure and
//!   which parameters move into it; [`splice`] puts the code where the
//!   placeholders are; [`frame`] builds
//!   the body closure and the epilogue; [`expand`] runs the stages.

#![forbid(unsafe_code)]

mod analyze;
mod args;
mod codegen;
mod deref;
mod diag;
mod edition;
mod expand;
mod fallback;
mod file_cache;
mod frame;
mod imports;
mod input;
mod lazy;
mod lints;
mod lower;
#[cfg(test)]
mod mutation_tests;
mod named;
mod placement;
mod plan;
mod recover;
mod scope;
mod site;
mod splice;
mod syntax;

use proc_macro::TokenStream;

/// See `fndefer::with_defer`.
#[proc_macro_attribute]
pub fn with_defer(args: TokenStream, item: TokenStream) -> TokenStream {
    expand::with_defer(args.into(), item.into(), names_here()).into()
}

/// See `fndefer::defer_scope`.
#[proc_macro]
pub fn defer_scope(input: TokenStream) -> TokenStream {
    expand::defer_scope(input.into(), names_here()).into()
}

/// See `fndefer::defer`. Reached only when no `#[with_defer]` rewrote it.
#[proc_macro]
pub fn defer(input: TokenStream) -> TokenStream {
    outside_with_defer("defer", input)
}

/// See `fndefer::errdefer`. Reached only when no `#[with_defer]` rewrote it.
#[proc_macro]
pub fn errdefer(input: TokenStream) -> TokenStream {
    outside_with_defer("errdefer", input)
}

/// Which bare `defer` / `errdefer` / `recover` are fndefer's in the file
/// being expanded.
fn names_here() -> imports::Names {
    imports::Names::of_file(proc_macro::Span::call_site().local_file())
}

fn outside_with_defer(name: &str, input: TokenStream) -> TokenStream {
    // `#[with_defer]` leaves `defer! { __fndefer_used }` behind each site it
    // dealt with, so the user's import of the macro counts as used.
    if input.to_string() == diag::USED_SENTINEL {
        return TokenStream::new();
    }
    diag::outside_with_defer(name).to_compile_error().into()
}
