//! A bank transfer that rolls back on failure, ported from the Go idiom
//!
//! ```go
//! func (b *Bank) Transfer(from, to string, amount int) (err error) {
//!     if err := b.withdraw(from, amount); err != nil {
//!         return err
//!     }
//!     defer func() {
//!         if p := recover(); p != nil {
//!             b.credit(from, amount) // undo the withdrawal, then keep panicking
//!             panic(p)
//!         }
//!         if err != nil {
//!             b.credit(from, amount)
//!         }
//!     }()
//!     if err := b.deposit(to, amount); err != nil {
//!         return err
//!     }
//!     ...
//! }
//! ```
//!
//! `errdefer!` (Zig's `errdefer`) says the same thing in one line: the undo
//! runs only if the function returns `Err` or panics. Each undo is queued
//! right after the step it undoes, so a failure undoes exactly the steps that
//! were done, newest first.
//!
//! Run with `cargo run --example bank_transfer`.

use std::collections::BTreeMap;
use std::fmt;

use fndefer::{defer, errdefer, recover, with_defer};

#[derive(Debug)]
enum TransferError {
    NoSuchAccount(String),
    InsufficientFunds { account: String, balance: u64 },
}

impl fmt::Display for TransferError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TransferError::NoSuchAccount(a) => write!(f, "no account {a:?}"),
            TransferError::InsufficientFunds { account, balance } => {
                write!(f, "{account} has only {balance}")
            }
        }
    }
}

struct Bank {
    accounts: BTreeMap<String, u64>,
    audit_log: Vec<String>,
    fee_table_broken: bool,
}

impl Bank {
    fn withdraw(&mut self, account: &str, amount: u64) -> Result<(), TransferError> {
        let balance = self
            .accounts
            .get_mut(account)
            .ok_or_else(|| TransferError::NoSuchAccount(account.to_string()))?;
        if *balance < amount {
            return Err(TransferError::InsufficientFunds {
                account: account.to_string(),
                balance: *balance,
            });
        }
        *balance -= amount;
        println!("    withdrew {amount} from {account}");
        Ok(())
    }

    fn deposit(&mut self, account: &str, amount: u64) -> Result<(), TransferError> {
        let balance = self
            .accounts
            .get_mut(account)
            .ok_or_else(|| TransferError::NoSuchAccount(account.to_string()))?;
        *balance += amount;
        println!("    deposited {amount} to {account}");
        Ok(())
    }

    /// Undo steps: cannot fail.
    fn undo_withdraw(&mut self, account: &str, amount: u64) {
        *self.accounts.get_mut(account).unwrap() += amount;
        println!("    errdefer: gave {amount} back to {account}");
    }

    fn undo_deposit(&mut self, account: &str, amount: u64) {
        *self.accounts.get_mut(account).unwrap() -= amount;
        println!("    errdefer: took {amount} back from {account}");
    }

    fn fee(&self, amount: u64) -> u64 {
        if self.fee_table_broken {
            panic!("fee table corrupted");
        }
        amount / 100
    }

    #[with_defer]
    fn transfer(&mut self, from: &str, to: &str, amount: u64) -> Result<u64, TransferError> {
        // Runs on every exit, after the undo steps: record the outcome.
        defer!(|ret| {
            let outcome = match ret {
                Some(Ok(_)) => "committed".to_string(),
                Some(Err(e)) => format!("rolled back: {e}"),
                None => "rolled back: panic".to_string(),
            };
            self.audit_log
                .push(format!("{from} -> {to} {amount}: {outcome}"));
        });
        // Only on an `Err` return: `e` is the error being returned.
        errdefer!(|e| println!("    errdefer: transfer failed: {e}"));

        self.withdraw(from, amount)?;
        errdefer!(self.undo_withdraw(from, amount));

        self.deposit(to, amount)?;
        errdefer!(self.undo_deposit(to, amount));

        let fee = self.fee(amount); // may panic: the errdefers run, the panic goes on
        Ok(fee)
    }
}

/// The caller's safety net: `defer func() { if p := recover(); ... }()`.
#[with_defer]
fn transfer_or_report(bank: &mut Bank, from: &str, to: &str, amount: u64) {
    defer!(|| if let Some(p) = recover() {
        println!("    recovered in the caller: {p}");
    });
    match bank.transfer(from, to, amount) {
        Ok(fee) => println!("    ok, fee {fee}"),
        Err(e) => println!("    error: {e}"),
    }
}

fn show(bank: &Bank) {
    let balances: Vec<String> = bank
        .accounts
        .iter()
        .map(|(name, balance)| format!("{name}={balance}"))
        .collect();
    println!("    balances: {}", balances.join(" "));
}

fn main() {
    std::panic::set_hook(Box::new(|info| {
        let payload = info.payload();
        let msg = payload.downcast_ref::<&str>().copied().unwrap_or("?");
        println!("    panic: {msg}");
    }));

    let mut bank = Bank {
        accounts: BTreeMap::from([("alice".to_string(), 500), ("bob".to_string(), 100)]),
        audit_log: Vec::new(),
        fee_table_broken: false,
    };
    show(&bank);

    println!("1. alice -> bob 200");
    transfer_or_report(&mut bank, "alice", "bob", 200);
    show(&bank);

    println!("2. bob -> alice 1000 (insufficient funds: nothing was done, nothing to undo)");
    transfer_or_report(&mut bank, "bob", "alice", 1000);
    show(&bank);

    println!("3. alice -> carol 50 (no such account: the withdrawal is undone)");
    transfer_or_report(&mut bank, "alice", "carol", 50);
    show(&bank);

    println!("4. bob -> alice 100 with a broken fee table (a panic: both steps undone)");
    bank.fee_table_broken = true;
    transfer_or_report(&mut bank, "bob", "alice", 100);
    show(&bank);

    println!("audit log (written by a defer!(|ret| ..) on every exit):");
    for line in &bank.audit_log {
        println!("    {line}");
    }
    let total: u64 = bank.accounts.values().sum();
    println!("total money in the bank: {total} (unchanged: 600)");
}
