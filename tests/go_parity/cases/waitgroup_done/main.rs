// Case waitgroup_done: `defer wg.Done()` on a counter passed by pointer, whichever way the
// worker exits (normal return, early return, recovered panic). The workers run one after
// another so the output is deterministic; the real goroutine form is goroutine_closure.
// Idiom (sync.WaitGroup docs).
use fndefer::{defer, recover, with_defer};

struct WaitGroup {
    pending: i32,
    done: Vec<i32>,
}

impl WaitGroup {
    fn add(&mut self, n: i32) {
        self.pending += n
    }

    fn done(&mut self) {
        self.pending -= 1
    }
}

#[with_defer]
fn worker(id: i32, wg: &mut WaitGroup) {
    defer!(wg.done());
    defer!(|| wg.done.push(id));
    if id % 3 == 0 {
        println!("worker {} skips", id);
        return;
    }
    println!("worker {} works", id);
}

#[with_defer]
fn risky_worker(id: i32, wg: &mut WaitGroup) {
    defer!(|| {
        if let Some(r) = recover() {
            println!("worker {} recovered: {}", id, r);
        }
    });
    defer!(wg.done());
    panic!("worker {} failed", id);
}

fn go_slice(v: &[i32]) -> String {
    let items: Vec<String> = v.iter().map(|x| x.to_string()).collect();
    format!("[{}]", items.join(" "))
}

pub fn main() {
    let mut wg = WaitGroup {
        pending: 0,
        done: Vec::new(),
    };
    for i in 1..=5 {
        wg.add(1);
        worker(i, &mut wg);
    }
    wg.add(1);
    risky_worker(6, &mut wg);
    println!("pending: {} done order: {}", wg.pending, go_slice(&wg.done));
}
