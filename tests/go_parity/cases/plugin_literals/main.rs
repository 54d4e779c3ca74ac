// Case plugin_literals: nested function literals with their own defers: each plugin is
// initialised inside an immediately called `func() (score int) { defer ..; defer func() {
// recover ..}() }()` that skips optional failures through its named result and re-panics
// fatal ones with a wrapped message; the outer recover keeps the partial named result and sets
// err; a deferred literal that defers its own literal.
// Held-out style twin written from the user docs only.
use fndefer::{defer, defer_scope, recover, with_defer};

struct Plugin {
    name: &'static str,
    init: Box<dyn Fn() -> i32>,
}

#[with_defer]
fn load_all(plugins: &[Plugin]) -> (Vec<String>, Option<String>) {
    // Go's named result `loaded` survives the panic; `ret` is None after one, so the
    // recovering closure rebuilds the result from the (adopted) local.
    let mut loaded = Vec::new();
    defer!(|ret| if let Some(r) = recover() {
        *ret = Some((loaded.clone(), Some(format!("loadAll: {}", r))));
    });
    let mut total = 0;
    for p in plugins {
        let n = (defer_scope!(|| -> i32 {
            println!("  init {}", p.name);
            defer!(println!("  done {}", p.name));
            defer!(|ret| {
                let Some(r) = recover() else {
                    return;
                };
                let msg = r.to_string();
                if msg.starts_with("optional:") {
                    println!("  skip {} - {}", p.name, msg);
                    *ret = Some(-1);
                    return;
                }
                panic!("plugin {}: {}", p.name, r);
            });
            (p.init)()
        }))();
        if n < 0 {
            continue;
        }
        total += n;
        loaded.push(format!("{}({})", p.name, n));
    }
    // Go's `defer func() { defer func() { .. }(); .. }()`: the deferred closure calls a
    // defer_scope! literal so that it can have defers of its own.
    defer!(|| (defer_scope!(|| {
        defer!(|| println!("  inner deferred literal, total {}", total));
        println!("  outer deferred literal, total {}", total);
        total = 0;
    }))());
    println!("  all plugins loaded, total {}", total);
    (loaded.clone(), None)
}

fn ok(n: i32) -> Box<dyn Fn() -> i32> {
    Box::new(move || n)
}

fn fail(msg: &'static str) -> Box<dyn Fn() -> i32> {
    Box::new(move || panic!("{}", msg))
}

fn plugin(name: &'static str, init: Box<dyn Fn() -> i32>) -> Plugin {
    Plugin { name, init }
}

pub fn main() {
    let sets = vec![
        vec![
            plugin("auth", ok(3)),
            plugin("cache", fail("optional: no redis")),
            plugin("metrics", ok(4)),
        ],
        vec![
            plugin("auth", ok(3)),
            plugin("db", fail("connection refused")),
            plugin("never", ok(9)),
        ],
    ];
    for (i, set) in sets.iter().enumerate() {
        println!("set {}", i);
        let (loaded, err) = load_all(set);
        println!(
            "loaded: [{}] err: {}",
            loaded.join(" "),
            err.unwrap_or_else(|| "<nil>".to_string())
        );
    }
}
