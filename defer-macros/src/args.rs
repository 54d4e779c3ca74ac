//! `#[with_defer(allow(..))]`: the attribute's arguments (also
//! `defer_scope!(allow(..); ..)`'s).

use proc_macro2::TokenStream;
use syn::ext::IdentExt;
use syn::parse::{Parse, ParseStream};
use syn::{Ident, Token};

/// The lints `#[with_defer(allow(..))]` can silence.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Lint {
    Loop,
    InfiniteLoop,
    CallChain,
    ImmediateRecover,
    Exit,
    EagerTime,
    TrackCaller,
    EagerDrop,
    BodyRecover,
}

impl Lint {
    pub const ALL: [Lint; 9] = [
        Lint::Loop,
        Lint::InfiniteLoop,
        Lint::CallChain,
        Lint::ImmediateRecover,
        Lint::Exit,
        Lint::EagerTime,
        Lint::TrackCaller,
        Lint::EagerDrop,
        Lint::BodyRecover,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Lint::Loop => "loop",
            Lint::InfiniteLoop => "infinite_loop",
            Lint::CallChain => "call_chain",
            Lint::ImmediateRecover => "immediate_recover",
            Lint::Exit => "exit",
            Lint::EagerTime => "eager_time",
            Lint::TrackCaller => "track_caller",
            Lint::EagerDrop => "eager_drop",
            Lint::BodyRecover => "body_recover",
        }
    }

    fn from_name(name: &str) -> Option<Lint> {
        Lint::ALL.into_iter().find(|lint| lint.name() == name)
    }
}

/// Parsed attribute arguments.
#[derive(Default)]
pub struct Options {
    pub allowed: Vec<Lint>,
    /// `named(val, err)`: Go's named results.
    pub named: Vec<Ident>,
}

impl Options {
    pub fn allows(&self, lint: Lint) -> bool {
        self.allowed.contains(&lint)
    }

    pub fn parse(tokens: TokenStream) -> syn::Result<Options> {
        if tokens.is_empty() {
            return Ok(Options::default());
        }
        syn::parse2(tokens)
    }
}

impl Parse for Options {
    fn parse(input: ParseStream) -> syn::Result<Self> {
        let mut options = Options::default();
        while !input.is_empty() {
            options.parse_entry(input)?;
            if input.is_empty() {
                break;
            }
            input
                .parse::<Token![,]>()
                .map_err(|error| syntax(error.span()))?;
        }
        Ok(options)
    }
}

impl Options {
    /// One `allow(..)` entry, as `defer_scope!(allow(loop); || ..)` takes it.
    pub fn parse_one(input: ParseStream) -> syn::Result<Options> {
        let mut options = Options::default();
        options.parse_entry(input)?;
        Ok(options)
    }

    fn parse_entry(&mut self, input: ParseStream) -> syn::Result<()> {
        let key: Ident = input
            .call(Ident::parse_any)
            .map_err(|error| syntax(error.span()))?;
        if key == "named" && input.peek(syn::token::Paren) {
            let content;
            syn::parenthesized!(content in input);
            let names =
                syn::punctuated::Punctuated::<Ident, Token![,]>::parse_terminated(&content)?;
            if names.is_empty() {
                return Err(syn::Error::new(
                    key.span(),
                    "`named()` needs one name per result: `named(val, err)`",
                ));
            }
            self.named.extend(names);
            return Ok(());
        }
        if key != "allow" {
            return Err(syn::Error::new(
                key.span(),
                format!(
                    "unknown `with_defer` argument `{key}`; the arguments are \
                     `allow(..)` with lint names ({}) and `named(..)` with one name \
                     per result",
                    lint_names()
                ),
            ));
        }
        if !input.peek(syn::token::Paren) {
            return Err(syntax(input.span()));
        }
        let content;
        syn::parenthesized!(content in input);
        if content.is_empty() {
            return Err(syn::Error::new(
                key.span(),
                format!("`allow()` needs at least one lint name: {}", lint_names()),
            ));
        }
        while !content.is_empty() {
            // `loop` is a keyword, so accept any identifier-like token.
            let name: Ident = content
                .call(Ident::parse_any)
                .map_err(|error| syntax(error.span()))?;
            let Some(lint) = Lint::from_name(&name.to_string()) else {
                return Err(syn::Error::new(
                    name.span(),
                    format!("unknown lint `{name}`; the lints are {}", lint_names()),
                ));
            };
            self.allowed.push(lint);
            if content.is_empty() {
                break;
            }
            content
                .parse::<Token![,]>()
                .map_err(|error| syntax(error.span()))?;
        }
        Ok(())
    }
}

/// Any malformed argument: the one form there is, with the lint names.
fn syntax(span: proc_macro2::Span) -> syn::Error {
    syn::Error::new(
        span,
        format!(
            "write the lints to silence as identifiers: \
             `#[with_defer(allow(loop, call_chain))]`; the lints are {}",
            lint_names()
        ),
    )
}

fn lint_names() -> String {
    Lint::ALL
        .iter()
        .map(|lint| format!("`{}`", lint.name()))
        .collect::<Vec<_>>()
        .join(", ")
}
