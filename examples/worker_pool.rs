//! A worker pool that survives panicking jobs, ported from the Go pattern
//!
//! ```go
//! func worker(jobs <-chan Job, results chan<- Result, wg *sync.WaitGroup) {
//!     defer wg.Done()
//!     for j := range jobs {
//!         results <- runJob(j)
//!     }
//! }
//!
//! func runJob(j Job) (res Result) {
//!     defer func() {
//!         if p := recover(); p != nil {
//!             res = Result{ID: j.ID, Err: fmt.Errorf("job %d panicked: %v", j.ID, p)}
//!         }
//!     }()
//!     return Result{ID: j.ID, Out: j.Run()}
//! }
//! ```
//!
//! Each job runs in its own `#[with_defer]` function, so a panic in one job
//! is recovered there and the worker thread goes on to the next job. The
//! workers are plain `std::thread`s; `defer!(wg.done())` marks each one
//! finished however it ends.
//!
//! Run with `cargo run --example worker_pool`.

use std::sync::mpsc;
use std::sync::{Arc, Condvar, Mutex};
use std::thread;

use fndefer::{defer, recover, with_defer};

/// Go's `sync.WaitGroup`, just enough of it.
#[derive(Clone, Default)]
struct WaitGroup(Arc<(Mutex<usize>, Condvar)>);

impl WaitGroup {
    fn add(&self, n: usize) {
        *self.0.0.lock().unwrap() += n;
    }
    fn done(&self) {
        let mut left = self.0.0.lock().unwrap();
        *left -= 1;
        if *left == 0 {
            self.0.1.notify_all();
        }
    }
    fn wait(&self) {
        let mut left = self.0.0.lock().unwrap();
        while *left > 0 {
            left = self.0.1.wait(left).unwrap();
        }
    }
}

#[derive(Clone, Copy)]
enum Job {
    Square(u64),
    Divide(u64, u64),
    Lookup(usize),
}

#[derive(Debug)]
struct JobResult {
    id: usize,
    worker: usize,
    outcome: Result<u64, String>,
}

fn run(job: Job) -> Result<u64, String> {
    const TABLE: [u64; 3] = [10, 20, 30];
    match job {
        Job::Square(n) => Ok(n * n),
        Job::Divide(_, 0) => Err("refusing to divide by zero".to_string()),
        Job::Divide(a, b) => Ok(a / b),
        Job::Lookup(i) => Ok(TABLE[i]), // panics when out of range
    }
}

/// One job, with its own defer scope: a panic here is recovered here.
#[with_defer]
fn run_job(id: usize, job: Job) -> Result<u64, String> {
    defer!(|ret| if let Some(p) = recover() {
        *ret = Some(Err(format!("job {id} panicked: {p}")));
    });
    run(job)
}

#[with_defer]
fn worker(
    worker: usize,
    jobs: Arc<Mutex<mpsc::Receiver<(usize, Job)>>>,
    results: mpsc::Sender<JobResult>,
    wg: WaitGroup,
) {
    defer!(wg.done()); // `defer wg.Done()`: runs however the worker ends
    loop {
        let next = jobs.lock().unwrap().recv();
        let Ok((id, job)) = next else { break };
        let outcome = run_job(id, job);
        results
            .send(JobResult {
                id,
                worker,
                outcome,
            })
            .unwrap();
    }
}

fn main() {
    // The recovered panics would each print a "thread panicked at" message;
    // they are reported as job results below instead.
    std::panic::set_hook(Box::new(|_| {}));

    let jobs = [
        Job::Square(3),
        Job::Lookup(1),
        Job::Divide(10, 0),
        Job::Lookup(7),
        Job::Square(12),
        Job::Divide(100, 7),
        Job::Lookup(9),
        Job::Square(5),
    ];
    let workers = 3;
    println!("{} jobs, {workers} workers", jobs.len());

    let (job_tx, job_rx) = mpsc::channel();
    let job_rx = Arc::new(Mutex::new(job_rx));
    let (res_tx, res_rx) = mpsc::channel();
    let wg = WaitGroup::default();
    for w in 0..workers {
        wg.add(1);
        let (job_rx, res_tx, wg) = (job_rx.clone(), res_tx.clone(), wg.clone());
        thread::spawn(move || worker(w, job_rx, res_tx, wg));
    }
    drop(res_tx);
    for (id, job) in jobs.into_iter().enumerate() {
        job_tx.send((id, job)).unwrap();
    }
    drop(job_tx); // `close(jobs)`

    wg.wait();
    println!("all workers called wg.done()");

    let mut results: Vec<JobResult> = res_rx.iter().collect();
    results.sort_by_key(|r| r.id);
    for r in &results {
        match &r.outcome {
            Ok(v) => println!("job {}: ok {v}", r.id),
            Err(e) => println!("job {}: error: {e}", r.id),
        }
    }
    let panicked = results
        .iter()
        .filter(|r| matches!(&r.outcome, Err(e) if e.contains("panicked")))
        .count();
    // Which worker ran which job varies from run to run; the results do not.
    let workers_used = results.iter().map(|r| r.worker).max().map_or(0, |w| w + 1);
    assert!(workers_used <= workers);
    println!(
        "{} results; {panicked} jobs panicked and were recovered in run_job, no worker died",
        results.len()
    );
}
