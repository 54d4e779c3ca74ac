//! The Go parity suite: for every `cases/<name>/`, build and run the Go program `main.go`
//! and the Rust twin (`fndefer-parity <name>`), and require the same stdout, byte for byte,
//! and the same exit status class (both succeed, or both fail: Go exits 2 on an unrecovered
//! panic, Rust 101). stderr is not compared: the two runtimes word panics differently.
//!
//! Without `go` on PATH the comparison is skipped with a visible message, unless `CI` is set,
//! in which case that is a failure. `PARITY_CASES=a,b` runs only the named cases.

use std::collections::BTreeSet;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitStatus, Stdio};
use std::sync::Mutex;
use std::time::{Duration, Instant};

const RUST_BIN: &str = env!("CARGO_BIN_EXE_fndefer-parity");
const TIMEOUT: Duration = Duration::from_secs(120);

/// `eprintln!` to the real stderr: libtest captures `eprintln!` in a passing test, and the
/// skip notice and the summary must be seen.
macro_rules! say {
    ($($arg:tt)*) => {{
        use std::io::Write;
        let _ = writeln!(std::io::stderr().lock(), $($arg)*);
    }};
}

fn cases_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("cases")
}

fn case_dirs() -> BTreeSet<String> {
    std::fs::read_dir(cases_dir())
        .expect("read cases/")
        .map(|e| e.expect("read cases/ entry"))
        .filter(|e| e.file_type().map(|t| t.is_dir()).unwrap_or(false))
        .map(|e| e.file_name().into_string().expect("case names are UTF-8"))
        .collect()
}

struct Outcome {
    stdout: Vec<u8>,
    stderr: Vec<u8>,
    /// None: killed after TIMEOUT.
    status: Option<ExitStatus>,
}

impl Outcome {
    fn describe(&self) -> String {
        match self.status {
            None => format!("timed out after {TIMEOUT:?}"),
            Some(s) => match s.code() {
                Some(c) => format!("exit code {c}"),
                None => format!("{s}"),
            },
        }
    }

    fn class(&self) -> &'static str {
        match self.status {
            Some(s) if s.success() => "success",
            Some(_) => "failure",
            None => "timeout",
        }
    }
}

/// Runs `cmd` to completion (or kills it after TIMEOUT), capturing stdout and stderr.
fn run(mut cmd: Command) -> std::io::Result<Outcome> {
    cmd.stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = cmd.spawn()?;
    let mut out = child.stdout.take().unwrap();
    let mut err = child.stderr.take().unwrap();
    let out_reader = std::thread::spawn(move || {
        let mut buf = Vec::new();
        let _ = out.read_to_end(&mut buf);
        buf
    });
    let err_reader = std::thread::spawn(move || {
        let mut buf = Vec::new();
        let _ = err.read_to_end(&mut buf);
        buf
    });
    let deadline = Instant::now() + TIMEOUT;
    let status = loop {
        if let Some(status) = child.try_wait()? {
            break Some(status);
        }
        if Instant::now() >= deadline {
            let _ = child.kill();
            let _ = child.wait();
            break None;
        }
        std::thread::sleep(Duration::from_millis(5));
    };
    Ok(Outcome {
        stdout: out_reader.join().unwrap(),
        stderr: err_reader.join().unwrap(),
        status,
    })
}

fn go_command(args: &[&str]) -> Command {
    let mut cmd = Command::new("go");
    cmd.args(args)
        // A single-file program needs no module; keep the user's settings out of the way.
        .env("GO111MODULE", "off")
        .env("GOFLAGS", "")
        .env("GOTOOLCHAIN", "local");
    if std::env::var_os("GOCACHE").is_none() && std::env::var_os("HOME").is_none() {
        cmd.env(
            "GOCACHE",
            Path::new(env!("CARGO_TARGET_TMPDIR")).join("gocache"),
        );
    }
    cmd
}

/// Builds the case's Go program (once, with the build cache) and runs the binary, so that
/// the exit status is the program's own, not `go run`'s.
fn run_go(name: &str) -> Result<Outcome, String> {
    let bin_dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("go-parity-bin");
    std::fs::create_dir_all(&bin_dir).map_err(|e| e.to_string())?;
    let bin = bin_dir.join(name);
    let src = cases_dir().join(name).join("main.go");
    let mut build = go_command(&["build", "-o"]);
    build.arg(&bin).arg(&src);
    let built = run(build).map_err(|e| format!("cannot run go build: {e}"))?;
    if built.status.map(|s| s.success()) != Some(true) {
        return Err(format!(
            "go build {} failed ({}):\n{}",
            src.display(),
            built.describe(),
            String::from_utf8_lossy(&built.stderr)
        ));
    }
    let mut cmd = Command::new(&bin);
    cmd.current_dir(cases_dir().join(name));
    run(cmd).map_err(|e| format!("cannot run {}: {e}", bin.display()))
}

fn run_rust(name: &str) -> Result<Outcome, String> {
    let mut cmd = Command::new(RUST_BIN);
    // Panic messages, not backtraces, in the stderr shown for a mismatch.
    cmd.arg(name)
        .current_dir(cases_dir().join(name))
        .env("RUST_BACKTRACE", "0");
    run(cmd).map_err(|e| format!("cannot run {RUST_BIN}: {e}"))
}

/// A line diff (longest common subsequence): ` ` both, `-` Go only, `+` Rust only.
fn diff(go: &str, rust: &str) -> String {
    let a: Vec<&str> = go.split_inclusive('\n').collect();
    let b: Vec<&str> = rust.split_inclusive('\n').collect();
    let (n, m) = (a.len(), b.len());
    let mut lcs = vec![vec![0u32; m + 1]; n + 1];
    for i in (0..n).rev() {
        for j in (0..m).rev() {
            lcs[i][j] = if a[i] == b[j] {
                lcs[i + 1][j + 1] + 1
            } else {
                lcs[i + 1][j].max(lcs[i][j + 1])
            };
        }
    }
    let show = |line: &str| -> String {
        match line.strip_suffix('\n') {
            Some(l) => l.to_string(),
            None => format!("{line}\u{23ce} (no newline at end)"),
        }
    };
    let mut out = String::new();
    let (mut i, mut j) = (0, 0);
    while i < n || j < m {
        if i < n && j < m && a[i] == b[j] {
            out += &format!("      {}\n", show(a[i]));
            i += 1;
            j += 1;
        } else if j < m && (i == n || lcs[i][j + 1] >= lcs[i + 1][j]) {
            out += &format!("  rs+ {}\n", show(b[j]));
            j += 1;
        } else {
            out += &format!("  go- {}\n", show(a[i]));
            i += 1;
        }
    }
    out
}

fn tail(bytes: &[u8], lines: usize) -> String {
    let text = String::from_utf8_lossy(bytes);
    let all: Vec<&str> = text.lines().collect();
    let start = all.len().saturating_sub(lines);
    all[start..].iter().map(|l| format!("  | {l}\n")).collect()
}

/// Runs one case; Some(report) when it does not match.
fn check_case(name: &str) -> Option<String> {
    let go = match run_go(name) {
        Ok(o) => o,
        Err(e) => return Some(format!("== {name}: Go side did not run\n{e}")),
    };
    let rust = match run_rust(name) {
        Ok(o) => o,
        Err(e) => return Some(format!("== {name}: Rust side did not run\n{e}")),
    };
    let same_out = go.stdout == rust.stdout;
    let same_class = go.class() == rust.class() && go.class() != "timeout";
    if same_out && same_class {
        return None;
    }
    let mut report = format!("== {name}: ");
    if !same_out {
        report += "stdout differs";
    }
    if !same_class {
        if !same_out {
            report += "; ";
        }
        report += &format!(
            "exit status: Go {}, Rust {}",
            go.describe(),
            rust.describe()
        );
    } else {
        report += &format!(" (both {})", go.describe());
    }
    report += "\n";
    if !same_out {
        report += "  stdout, go- Go only, rs+ Rust only:\n";
        report += &diff(
            &String::from_utf8_lossy(&go.stdout),
            &String::from_utf8_lossy(&rust.stdout),
        );
    }
    if !rust.stderr.is_empty() {
        report += "  Rust stderr (last lines, not compared):\n";
        report += &tail(&rust.stderr, 12);
    }
    if !go.stderr.is_empty() && !same_class {
        report += "  Go stderr (last lines, not compared):\n";
        report += &tail(&go.stderr, 12);
    }
    Some(report)
}

#[test]
fn go_parity() {
    // 1. The binary knows exactly the cases that exist on disk.
    let dirs = case_dirs();
    let listed = run({
        let mut c = Command::new(RUST_BIN);
        c.arg("--list");
        c
    })
    .expect("run fndefer-parity --list");
    assert!(
        listed.status.map(|s| s.success()) == Some(true),
        "fndefer-parity --list failed"
    );
    let listed: BTreeSet<String> = String::from_utf8(listed.stdout)
        .unwrap()
        .lines()
        .map(str::to_string)
        .collect();
    let missing: Vec<_> = dirs.difference(&listed).collect();
    let extra: Vec<_> = listed.difference(&dirs).collect();
    assert!(
        missing.is_empty() && extra.is_empty(),
        "cases/ and `fndefer-parity --list` disagree: dirs not in src/main.rs: {missing:?}; \
         listed without a dir: {extra:?}"
    );
    for name in &dirs {
        for file in ["main.go", "main.rs"] {
            assert!(
                cases_dir().join(name).join(file).is_file(),
                "cases/{name}/{file} is missing"
            );
        }
    }

    // 2. Go must be there (in CI), or the comparison is skipped loudly.
    let go_version = Command::new("go")
        .arg("version")
        .env("GOTOOLCHAIN", "local")
        .output();
    match go_version {
        Ok(o) if o.status.success() => {
            say!("go parity: {}", String::from_utf8_lossy(&o.stdout).trim());
        }
        other => {
            let why = match other {
                Ok(o) => format!(
                    "`go version` failed: {}",
                    String::from_utf8_lossy(&o.stderr)
                ),
                Err(e) => format!("cannot run `go`: {e}"),
            };
            if std::env::var_os("CI").is_some() {
                panic!("go is required for the parity suite when CI is set: {why}");
            }
            say!("SKIPPED: go not installed ({why}); the Go parity comparison did not run");
            return;
        }
    }

    // 3. Run every case (two at a time), collect every mismatch, then fail once.
    let selected: Vec<String> = match std::env::var("PARITY_CASES") {
        Ok(list) if !list.trim().is_empty() => {
            let wanted: Vec<String> = list.split(',').map(|s| s.trim().to_string()).collect();
            for w in &wanted {
                assert!(dirs.contains(w), "PARITY_CASES names unknown case {w:?}");
            }
            wanted
        }
        _ => dirs.iter().cloned().collect(),
    };
    let queue = Mutex::new(selected.clone());
    let failures = Mutex::new(Vec::<(String, String)>::new());
    let workers = std::thread::available_parallelism()
        .map_or(2, |n| n.get())
        .clamp(1, 4);
    std::thread::scope(|s| {
        for _ in 0..workers {
            s.spawn(|| {
                loop {
                    let Some(name) = queue.lock().unwrap().pop() else {
                        break;
                    };
                    if let Some(report) = check_case(&name) {
                        failures.lock().unwrap().push((name, report));
                    }
                }
            });
        }
    });
    let mut failures = failures.into_inner().unwrap();
    failures.sort();
    let passed: Vec<&String> = selected
        .iter()
        .filter(|n| !failures.iter().any(|(f, _)| f == *n))
        .collect();
    say!(
        "go parity: {} of {} cases match",
        passed.len(),
        selected.len()
    );
    if !failures.is_empty() {
        let mut msg = String::new();
        for (_, report) in &failures {
            msg += report;
            msg += "\n";
        }
        let names: Vec<&str> = failures.iter().map(|(n, _)| n.as_str()).collect();
        panic!(
            "\n{msg}{} of {} Go parity cases differ: {}",
            failures.len(),
            selected.len(),
            names.join(", ")
        );
    }
}
