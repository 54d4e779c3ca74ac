//! Per-site code from plan data: what the body runs at the defer point (the
//! registration) and what the epilogue runs at exit.

use proc_macro2::TokenStream;
use quote::{ToTokens, quote, quote_spanned};
use syn::Expr;
use syn::spanned::Spanned;

use crate::analyze::{Exit, Lowered, NowValue, Operand, SiteInfo};
use crate::deref;
use crate::diag;
use crate::imports::Names;
use crate::plan::{FrameLayout, LentLocal, Plan, Shape, SitePlan, Source};
use crate::recover;
use crate::scope::{private_ident, private_ident_at};
use crate::site::{Kind, Param};

/// One planned site's code.
pub struct SiteCode {
    pub id: usize,
    /// `let (__v0, mut x) = __value;`, the borrows of shared locals, then the
    /// deferred code; runs with `__frame: &mut Frame<R>` in scope.
    pub exit: TokenStream,
    pub has_values: bool,
    /// The site lends adopted locals back to the body.
    pub adopts: bool,
    /// Run with `call_handler`: a `recover()` the called code makes stops
    /// the panic.
    pub handler: bool,
    pub own_queue: bool,
    pub on_cancel: bool,
}

/// What replaces each site of the body (its registration, or its error) and
/// each planned site's code, in id order.
pub struct Generated {
    pub at_site: Vec<TokenStream>,
    pub at_let: std::collections::BTreeMap<usize, TokenStream>,
    pub planned: Vec<SiteCode>,
}

pub fn sites(sites: Vec<SiteInfo>, plan: &Plan, names: Names) -> Generated {
    let mut generated = Generated {
        at_site: Vec::with_capacity(sites.len()),
        at_let: std::collections::BTreeMap::new(),
        planned: Vec::with_capacity(plan.sites.len()),
    };
    let mut lowered_sites: Vec<Option<(syn::Path, Lowered)>> = Vec::with_capacity(sites.len());
    for site in sites {
        match site.outcome {
            Ok(lowered) => {
                generated.at_site.push(TokenStream::new());
                lowered_sites.push(Some((site.path, lowered)));
            }
            Err(error) => {
                generated
                    .at_site
                    .push(diag::error_keeping_import_used(&error, &site.path));
                lowered_sites.push(None);
            }
        }
    }
    for site_plan in &plan.sites {
        let code = match site_plan.source {
            Source::PreAdoption(let_id) => {
                let body = SiteBody {
                    now: Vec::new(),
                    now_mut: Vec::new(),
                    code: TokenStream::new(),
                    conditioned: false,
                    user_code: false,
                    handler: false,
                };
                let (registration, code) = finish(site_plan, &plan.layout, None, body);
                generated.at_let.insert(let_id, registration);
                code
            }
            Source::Site(site_id) => {
                let Some((path, lowered)) = lowered_sites[site_id].take() else {
                    continue;
                };
                let body = lower(site_plan, path.span(), lowered, names);
                let (registration, code) = finish(site_plan, &plan.layout, Some(&path), body);
                generated.at_site[site_id] = registration;
                code
            }
        };
        generated.planned.push(code);
    }
    generated
}

/// Adopted locals keep their meaning: values evaluated now read through the
/// references earlier sites lent back, and so does exit code that borrows a
/// local from another site's slot.
fn read_adopted_through(site: &SitePlan, now: &mut [NowValue], exit: &mut Exit) {
    for value in now.iter_mut() {
        match value {
            NowValue::Expr(expr) => deref::uses_in(expr, &site.adopted_before),
            NowValue::FormatText { args, .. } => {
                for arg in args {
                    deref::uses_in(arg, &site.adopted_before);
                }
            }
            NowValue::RecoverNow(_) | NowValue::MoveClosure => {}
        }
    }
    let shared: Vec<LentLocal> = site
        .shares
        .iter()
        .map(|shared| shared.lent.clone())
        .collect();
    match exit {
        Exit::Code { body, .. } => deref::uses_in(body, &shared),
        Exit::Call { call, args, .. } => read_at_exit(call.args.iter_mut(), args, &shared),
        Exit::MethodCall {
            call,
            receiver,
            args,
        } => {
            if *receiver == Operand::AtExit {
                deref::uses_in(&mut call.receiver, &shared);
            }
            read_at_exit(call.args.iter_mut(), args, &shared);
        }
        Exit::Format {
            destination: Some((dest, Operand::AtExit)),
            ..
        } => deref::uses_in(dest, &shared),
        Exit::Format { .. } | Exit::DeferredRecover(_) => {}
    }
}

/// The arguments used in place at exit read shared locals through.
fn read_at_exit<'a>(
    args: impl Iterator<Item = &'a mut Expr>,
    operands: &[Operand],
    shared: &[LentLocal],
) {
    for (arg, how) in args.zip(operands) {
        if *how == Operand::AtExit {
            deref::uses_in(arg, shared);
        }
    }
}

/// A site's values evaluated now and its deferred code.
struct SiteBody {
    now: Vec<TokenStream>,
    /// Which values evaluated now are bound `mut` at exit.
    now_mut: Vec<bool>,
    /// The exit code is the user's block or closure (not a call made from
    /// the site's parts).
    user_code: bool,
    /// The deferred call may be a handler that calls `recover()` itself.
    handler: bool,
    code: TokenStream,
    /// The code is inside its `errdefer!` failure check already.
    conditioned: bool,
}

fn now_name(index: usize) -> syn::Ident {
    private_ident(&format!("__v{index}"))
}

/// Generated tokens as a syntax tree node, so that printing it inside the
/// user's expression adds no defensive parentheses (`Expr::Verbatim` gets
/// them, and rustc's `unused_parens` then blames the user's code).
fn now_expr(index: usize) -> Expr {
    Expr::Path(syn::ExprPath {
        attrs: Vec::new(),
        qself: None,
        path: now_name(index).into(),
    })
}

fn operand(expr: &mut Expr, operand: Operand) {
    if let Operand::Now(index) = operand {
        *expr = now_expr(index);
    }
}

/// A value evaluated now that the exit code calls or writes to (a callee,
/// a receiver, a destination) is bound `mut`: it may take `&mut self`.
fn used_mutably(operand: Operand, now_mut: &mut [bool]) {
    if let Operand::Now(index) = operand
        && let Some(slot) = now_mut.get_mut(index)
    {
        *slot = true;
    }
}

fn lower(site: &SitePlan, span: proc_macro2::Span, lowered: Lowered, names: Names) -> SiteBody {
    let kind = site.kind;
    let Lowered {
        mut now, mut exit, ..
    } = lowered;
    read_adopted_through(site, &mut now, &mut exit);
    let frame = private_ident("__frame");
    let mut move_closure = None;
    let mut conditioned = false;
    let mut now_mut = vec![false; now.len()];
    let user_code = matches!(exit, Exit::Code { .. });
    // A function or method deferred directly, or a `|ret|` closure, may be a
    // handler that calls `recover()` itself (Go's `defer HandleCrash()`,
    // `defer errRecover(&err)`).
    let handler = matches!(
        exit,
        Exit::Call { .. }
            | Exit::MethodCall { .. }
            | Exit::Code {
                param: Param::Result(_),
                ..
            }
    );
    let code = match exit {
        Exit::DeferredRecover(call) => {
            // The lint says it all: no `unused_must_use` (whose `let _ =`
            // help is no valid `defer!` input) on top.
            quote!(let _ = #call;)
        }
        Exit::Call {
            mut call,
            callee,
            args,
        } => {
            used_mutably(callee, &mut now_mut);
            operand(&mut call.func, callee);
            for (arg, how) in call.args.iter_mut().zip(args) {
                operand(arg, how);
            }
            quote!(#call;)
        }
        Exit::MethodCall {
            mut call,
            receiver,
            args,
        } => {
            used_mutably(receiver, &mut now_mut);
            operand(&mut call.receiver, receiver);
            for (arg, how) in call.args.iter_mut().zip(args) {
                operand(arg, how);
            }
            quote!(#call;)
        }
        Exit::Format {
            mac,
            destination,
            text,
            args,
        } => {
            let name = crate::syntax::macro_name(&mac);
            let path = &mac.path;
            let bang = &mac.bang_token;
            let span = mac.span();
            let dest = destination.map(|(mut dest, how)| {
                used_mutably(how, &mut now_mut);
                operand(&mut dest, how);
                dest
            });
            let dest = dest.iter();
            match text {
                None => quote_spanned!(span=> #path #bang (#(#dest,)* #(#args),*);),
                Some(index) => {
                    let text = now_name(index);
                    if name == "format" {
                        quote!(::core::mem::drop(#text);)
                    } else {
                        quote_spanned!(span=> #path #bang (#(#dest,)* "{}", #text);)
                    }
                }
            }
        }
        Exit::Code {
            param,
            mut body,
            moved,
        } => {
            recover::in_deferred_code(&mut body, names);
            let (code, is_conditioned) = deferred_code(span, param, &body);
            conditioned = is_conditioned;
            if moved {
                let code = if conditioned {
                    code
                } else {
                    when_failing(kind, span, code)
                };
                conditioned = true;
                let marker = private_ident("__marker");
                move_closure = Some(quote! {
                    ::fndefer::__private::deferred(&#marker, move |#frame| { #code })
                });
                let stored = now_name(0);
                quote!(#stored(#frame);)
            } else {
                code
            }
        }
    };
    SiteBody {
        now: render_now(now, move_closure),
        now_mut,
        code,
        conditioned,
        user_code,
        handler,
    }
}

fn render_now(now: Vec<NowValue>, move_closure: Option<TokenStream>) -> Vec<TokenStream> {
    let mut move_closure = move_closure;
    now.into_iter()
        .map(|value| match value {
            NowValue::Expr(expr) => expr.into_token_stream(),
            NowValue::RecoverNow(expr) => recover::evaluated_now(&expr),
            NowValue::FormatText { span, args } => {
                let args = args.iter();
                quote_spanned! {span=> ::std::format!(#(#args),*) }
            }
            NowValue::MoveClosure => move_closure.take().unwrap_or_default(),
        })
        .collect()
}

/// The user's block or closure body as exit code; whether it is inside its
/// `errdefer!` failure check already.
fn deferred_code(span: proc_macro2::Span, param: Param, body: &Expr) -> (TokenStream, bool) {
    let frame = private_ident("__frame");
    // An expected type, not a `()` pattern: a non-unit body is reported at
    // the user's code as "expected `()`, found `T`", and `!` still coerces.
    let unit = quote_spanned!(body.span()=> ());
    match param {
        Param::None => (
            quote!(#[allow(clippy::let_unit_value)] let _: #unit = #body;),
            false,
        ),
        // The slot is named with a hidden identifier located at the user's
        // parameter, so a wrong annotation (`|ret: Option<T>|`) is reported
        // there and not at `#[with_defer]`.
        Param::Result(pat) => {
            let at = pat.span();
            let frame_at = private_ident_at("__frame", at);
            let slot = quote_spanned!(at=> &mut #frame_at.ret);
            (
                quote! {
                    let #pat = #slot;
                    #[allow(clippy::let_unit_value)]
                    let _: #unit = #body;
                },
                false,
            )
        }
        // `errdefer!(|e| ..)` runs only when there is an error to hand over.
        Param::Error(pat) => {
            let error = private_ident("__error");
            let error_at = private_ident_at("__error", pat.span());
            (
                quote_spanned! {span=>
                    if let ::core::option::Option::Some(#error) = ::fndefer::__private::error_mut(&mut #frame.ret, &#frame.panic) {
                        let #pat = #error_at;
                        #[allow(clippy::let_unit_value)]
                        let _: #unit = #body;
                    }
                },
                true,
            )
        }
    }
}

/// Wraps `errdefer!` code in its failure check.
fn when_failing(kind: Kind, span: proc_macro2::Span, code: TokenStream) -> TokenStream {
    if kind == Kind::Defer {
        return code;
    }
    let frame = private_ident("__frame");
    quote_spanned! {span=>
        if ::fndefer::__private::is_failing(&#frame.ret, &#frame.panic) { #code }
    }
}

/// The registration statements and the exit code of one planned site.
fn finish(
    site: &SitePlan,
    layout: &FrameLayout,
    path: Option<&syn::Path>,
    body: SiteBody,
) -> (TokenStream, SiteCode) {
    let SiteBody {
        now,
        now_mut,
        code,
        conditioned,
        user_code,
        handler,
    } = body;
    let code = match path {
        Some(path) if !conditioned => when_failing(site.kind, path.span(), code),
        _ => code,
    };
    let has_values = !now.is_empty() || !site.adopts.is_empty();
    let exit = exit(site, layout, &now_mut, user_code, code);
    let registration = registration(site, layout, path, now);
    (
        registration,
        SiteCode {
            id: site.id,
            exit,
            has_values,
            adopts: site.adopts.iter().any(|adopted| !adopted.copied),
            handler,
            own_queue: site.own_queue,
            on_cancel: site.on_cancel,
        },
    )
}

/// At the defer point: the values evaluated now and the adopted locals go
/// into the slot, and each adopted local is lent back under its name.
fn registration(
    site: &SitePlan,
    layout: &FrameLayout,
    path: Option<&syn::Path>,
    now: Vec<TokenStream>,
) -> TokenStream {
    let first_adopted = now.len();
    let values: Vec<TokenStream> = now
        .into_iter()
        .chain(
            site.adopts
                .iter()
                .map(|adopted| adopted.name.to_token_stream()),
        )
        .collect();
    let slot = layout.slot_in_body(site.id);
    let variant = FrameLayout::entry_variant(site.id);
    let entry = private_ident("__Entry");
    let touched = site
        .adopts
        .iter()
        .filter(|adopted| adopted.touch_mut)
        .map(|adopted| {
            let name = &adopted.name;
            quote!(::fndefer::__private::touch_mut(&mut #name);)
        });
    let tuple = quote!((#(#values,)*));
    let adopted_ref = private_ident("__adopted");
    // A copied local (an `async fn`'s unchanging `Copy` parameter) is not
    // lent back: the body keeps its value.
    let rebinds = site
        .adopts
        .iter()
        .enumerate()
        .filter(|(_, adopted)| !adopted.copied)
        .map(|(index, adopted)| {
            let field = syn::Index::from(first_adopted + index);
            lend(
                &adopted.at_decl,
                adopted.lent_mut,
                quote!(#adopted_ref.#field),
            )
        });
    let lends = site.adopts.iter().any(|adopted| !adopted.copied);
    let store = match (layout.shape, values.is_empty(), !lends) {
        (Shape::Static, true, _) => quote!(#slot = ::core::option::Option::Some(());),
        (Shape::Static, false, true) => quote!(#slot = ::core::option::Option::Some(#tuple);),
        (Shape::Static, false, false) => quote!(let #adopted_ref = #slot.insert(#tuple);),
        (Shape::Dynamic, true, _) => quote!(#slot.push(#entry::#variant);),
        (Shape::Dynamic, false, true) => quote!(#slot.push(#entry::#variant(#tuple));),
        (Shape::Dynamic, false, false) => {
            let queue = layout.queue_in_body(site.id);
            quote! {
                let #adopted_ref = #queue.push(#tuple);
                #slot.push(#entry::#variant);
            }
        }
    };
    let path_used = path.map(diag::keep_import_used);
    quote! { #path_used #(#touched)* #store #(#rebinds)* }
}

/// At exit: the slot's values by name, then borrows of shared locals, then
/// the deferred code.
fn exit(
    site: &SitePlan,
    layout: &FrameLayout,
    now_mut: &[bool],
    user_code: bool,
    code: TokenStream,
) -> TokenStream {
    let value = private_ident("__value");
    let now_count = now_mut.len();
    // `mut`: a receiver evaluated now may be called with `&mut self`
    // (`defer!(make_conn().close())`).
    let bind_names = now_mut
        .iter()
        .enumerate()
        .map(|(index, is_mut)| {
            let name = now_name(index);
            if *is_mut {
                quote!(mut #name)
            } else {
                quote!(#name)
            }
        })
        .chain(site.adopts.iter().map(|adopted| {
            let name = &adopted.at_decl;
            if adopted.lent_mut {
                quote!(mut #name)
            } else {
                quote!(#name)
            }
        }));
    // An adopted local may go unused or unmutated by the exit code (a
    // pre-adoption has none): rustc must not blame the user's binding.
    let unpack = match (now_count + site.adopts.len(), site.adopts.is_empty()) {
        (0, _) => TokenStream::new(),
        (_, true) => quote!(let (#(#bind_names,)*) = #value;),
        (_, false) => {
            quote!(#[allow(unused_mut, unused_variables)] let (#(#bind_names,)*) = #value;)
        }
    };
    // Shared locals: one borrow of each owner's slot, then a borrow of
    // each field (disjoint), so several names from one owner coexist.
    let mut owners: Vec<usize> = site.shares.iter().map(|shared| shared.owner).collect();
    owners.sort_unstable();
    owners.dedup();
    let borrows = owners.into_iter().map(|owner| {
        let owned = private_ident(&format!("__owned{owner}"));
        let access = layout.owner_access(owner);
        let fields = site
            .shares
            .iter()
            .filter(|shared| shared.owner == owner)
            .map(|shared| {
                let field = syn::Index::from(shared.field);
                lend(
                    &shared.lent.name,
                    shared.lent.lent_mut,
                    quote!(#owned.#field),
                )
            });
        // The owner runs after this site (LIFO), so its slot is full.
        quote! {
            let ::core::option::Option::Some(#owned) = #access else { return };
            #(#fields)*
        }
    });
    // The user's deferred code, with names it used before adoption now
    // bound to references (`&stats` of a borrowed `stats`): clippy's
    // needless_borrow would blame code that is right as written. A call made
    // from the site's parts needs no such allowance.
    if user_code || !site.adopts.is_empty() || !site.shares.is_empty() {
        quote! {
            #[allow(clippy::needless_borrow, clippy::diverging_sub_expression)]
            { #unpack #(#borrows)* #code }
        }
    } else {
        quote!({ #unpack #(#borrows)* #code })
    }
}

/// `let mut x = &mut place;` (so `&mut x` still coerces to `&mut T`) or
/// `let ref x = place;`.
fn lend(name: &syn::Ident, lent_mut: bool, place: TokenStream) -> TokenStream {
    if lent_mut {
        quote!(#[allow(unused_variables, unused_mut)] let mut #name = &mut #place;)
    } else {
        // A `ref` pattern, not `= &place`: for a `&mut self` method called on
        // it rustc then offers no help, where it would suggest retyping the
        // lent-back binding (`let v: &mut Vec<i32> = vec![1]`).
        let by_ref = quote::quote_spanned!(name.span()=> ref);
        quote!(#[allow(unused_variables)] let #by_ref #name = #place;)
    }
}
