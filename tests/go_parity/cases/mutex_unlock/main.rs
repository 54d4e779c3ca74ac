// Case mutex_unlock: `mu.Lock(); defer mu.Unlock()` in methods with several exits,
// including a recovered panic while the lock is held. The mutex records lock/unlock so
// the output shows that every path unlocks. Idiom (sync.Mutex, Effective Go).
use fndefer::{defer, recover, with_defer};

struct Mutex {
    locked: bool,
    events: i32,
}

impl Mutex {
    fn lock(&mut self) {
        if self.locked {
            panic!("deadlock: already locked");
        }
        self.locked = true;
        self.events += 1;
    }

    fn unlock(&mut self) {
        if !self.locked {
            panic!("unlock of unlocked mutex");
        }
        self.locked = false;
        self.events += 1;
    }
}

struct Account {
    mu: Mutex,
    balance: i32,
}

impl Account {
    #[with_defer]
    fn withdraw(&mut self, n: i32) -> Result<(), String> {
        self.mu.lock();
        defer!(self.mu.unlock());
        if n <= 0 {
            return Err("invalid amount".to_string());
        }
        if n > self.balance {
            return Err(format!(
                "insufficient funds: have {}, want {}",
                self.balance, n
            ));
        }
        self.balance -= n;
        Ok(())
    }

    #[with_defer]
    fn must_deposit(&mut self, n: i32) {
        self.mu.lock();
        defer!(self.mu.unlock());
        if n > 1000 {
            panic!("deposit {} too large", n);
        }
        self.balance += n;
    }
}

#[with_defer]
fn safe_deposit(a: &mut Account, n: i32) {
    defer!(|| {
        if let Some(r) = recover() {
            println!("recovered: {} - locked: {}", r, a.mu.locked);
        }
    });
    a.must_deposit(n);
}

fn go_err(r: Result<(), String>) -> String {
    match r {
        Ok(()) => "<nil>".to_string(),
        Err(e) => e,
    }
}

pub fn main() {
    let mut a = Account {
        mu: Mutex {
            locked: false,
            events: 0,
        },
        balance: 0,
    };
    safe_deposit(&mut a, 100);
    safe_deposit(&mut a, 5000);
    for n in [30, 0, 500, 70] {
        let err = a.withdraw(n);
        println!(
            "withdraw {} err: {} balance: {} locked: {}",
            n,
            go_err(err),
            a.balance,
            a.mu.locked
        );
    }
    println!("lock events: {}", a.mu.events);
}
