//! Orchestration: input → analysis → plan → per-site code → splice → frame.
//! Problems become `compile_error!` at the user's tokens inside an otherwise
//! valid expansion; only a fatal one falls back to the item as written.

use proc_macro2::TokenStream;
use quote::{ToTokens, quote};
use syn::{Block, Expr, ItemFn, ReturnType, Stmt};

use crate::args::{Lint, Options};
use crate::imports::Names;
use crate::input::{self, Flavor, Input, Output, Owner, ScopedClosure};
use crate::lints::Warning;
use crate::{analyze, codegen, deref, fallback, frame, lazy, lints, placement, plan, splice};
use syn::spanned::Spanned;

/// `#[with_defer]` on a function.
pub fn with_defer(args: TokenStream, item: TokenStream, names: Names) -> TokenStream {
    // Errors that still leave a function to expand: the function is expanded
    // anyway, so its sites and adopted locals raise no errors of their own.
    let mut errors = TokenStream::new();
    // A typo in `allow(..)`: that error only. The function expands with every
    // lint silenced, so no warning the user meant to allow shows with it.
    let options = Options::parse(args).unwrap_or_else(|error| {
        errors.extend(error.to_compile_error());
        Options {
            allowed: Lint::ALL.to_vec(),
            named: Vec::new(),
        }
    });
    let (mut function, facts): (ItemFn, lazy::BodyFacts) = match lazy::parse_function(item.clone())
    {
        Ok(parsed) => parsed,
        Err(_) => {
            let error = syn::Error::new(
                input::not_a_function_at(&item),
                "`#[with_defer]` goes on a function with a body (a free function, a method, \
                 or a trait method with a default body); for a closure use \
                 `defer_scope!(|| { .. })`",
            );
            let stripped = fallback::expand(&error, item, names);
            return quote!(#errors #stripped);
        }
    };
    if let Err(error) = input::check_signature(&function.sig) {
        let stripped = fallback::expand(&error, item, names);
        return quote!(#errors #stripped);
    }
    // `#[with_defer] #[with_defer] fn ..`: this (the outer) one expands, the
    // inner one is reported and dropped (it would see the expanded body).
    let is_with_defer = |attr: &syn::Attribute| {
        attr.path()
            .segments
            .last()
            .is_some_and(|last| last.ident == "with_defer")
    };
    if let Some(again) = function.attrs.iter().find(|attr| is_with_defer(attr)) {
        errors.extend(
            syn::Error::new_spanned(again, "`#[with_defer]` is applied twice; remove one")
                .to_compile_error(),
        );
        function.attrs.retain(|attr| !is_with_defer(attr));
    }
    let named = named_results(&options, &mut function, &mut errors);
    let owner = Owner::Fn(function.sig.ident.clone());
    // `#[track_caller]` cannot pass through the body closure: say so.
    let warnings: Vec<Warning> = function
        .attrs
        .iter()
        .filter(|attr| attr.path().is_ident("track_caller"))
        .map(|attr| Warning::new(Lint::TrackCaller, attr.path().span(), lints::TRACK_CALLER))
        .collect();
    let (receiver, params) = Input::fn_params(function.sig.inputs.iter());
    if let Some((result, block)) = input::async_block_body(&mut function) {
        let output: syn::ReturnType = syn::parse_quote!(-> #result);
        let input = Input {
            options,
            owner,
            flavor: Flavor::Async,
            receiver,
            params,
            // The sites are in an async block: `errdefer!` is left to the trait.
            output: Output {
                infallible: None,
                ..Output::new(output)
            },
            block: std::mem::replace(block, empty_block()),
            warnings,
            named: None,
            facts,
        };
        let expanded = body(input, names);
        *block = expanded.block;
        strip_moved_mut(function.sig.inputs.iter_mut(), &expanded.moved_params);
        let function = function.to_token_stream();
        return quote!(#errors #function);
    }
    let input = Input {
        options,
        owner,
        flavor: if function.sig.asyncness.is_some() {
            Flavor::Async
        } else {
            Flavor::Sync
        },
        receiver,
        params,
        // With named results the body returns `()`; the function returns
        // the names after the deferred calls.
        output: Output::new(if named.is_some() {
            ReturnType::Default
        } else {
            function.sig.output.clone()
        }),
        block: std::mem::replace(&mut *function.block, empty_block()),
        warnings,
        named,
        facts,
    };
    let expanded = body(input, names);
    *function.block = expanded.block;
    strip_moved_mut(function.sig.inputs.iter_mut(), &expanded.moved_params);
    quote!(#errors #function)
}

/// `named(..)`: the names paired with the result types, the body parsed in
/// full and its `return`s rewritten; an error leaves the function without
/// them.
fn named_results(
    options: &Options,
    function: &mut ItemFn,
    errors: &mut TokenStream,
) -> Option<crate::named::Named> {
    match options.named.as_slice() {
        [] => None,
        [first, ..] if function.sig.asyncness.is_some() => {
            errors.extend(
                syn::Error::new_spanned(
                    first,
                    "`named(..)` works on a plain `fn`, not an `async fn`",
                )
                .to_compile_error(),
            );
            None
        }
        names => match crate::named::Named::of(names, &function.sig.output) {
            Ok(named) => {
                // Every `return` of the body is rewritten: parse all of it.
                if let Ok(block) = syn::parse2::<Block>(function.block.to_token_stream()) {
                    *function.block = block;
                }
                named.rewrite_body(&mut function.block);
                Some(named)
            }
            Err(error) => {
                errors.extend(error.to_compile_error());
                None
            }
        },
    }
}

/// `defer_scope!(|args| body)`: a closure whose body has the semantics of a
/// `#[with_defer]` function (Go's function literals have their own defers).
pub fn defer_scope(tokens: TokenStream, names: Names) -> TokenStream {
    let mut scoped = match syn::parse2::<ScopedClosure>(tokens) {
        Ok(scoped) => scoped,
        Err(error) => return error.to_compile_error(),
    };
    let mut input = match scoped.input() {
        Ok(input) => input,
        Err(error) => return error.to_compile_error(),
    };
    // A closure's `errdefer!` is checked by the trait, as an alias would be.
    input.output.infallible = None;
    let expanded = body(input, names);
    if let Some(mut async_block) = scoped.async_block {
        // The frame `.await`s the body: it goes in the user's async block,
        // which keeps its `move`.
        async_block.block = expanded.block;
        return async_block.into_token_stream();
    }
    for pat in &mut scoped.closure.inputs {
        placement::strip_mut(pat, &expanded.moved_params);
    }
    scoped.closure.body = Box::new(Expr::Block(syn::ExprBlock {
        attrs: Vec::new(),
        label: None,
        block: expanded.block,
    }));
    // In a block of the macro's own: `defer_scope!(|| ..)()` (Go's `func()
    // { .. }()`) is then no closure literal called where it is written
    // (clippy's `redundant_closure_call`), and an expected type still
    // reaches the closure through the block's value.
    let closure = scoped.closure;
    quote::quote_spanned!(proc_macro2::Span::mixed_site()=> { #closure })
}

/// The pipeline for one body. Never fails: problems become
/// `compile_error!` at the user's tokens, inside an otherwise valid body.
fn body(input: Input, names: Names) -> Expanded {
    let Input {
        options,
        owner,
        flavor,
        receiver,
        params,
        output,
        block: mut body,
        warnings: item_warnings,
        named,
        facts,
    } = input;
    let item_names = placement::item_names(&body);
    if let Some(args) = output.returned_closure_args() {
        input::annotate_returned_closure(&mut body, &args);
    }

    let parameters: Vec<analyze::Parameter> = params
        .iter()
        .map(|param| analyze::Parameter {
            pat: &param.pat,
            holds_mut_ref: param.holds_mut_ref,
            copied: param.copied,
        })
        .collect();
    let brace_token = body.brace_token;
    let named_names: Vec<syn::Ident> = named.as_ref().map(|n| n.names.clone()).unwrap_or_default();
    let analysis = analyze::body(
        names,
        &analyze::Bound {
            receiver: receiver.is_some(),
            named: &named_names,
            params: &parameters,
            params_are_locals: flavor == Flavor::Async,
        },
        output.infallible.as_deref(),
        &item_names,
        &mut body,
    );
    let moved_params = placement::moved_params(&params, &analysis, flavor == Flavor::Async);
    let hoisted = placement::hoist(&mut body, &analysis.items_named);
    let plan = plan::frame(&analysis, flavor == Flavor::Async);
    // Without a site the body runs in place: nothing to warn about.
    let mut warnings = if plan.sites.is_empty() {
        Vec::new()
    } else {
        item_warnings
    };
    warnings.extend(lints::collect(&analysis, &plan));
    let mut diagnostics: TokenStream = analysis
        .errors
        .iter()
        .map(|error| {
            let error = error.to_compile_error();
            quote!(#error;)
        })
        .collect();
    diagnostics.extend(lints::render(
        &warnings,
        &options,
        matches!(owner, Owner::Closure),
    ));

    let positions = analysis
        .sites
        .iter()
        .map(|site| site.position)
        .collect::<Vec<_>>();
    read_adopted_through(&mut body, &plan, &positions);
    // Only when the body mentions `self`: a body that does not captures
    // nothing of it (a by-value `self` stays in the function's frame), and
    // naming it would take clippy's `unused_self` from the user. An `async
    // fn`'s body owns its parameters already (the future's first locals).
    let self_capture = receiver.filter(|receiver| {
        let move_in = receiver.by_value && matches!(flavor, Flavor::Sync);
        facts.mentions_self
            && (receiver.mut_ref || move_in)
            && !placement::deferred_code_names_self(&analysis)
    });
    let generated = codegen::sites(analysis.sites, &plan, names);
    splice::body(
        &mut body,
        splice::Splice {
            sites: generated.at_site.into_iter().zip(positions).collect(),
            pre_adoptions: generated.at_let,
            silence_unused_mut: &plan.silence_unused_mut,
        },
    );
    let expanded = frame::assemble(
        frame::Frame {
            owner: &owner,
            flavor,
            output: &output,
            items: hoisted,
            rebindings: placement::rebindings(&params, &moved_params, self_capture),
            named: named.as_ref(),
            diagnostics,
            disjoint_captures: crate::edition::captures_disjoint_fields(),
            passes_function_path: facts.passes_function_path,
        },
        &plan.layout,
        &generated.planned,
        body,
    );
    Expanded {
        block: Block {
            brace_token,
            stmts: vec![Stmt::Expr(Expr::Verbatim(expanded), None)],
        },
        moved_params: if generated.planned.is_empty() {
            Vec::new()
        } else {
            moved_params
        },
    }
}

/// A body expanded, and the parameters moved into the body closure (their
/// `mut` now belongs to the rebinding inside it).
struct Expanded {
    block: Block,
    moved_params: Vec<syn::Ident>,
}

/// The body reads adopted locals through their lent-back references, from
/// the statement (or the pre-adopting `let`) that adopts them.
fn read_adopted_through(body: &mut Block, plan: &plan::Plan, positions: &[analyze::Position]) {
    let lent = |site: &plan::SitePlan| -> Vec<plan::LentLocal> {
        site.adopts
            .iter()
            .filter(|adopted| !adopted.copied)
            .map(|adopted| plan::LentLocal {
                name: adopted.name.clone(),
                lent_mut: adopted.lent_mut,
                lent_from: site.lent_from,
                decl: adopted.at_decl.clone(),
            })
            .collect()
    };
    let at_site: Vec<Vec<plan::LentLocal>> = plan
        .id_of_site
        .iter()
        .zip(positions)
        .map(|(id, position)| match (id, position) {
            (Some(id), analyze::Position::Statement) => lent(&plan.sites[*id]),
            _ => Vec::new(),
        })
        .collect();
    let at_let = plan
        .pre_adoption
        .iter()
        .map(|(let_id, id)| (*let_id, lent(&plan.sites[*id])))
        .collect();
    deref::uses_in_body(body, &at_site, &at_let);
}

fn strip_moved_mut<'a>(inputs: impl Iterator<Item = &'a mut syn::FnArg>, moved: &[syn::Ident]) {
    for input in inputs {
        if let syn::FnArg::Typed(typed) = input {
            placement::strip_mut(&mut typed.pat, moved);
        }
    }
}

fn empty_block() -> Block {
    Block {
        brace_token: Default::default(),
        stmts: Vec::new(),
    }
}
