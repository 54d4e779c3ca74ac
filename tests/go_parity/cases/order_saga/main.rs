// Case order_saga: a multi-step order (reserve each line in a loop, charge, ship) where each
// step queues its own undo, run only if the function fails (`defer func() { if err != nil
// { undo } }()`, fndefer's errdefer!), a later defer that recovers a panic into err (so the
// earlier undos run), and one that turns a duplicate into success (so they do not).
// Held-out style twin written from the user docs only.
use fndefer::{defer, errdefer, recover, with_defer};
use std::collections::BTreeMap;

const ERR_DUPLICATE: &str = "duplicate order";

struct Line {
    item: String,
    qty: i32,
    price: i32,
}

fn line(item: &str, qty: i32, price: i32) -> Line {
    Line {
        item: item.to_string(),
        qty,
        price,
    }
}

struct Store {
    stock: BTreeMap<String, i32>,
    balance: BTreeMap<String, i32>,
    journal: Vec<String>,
}

impl Store {
    fn logf(&mut self, s: String) {
        self.journal.push(s);
    }

    fn reserve(&mut self, item: &str, qty: i32) -> Result<(), String> {
        let have = *self.stock.get(item).unwrap_or(&0);
        if have < qty {
            return Err(format!("out of {} (have {}, want {})", item, have, qty));
        }
        *self.stock.entry(item.to_string()).or_insert(0) -= qty;
        self.logf(format!("reserve {} x{}", item, qty));
        Ok(())
    }

    fn release(&mut self, item: &str, qty: i32) {
        *self.stock.entry(item.to_string()).or_insert(0) += qty;
        self.logf(format!("release {} x{}", item, qty));
    }

    fn charge(&mut self, user: &str, amount: i32) -> Result<(), String> {
        let have = *self.balance.get(user).unwrap_or(&0);
        if have < amount {
            return Err(format!(
                "charge {}: insufficient funds ({} < {})",
                user, have, amount
            ));
        }
        *self.balance.entry(user.to_string()).or_insert(0) -= amount;
        self.logf(format!("charge {} {}", user, amount));
        Ok(())
    }

    fn refund(&mut self, user: &str, amount: i32) {
        *self.balance.entry(user.to_string()).or_insert(0) += amount;
        self.logf(format!("refund {} {}", user, amount));
    }

    fn ship(&mut self, user: &str, lines: &[Line]) -> Result<(), String> {
        if user == "mallory" {
            panic!("label printer on fire");
        }
        if user == "dup" {
            return Err(ERR_DUPLICATE.to_string());
        }
        self.logf(format!("ship {} lines to {}", lines.len(), user));
        Ok(())
    }

    #[with_defer(allow(loop))]
    fn place_order(&mut self, user: &str, lines: &[Line]) -> Result<i32, String> {
        self.logf(format!("begin {}", user));
        defer!(|ret| match ret {
            Some(Err(err)) => self.logf(format!("end {}: {}", user, err)),
            Some(Ok(total)) => self.logf(format!("end {}: total {}", user, total)),
            None => self.logf(format!("end {}: total 0", user)),
        });
        let mut total = 0;
        for l in lines {
            if let Err(err) = self.reserve(&l.item, l.qty) {
                return Err(format!("reserve: {}", err));
            }
            errdefer!(self.release(&l.item, l.qty));
            total += l.qty * l.price;
        }
        let charged = total;
        self.charge(user, charged)?;
        errdefer!(self.refund(user, charged));
        defer!(|ret| if let Some(Err(err)) = ret {
            if *err == ERR_DUPLICATE {
                self.logf(format!("duplicate for {} treated as success", user));
                *ret = Some(Ok(charged));
            }
        });
        defer!(|ret| if let Some(r) = recover() {
            *ret = Some(Err(format!("ship: {}", r)));
        });
        self.ship(user, lines)?;
        Ok(total)
    }

    fn dump(&mut self) {
        for line in &self.journal {
            println!("    {}", line);
        }
        self.journal.clear();
        for (k, v) in &self.stock {
            println!("  stock {}={}", k, v);
        }
        for (k, v) in &self.balance {
            println!("  balance {}={}", k, v);
        }
    }
}

pub fn main() {
    let mut s = Store {
        stock: [("apple", 5), ("pear", 2)]
            .into_iter()
            .map(|(k, v)| (k.to_string(), v))
            .collect(),
        balance: [("ann", 100), ("bob", 10), ("mallory", 100), ("dup", 50)]
            .into_iter()
            .map(|(k, v)| (k.to_string(), v))
            .collect(),
        journal: Vec::new(),
    };
    let orders = [
        ("ann", vec![line("apple", 2, 3), line("pear", 1, 10)]),
        ("ann", vec![line("apple", 1, 3), line("pear", 5, 10)]),
        ("bob", vec![line("apple", 1, 3), line("pear", 1, 10)]),
        ("mallory", vec![line("apple", 2, 3)]),
        ("dup", vec![line("pear", 1, 10)]),
    ];
    for (user, lines) in &orders {
        match s.place_order(user, lines) {
            Ok(total) => println!("order {} -> {} <nil>", user, total),
            Err(err) => println!("order {} -> 0 {}", user, err),
        }
        s.dump();
    }
}
