// Case build_constraint_parse: go/build/constraint's //go:build expression
// parser (src/go/build/constraint/expr.go, Go 1.19): syntax errors are
// panics of a SyntaxError; atom() defers, inside an `if` block, a closure
// that recovers, rewrites the panic value in flight and re-panics it;
// parse_expr turns the panic into its named error result, with `x` as the
// body left it. The Go interface Expr and its four pointer types are an enum.
use fndefer::{defer, recover, with_defer};
use std::fmt;

// An Expr is a build tag constraint expression.
enum Expr {
    // A TagExpr is an Expr for the single tag Tag.
    Tag(String),
    // A NotExpr represents the expression !X (the negation of X).
    Not(Box<Expr>),
    // An AndExpr represents the expression X && Y.
    And(Box<Expr>, Box<Expr>),
    // An OrExpr represents the expression X || Y.
    Or(Box<Expr>, Box<Expr>),
}

impl fmt::Display for Expr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Expr::Tag(tag) => f.write_str(tag),
            Expr::Not(x) => {
                let mut s = x.to_string();
                if let Expr::And(..) | Expr::Or(..) = **x {
                    s = format!("({s})");
                }
                write!(f, "!{s}")
            }
            Expr::And(x, y) => write!(f, "{} && {}", and_arg(x), and_arg(y)),
            Expr::Or(x, y) => write!(f, "{} || {}", or_arg(x), or_arg(y)),
        }
    }
}

fn tag(tag: &str) -> Expr {
    Expr::Tag(tag.to_string())
}

fn not(x: Expr) -> Expr {
    Expr::Not(Box::new(x))
}

fn and_arg(x: &Expr) -> String {
    let mut s = x.to_string();
    if let Expr::Or(..) = x {
        s = format!("({s})");
    }
    s
}

fn and(x: Expr, y: Expr) -> Expr {
    Expr::And(Box::new(x), Box::new(y))
}

fn or_arg(x: &Expr) -> String {
    let mut s = x.to_string();
    if let Expr::And(..) = x {
        s = format!("({s})");
    }
    s
}

fn or(x: Expr, y: Expr) -> Expr {
    Expr::Or(Box::new(x), Box::new(y))
}

// A SyntaxError reports a syntax error in a parsed build expression.
struct SyntaxError {
    offset: usize, // byte offset in input where error was detected
    err: String,   // description of error
}

impl fmt::Display for SyntaxError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.err)
    }
}

fn syntax_error(offset: usize, err: String) -> ! {
    std::panic::panic_any(SyntaxError { offset, err })
}

// An exprParser holds state for parsing a build expression.
struct ExprParser<'a> {
    s: &'a str, // input string
    i: usize,   // next read location in s

    tok: &'a str, // last token read
    is_tag: bool,
    pos: usize, // position (start) of last token
}

// parseExpr parses a boolean build tag expression.
#[with_defer(named(x, err))]
fn parse_expr(text: &str) -> (Option<Expr>, Option<SyntaxError>) {
    defer!(|| if let Some(e) = recover() {
        match e.downcast::<SyntaxError>() {
            Ok(e) => {
                err = Some(*e);
                return;
            }
            Err(e) => e.resume(), // unreachable unless parser has a bug
        }
    });

    let mut p = ExprParser { s: text, i: 0, tok: "", is_tag: false, pos: 0 };
    x = Some(p.or());
    if !p.tok.is_empty() {
        syntax_error(p.pos, format!("unexpected token {}", p.tok));
    }
    (x, None)
}

impl ExprParser<'_> {
    // or parses a sequence of || expressions.
    // On entry, the next input token has not yet been lexed.
    // On exit, the next input token has been lexed and is in p.tok.
    fn or(&mut self) -> Expr {
        let mut x = self.and();
        while self.tok == "||" {
            x = or(x, self.and());
        }
        x
    }

    // and parses a sequence of && expressions.
    // On entry, the next input token has not yet been lexed.
    // On exit, the next input token has been lexed and is in p.tok.
    fn and(&mut self) -> Expr {
        let mut x = self.not();
        while self.tok == "&&" {
            x = and(x, self.not());
        }
        x
    }

    // not parses a ! expression.
    // On entry, the next input token has not yet been lexed.
    // On exit, the next input token has been lexed and is in p.tok.
    fn not(&mut self) -> Expr {
        self.lex();
        if self.tok == "!" {
            self.lex();
            if self.tok == "!" {
                syntax_error(self.pos, "double negation not allowed".to_string());
            }
            return not(self.atom());
        }
        self.atom()
    }

    // atom parses a tag or a parenthesized expression.
    // On entry, the next input token HAS been lexed.
    // On exit, the next input token has been lexed and is in p.tok.
    #[with_defer]
    fn atom(&mut self) -> Expr {
        // first token already in p.tok
        if self.tok == "(" {
            let pos = self.pos;
            defer!(|| if let Some(mut e) = recover() {
                if let Some(e) = e.downcast_mut::<SyntaxError>()
                    && e.err == "unexpected end of expression"
                {
                    e.err = "missing close paren".to_string();
                }
                e.resume();
            });
            let x = self.or();
            if self.tok != ")" {
                syntax_error(pos, "missing close paren".to_string());
            }
            self.lex();
            return x;
        }

        if !self.is_tag {
            if self.tok.is_empty() {
                syntax_error(self.pos, "unexpected end of expression".to_string());
            }
            syntax_error(self.pos, format!("unexpected token {}", self.tok));
        }
        let tok = self.tok;
        self.lex();
        tag(tok)
    }

    // lex finds and consumes the next token in the input stream.
    // On return, p.tok is set to the token text,
    // p.isTag reports whether the token was a tag,
    // and p.pos records the byte offset of the start of the token in the input stream.
    // If lex reaches the end of the input, p.tok is set to the empty string.
    // For any other syntax error, lex panics with a SyntaxError.
    fn lex(&mut self) {
        let s = self.s.as_bytes();
        self.is_tag = false;
        while self.i < s.len() && (s[self.i] == b' ' || s[self.i] == b'\t') {
            self.i += 1;
        }
        if self.i >= s.len() {
            self.tok = "";
            self.pos = self.i;
            return;
        }
        match s[self.i] {
            b'(' | b')' | b'!' => {
                self.pos = self.i;
                self.i += 1;
                self.tok = &self.s[self.pos..self.i];
                return;
            }
            b'&' | b'|' => {
                if self.i + 1 >= s.len() || s[self.i + 1] != s[self.i] {
                    syntax_error(self.i, format!("invalid syntax at {}", char::from(s[self.i])));
                }
                self.pos = self.i;
                self.i += 2;
                self.tok = &self.s[self.pos..self.i];
                return;
            }
            _ => {}
        }

        let mut tag = &self.s[self.i..];
        for (i, c) in tag.char_indices() {
            if !c.is_alphabetic() && !c.is_numeric() && c != '_' && c != '.' {
                tag = &tag[..i];
                break;
            }
        }
        if tag.is_empty() {
            let c = self.s[self.i..].chars().next().unwrap_or(char::REPLACEMENT_CHARACTER);
            syntax_error(self.i, format!("invalid syntax at {c}"));
        }

        self.pos = self.i;
        self.i += tag.len();
        self.tok = &self.s[self.pos..self.i];
        self.is_tag = true;
    }
}

pub fn main() {
    std::panic::set_hook(Box::new(|_| {}));
    let inputs = [
        // parseExprTests
        "x", "x&&y", "x||y", "(x)", "x||y&&z", "x&&y||z", "x&&(y||z)", "(x||y)&&z", "!(x&&y)",
        // parseExprErrorTests
        "x && ", "x && (", "x && ||", "x && !", "x && !!", "x !", "x && (y",
        // more of the same paths: an error after x is set, nested parens
        "x y", "((a||b)&&!c)", "((a||b)&&!c", "a && (b || (c", "a & b", "a && é",
    ];
    for input in inputs {
        let (x, err) = parse_expr(input);
        if let Some(err) = err {
            let x = x.map_or("<nil>".to_string(), |x| x.to_string());
            println!("parseExpr({input:?}): x = {x}, error at {}: {err}", err.offset);
            continue;
        }
        println!("parseExpr({input:?}) = {}", x.map_or("<nil>".to_string(), |x| x.to_string()));
    }
}
