// Case layered_errors: error wrapping through named results across helper layers: a parser
// that turns its error into a typed SyntaxError, a reader whose deferred Close error is kept
// only when the body succeeded, a loader that adds context with %w, and a driver whose defer
// reports the named count even on an error return; errors.Is/errors.As at the top.
// Held-out style twin written from the user docs only.
use fndefer::{defer, errdefer, with_defer};
use std::collections::HashMap;
use std::fmt;

#[derive(Debug)]
enum Error {
    Msg(String),
    NotFound,
    Syntax { line: usize, msg: String },
    Wrap(String, Box<Error>),
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        match self {
            Error::Msg(m) => write!(f, "{}", m),
            Error::NotFound => write!(f, "not found"),
            Error::Syntax { line, msg } => write!(f, "line {}: {}", line, msg),
            Error::Wrap(ctx, e) => write!(f, "{}: {}", ctx, e),
        }
    }
}

impl Error {
    fn wrap(self, ctx: String) -> Error {
        Error::Wrap(ctx, Box::new(self))
    }
    // errors.Is(err, ErrNotFound)
    fn is_not_found(&self) -> bool {
        match self {
            Error::NotFound => true,
            Error::Wrap(_, e) => e.is_not_found(),
            _ => false,
        }
    }
    // errors.As(err, &se): the line of the SyntaxError in the chain
    fn syntax_line(&self) -> Option<usize> {
        match self {
            Error::Syntax { line, .. } => Some(*line),
            Error::Wrap(_, e) => e.syntax_line(),
            _ => None,
        }
    }
}

fn files(name: &str) -> Option<&'static str> {
    match name {
        "app.conf" => Some("name = demo\nport = 8080\n"),
        "bad.conf" => Some("name = x\nport\n"),
        "empty.conf" => Some("name = z\n = 1\n"),
        "close.conf" => Some("name = y\n"),
        _ => None,
    }
}

struct Reader {
    name: String,
    lines: Vec<String>,
}

fn open(name: &str) -> Result<Reader, Error> {
    let Some(text) = files(name) else {
        return Err(Error::NotFound.wrap(format!("open {}", name)));
    };
    println!("  open {}", name);
    Ok(Reader {
        name: name.to_string(),
        lines: text
            .strip_suffix('\n')
            .unwrap_or(text)
            .split('\n')
            .map(String::from)
            .collect(),
    })
}

impl Reader {
    fn close(&self) -> Result<(), Error> {
        println!("  close {}", self.name);
        if self.name == "close.conf" {
            return Err(Error::Msg("close close.conf: device busy".to_string()));
        }
        Ok(())
    }
}

#[with_defer]
fn parse_line(n: usize, line: &str) -> Result<(String, String), Error> {
    errdefer!(|e| *e = Error::Syntax {
        line: n,
        msg: e.to_string()
    });
    let Some((k, v)) = line.split_once('=') else {
        return Err(Error::Msg("missing '='".to_string()));
    };
    let key = k.trim().to_string();
    let val = v.trim().to_string();
    if key.is_empty() {
        return Err(Error::Msg("empty key".to_string()));
    }
    Ok((key, val))
}

#[with_defer]
fn read_config(name: &str) -> Result<HashMap<String, String>, Error> {
    let r = open(name)?;
    defer!(|ret| {
        let cerr = r.close();
        if let (Some(Ok(_)), Err(cerr)) = (&ret, cerr) {
            *ret = Some(Err(cerr));
        }
    });
    let mut cfg = HashMap::new();
    for (i, line) in r.lines.iter().enumerate() {
        let (k, v) = parse_line(i + 1, line)?;
        cfg.insert(k, v);
    }
    Ok(cfg)
}

#[with_defer]
fn load_config(name: &str) -> Result<HashMap<String, String>, Error> {
    defer!(|ret| if let Some(Err(e)) = ret {
        let inner = std::mem::replace(e, Error::NotFound);
        *e = inner.wrap(format!("load config {}", name));
    });
    read_config(name)
}

#[with_defer]
fn load_all(names: &[&str]) -> (i32, Option<Error>) {
    defer!(|ret| {
        let n = ret.as_ref().map_or(0, |r| r.0);
        println!("  loaded {} of {}", n, names.len());
    });
    let mut n = 0;
    for name in names {
        let cfg = match load_config(name) {
            Err(err) if err.is_not_found() => {
                println!("  skip {}", name);
                continue;
            }
            Err(err) => return (n, Some(err.wrap("loadAll".to_string()))),
            Ok(cfg) => cfg,
        };
        n += 1;
        println!("  got {} {}", name, cfg["name"]);
    }
    (n, None)
}

fn get<'a>(cfg: &'a HashMap<String, String>, k: &str) -> &'a str {
    cfg.get(k).map_or("", |s| s.as_str())
}

fn go_err(e: Option<Error>) -> String {
    e.map_or("<nil>".to_string(), |e| e.to_string())
}

pub fn main() {
    for name in [
        "app.conf",
        "bad.conf",
        "empty.conf",
        "close.conf",
        "missing.conf",
    ] {
        match load_config(name) {
            Ok(cfg) => println!(
                "{} ok: name={:?} port={:?}",
                name,
                get(&cfg, "name"),
                get(&cfg, "port")
            ),
            Err(err) => {
                if let Some(line) = err.syntax_line() {
                    println!("{} syntax error at line {} - {}", name, line, err);
                } else if err.is_not_found() {
                    println!("{} missing - {}", name, err);
                } else {
                    println!("{} failed - {}", name, err);
                }
            }
        }
    }
    let (n, err) = load_all(&["app.conf", "missing.conf", "app.conf"]);
    println!("loadAll: {} {}", n, go_err(err));
    let (n, err) = load_all(&["app.conf", "close.conf", "bad.conf"]);
    println!("loadAll: {} {}", n, go_err(err));
}
