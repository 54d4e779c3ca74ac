// Case tree_walk_depth: a recursive walk with per-call defers: `defer w.leave(w.enter(n))`
// tracks depth and the current path (enter now, leave at exit, also while unwinding), a
// deferred check that panics with a sentinel when a subtree's named result exceeds a limit,
// and a top-level recover that turns the sentinel into an error and re-panics anything else
// with a wrapped message (a cycle), which the caller recovers.
// Held-out style twin written from the user docs only.
use fndefer::{defer, recover, with_defer};
use std::collections::{HashMap, HashSet};

struct Tree {
    size: HashMap<String, i32>,
    kids: HashMap<String, Vec<String>>,
}

struct Walker {
    tree: Tree,
    depth: usize,
    max_depth: usize,
    on_path: HashSet<String>,
}

// Go's stopWalk panic type: the docs show a recovered Panic only through its Display text,
// so the sentinel is a message prefix.
const STOP_WALK: &str = "stop walk: ";

impl Walker {
    fn enter(&mut self, name: &str) -> String {
        self.depth += 1;
        if self.depth > self.max_depth {
            self.max_depth = self.depth;
        }
        self.on_path.insert(name.to_string());
        println!("{}> {}", "  ".repeat(self.depth - 1), name);
        name.to_string()
    }

    fn leave(&mut self, name: String) {
        println!("{}< {}", "  ".repeat(self.depth - 1), name);
        self.on_path.remove(&name);
        self.depth -= 1;
    }

    #[with_defer]
    fn size(&mut self, name: &str, limit: i32) -> i32 {
        defer!(self.leave(self.enter(name)));
        defer!(|ret| if let Some(total) = ret {
            if *total > limit {
                panic!("{}{} is {} > {}", STOP_WALK, name, total, limit);
            }
        });
        let mut total = self.tree.size[name];
        for c in self.tree.kids.get(name).cloned().unwrap_or_default() {
            if self.on_path.contains(&c) {
                panic!("cycle at {}", c);
            }
            total += self.size(&c, limit);
        }
        total
    }

    #[with_defer]
    fn size_of(&mut self, root: &str, limit: i32) -> Result<i32, String> {
        defer!(|ret| if let Some(r) = recover() {
            let msg = r.to_string();
            if let Some(reason) = msg.strip_prefix(STOP_WALK) {
                *ret = Some(Err(format!("stopped: {}", reason)));
            } else {
                panic!("walk {}: {}", root, r);
            }
        });
        Ok(self.size(root, limit))
    }
}

#[with_defer]
fn try_run(f: impl FnOnce()) {
    defer!(|| {
        let r = recover().map_or("<nil>".to_string(), |p| p.to_string());
        println!("recovered: {}", r);
    });
    f();
}

fn show(r: Result<i32, String>) {
    match r {
        Ok(total) => println!("{} <nil>", total),
        Err(err) => println!("0 {}", err),
    }
}

fn report(w: &Walker) {
    println!(
        "  depth: {} max: {} on path: {}",
        w.depth,
        w.max_depth,
        w.on_path.len()
    );
}

pub fn main() {
    let s = |v: &[&str]| v.iter().map(|x| x.to_string()).collect::<Vec<_>>();
    let t = Tree {
        size: [
            ("root", 1),
            ("a", 2),
            ("a1", 3),
            ("a2", 4),
            ("b", 5),
            ("b1", 6),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v))
        .collect(),
        kids: [
            ("root", s(&["a", "b"])),
            ("a", s(&["a1", "a2"])),
            ("b", s(&["b1"])),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v))
        .collect(),
    };
    let mut w = Walker {
        tree: t,
        depth: 0,
        max_depth: 0,
        on_path: HashSet::new(),
    };
    show(w.size_of("root", 100));
    report(&w);
    show(w.size_of("root", 8));
    report(&w);
    show(w.size_of("b", 8));
    report(&w);
    w.tree.kids.insert("b1".to_string(), s(&["x", "root"]));
    w.tree.size.insert("x".to_string(), 1);
    try_run(|| {
        show(w.size_of("root", 100));
    });
    report(&w);
}
