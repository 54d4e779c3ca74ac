// Case cache_mutex: a mutex-protected memoizing cache: `mu.Lock(); defer mu.Unlock()` written
// first, a deferred audit closure that runs under the lock and reads the named result, a
// loader that panics (the lock is still released), and callers from several goroutines.
// Held-out style twin written from the user docs only.
use fndefer::{defer, defer_scope, recover, with_defer};
use std::collections::HashMap;
use std::sync::{Arc, Condvar, Mutex};

/// Go's sync.WaitGroup.
#[derive(Clone, Default)]
struct WaitGroup(Arc<(Mutex<i32>, Condvar)>);

impl WaitGroup {
    fn add(&self, n: i32) {
        *self.0.0.lock().unwrap() += n;
    }
    fn done(&self) {
        let mut n = self.0.0.lock().unwrap();
        *n -= 1;
        if *n == 0 {
            self.0.1.notify_all();
        }
    }
    fn wait(&self) {
        let mut n = self.0.0.lock().unwrap();
        while *n > 0 {
            n = self.0.1.wait(n).unwrap();
        }
    }
}

#[derive(Default)]
struct CacheData {
    data: HashMap<String, i32>,
    hits: i32,
    misses: i32,
    log: Vec<String>,
}

#[derive(Default)]
struct Cache {
    mu: Mutex<CacheData>,
}

impl Cache {
    fn new() -> Cache {
        Cache::default()
    }

    #[with_defer]
    fn get(&self, key: &str, load: fn(&str) -> i32) -> i32 {
        let mut c = self.mu.lock().unwrap();
        defer!(|| drop(c));
        defer!(|ret| {
            let v = ret.unwrap_or(0);
            c.log.push(format!("get {}={}", key, v));
        });
        if let Some(&cached) = c.data.get(key) {
            c.hits += 1;
            return cached;
        }
        c.misses += 1;
        let v = load(key);
        c.data.insert(key.to_string(), v);
        v
    }

    #[with_defer]
    fn stats(&self) -> String {
        let c = self.mu.lock().unwrap();
        defer!(|| drop(c));
        format!(
            "entries={} hits={} misses={}",
            c.data.len(),
            c.hits,
            c.misses
        )
    }

    #[with_defer]
    fn log(&self) -> Vec<String> {
        let c = self.mu.lock().unwrap();
        defer!(|| drop(c));
        let mut out = c.log.clone();
        out.sort();
        out
    }
}

#[with_defer]
fn safe_get(c: &Cache, key: &str, load: fn(&str) -> i32) -> Result<i32, String> {
    defer!(|ret| if let Some(r) = recover() {
        *ret = Some(Err(format!("load {}: {}", key, r)));
    });
    Ok(c.get(key, load))
}

fn length(key: &str) -> i32 {
    if key.starts_with("bad") {
        panic!("cannot load {}", key);
    }
    key.len() as i32
}

pub fn main() {
    let c = Arc::new(Cache::new());
    for k in ["alpha", "be", "alpha", "bad1", "be", "gamma"] {
        match safe_get(&c, k, length) {
            Ok(v) => println!("{} {} <nil>", k, v),
            Err(err) => println!("{} 0 {}", k, err),
        }
    }
    println!("{}", c.stats());

    let wg = WaitGroup::default();
    let keys = ["x", "yy", "zzz", "bad2", "x", "yy"];
    for i in 0..3 {
        wg.add(1);
        let wg = wg.clone();
        let c = c.clone();
        std::thread::spawn(defer_scope!(move || {
            defer!(wg.done());
            let worker = i;
            let mut j = worker;
            while j < keys.len() {
                if j != 3 {
                    c.get(keys[j], length);
                }
                j += 3;
            }
        }));
    }
    wg.wait();
    // The misses depend on the interleaving only through which goroutine loads first.
    println!("{}", c.stats());
    for line in c.log() {
        println!("  {}", line);
    }
}
