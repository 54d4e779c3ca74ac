//! The frame around the body: the slots, the body closure (or future), and
//! the epilogue that runs the deferred calls LIFO.
//!
//! Input:
//!
//! ```ignore
//! #[with_defer]
//! fn f(a: A) -> R { let x = make(); defer!(x.close()); work(&x) }
//! ```
//!
//! Output (static frame, one site adopting `x`):
//!
//! ```ignore
//! fn f(a: A) -> R {
//!     let __fndefer_marker = Marker::new();
//!     let mut __fndefer_slot0 = None;
//!     let mut __fndefer_frame = run(&__fndefer_marker, || -> R {
//!         let x = make();
//!         let __fndefer_adopted = __fndefer_slot0.insert((x,));
//!         let ref x = __fndefer_adopted.0;
//!         work(x) // the user's `work(&x)`: `x` is the lent reference
//!     });
//!     let __fndefer_slot0 = &mut __fndefer_slot0;
//!     if let Some(__fndefer_value) = __fndefer_slot0.take() {
//!         __fndefer_frame.call_handler(|__fndefer_frame| { let (x,) = __fndefer_value; x.close(); });
//!     }
//!     __fndefer_frame.finish("f")
//! }
//! ```
//!
//! A dynamic frame has one `SmallStack` of a generated `__fndefer_Entry`
//! enum instead, drained by one `match`; an `async fn` keeps its slots in a
//! `CancelGuard` so that dropping the future still runs what it can.

use proc_macro2::TokenStream;
use quote::{ToTokens, quote};
use syn::Stmt;

use crate::codegen::SiteCode;
use crate::input::{Flavor, Output, Owner};
use crate::plan::{FrameLayout, Shape};
use crate::scope::private_ident;

/// What goes around the body besides the slots.
pub struct Frame<'a> {
    pub owner: &'a Owner,
    pub flavor: Flavor,
    pub output: &'a Output,
    /// Items declared in the body: they stay visible to the deferred code,
    /// which runs outside the body closure.
    pub items: Vec<Stmt>,
    /// The parameters moved into the body closure (see `placement`).
    pub rebindings: TokenStream,
    /// Go's named results: declared first, returned last.
    pub named: Option<&'a crate::named::Named>,
    /// `compile_error!`s and lint constants.
    pub diagnostics: TokenStream,
    /// The user's crate is edition 2021 or later (see `edition`).
    pub disjoint_captures: bool,
    /// See [`crate::lazy::BodyFacts::passes_function_path`].
    pub passes_function_path: bool,
}

/// The function's new body (without its outer braces).
pub fn assemble(
    frame: Frame,
    layout: &FrameLayout,
    sites: &[SiteCode],
    body: syn::Block,
) -> TokenStream {
    let Frame {
        owner,
        flavor,
        output,
        items,
        rebindings,
        named,
        diagnostics,
        disjoint_captures,
        passes_function_path,
    } = frame;
    if let Some(named) = named
        && sites.is_empty()
    {
        // No deferred call: the body still returns `()` and the names after.
        let declarations = named.declarations();
        let result = named.result();
        let stmts = &body.stmts;
        let mut body_tokens = TokenStream::new();
        body.brace_token.surround(&mut body_tokens, |tokens| {
            with_rebindings(&rebindings, stmts).to_tokens(tokens)
        });
        return quote! {
            #(#items)* #diagnostics #declarations
            ::fndefer::__private::run_body(|| #body_tokens);
            #result
        };
    }
    if sites.is_empty() {
        let stmts = &body.stmts;
        return quote!(#(#items)* #diagnostics #(#stmts)*);
    }
    let marker = private_ident("__marker");
    let frame = private_ident("__frame");

    // The slots, as the epilogue sees them (`&mut` to each): a static frame
    // has one `Option` per site, a dynamic frame one stack of entries (and
    // a queue per site that adopts locals).
    let (slot_names, slot_inits, entry_type): (Vec<TokenStream>, Vec<TokenStream>, TokenStream) =
        match layout.shape {
            Shape::Static => (
                sites
                    .iter()
                    .map(|site| layout.slot_name(site.id).into_token_stream())
                    .collect(),
                sites
                    .iter()
                    .map(|_| quote!(::core::option::Option::None))
                    .collect(),
                TokenStream::new(),
            ),
            Shape::Dynamic => (
                std::iter::once(layout.slot_name(0).into_token_stream())
                    .chain(
                        layout
                            .queues
                            .iter()
                            .map(|id| FrameLayout::queue_name(*id).into_token_stream()),
                    )
                    .collect(),
                std::iter::repeat_n(
                    quote!(::fndefer::__private::SmallStack::new()),
                    1 + layout.queues.len(),
                )
                .collect(),
                entry_enum(sites),
            ),
        };

    let full_epilogue = epilogue(layout, sites.iter());
    let finish = if output.is_unit && named.is_none() {
        // A statement: a unit value last in the closure `defer_scope!` makes
        // is clippy's `semicolon_if_nothing_returned` at the user's `||`.
        quote!(#frame.finish_unit();)
    } else if output.is_unit {
        quote!(#frame.finish_unit())
    } else if output.is_written() {
        // After a `recover()` that left no result: the zero value.
        let name = owner.panic_name();
        quote!(#frame.finish_or(|| ::fndefer::__private::zero_or_panic!(&#marker, #name)))
    } else {
        let name = owner.panic_name();
        quote!(#frame.finish(#name))
    };
    let stmts = &body.stmts;
    let mut body_tokens = TokenStream::new();
    body.brace_token.surround(&mut body_tokens, |tokens| {
        with_rebindings(&rebindings, stmts).to_tokens(tokens);
    });

    match flavor {
        Flavor::Sync => {
            let annotation = output.closure_return_type();
            // A closure captures by the rules of its `||`'s edition; the
            // expansion needs edition 2021's (disjoint fields). In a crate of
            // that edition the `||` is the user's, so clippy lints the body
            // as theirs (`needless_return`); in an older one it keeps this
            // crate's span (see `edition`).
            let bars = if disjoint_captures {
                quote::quote_spanned!(body.brace_token.span.join()=> ||)
            } else {
                quote!(||)
            };
            let declarations = slot_names
                .iter()
                .zip(&slot_inits)
                .map(|(name, init)| quote!(let mut #name = #init;));
            let reborrows = slot_names
                .iter()
                .map(|name| quote!(let #name = &mut #name;));
            // After adoption the body's `&mut stats` is `&mut &mut Stats`,
            // right as written but flagged by clippy's needless_borrow.
            let lent_back = sites
                .iter()
                .any(|site| site.adopts)
                .then(|| quote!(#[allow(clippy::needless_borrow)]));
            let named_declarations = named.map(crate::named::Named::declarations);
            let named_result = named.map(|named| {
                let result = named.result();
                quote!(; #result)
            });
            // The body passed a function by path; now that it runs in a
            // closure, clippy's `must_use_candidate` (which looks for such
            // uses outside closures only) would take the function for pure:
            // the frame passes one too, doing nothing.
            let function_passed = passes_function_path.then(|| {
                quote!(::fndefer::__private::pass_function(::fndefer::__private::passed_function);)
            });
            quote! {
                #(#items)*
                #entry_type
                #diagnostics
                #function_passed
                #named_declarations
                let #marker = ::fndefer::__private::Marker::new();
                #(#declarations)*
                #lent_back
                let mut #frame = ::fndefer::__private::run(&#marker, #bars #annotation #body_tokens);
                #(#reborrows)*
                #full_epilogue
                #finish
                #named_result
            }
        }
        Flavor::Async => {
            let guard = private_ident("__guard");
            let slots = private_ident("__slots");
            let body_future = private_ident("__body");
            let context = private_ident("__cx");
            let result_type = output.future_result_type();
            let cancel_epilogue = epilogue(layout, sites.iter().filter(|site| site.on_cancel));
            quote! {
                #(#items)*
                #entry_type
                #diagnostics
                let #marker: ::fndefer::__private::Marker<#result_type> =
                    ::fndefer::__private::Marker::new();
                // Dropped after the body's future, so on cancellation the
                // deferred calls that need no parameter still run, LIFO.
                let mut #guard = ::fndefer::__private::CancelGuard::new((#(#slot_inits,)*));
                let mut #frame = {
                    let mut #body_future = ::core::pin::pin!(
                        ::fndefer::__private::typed_body(&#marker, async #body_tokens)
                    );
                    ::fndefer::__private::arm(&mut #guard.on_cancel, |#slots| {
                        #[allow(unused_variables)]
                        let (#(#slot_names,)*) = #slots;
                        let mut #frame = ::fndefer::__private::cancelled(&#marker);
                        #cancel_epilogue
                        #frame.finish_cancelled();
                    });
                    ::core::future::poll_fn(|#context| {
                        ::fndefer::__private::poll_catching(#body_future.as_mut(), #context)
                    })
                    .await
                };
                #[allow(unused_variables)]
                let (#(#slot_names,)*) = #guard.disarm();
                #full_epilogue
                #finish
            }
        }
    }
}

/// The body's statements with the parameter rebindings after its leading
/// items (before them, clippy's items_after_statements would blame the
/// user's items).
fn with_rebindings(rebindings: &TokenStream, stmts: &[Stmt]) -> TokenStream {
    let leading = stmts
        .iter()
        .take_while(|stmt| matches!(stmt, Stmt::Item(_)))
        .count();
    let (items, rest) = stmts.split_at(leading);
    quote!(#(#items)* #rebindings #(#rest)*)
}

/// The deferred calls, LIFO, each under its own panic catch. Slots are
/// `&mut` here (`take()` empties them), so the same code serves the
/// function's exit and an `async fn`'s cancellation.
fn epilogue<'a>(
    layout: &FrameLayout,
    sites: impl DoubleEndedIterator<Item = &'a SiteCode>,
) -> TokenStream {
    let frame = private_ident("__frame");
    let value = private_ident("__value");
    match layout.shape {
        Shape::Static => {
            let calls = sites.rev().map(|site| {
                let slot = layout.slot_name(site.id);
                let exit = &site.exit;
                let call = if site.handler {
                    quote!(call_handler)
                } else {
                    quote!(call)
                };
                quote! {
                    if let ::core::option::Option::Some(#value) = #slot.take() {
                        #frame.#call(|#frame| { #exit });
                    }
                }
            });
            quote!(#(#calls)*)
        }
        Shape::Dynamic => {
            let stack = layout.slot_name(0);
            let entry = private_ident("__Entry");
            let popped = private_ident("__entry");
            let arms = sites.map(|site| {
                let variant = FrameLayout::entry_variant(site.id);
                let exit = &site.exit;
                let call_in_drain = if site.handler {
                    quote!(call_handler_in_drain)
                } else {
                    quote!(call_in_drain)
                };
                if site.own_queue {
                    let queue = FrameLayout::queue_name(site.id);
                    quote! {
                        #entry::#variant => if let ::core::option::Option::Some(#value) = #queue.pop() {
                            #frame.#call_in_drain(|#frame| { #exit });
                        },
                    }
                } else if site.has_values {
                    quote!(#entry::#variant(#value) => #frame.#call_in_drain(|#frame| { #exit }),)
                } else {
                    quote!(#entry::#variant => #frame.#call_in_drain(|#frame| { #exit }),)
                }
            });
            // On cancellation some sites are skipped: their entries are
            // popped and dropped.
            quote! {
                #frame.drain(|#frame| {
                    while let ::core::option::Option::Some(#popped) = #stack.pop() {
                        #[allow(unreachable_patterns)]
                        match #popped {
                            #(#arms)*
                            _ => {}
                        }
                    }
                });
            }
        }
    }
}

/// `enum __fndefer_Entry<T0, ..> { S0(T0), S1, .. }`: one variant per
/// site, generic over the types of the values it queues (they are inferred:
/// closures and adopted locals cannot be named).
fn entry_enum(sites: &[SiteCode]) -> TokenStream {
    let entry = private_ident("__Entry");
    let carries = |site: &&SiteCode| site.has_values && !site.own_queue;
    let params: Vec<syn::Ident> = sites
        .iter()
        .filter(carries)
        .map(|site| private_ident(&format!("T{}", site.id)))
        .collect();
    let variants = sites.iter().map(|site| {
        let variant = FrameLayout::entry_variant(site.id);
        if carries(&site) {
            let param = private_ident(&format!("T{}", site.id));
            quote!(#variant(#param))
        } else {
            quote!(#variant)
        }
    });
    quote! {
        #[allow(non_camel_case_types)]
        enum #entry<#(#params),*> { #(#variants,)* }
    }
}
