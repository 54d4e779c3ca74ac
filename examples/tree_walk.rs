//! A recursive tree walk that restores its state on every exit, ported from
//! the Go idiom
//!
//! ```go
//! func (w *walker) walk(n *Node) error {
//!     w.depth++
//!     defer func() { w.depth-- }()
//!     w.path = append(w.path, n.Name)
//!     defer func() { w.path = w.path[:len(w.path)-1] }()
//!     ...
//!     for _, c := range n.Children {
//!         if err := w.walk(c); err != nil {
//!             return err
//!         }
//!     }
//!     return nil
//! }
//! ```
//!
//! The deferred blocks change `self` while the body has been using `&mut self`
//! all along: the deferred code runs after the body, as plain code in the
//! method, so there is no borrow conflict and no guard object holding `self`.
//! Every exit — finishing, stopping early with a result, an error through `?`,
//! a panic — leaves `depth` and `path` as they were.
//!
//! Run with `cargo run --example tree_walk`.

use std::panic::{AssertUnwindSafe, catch_unwind};

use fndefer::{defer, with_defer};

struct Node {
    name: &'static str,
    children: Vec<Node>,
}

fn node(name: &'static str, children: Vec<Node>) -> Node {
    Node { name, children }
}

fn leaf(name: &'static str) -> Node {
    node(name, vec![])
}

#[derive(Default)]
struct Walker {
    depth: usize,
    path: Vec<&'static str>,
    max_depth: usize,
    find: Option<&'static str>,
    panic_on: Option<&'static str>,
    visited: usize,
}

impl Walker {
    /// `Ok(Some(path))` when `find` is found, `Ok(None)` after a full walk,
    /// `Err` when the tree is deeper than `max_depth`.
    #[with_defer]
    fn walk(&mut self, n: &Node) -> Result<Option<String>, String> {
        self.depth += 1;
        defer! { self.depth -= 1; }
        self.path.push(n.name);
        defer! { self.path.pop(); }

        if self.depth > self.max_depth {
            return Err(format!(
                "deeper than {} at {}",
                self.max_depth,
                self.path.join("/")
            ));
        }
        if self.panic_on == Some(n.name) {
            panic!("visitor bug at {}", self.path.join("/"));
        }
        self.visited += 1;
        println!("  {}{}", "  ".repeat(self.depth - 1), n.name);
        if self.find == Some(n.name) {
            return Ok(Some(self.path.join("/")));
        }
        for c in &n.children {
            if let Some(found) = self.walk(c)? {
                return Ok(Some(found));
            }
        }
        Ok(None)
    }
}

fn report(w: &Walker) {
    println!(
        "  after the walk: depth = {}, path = {:?}, visited {} nodes",
        w.depth, w.path, w.visited
    );
    assert_eq!((w.depth, w.path.len()), (0, 0));
}

fn main() {
    std::panic::set_hook(Box::new(|info| {
        let payload = info.payload();
        let msg = payload
            .downcast_ref::<String>()
            .map(String::as_str)
            .unwrap_or("?");
        println!("  panic: {msg}");
    }));

    let tree = node(
        "project",
        vec![
            node(
                "src",
                vec![
                    leaf("main.rs"),
                    node("util", vec![leaf("mod.rs"), leaf("fmt.rs")]),
                ],
            ),
            node("docs", vec![leaf("guide.md")]),
            node("vendor", vec![node("a", vec![node("b", vec![leaf("c")])])]),
        ],
    );

    println!("1. a full walk (max depth 5)");
    let mut w = Walker {
        max_depth: 5,
        ..Walker::default()
    };
    println!("  -> {:?}", w.walk(&tree));
    report(&w);

    println!("2. stop early when fmt.rs is found (return from deep inside the recursion)");
    let mut w = Walker {
        max_depth: 5,
        find: Some("fmt.rs"),
        ..Walker::default()
    };
    println!("  -> {:?}", w.walk(&tree));
    report(&w);

    println!("3. max depth 3: an error propagated by `?` through every level");
    let mut w = Walker {
        max_depth: 3,
        ..Walker::default()
    };
    println!("  -> {:?}", w.walk(&tree));
    report(&w);

    println!("4. a panic four levels down, caught by the caller");
    let mut w = Walker {
        max_depth: 5,
        panic_on: Some("mod.rs"),
        ..Walker::default()
    };
    let result = catch_unwind(AssertUnwindSafe(|| w.walk(&tree)));
    println!("  -> panicked: {}", result.is_err());
    report(&w);
}
