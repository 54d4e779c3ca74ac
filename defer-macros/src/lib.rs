//! Procedural macros of [`fndefer`](https://docs.rs/fndefer). Use them through
//! that crate: the expanded code calls `::fndefer::__private`.
//!
//! One module per stage: [`args`] parses `#[with_defer(..)]`, [`site`] parses
//! one `defer!`, [`scope`] resolves names, [`rewrite`] analyses and rewrites
//! the body, [`lints`] makes warnings, [`expand`] assembles the function.

mod args;
mod expand;
mod lints;
#[cfg(test)]
mod mutation_tests;
mod rewrite;
mod scope;
mod site;

use proc_macro::TokenStream;

/// See `fndefer::with_defer`.
#[proc_macro_attribute]
pub fn with_defer(args: TokenStream, item: TokenStream) -> TokenStream {
    expand::with_defer(args.into(), item.into()).into()
}

/// See `fndefer::defer_scope`.
#[proc_macro]
pub fn defer_scope(input: TokenStream) -> TokenStream {
    expand::defer_scope(input.into()).into()
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

fn outside_with_defer(name: &str, input: TokenStream) -> TokenStream {
    // `#[with_defer]` leaves `defer! { __fndefer_used }` behind each site it
    // rewrote, so the user's import of the macro counts as used.
    if input.to_string() == "__fndefer_used" {
        return TokenStream::new();
    }
    let message = format!(
        "`{name}!` works only directly in the body of a `#[with_defer]` function: add \
         `#[with_defer]` to the enclosing function, or give a closure its own defer scope \
         with `defer_scope!(|| {{ .. }})` (a `{name}!` inside another macro's input is \
         not seen by `#[with_defer]`)"
    );
    syn::Error::new(proc_macro2::Span::call_site(), message)
        .to_compile_error()
        .into()
}
