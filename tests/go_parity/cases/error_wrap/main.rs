// Case error_wrap: a deferred closure wraps the error in the named result
// (`defer func() { if err != nil { err = fmt.Errorf("...: %w", err) } }()`), and the
// same thing as an errdefer. Idiom (golang.org/x/... "derrors.Wrap(&err, ...)" pattern).
use fndefer::{defer, errdefer, with_defer};

#[with_defer]
fn parse_port(s: &str) -> Result<i32, String> {
    defer!(|ret| {
        if let Some(Err(err)) = ret {
            *err = format!("parsePort {:?}: {}", s, err);
        }
    });
    if s.is_empty() {
        return Err("empty".to_string());
    }
    let n: i32 = s.parse().map_err(|_| "not a number".to_string())?;
    if n < 1 || n > 65535 {
        return Err(format!("{} out of range", n));
    }
    Ok(n)
}

#[with_defer]
fn load_config(name: &str, port: &str) -> Result<String, String> {
    errdefer!(|err| {
        *err = format!("loadConfig {}: {}", name, err);
    });
    let p = parse_port(port)?;
    Ok(format!("{}:{}", name, p))
}

pub fn main() {
    for port in ["8080", "", "http", "70000"] {
        match load_config("db", port) {
            Err(err) => println!("error: {}", err),
            Ok(cfg) => println!("config: {}", cfg),
        }
    }
}
