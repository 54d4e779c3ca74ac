//! Parsing a `#[with_defer]` item cheaply: the signature with syn, the body
//! as tokens split into runs of statements, of which only the runs the
//! analysis can care about are parsed (syn's parser, unoptimized in a debug
//! build of the macro, is most of what expansion costs).

use proc_macro2::{Span, TokenStream};
use syn::{Block, Expr, Stmt};

/// Parses `#[with_defer]`'s item. Only the body statements the analysis can
/// care about are parsed; the others stay tokens (`Expr::Verbatim`), which
/// is most of what expansion costs saved (see [`lazy_statements`]).
pub fn parse_function(item: TokenStream) -> syn::Result<(syn::ItemFn, BodyFacts)> {
    lazy_function(&item).or_else(|_| {
        syn::parse2::<syn::ItemFn>(item).map(|function| (function, BodyFacts::UNSCANNED))
    })
}

/// What the token scan saw in the body, beyond its statements.
#[derive(Default, Clone, Copy)]
pub struct BodyFacts {
    /// A path to a function (`Rng::fork`, `Self::step`) is passed as an
    /// argument: clippy's `must_use_candidate` takes that for a use of a
    /// static, which it looks for only outside closures, so once the body
    /// is in the body closure it would start to lint the function (the
    /// frame then makes such a use itself, see `frame`).
    pub passes_function_path: bool,
    /// The body mentions `self` (anywhere, macro input and sites included).
    pub mentions_self: bool,
}

impl BodyFacts {
    /// For a body the scan did not see: what is safe to assume.
    pub const UNSCANNED: BodyFacts = BodyFacts {
        passes_function_path: false,
        mentions_self: true,
    };
}

/// The signature parsed, the body's group taken as it is (no syn buffer of
/// the whole body) and split by [`lazy_statements`].
fn lazy_function(item: &TokenStream) -> syn::Result<(syn::ItemFn, BodyFacts)> {
    use proc_macro2::{Delimiter, TokenTree};
    let mut trees: Vec<TokenTree> = item.clone().into_iter().collect();
    let Some(TokenTree::Group(body)) = trees.pop() else {
        return Err(syn::Error::new(Span::call_site(), "no body"));
    };
    if body.delimiter() != Delimiter::Brace {
        return Err(syn::Error::new(body.span(), "no body"));
    }
    let mut stream = body.stream().into_iter();
    if matches!(
        (stream.next(), stream.next()),
        (Some(TokenTree::Punct(hash)), Some(TokenTree::Punct(bang)))
            if hash.as_char() == '#' && bang.as_char() == '!'
    ) {
        // Inner attributes: the full parser handles them.
        return Err(syn::Error::new(body.span(), "inner attributes"));
    }
    let head: TokenStream = trees.into_iter().collect();
    let (attrs, vis, sig) = syn::parse::Parser::parse2(
        |input: syn::parse::ParseStream| {
            let attrs = input.call(syn::Attribute::parse_outer)?;
            let vis: syn::Visibility = input.parse()?;
            let sig: syn::Signature = input.parse()?;
            Ok((attrs, vis, sig))
        },
        head,
    )?;
    let brace_token = syn::token::Brace {
        span: body.delim_span(),
    };
    let (stmts, facts) = lazy_statements(body.stream())?;
    let function = syn::ItemFn {
        attrs,
        vis,
        modifiers: syn::FnModifiers::default(),
        sig,
        block: Box::new(Block { brace_token, stmts }),
    };
    Ok((function, facts))
}

/// The macros whose input is a site.
const SITE_WORDS: [&str; 2] = ["defer", "errdefer"];

/// Words that make a statement matter to the analysis wherever they occur.
const ANALYSED_WORDS: [&str; 4] = [SITE_WORDS[0], SITE_WORDS[1], "recover", "exit"];

/// Words that start an item (kept as syntax: the expansion decides where
/// each item goes).
const ITEM_WORDS: [&str; 13] = [
    "fn",
    "struct",
    "enum",
    "union",
    "trait",
    "impl",
    "mod",
    "static",
    "const",
    "type",
    "use",
    "extern",
    "macro_rules",
];

/// The body's statements: a run of statements up to a top-level `;` (or a
/// `path! { .. }` statement) is parsed only when it names a site, `recover`
/// or `exit`, declares an item, or has a `let` binding a name that deferred
/// code mentions; any other run stays tokens, printed back as written.
fn lazy_statements(body: TokenStream) -> syn::Result<(Vec<Stmt>, BodyFacts)> {
    use proc_macro2::{Delimiter, TokenTree};
    let scan = Scan::of(body);
    let facts = BodyFacts {
        passes_function_path: scan.passes_function_path,
        mentions_self: scan.mentions_self,
    };
    let trees = &scan.trees;
    let mut stmts = Vec::new();
    let mut start = 0;
    while start < trees.len() {
        let mut end = start;
        while end < trees.len() {
            if matches!(&trees[end], TokenTree::Punct(p) if p.as_char() == ';') {
                end += 1;
                break;
            }
            // `path! { .. }` at the start of a statement is a statement.
            if end > start
                && matches!(&trees[end], TokenTree::Group(g) if g.delimiter() == Delimiter::Brace)
                && matches!(&trees[end - 1], TokenTree::Punct(p) if p.as_char() == '!')
                && trees[start..end - 1].iter().all(|tree| match tree {
                    TokenTree::Ident(_) => true,
                    TokenTree::Punct(p) => p.as_char() == ':',
                    _ => false,
                })
            {
                end += 1;
                break;
            }
            end += 1;
        }
        let run = &trees[start..end];
        if let Some(site) = site_statement(run) {
            stmts.push(site);
        } else {
            let tokens: TokenStream = run.iter().cloned().collect();
            if scan.run_matters(start..end) {
                stmts.extend(syn::parse::Parser::parse2(Block::parse_within, tokens)?);
            } else {
                stmts.push(Stmt::Expr(Expr::Verbatim(tokens), None));
            }
        }
        start = end;
    }
    Ok((stmts, facts))
}

/// `a::b` or `Self::step`, alone between commas: a path of two or more
/// segments ending in a lower-case name (a function, not a constant, type
/// or variant), passed as a value.
fn is_function_path(tokens: &[proc_macro2::TokenTree]) -> bool {
    use proc_macro2::{Spacing, TokenTree};
    let mut segments = 0;
    let mut rest = tokens;
    loop {
        let [TokenTree::Ident(name), tail @ ..] = rest else {
            return false;
        };
        segments += 1;
        match tail {
            [] => {
                let text = name.to_string();
                return segments > 1 && text.starts_with(|c: char| c.is_lowercase() || c == '_');
            }
            [
                TokenTree::Punct(first),
                TokenTree::Punct(second),
                after @ ..,
            ] if first.as_char() == ':'
                && first.spacing() == Spacing::Joint
                && second.as_char() == ':' =>
            {
                rest = after;
            }
            _ => return false,
        }
    }
}

/// `name!(..);` or `name! { .. }` alone, as syn would parse it (a macro
/// statement, its input left as tokens), built without syn's statement
/// parser: most `defer!`s are such a run, and that parser tries each
/// statement keyword on the first token (one compiler call apiece).
fn site_statement(run: &[proc_macro2::TokenTree]) -> Option<Stmt> {
    use proc_macro2::{Delimiter, TokenTree};
    let (name, bang, group, semi) = match run {
        [
            TokenTree::Ident(name),
            TokenTree::Punct(bang),
            TokenTree::Group(group),
        ] => (name, bang, group, None),
        [
            TokenTree::Ident(name),
            TokenTree::Punct(bang),
            TokenTree::Group(group),
            TokenTree::Punct(semi),
        ] if semi.as_char() == ';' => (name, bang, group, Some(semi)),
        _ => return None,
    };
    if bang.as_char() != '!' || !SITE_WORDS.iter().any(|word| name == word) {
        return None;
    }
    let delimiter = match group.delimiter() {
        Delimiter::Parenthesis => syn::MacroDelimiter::Paren(syn::token::Paren {
            span: group.delim_span(),
        }),
        Delimiter::Brace => syn::MacroDelimiter::Brace(syn::token::Brace {
            span: group.delim_span(),
        }),
        Delimiter::Bracket => syn::MacroDelimiter::Bracket(syn::token::Bracket {
            span: group.delim_span(),
        }),
        Delimiter::None => return None,
    };
    // Without `;`, only braces end a statement (`defer!(x) + 1` is no site).
    if semi.is_none() && group.delimiter() != Delimiter::Brace {
        return None;
    }
    Some(Stmt::Macro(syn::StmtMacro {
        attrs: Vec::new(),
        mac: syn::Macro {
            path: syn::Path::from(name.clone()),
            bang_token: syn::token::Not {
                spans: [bang.span()],
            },
            delimiter,
            tokens: group.stream(),
        },
        semi_token: semi.map(|semi| syn::token::Semi {
            spans: [semi.span()],
        }),
    }))
}

/// One pass over the body's tokens: each top-level token's word, whether
/// it holds an [`ANALYSED_WORDS`] word, and the words of every site.
struct Scan {
    trees: Vec<proc_macro2::TokenTree>,
    words: Vec<Option<String>>,
    analysed: Vec<bool>,
    site_words: Vec<String>,
    /// See [`BodyFacts::passes_function_path`].
    passes_function_path: bool,
    /// See [`BodyFacts::mentions_self`].
    mentions_self: bool,
}

impl Scan {
    fn of(body: TokenStream) -> Scan {
        let trees: Vec<proc_macro2::TokenTree> = body.into_iter().collect();
        let mut scan = Scan {
            words: Vec::with_capacity(trees.len()),
            analysed: Vec::with_capacity(trees.len()),
            site_words: Vec::new(),
            trees: Vec::new(),
            passes_function_path: false,
            mentions_self: false,
        };
        let mut in_site = false;
        for (index, tree) in trees.iter().enumerate() {
            let (word, analysed) = scan.tree(tree, &trees, index, &mut in_site);
            scan.words.push(word);
            scan.analysed.push(analysed);
        }
        scan.trees = trees;
        scan
    }

    /// A token's word, and whether it is or holds an analysed word.
    /// `site_group`: the next group is a site's input.
    fn tree(
        &mut self,
        tree: &proc_macro2::TokenTree,
        siblings: &[proc_macro2::TokenTree],
        index: usize,
        site_group: &mut bool,
    ) -> (Option<String>, bool) {
        use proc_macro2::TokenTree;
        match tree {
            TokenTree::Ident(ident) => {
                let word = ident.to_string();
                self.mentions_self |= word == "self";
                let analysed = ANALYSED_WORDS.contains(&word.as_str());
                if SITE_WORDS.contains(&word.as_str())
                    && matches!(siblings.get(index + 1), Some(TokenTree::Punct(p)) if p.as_char() == '!')
                {
                    *site_group = true;
                }
                (Some(word), analysed)
            }
            TokenTree::Group(group) => {
                let in_site = std::mem::take(site_group);
                (None, self.group(group, in_site))
            }
            TokenTree::Punct(p) => {
                if p.as_char() != '!' {
                    *site_group = false;
                }
                (None, false)
            }
            TokenTree::Literal(_) => (None, false),
        }
    }

    fn group(&mut self, group: &proc_macro2::Group, in_site: bool) -> bool {
        use proc_macro2::TokenTree;
        let trees: Vec<TokenTree> = group.stream().into_iter().collect();
        if !in_site
            && !self.passes_function_path
            && group.delimiter() == proc_macro2::Delimiter::Parenthesis
        {
            self.passes_function_path = trees
                .split(|tree| matches!(tree, TokenTree::Punct(p) if p.as_char() == ','))
                .any(is_function_path);
        }
        let mut analysed = false;
        let mut site_group = false;
        for (index, tree) in trees.iter().enumerate() {
            match tree {
                TokenTree::Literal(literal) if in_site => {
                    let text = literal.to_string();
                    if text.contains('{') {
                        self.site_words
                            .extend(crate::syntax::format_captures(&text));
                    }
                }
                TokenTree::Group(group) => {
                    let nested_site = std::mem::take(&mut site_group);
                    analysed |= self.group(group, in_site || nested_site);
                }
                _ => {
                    let (word, is_analysed) = self.tree(tree, &trees, index, &mut site_group);
                    analysed |= is_analysed;
                    if in_site && let Some(word) = word {
                        self.site_words.push(word);
                    }
                }
            }
        }
        analysed
    }

    fn run_matters(&self, run: std::ops::Range<usize>) -> bool {
        for index in run.clone() {
            if self.analysed[index] {
                return true;
            }
            let Some(word) = &self.words[index] else {
                continue;
            };
            if ITEM_WORDS.contains(&word.as_str()) {
                return true;
            }
            if word == "let" {
                // The pattern (and type): up to `=`, `;` or `else`.
                for next in index + 1..run.end {
                    match (&self.trees[next], &self.words[next]) {
                        (proc_macro2::TokenTree::Punct(p), _)
                            if p.as_char() == '=' || p.as_char() == ';' =>
                        {
                            break;
                        }
                        (_, Some(word)) if word == "else" => break,
                        (_, Some(word)) if self.site_words.contains(word) => return true,
                        // A tuple or struct pattern: conservatively, parse it.
                        (proc_macro2::TokenTree::Group(_), _) => return true,
                        _ => {}
                    }
                }
            }
        }
        false
    }
}

#[cfg(test)]
mod tests {
    use super::site_statement;
    use quote::ToTokens;

    /// Which bodies pass a function by path (see `BodyFacts`).
    #[test]
    fn function_paths_passed_as_arguments() {
        let passes = |body: &str| {
            super::lazy_statements(body.parse().unwrap())
                .unwrap()
                .1
                .passes_function_path
        };
        assert!(passes("try_with_rng(Rng::fork).unwrap_or(0)"));
        assert!(passes("let v = xs.iter().map(Self::step).collect(); v"));
        assert!(passes("f(a, std::mem::drop)"));
        assert!(!passes("f(Rng::new())"));
        assert!(!passes("f(Ordering::SeqCst, u32::MAX)"));
        assert!(!passes("f(local)"));
        assert!(!passes("defer!(f(Rng::fork)); g()"));
    }

    /// The shortcut builds what syn's statement parser builds, or nothing.
    #[test]
    fn site_statements_match_syn() {
        for source in [
            "defer!(bump(c, x));",
            "errdefer!(|e| log(e));",
            "defer! { c.set(1); }",
            "defer![f()];",
        ] {
            let tokens: proc_macro2::TokenStream = source.parse().unwrap();
            let trees: Vec<_> = tokens.clone().into_iter().collect();
            let built = site_statement(&trees).expect(source);
            let parsed = syn::parse::Parser::parse2(syn::Block::parse_within, tokens).unwrap();
            assert_eq!(parsed.len(), 1, "{source}");
            assert!(
                matches!(
                    (&built, &parsed[0]),
                    (syn::Stmt::Macro(_), syn::Stmt::Macro(_))
                ),
                "{source}"
            );
            assert_eq!(
                built.to_token_stream().to_string(),
                parsed[0].to_token_stream().to_string(),
                "{source}"
            );
        }
        for source in [
            "defer!(f())",
            "defer!(f()) + 1;",
            "#[allow(x)] defer!(f());",
            "other!(f());",
            "defer!(f()); g();",
        ] {
            let trees: Vec<_> = source
                .parse::<proc_macro2::TokenStream>()
                .unwrap()
                .into_iter()
                .collect();
            assert!(site_statement(&trees).is_none(), "{source}");
        }
    }
}
