//! `#[floor_macro::walk]`: the signature parsed with syn (as fndefer's lazy
//! parse does), every token of the body visited once and re-emitted, the
//! function emitted again. What it costs per function is the floor of an
//! attribute macro that must find sites anywhere in a body.

use proc_macro::TokenStream;
use proc_macro2::{Group, TokenStream as TokenStream2, TokenTree};

#[proc_macro_attribute]
pub fn walk(_args: TokenStream, item: TokenStream) -> TokenStream {
    let mut trees: Vec<TokenTree> = TokenStream2::from(item).into_iter().collect();
    let Some(TokenTree::Group(body)) = trees.pop() else {
        return syn::Error::new(proc_macro2::Span::call_site(), "no body").to_compile_error().into();
    };
    let head: TokenStream2 = trees.into_iter().collect();
    let parsed = syn::parse::Parser::parse2(
        |input: syn::parse::ParseStream| {
            let attrs = input.call(syn::Attribute::parse_outer)?;
            let vis: syn::Visibility = input.parse()?;
            let sig: syn::Signature = input.parse()?;
            Ok((attrs, vis, sig))
        },
        head,
    );
    let (attrs, vis, sig) = match parsed {
        Ok(parsed) => parsed,
        Err(error) => return error.to_compile_error().into(),
    };
    let mut sites = 0usize;
    let stream = rebuild(body.stream(), &mut sites);
    let mut block = Group::new(body.delimiter(), stream);
    block.set_span(body.span());
    quote::quote!(#(#attrs)* #vis #sig #block).into()
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
