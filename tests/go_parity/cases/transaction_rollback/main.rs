// Case transaction_rollback: roll a transaction back when the function fails (errdefer):
// `defer func() { if err != nil { tx.Rollback() } }()`, and on a panic, which the caller
// recovers. Idiom (database/sql transactions).
// errdefer! runs on an Err return and on a panic, so one errdefer covers both Go defers.
use fndefer::{defer, errdefer, recover, with_defer};

struct Tx {
    id: i32,
    ops: Vec<String>,
    status: String,
}

fn begin(id: i32) -> Tx {
    println!("begin {}", id);
    Tx {
        id,
        ops: Vec::new(),
        status: "open".to_string(),
    }
}

impl Tx {
    fn exec(&mut self, op: &str) -> Result<(), String> {
        if op == "bad" {
            return Err(format!("syntax error in {}", op));
        }
        if op == "crash" {
            panic!("driver crashed");
        }
        self.ops.push(op.to_string());
        Ok(())
    }

    fn rollback(&mut self) {
        self.status = "rolled back".to_string();
        println!("rollback {} after {} ops", self.id, self.ops.len());
    }

    fn commit(&mut self) -> Result<(), String> {
        self.status = "committed".to_string();
        println!("commit {} with {} ops", self.id, self.ops.len());
        Ok(())
    }
}

#[with_defer]
fn transfer(id: i32, ops: &[&str]) -> Result<(), String> {
    let mut tx = begin(id);
    errdefer!(tx.rollback());
    for op in ops {
        tx.exec(op)?;
    }
    tx.commit()
}

#[with_defer]
fn run(id: i32, ops: &[&str]) {
    defer!(|| {
        if let Some(r) = recover() {
            println!("transfer {} panicked: {}", id, r);
        }
    });
    let err = transfer(id, ops);
    println!(
        "transfer {} err: {}",
        id,
        err.err().unwrap_or_else(|| "<nil>".to_string())
    );
}

pub fn main() {
    run(1, &["debit", "credit"]);
    run(2, &["debit", "bad", "credit"]);
    run(3, &["debit", "crash"]);
}
