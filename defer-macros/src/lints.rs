//! Warnings on stable Rust: each lint expands to a use of a `#[deprecated]`
//! constant spanned at the user's token, the only way a proc macro can make
//! rustc print a warning today. Each is silenced by
//! `#[with_defer(allow(NAME))]`. A user's `deny(deprecated)` makes them
//! errors and `allow(deprecated)` silences them all.
//!
//! Detection is data: `analyze` records a [`Warning`] where it sees one;
//! [`collect`] adds the ones that need the plan and renders them in the
//! order of the body.

use proc_macro2::{Span, TokenStream};
use quote::{format_ident, quote_spanned};

use crate::analyze::{Analysis, Event, SiteInfo};
use crate::args::{Lint, Options};
use crate::lower::Exit;
use crate::plan::Plan;

/// One warning, before it is rendered.
#[derive(Clone, Debug)]
pub struct Warning {
    pub lint: Lint,
    pub span: Span,
    pub message: &'static str,
}

impl Warning {
    pub fn new(lint: Lint, span: Span, message: &'static str) -> Self {
        Warning {
            lint,
            span,
            message,
        }
    }
}

/// Every warning of the expansion, in the order of the body: each site's
/// own, and `process::exit` after a site that registered deferred code.
pub fn collect(analysis: &Analysis, plan: &Plan) -> Vec<Warning> {
    let mut warnings = Vec::new();
    let mut registered = false;
    for event in &analysis.events {
        match *event {
            Event::Let(let_id) => registered |= plan.pre_adoption.contains_key(&let_id),
            Event::Site(site_id) => {
                let site = &analysis.sites[site_id];
                warnings.extend(site.warnings.iter().cloned());
                // `defer!(|| {})` queues nothing an `exit` could skip.
                registered |= plan.id_of_site[site_id].is_some() && !does_nothing(site);
            }
            Event::Exit(span) if registered => warnings.push(Warning::new(Lint::Exit, span, EXIT)),
            Event::Exit(_) => {}
            Event::BodyRecover(span) => {
                warnings.push(Warning::new(Lint::BodyRecover, span, BODY_RECOVER));
            }
        }
    }
    warnings
}

/// A site whose deferred code is an empty closure or block, with nothing
/// evaluated now: skipping it changes nothing.
fn does_nothing(site: &SiteInfo) -> bool {
    let Ok(lowered) = &site.outcome else {
        return false;
    };
    lowered.now.is_empty()
        && matches!(&lowered.exit, Exit::Code { body: syn::Expr::Block(block), .. }
            if block.block.stmts.is_empty() && block.attrs.is_empty())
}

/// The warnings that are not allowed, as tokens. `in_closure`: the code is
/// a `defer_scope!` closure (for the hint's syntax).
pub fn render(warnings: &[Warning], options: &Options, in_closure: bool) -> TokenStream {
    warnings
        .iter()
        .filter(|warning| !options.allows(warning.lint))
        .map(|warning| {
            let name = warning.lint.name();
            let message = warning.message;
            let note = if in_closure {
                format!("{message} (silence with `defer_scope!(allow({name}); || ..)`)")
            } else {
                format!("{message} (silence with `#[with_defer(allow({name}))]`)")
            };
            let span = warning.span;
            let constant = format_ident!("fndefer_{}", name, span = span);
            quote_spanned! {span=>
                #[allow(non_upper_case_globals, dead_code)]
                {
                    #[deprecated(note = #note)]
                    const #constant: u8 = 0;
                    let _: u8 = #constant;
                }
            }
        })
        .collect()
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
pub const CALLEE_NOW: &str = "in `defer!(make()())`, `make()` is called now and only the function \
     it returns waits for the function to return (Go's `defer f()()`); write \
     `defer!(|| make()())` to call both at exit";
pub const EAGER_DROP: &str = "`defer!(drop(x.f()))` calls `x.f()` now, at the defer point, and \
     only drops its result at exit; write `defer!(let _ = x.f())` to call it at exit";
pub const BODY_RECOVER: &str = "`recover()` in a function's body stops no panic of this function: \
     only deferred code does (`defer!(|| if let Some(p) = recover() { .. })`); here it returns \
     the panic of a function whose deferred call runs this one as a handler \
     (`defer!(handle_crash())`), else `None`";
pub const TRACK_CALLER: &str = "`#[track_caller]` stops at `#[with_defer]`: the body runs in a \
     closure, and closures cannot be `#[track_caller]` on stable Rust, so `Location::caller()` and \
     the panics of `#[track_caller]` callees (`expect`, indexing helpers) report a line of this \
     function, not its caller's; keep the checks that must blame the caller in a \
     `#[track_caller]` function without `#[with_defer]` that calls this one";
pub const EAGER_TIME: &str = "this argument is measured now, at the defer point, not when the \
     function returns; write `defer!(|| ..)` to measure at exit";
