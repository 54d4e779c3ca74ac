// Case worker_pool_recover: a goroutine worker pool: jobs and results channels, each worker
// `defer wg.Done()` plus a deferred counter and a worker-level recover for a poison pill, each
// job run in a function whose deferred recover turns a panic into an error in its named
// result, and a closer goroutine `defer close(results); wg.Wait()`. Results are sorted.
// Held-out style twin written from the user docs only.
use fndefer::{defer, defer_scope, recover, with_defer};
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::mpsc::{Receiver, SyncSender, sync_channel};
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

struct Job {
    id: i32,
    input: String,
}

struct JobResult {
    job_id: i32,
    output: String,
    err: Option<String>,
}

fn process(j: &Job) -> String {
    if j.input.is_empty() {
        panic!("empty input");
    }
    if j.input.starts_with('!') {
        panic!("{}", format!("bad directive {}", j.input));
    }
    j.input.to_uppercase()
}

#[with_defer]
fn run_job(j: Job) -> JobResult {
    let mut res = JobResult {
        job_id: j.id,
        output: String::new(),
        err: None,
    };
    // After a recover `ret` is None (Rust has no zero values), so the result is rebuilt here.
    defer!(|ret| if let Some(r) = recover() {
        *ret = Some(JobResult {
            job_id: j.id,
            output: String::new(),
            err: Some(format!("job {}: {}", j.id, r)),
        });
    });
    res.output = process(&j);
    res
}

#[with_defer]
fn worker(
    jobs: Arc<Mutex<Receiver<Job>>>,
    results: SyncSender<JobResult>,
    wg: WaitGroup,
    finished: Arc<AtomicI64>,
    stopped: Arc<AtomicI64>,
) {
    defer!(wg.done());
    defer!(finished.fetch_add(1, Ordering::SeqCst));
    defer!(|| if recover().is_some() {
        stopped.fetch_add(1, Ordering::SeqCst);
    });
    loop {
        let Ok(j) = jobs.lock().unwrap().recv() else {
            break;
        };
        if j.id < 0 {
            panic!("poison pill");
        }
        results.send(run_job(j)).unwrap();
    }
}

pub fn main() {
    let inputs = [
        "alpha", "", "beta", "!drop", "gamma", "delta", "", "epsilon",
    ];
    let (jobs_tx, jobs_rx) = sync_channel::<Job>(0);
    let jobs_rx = Arc::new(Mutex::new(jobs_rx));
    let (results_tx, results_rx) = sync_channel::<JobResult>(0);
    let wg = WaitGroup::default();
    let finished = Arc::new(AtomicI64::new(0));
    let stopped = Arc::new(AtomicI64::new(0));
    for _w in 1..=4 {
        wg.add(1);
        let (jobs, results, wg) = (jobs_rx.clone(), results_tx.clone(), wg.clone());
        let (finished, stopped) = (finished.clone(), stopped.clone());
        std::thread::spawn(move || worker(jobs, results, wg, finished, stopped));
    }
    std::thread::spawn(defer_scope!(move || {
        defer!(|| drop(jobs_tx));
        for (i, input) in inputs.iter().enumerate() {
            jobs_tx
                .send(Job {
                    id: i as i32 + 1,
                    input: input.to_string(),
                })
                .unwrap();
            if i == 3 {
                jobs_tx
                    .send(Job {
                        id: -1,
                        input: String::new(),
                    })
                    .unwrap();
            }
        }
    }));
    let closer_wg = wg.clone();
    std::thread::spawn(defer_scope!(move || {
        defer!(|| drop(results_tx));
        closer_wg.wait();
    }));
    let mut all = Vec::new();
    for r in results_rx {
        all.push(r);
    }
    all.sort_by_key(|r| r.job_id);
    for r in &all {
        println!(
            "job {}: {:?} err={}",
            r.job_id,
            r.output,
            r.err.as_deref().unwrap_or("<nil>")
        );
    }
    println!(
        "results: {} finished: {} stopped: {}",
        all.len(),
        finished.load(Ordering::SeqCst),
        stopped.load(Ordering::SeqCst)
    );
}
