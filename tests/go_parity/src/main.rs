//! `fndefer-parity <case>` runs one case of the Go parity suite: the Rust twin in
//! `cases/<case>/main.rs` of the Go program `cases/<case>/main.go`. `fndefer-parity --list`
//! prints the case names, one a line. `tests/parity.rs` runs both sides of every case and
//! compares their stdout.

/// Declares each case as a module (`#[path = "../cases/<name>/main.rs"]`) and the table that
/// `main` dispatches on.
///
/// A case whose twin cannot compile yet because the macro lacks something the Go program
/// needs is listed as `pending name => "why"`: its twin is not compiled, and running it prints
/// the reason to stderr and exits 3, so the parity test reports it as a mismatch (and every
/// other case still builds and runs). Remove `pending` once the macro supports it.
macro_rules! cases {
    (@mod $name:ident $path:literal) => {
        #[path = $path]
        mod $name;
    };
    (@mod $name:ident $path:literal pending $why:literal) => {
        mod $name {
            pub fn main() {
                eprintln!("PENDING: the twin of this case is not compiled: {}", $why);
                std::process::exit(3);
            }
        }
    };
    ($($name:ident => $path:literal $(pending $why:literal)?,)*) => {
        $(cases!(@mod $name $path $(pending $why)?);)*

        const CASES: &[(&str, fn())] = &[$((stringify!($name), $name::main),)*];
    };
}

cases! {
    aborted_panic => "../cases/aborted_panic/main.rs",
    args_eval => "../cases/args_eval/main.rs",
    build_constraint_parse => "../cases/build_constraint_parse/main.rs",
    cache_mutex => "../cases/cache_mutex/main.rs",
    callers_double_panic => "../cases/callers_double_panic/main.rs",
    closure_counter => "../cases/closure_counter/main.rs",
    deepequal_useful_panic => "../cases/deepequal_useful_panic/main.rs",
    defer_go => "../cases/defer_go/main.rs",
    defer_test_go => "../cases/defer_test_go/main.rs",
    deferfin => "../cases/deferfin/main.rs",
    deferred_pointer_args => "../cases/deferred_pointer_args/main.rs",
    defernil => "../cases/defernil/main.rs",
    deferprint => "../cases/deferprint/main.rs",
    early_returns => "../cases/early_returns/main.rs",
    error_wrap => "../cases/error_wrap/main.rs",
    exec_interface_equal => "../cases/exec_interface_equal/main.rs",
    exit_skips_defers => "../cases/exit_skips_defers/main.rs",
    fake_clock_timing => "../cases/fake_clock_timing/main.rs",
    file_close => "../cases/file_close/main.rs",
    gob_catch_error => "../cases/gob_catch_error/main.rs",
    frunner_cleanup => "../cases/frunner_cleanup/main.rs",
    goroutine_closure => "../cases/goroutine_closure/main.rs",
    gosym_go12funcs => "../cases/gosym_go12funcs/main.rs",
    h2_note_panic => "../cases/h2_note_panic/main.rs",
    http_recover_handler => "../cases/http_recover_handler/main.rs",
    issue43920 => "../cases/issue43920/main.rs",
    issue43921 => "../cases/issue43921/main.rs",
    layered_errors => "../cases/layered_errors/main.rs",
    lifo_order => "../cases/lifo_order/main.rs",
    loop_defers => "../cases/loop_defers/main.rs",
    loop_resources => "../cases/loop_resources/main.rs",
    many_defers => "../cases/many_defers/main.rs",
    method_receiver => "../cases/method_receiver/main.rs",
    modindex_unprotect => "../cases/modindex_unprotect/main.rs",
    mutex_unlock => "../cases/mutex_unlock/main.rs",
    named_result => "../cases/named_result/main.rs",
    nested_blocks => "../cases/nested_blocks/main.rs",
    nested_literals => "../cases/nested_literals/main.rs",
    nested_outer_panics => "../cases/nested_outer_panics/main.rs",
    nonssa_args => "../cases/nonssa_args/main.rs",
    onepass_merge_runes => "../cases/onepass_merge_runes/main.rs",
    order_saga => "../cases/order_saga/main.rs",
    parser_safe_pos => "../cases/parser_safe_pos/main.rs",
    plugin_literals => "../cases/plugin_literals/main.rs",
    recover1_go => "../cases/recover1_go/main.rs",
    recover1_go2 => "../cases/recover1_go2/main.rs",
    recover2_runtime => "../cases/recover2_runtime/main.rs",
    recover3_check => "../cases/recover3_check/main.rs",
    recover4_partial => "../cases/recover4_partial/main.rs",
    recover_go => "../cases/recover_go/main.rs",
    recover_go2 => "../cases/recover_go2/main.rs",
    recover_helper_nil => "../cases/recover_helper_nil/main.rs",
    recover_matching => "../cases/recover_matching/main.rs",
    recover_named_result => "../cases/recover_named_result/main.rs",
    recover_zero_value => "../cases/recover_zero_value/main.rs",
    repanic => "../cases/repanic/main.rs",
    scan_do_scan => "../cases/scan_do_scan/main.rs",
    session_receivers => "../cases/session_receivers/main.rs",
    tabwriter_handle_panic => "../cases/tabwriter_handle_panic/main.rs",
    template_safe_call => "../cases/template_safe_call/main.rs",
    timing_trace => "../cases/timing_trace/main.rs",
    transaction_rollback => "../cases/transaction_rollback/main.rs",
    tree_walk_depth => "../cases/tree_walk_depth/main.rs",
    types_handle_bailout => "../cases/types_handle_bailout/main.rs",
    unrecovered_panic => "../cases/unrecovered_panic/main.rs",
    waitgroup_done => "../cases/waitgroup_done/main.rs",
    worker_pool_recover => "../cases/worker_pool_recover/main.rs",
}

fn main() {
    let arg = std::env::args().nth(1).unwrap_or_default();
    if arg == "--list" {
        for (name, _) in CASES {
            println!("{name}");
        }
        return;
    }
    match CASES.iter().find(|(name, _)| *name == arg) {
        Some((_, run)) => run(),
        None => {
            eprintln!("usage: fndefer-parity <case> | --list (unknown case {arg:?})");
            std::process::exit(64);
        }
    }
}
