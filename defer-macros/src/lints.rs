//! Warnings on stable Rust: each lint expands to a use of a `#[deprecated]`
//! constant spanned at the user's token, the only way a proc macro can make
//! rustc print a warning today. Each is silenced by
//! `#[with_defer(allow(NAME))]`.

use proc_macro2::{Span, TokenStream};
use quote::{format_ident, quote_spanned};

use crate::args::{Lint, Options};

/// Collects the warnings of one expansion.
pub struct Lints<'a> {
    options: &'a Options,
    /// Whether the code is a `defer_scope!` closure (for the hint's syntax).
    pub in_closure: bool,
    pub emitted: Vec<TokenStream>,
}

impl<'a> Lints<'a> {
    pub fn new(options: &'a Options) -> Self {
        Lints {
            options,
            in_closure: false,
            emitted: Vec::new(),
        }
    }

    /// Warns at `span` unless the lint is allowed.
    pub fn warn(&mut self, lint: Lint, span: Span, message: &str) {
        if self.options.allows(lint) {
            return;
        }
        let name = lint.name();
        let note = if self.in_closure {
            format!("{message} (silence with `defer_scope!(allow({name}); || ..)`)")
        } else {
            format!("{message} (silence with `#[with_defer(allow({name}))]`)")
        };
        let constant = format_ident!("fndefer_{}", name, span = span);
        self.emitted.push(quote_spanned! {span=>
            #[allow(non_upper_case_globals, dead_code)]
            {
                #[deprecated(note = #note)]
                const #constant: u8 = 0;
                let _: u8 = #constant;
            }
        });
    }
}
pub const LOOP: &str = "`defer!` in a loop queues a call on every iteration; they all run when the \
     function returns, not at the end of the iteration (move the loop body into its own \
     `#[with_defer]` function to clean up per iteration)";
pub const INFINITE_LOOP: &str = "`defer!` in a `loop` with no `break` or `return`: \
     the deferred calls run only if the loop is left by a panic";
pub const CALL_CHAIN: &str = "in `defer!(a().b())`, `a()` is called now and only `.b()` \
     waits for the function to return; write `defer!(|| a().b())` to call both at exit";
pub const IMMEDIATE_RECOVER: &str = "`recover()` as an argument is called now, at the defer \
     point, where nothing is panicking, so it is always `None`; write \
     `defer!(|| handler(recover()))` to call it at exit";
pub const DEFERRED_RECOVER: &str = "`defer!(recover())` defers `recover` itself, which (as in \
     Go's `defer recover()`) does not stop the panic: only a `recover()` written inside \
     deferred code does; write `defer!(|| { recover(); })`";
pub const EXIT: &str = "`std::process::exit` ends the process without running the deferred \
     calls queued before it; return from the function instead";
pub const EAGER_TIME: &str = "this argument is measured now, at the defer point, not when the \
     function returns; write `defer!(|| ..)` to measure at exit";
