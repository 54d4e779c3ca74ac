//! The macro never panics: every function of a corpus of valid inputs (every
//! `defer!` form, every frame shape, every lint) is expanded with random
//! mutations — tokens dropped, duplicated, swapped with a neighbour, groups
//! emptied or re-delimited, tokens from a small palette inserted; half of them
//! only inside macro input such as `defer!(..)` — and each
//! expansion must return tokens (an expansion or a `compile_error!`), never
//! panic. Deterministic: a xorshift generator with fixed seeds.
//!
//! The unmutated corpus must expand without any error and to tokens that
//! parse as Rust, so the mutations start from inputs that reach every stage.

use std::panic::{AssertUnwindSafe, catch_unwind};

use proc_macro2::{Delimiter, Group, TokenStream, TokenTree};

use crate::expand;
use crate::imports::Names;

/// `#[with_defer(ARGS)]` on `ITEM`.
const FUNCTIONS: &[(&str, &str)] = &[
    ("", "fn call(x: i32) { defer!(log(x, 1)); log(x, 2); }"),
    (
        "",
        "fn path_call() -> Option<u32> { fndefer::defer!(crate::log::close()); errdefer!(a::b(1)); Some(3) }",
    ),
    (
        "",
        "fn method(path: &str) -> std::io::Result<()> { let mut f = File::open(path)?; \
         defer!(f.close()); f.write(b\"x\")?; Ok(()) }",
    ),
    (
        "",
        "fn by_ref() { let mut stats = Stats::default(); let n = 1; \
         defer!(report(&stats, &mut n.count, &CONFIG.x)); stats.hits += 1; }",
    ),
    (
        "",
        "fn format_macros(out: &mut String) { let x = 1; defer!(println!(\"{} {x}\", x)); \
         defer!(eprint!(\"plain\")); defer!(write!(out, \"{x:>w$}\", w = 3)); \
         defer!(format!(\"{}\", x)); defer!(panic!(\"{x}\")); defer!(writeln!(out)); }",
    ),
    (
        "",
        "fn blocks() { let mut n = 0; defer! { log(n); log(\"two\"); } defer!({ log(n) }); \
         defer!(unsafe { raw() }); defer!(assert!(n == 0)); *n += 1; }",
    ),
    (
        "",
        "fn closures(v: Vec<u8>) { let s = String::new(); defer!(|| log(&s)); \
         defer!(move || drop(v)); defer!(|| { if s.is_empty() { return; } log(1); }); }",
    ),
    (
        "",
        "fn named_result() -> Result<u32, Error> { defer!(|ret| if let Some(Ok(v)) = ret { *v += 1 }); \
         defer!(move |ret: &mut Option<Result<u32, Error>>| { let _ = ret; }); Ok(1) }",
    ),
    (
        "",
        "fn errdefers(id: u32) -> Option<u32> { errdefer!(rollback(id)); \
         errdefer!(|e| { let _ = e; }); errdefer! { log(\"failed\"); } \
         errdefer!(move |e| drop(e)); Some(id) }",
    ),
    (
        "",
        "fn recovers() -> i32 { defer!(|ret| if let Some(p) = recover() { *ret = Some(0); \
         log(p); }); defer!(|| println!(\"{:?}\", fndefer::recover())); \
         defer!(|| { let f = || recover(); f(); }); 1 / 0 }",
    ),
    (
        "allow(loop)",
        "fn loops(items: &[u32]) { for i in items { defer!(close(*i)); } \
         let mut n = 0; while n < 3 { n += 1; defer!(log(n)); } \
         'outer: loop { defer!(log(1)); break 'outer; } }",
    ),
    ("", "fn endless() { loop { defer!(close()); serve(); } }"),
    (
        "",
        "fn many() { defer!(f(1)); defer!(f(2)); defer!(f(3)); defer!(f(4)); defer!(f(5)); \
         defer!(f(6)); defer!(f(7)); defer!(f(8)); defer!(f(9)); defer!(f(10)); }",
    ),
    (
        "",
        "fn adoption() { let mut file = File::new(); let name = String::new(); \
         defer!(file.close()); defer!(|| log(&name, &file)); \
         defer! { log(name.len()); } file.write(); }",
    ),
    (
        "",
        "fn nested(flag: bool, v: Option<u8>) -> u8 { if flag { defer!(log(1)); } else { \
         defer!(log(2)); } match v { Some(x) if x > 1 => { defer!(log(x)); x } \
         Some(x) => x, None => { let Some(y) = v else { return 0 }; y } } }",
    ),
    (
        "",
        "fn lints(lock: &Lock) { let start = Instant::now(); defer!(lock.acquire().release()); \
         defer!(record(start.elapsed(), Instant::now())); defer!(report(recover())); \
         defer!(make(\"x\")(1)); if bad() { std::process::exit(1); } }",
    ),
    (
        "allow(call_chain, immediate_recover, exit, eager_time, infinite_loop, loop)",
        "fn allowed() { defer!(a().b()); defer!(f(recover())); process::exit(0); }",
    ),
    (
        "",
        "fn generic<'a, T: Clone + 'a, const N: usize>(x: &'a [T; N]) -> Vec<T> where T: Debug \
         { defer!(println!(\"{:?}\", x)); x.to_vec() }",
    ),
    (
        "",
        "pub(crate) unsafe extern \"C\" fn ffi(p: *mut u8) -> i32 { defer!(free(p)); \
         unsafe { *p = 1 }; 0 }",
    ),
    (
        "",
        "fn receiver(&mut self) -> u32 { self.depth += 1; defer!(|| self.depth -= 1); \
         defer!(self.log.flush()); self.depth }",
    ),
    (
        "",
        "fn boxed(self: Box<Self>) -> impl Iterator<Item = u8> { defer!(|ret| { let _ = ret; }); \
         std::iter::empty() }",
    ),
    (
        "",
        "fn items_in_body() -> u32 { fn helper() -> u32 { 1 } const K: u32 = 2; \
         struct Local; defer!(log(helper() + K)); let _ = Local; K }",
    ),
    (
        "",
        "fn body_closures() { let c = || log(1); let a = async { 1 }; defer!(c()); \
         drop(a); let v = vec![1, 2]; defer!(move || drop(v)); }",
    ),
    (
        "",
        "fn early(x: i32) -> Result<(), E> { defer!(log(x)); if x < 0 { return Err(E); } \
         check(x)?; bail!(\"no\"); Ok(()) }",
    ),
    (
        "",
        "fn shadowing() { let x = 1; defer!(log(x)); let x = String::new(); \
         defer!(|| log(&x)); { let x = 3; defer!(|| log(x)); } }",
    ),
    (
        "",
        "#[inline] #[must_use] fn attributed(a: (u8, u8), [b, c]: [u8; 2]) -> u8 \
         { let (d, e) = a; defer!(log(d, b)); e + c }",
    ),
    (
        "",
        "fn deferred_calls_of_calls() { defer!(trace(\"x\")()); let f = make(); defer!(f(1)); \
         defer!((get_fn())(2)); defer!(obj.field.method(&obj.other)); }",
    ),
    ("", "fn no_defer(x: u32) -> u32 { let y = x + 1; y * 2 }"),
    (
        "",
        "fn raw_idents(r#type: u8) -> u8 { let mut r#match = 1; \
         defer!(|| log(r#type, r#match)); *r#match += 1; r#type }",
    ),
    (
        "",
        "fn diverging() -> i32 { defer! { log(1); panic!(\"in deferred\"); } \
         defer!(|| std::panic::panic_any(9)); 5 }",
    ),
    (
        "",
        "fn labeled(n: u32) { 'a: for i in 0..n { 'b: while i > 0 { defer!(log(i)); \
         continue 'a; } loop { if n == 0 { break; } defer!(log(n)); } } }",
    ),
];

/// `defer_scope!(INPUT)`.
const SCOPES: &[&str] = &[
    "move || { defer!(wg.done()); work() }",
    "|x: u32| -> u32 { defer!(log(x)); errdefer!(log(0)); x }",
    "allow(loop); || { for i in 0..3 { defer!(log(i)); } }",
    "|| defer!(log(1))",
    "move |a, (b, c)| { defer!(|| if let Some(p) = recover() { log(p) }); a + b + c }",
];

/// Tokens a mutation may insert: the ones that reach the macro's error paths.
const PALETTE: &[&str] = &[
    "?",
    ";",
    ",",
    "move",
    "|",
    "||",
    "|ret|",
    "|a, b|",
    "async",
    ".await",
    "return",
    "return 1",
    "break",
    "loop",
    "const",
    "defer!(f())",
    "errdefer!(|e| e)",
    "defer! {}",
    "recover()",
    "fndefer::recover()",
    "std::process::exit(1)",
    "x.elapsed()",
    "&mut",
    "*",
    "-> !",
    "-> u8",
    "{}",
    "()",
    "[]",
    "'a:",
    "self",
    "_",
    "#[cfg(any())]",
    "\"{x}\"",
    "allow(loop)",
    "println!(\"{}\", x)",
    "write!(out)",
];

/// xorshift64*: tiny, deterministic, good enough to pick mutations.
struct Rng(u64);

impl Rng {
    fn new(seed: u64) -> Self {
        Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1)
    }

    fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

#[derive(Clone, Copy, Debug)]
enum Mutation {
    Drop,
    Duplicate,
    SwapWithNext,
    EmptyGroup,
    Redelimit,
    Insert,
}

const MUTATIONS: [Mutation; 6] = [
    Mutation::Drop,
    Mutation::Duplicate,
    Mutation::SwapWithNext,
    Mutation::EmptyGroup,
    Mutation::Redelimit,
    Mutation::Insert,
];

/// Which token trees a mutation may hit: any, or only those inside a macro
/// invocation's group (`defer!(..)`, `println!(..)`), which the function's
/// parser does not look into, so the mutant still reaches the site parser.
#[derive(Clone, Copy)]
enum Targets {
    Anywhere,
    InMacros,
}

/// Number of eligible token trees at every nesting level.
fn count(tokens: &TokenStream, targets: Targets, inside: bool) -> usize {
    let mut total = 0;
    let mut after_bang = false;
    for tree in tokens.clone() {
        let eligible = matches!(targets, Targets::Anywhere) || inside;
        total += usize::from(eligible);
        if let TokenTree::Group(group) = &tree {
            total += count(&group.stream(), targets, inside || after_bang);
        }
        after_bang = matches!(&tree, TokenTree::Punct(punct) if punct.as_char() == '!');
    }
    total
}

/// Applies `mutation` to the `target`-th eligible token tree (depth first,
/// pre-order). `target` becomes `usize::MAX` once applied.
fn mutate(
    tokens: TokenStream,
    target: &mut usize,
    (targets, inside): (Targets, bool),
    mutation: Mutation,
    rng: &mut Rng,
) -> TokenStream {
    let mut trees: Vec<TokenTree> = tokens.into_iter().collect();
    let mut index = 0;
    let mut after_bang = false;
    while index < trees.len() {
        let eligible = matches!(targets, Targets::Anywhere) || inside;
        if eligible {
            if *target == 0 {
                *target = usize::MAX;
                apply(&mut trees, index, mutation, rng);
                return trees.into_iter().collect();
            }
            *target -= 1;
        }
        if let TokenTree::Group(group) = &trees[index] {
            let context = (targets, inside || after_bang);
            let inner = mutate(group.stream(), target, context, mutation, rng);
            let mut rebuilt = Group::new(group.delimiter(), inner);
            rebuilt.set_span(group.span());
            trees[index] = TokenTree::Group(rebuilt);
            if *target == usize::MAX {
                return trees.into_iter().collect();
            }
        }
        after_bang = matches!(&trees[index], TokenTree::Punct(punct) if punct.as_char() == '!');
        index += 1;
    }
    trees.into_iter().collect()
}

fn apply(trees: &mut Vec<TokenTree>, index: usize, mutation: Mutation, rng: &mut Rng) {
    match mutation {
        Mutation::Drop => {
            trees.remove(index);
        }
        Mutation::Duplicate => {
            let copy = trees[index].clone();
            trees.insert(index, copy);
        }
        Mutation::SwapWithNext => {
            if index + 1 < trees.len() {
                trees.swap(index, index + 1);
            } else if index > 0 {
                trees.swap(index, index - 1);
            }
        }
        Mutation::EmptyGroup => {
            if let TokenTree::Group(group) = &trees[index] {
                let mut empty = Group::new(group.delimiter(), TokenStream::new());
                empty.set_span(group.span());
                trees[index] = TokenTree::Group(empty);
            } else {
                trees.remove(index);
            }
        }
        Mutation::Redelimit => {
            let delimiters = [
                Delimiter::Parenthesis,
                Delimiter::Brace,
                Delimiter::Bracket,
                Delimiter::None,
            ];
            if let TokenTree::Group(group) = &trees[index] {
                let delimiter = delimiters[rng.below(delimiters.len())];
                let mut changed = Group::new(delimiter, group.stream());
                changed.set_span(group.span());
                trees[index] = TokenTree::Group(changed);
            } else {
                let copy = trees[index].clone();
                let wrapped = Group::new(Delimiter::Parenthesis, copy.into());
                trees[index] = TokenTree::Group(wrapped);
            }
        }
        Mutation::Insert => {
            let snippet: TokenStream = PALETTE[rng.below(PALETTE.len())]
                .parse()
                .expect("palette entries are valid tokens");
            for (offset, tree) in snippet.into_iter().enumerate() {
                trees.insert(index + offset, tree);
            }
        }
    }
}

/// One to three random mutations of `tokens`; half of the mutants are
/// mutated only inside macro input.
fn mutated(tokens: &TokenStream, rng: &mut Rng) -> TokenStream {
    let targets = if rng.below(2) == 0 {
        Targets::Anywhere
    } else {
        Targets::InMacros
    };
    let mut tokens = tokens.clone();
    let rounds = 1 + rng.below(3);
    for _ in 0..rounds {
        let mut total = count(&tokens, targets, false);
        let mut targets = targets;
        if total == 0 {
            targets = Targets::Anywhere;
            total = count(&tokens, targets, false);
        }
        if total == 0 {
            break;
        }
        let mutation = MUTATIONS[rng.below(MUTATIONS.len())];
        let mut target = rng.below(total);
        tokens = mutate(tokens, &mut target, (targets, false), mutation, rng);
    }
    tokens
}

fn parse(source: &str) -> TokenStream {
    source
        .parse()
        .unwrap_or_else(|error| panic!("corpus entry does not lex: {error}: {source}"))
}

/// Runs `expand` and reports a panic with the input that caused it.
fn never_panics(
    what: &str,
    input: &str,
    expand: impl FnOnce() -> TokenStream,
) -> Result<TokenStream, String> {
    match catch_unwind(AssertUnwindSafe(expand)) {
        Ok(output) => Ok(output),
        Err(payload) => {
            let message = payload
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| payload.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "non-string panic".to_owned());
            Err(format!("{what} panicked: {message}\n  input: {input}"))
        }
    }
}

fn has_compile_error(tokens: &TokenStream) -> bool {
    tokens.clone().into_iter().any(|tree| match tree {
        TokenTree::Ident(ident) => ident == "compile_error",
        TokenTree::Group(group) => has_compile_error(&group.stream()),
        _ => false,
    })
}

#[test]
fn corpus_expands_cleanly() {
    for (args, item) in FUNCTIONS {
        let output = expand::with_defer(parse(args), parse(item), Names::FNDEFER);
        assert!(
            !has_compile_error(&output),
            "valid corpus entry expands to an error:\n  #[with_defer({args})] {item}\n  {output}"
        );
        if let Err(error) = syn::parse2::<syn::File>(output.clone()) {
            panic!("expansion does not parse ({error}):\n  {item}\n  {output}");
        }
    }
    for input in SCOPES {
        let output = expand::defer_scope(parse(input), Names::FNDEFER);
        assert!(
            !has_compile_error(&output),
            "valid defer_scope! input expands to an error:\n  {input}\n  {output}"
        );
        if let Err(error) = syn::parse2::<syn::Expr>(output.clone()) {
            panic!("defer_scope! expansion does not parse ({error}):\n  {input}\n  {output}");
        }
    }
}

/// Mutations per corpus entry and seed.
const MUTANTS: usize = 300;
const SEEDS: [u64; 3] = [0x5EED, 0xDEFE_2024, 0x60_1A_46];

#[test]
fn mutated_inputs_never_panic() {
    // A panic also prints through the default hook; the inputs are listed below.
    let mut failures = Vec::new();
    let mut runs = 0usize;
    let mut errors = 0usize;
    for seed in SEEDS {
        let mut rng = Rng::new(seed);
        for (args, item) in FUNCTIONS {
            let (args, item) = (parse(args), parse(item));
            for _ in 0..MUTANTS {
                // Mostly the function; sometimes the attribute's arguments too.
                let item = mutated(&item, &mut rng);
                let args = if rng.below(8) == 0 {
                    mutated(&args, &mut rng)
                } else {
                    args.clone()
                };
                let shown = format!("#[with_defer({args})] {item}");
                runs += 1;
                match never_panics("with_defer", &shown, || {
                    expand::with_defer(args, item, Names::FNDEFER)
                }) {
                    Ok(output) => errors += usize::from(has_compile_error(&output)),
                    Err(failure) => failures.push(failure),
                }
            }
        }
        for input in SCOPES {
            let input = parse(input);
            for _ in 0..MUTANTS {
                let input = mutated(&input, &mut rng);
                let shown = input.to_string();
                runs += 1;
                match never_panics("defer_scope", &shown, || {
                    expand::defer_scope(input, Names::FNDEFER)
                }) {
                    Ok(output) => errors += usize::from(has_compile_error(&output)),
                    Err(failure) => failures.push(failure),
                }
            }
        }
    }
    // Shown with `--nocapture`: how many mutants reached an error path.
    println!("{runs} mutated expansions, {errors} of them with a compile_error!");
    assert!(
        failures.is_empty(),
        "{} of {runs} mutated expansions panicked:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// A mutant that is still a syntactically valid function must expand to
/// tokens that parse (items and `compile_error!`s): anything else makes rustc
/// report a parse error at `#[with_defer]` instead of the macro's message.
#[test]
fn parseable_mutants_expand_to_parseable_code() {
    let mut failures = Vec::new();
    let mut checked = 0usize;
    let mut rng = Rng::new(0xC0DE);
    for (args, item) in FUNCTIONS {
        let (args, item) = (parse(args), parse(item));
        for _ in 0..MUTANTS {
            let item = mutated(&item, &mut rng);
            if syn::parse2::<syn::ItemFn>(item.clone()).is_err() {
                continue;
            }
            checked += 1;
            let shown = item.to_string();
            let Ok(output) = catch_unwind(AssertUnwindSafe(|| {
                expand::with_defer(args.clone(), item, Names::FNDEFER)
            })) else {
                continue; // reported by `mutated_inputs_never_panic`
            };
            if let Err(error) = syn::parse2::<syn::File>(output.clone()) {
                failures.push(format!("{error}\n  input:  {shown}\n  output: {output}"));
            }
        }
    }
    println!("{checked} mutants still parse as a function; every expansion parses");
    assert!(
        failures.is_empty(),
        "{} of {checked} parseable mutants expanded to unparseable code:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
