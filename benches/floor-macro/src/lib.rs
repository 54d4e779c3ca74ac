//! `#[floor_macro::walk]`: the signature parsed with syn (as fndefer's lazy
//! parse does), every token of the body visited once and re-emitted, the
//! function emitted again. What it costs per function is the floor of an
//! attribute macro that must find sites anywhere in a body.

use proc_macro::TokenStream;
use proc_macro2::{Group, TokenStream as TokenStream2, TokenTree};

#[proc_macro_attribute]
pub fn walk(_args: TokenStream, item: TokenStream) -> TokenStream {
    let (Function { attrs, vis, sig }, body) = match function(item) {
        Ok(parsed) => parsed,
        Err(error) => return error.to_compile_error().into(),
    };
    let mut sites = 0usize;
    let stream = rebuild(body.stream(), &mut sites);
    let mut block = Group::new(body.delimiter(), stream);
    block.set_span(body.span());
    quote::quote!(#(#attrs)* #vis #sig #block).into()
}

/// The function's head, parsed as fndefer's lazy parse parses it.
struct Function {
    attrs: Vec<syn::Attribute>,
    vis: syn::Visibility,
    sig: syn::Signature,
}

/// The head parsed with syn; the body's group as it is.
fn function(item: TokenStream) -> syn::Result<(Function, Group)> {
    let mut trees: Vec<TokenTree> = TokenStream2::from(item).into_iter().collect();
    let Some(TokenTree::Group(body)) = trees.pop() else {
        return Err(syn::Error::new(proc_macro2::Span::call_site(), "no body"));
    };
    let head: TokenStream2 = trees.into_iter().collect();
    let function = syn::parse::Parser::parse2(
        |input: syn::parse::ParseStream| {
            Ok(Function {
                attrs: input.call(syn::Attribute::parse_outer)?,
                vis: input.parse()?,
                sig: input.parse()?,
            })
        },
        head,
    )?;
    Ok((function, body))
}

/// Every token visited and re-emitted; `defer` idents counted.
fn rebuild(stream: TokenStream2, sites: &mut usize) -> TokenStream2 {
    stream
        .into_iter()
        .map(|tree| match tree {
            TokenTree::Group(group) => {
                let mut rebuilt = Group::new(group.delimiter(), rebuild(group.stream(), sites));
                rebuilt.set_span(group.span());
                TokenTree::Group(rebuilt)
            }
            TokenTree::Ident(ident) => {
                if ident == "defer" {
                    *sites += 1;
                }
                TokenTree::Ident(ident)
            }
            other => other,
        })
        .collect()
}

/// `walk` plus the scaffolding of fndefer's static frame with one deferred
/// call (shape 0's expansion, with the call's arguments left out), built with
/// `quote!` and `Span::mixed_site()` names as fndefer builds it: the floor of
/// parsing, walking and emitting that much code this way.
#[proc_macro_attribute]
pub fn frame_quote(_args: TokenStream, item: TokenStream) -> TokenStream {
    framed(item, |ret, name, body| {
        let site = proc_macro2::Span::mixed_site();
        let marker = proc_macro2::Ident::new("__fndefer_marker", site);
        let slot = proc_macro2::Ident::new("__fndefer_slot0", site);
        let frame = proc_macro2::Ident::new("__fndefer_frame", site);
        let value = proc_macro2::Ident::new("__fndefer_value", site);
        quote::quote! {
            let #marker = ::fndefer::__private::Marker::new();
            let mut #slot = ::core::option::Option::None;
            let mut #frame = ::fndefer::__private::run(&#marker, || -> #ret {
                #slot = ::core::option::Option::Some(());
                #body
            });
            let #slot = &mut #slot;
            if let ::core::option::Option::Some(#value) = #slot.take() {
                #frame.call_handler(|#frame| {
                    {
                        let () = #value;
                    }
                });
            }
            #frame.finish_or(|| {
                use ::fndefer::__private::zero::{ViaDefault as _, ViaPanic as _};
                (&::fndefer::__private::zero::of(&#marker)).zero_value(#name)
            })
        }
    })
}

/// The same code as `frame_quote`, its fixed parts lexed by rustc from text
/// (one bridge call each) and the generated names then given
/// `Span::mixed_site()`: what emitting fndefer's code costs this way.
#[proc_macro_attribute]
pub fn frame_text(_args: TokenStream, item: TokenStream) -> TokenStream {
    framed(item, |ret, name, body| {
        let mut out = text(
            "let __fndefer_marker = ::fndefer::__private::Marker::new();
             let mut __fndefer_slot0 = ::core::option::Option::None;
             let mut __fndefer_frame = ::fndefer::__private::run",
        );
        let mut inner = text("__fndefer_slot0 = ::core::option::Option::Some(());");
        inner.extend(body);
        let mut args = text("&__fndefer_marker, || ->");
        args.extend(ret);
        args.extend([TokenTree::Group(Group::new(proc_macro2::Delimiter::Brace, inner))]);
        out.extend([TokenTree::Group(Group::new(proc_macro2::Delimiter::Parenthesis, args))]);
        out.extend(text(&format!(
            "; let __fndefer_slot0 = &mut __fndefer_slot0;
             if let ::core::option::Option::Some(__fndefer_value) = __fndefer_slot0.take() {{
                 __fndefer_frame.call_handler(|__fndefer_frame| {{ {{ let () = __fndefer_value; }} }});
             }}
             __fndefer_frame.finish_or(|| {{
                 use ::fndefer::__private::zero::{{ViaDefault as _, ViaPanic as _}};
                 (&::fndefer::__private::zero::of(&__fndefer_marker)).zero_value({name:?})
             }})"
        )));
        out
    })
}

/// Text lexed by rustc, `__fndefer` names moved to `Span::mixed_site()`.
fn text(code: &str) -> TokenStream2 {
    fn respan(stream: TokenStream2) -> TokenStream2 {
        stream
            .into_iter()
            .map(|tree| match tree {
                TokenTree::Group(group) => {
                    TokenTree::Group(Group::new(group.delimiter(), respan(group.stream())))
                }
                TokenTree::Ident(mut ident) => {
                    if ident.to_string().starts_with("__fndefer") {
                        ident.set_span(proc_macro2::Span::mixed_site());
                    }
                    TokenTree::Ident(ident)
                }
                other => other,
            })
            .collect()
    }
    respan(code.parse().expect("valid tokens"))
}

/// Parses the signature, walks the body, and emits the function with its
/// body's statements wrapped by `scaffold(return type, name, statements)`.
fn framed(
    item: TokenStream,
    scaffold: impl FnOnce(TokenStream2, String, TokenStream2) -> TokenStream2,
) -> TokenStream {
    framed_with(item, |stream| Ok(rebuild(stream, &mut 0)), scaffold)
}

/// `framed`, the body's tokens rewritten by `walk_body`.
fn framed_with(
    item: TokenStream,
    walk_body: impl FnOnce(TokenStream2) -> Result<TokenStream2, syn::Error>,
    scaffold: impl FnOnce(TokenStream2, String, TokenStream2) -> TokenStream2,
) -> TokenStream {
    let (Function { attrs, vis, sig }, body) = match function(item) {
        Ok(parsed) => parsed,
        Err(error) => return error.to_compile_error().into(),
    };
    let stream = match walk_body(body.stream()) {
        Ok(stream) => stream,
        Err(error) => return error.to_compile_error().into(),
    };
    let ret = match &sig.output {
        syn::ReturnType::Default => quote::quote!(()),
        syn::ReturnType::Type(_, ty) => quote::quote!(#ty),
    };
    let inner = scaffold(ret, sig.ident.to_string(), stream);
    let mut block = Group::new(body.delimiter(), inner);
    block.set_span(body.span());
    quote::quote!(#(#attrs)* #vis #sig #block).into()
}

/// `walk`, with the same scaffolding as `frame_quote` left to a
/// `macro_rules!` of the generated crate (`frame_rules!`, written out by
/// benches/gen_compile_crate.sh): the proc macro emits only the return type,
/// the name and the body; rustc transcribes the rest.
#[proc_macro_attribute]
pub fn frame_rules(_args: TokenStream, item: TokenStream) -> TokenStream {
    framed(item, |ret, name, body| {
        let slot = slot_ident();
        quote::quote!(crate::frame_rules!((#ret) #name #slot { #body }))
    })
}

/// The slot's name, as fndefer names it.
fn slot_ident() -> proc_macro2::Ident {
    proc_macro2::Ident::new("__fndefer_slot0", proc_macro2::Span::mixed_site())
}

/// `frame_rules` on fndefer's own bodies: every `defer!` found in the walk
/// has its input parsed with syn (as an expression, or as statements when
/// braced), the least a syn-based macro does to learn a site's form, and is
/// replaced by the slot's assignment; the scaffold is `frame_rules!`'s.
#[proc_macro_attribute]
pub fn sites(_args: TokenStream, item: TokenStream) -> TokenStream {
    framed_with(item, parse_sites, |ret, name, body| {
        let slot = slot_ident();
        quote::quote!(crate::frame_rules!((#ret) #name #slot { #body }))
    })
}

/// Every `defer!(..)` / `defer! { .. }` parsed with syn and replaced by
/// `slot = Some(());`, in every group of the body.
fn parse_sites(stream: TokenStream2) -> Result<TokenStream2, syn::Error> {
    let trees: Vec<TokenTree> = stream.into_iter().collect();
    let mut out = Vec::with_capacity(trees.len());
    let mut i = 0;
    while i < trees.len() {
        if let (TokenTree::Ident(ident), Some(TokenTree::Punct(bang)), Some(TokenTree::Group(input))) =
            (&trees[i], trees.get(i + 1), trees.get(i + 2))
            && ident == "defer"
            && bang.as_char() == '!'
        {
            let slot = slot_ident();
            if input.delimiter() == proc_macro2::Delimiter::Brace {
                syn::parse::Parser::parse2(syn::Block::parse_within, input.stream())?;
                out.extend(quote::quote!(#slot = ::core::option::Option::Some(());));
            } else {
                syn::parse2::<syn::Expr>(input.stream())?;
                out.extend(quote::quote!(#slot = ::core::option::Option::Some(())));
            }
            i += 3;
            continue;
        }
        out.push(match &trees[i] {
            TokenTree::Group(group) => {
                let mut rebuilt = Group::new(group.delimiter(), parse_sites(group.stream())?);
                rebuilt.set_span(group.span());
                TokenTree::Group(rebuilt)
            }
            other => other.clone(),
        });
        i += 1;
    }
    Ok(out.into_iter().collect())
}
