//! A C handle freed on every path, ported from the cgo idiom
//!
//! ```go
//! func CountRows(db, table string) (int64, error) {
//!     cdb := C.CString(db)
//!     defer C.free(unsafe.Pointer(cdb))
//!     h := C.db_open(cdb)
//!     if h == nil {
//!         return 0, fmt.Errorf("cannot open %s", db)
//!     }
//!     defer C.db_close(h)
//!     ...
//! }
//! ```
//!
//! The C library is simulated below as `extern "C"` functions with raw
//! pointers and error codes, and it counts the handles that are still open,
//! so every path — success, an early `?`, an error code, a panic — can be
//! checked to close its handle.
//!
//! Run with `cargo run --example ffi_handle`.

use std::ffi::{CStr, CString, NulError, c_char, c_int};
use std::fmt;

use fndefer::{defer, with_defer};

/// A stand-in for a C library (`libtinydb.h`).
mod tinydb {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};

    pub static OPEN_HANDLES: AtomicUsize = AtomicUsize::new(0);

    #[repr(C)]
    pub struct Db {
        name: CString,
    }

    pub const DB_OK: c_int = 0;
    pub const DB_NO_TABLE: c_int = 2;

    /// `db_t *db_open(const char *name)`: NULL when the database does not exist.
    ///
    /// # Safety
    /// `name` must be a valid C string.
    pub unsafe extern "C" fn db_open(name: *const c_char) -> *mut Db {
        let name = unsafe { CStr::from_ptr(name) };
        if name.to_bytes() == b"missing.db" {
            return std::ptr::null_mut();
        }
        OPEN_HANDLES.fetch_add(1, Ordering::SeqCst);
        println!("    C: db_open({name:?})");
        Box::into_raw(Box::new(Db {
            name: name.to_owned(),
        }))
    }

    /// `int db_count(db_t *db, const char *table, int64_t *out)`.
    ///
    /// # Safety
    /// `db` from `db_open`, not closed; `table` a valid C string; `out` writable.
    pub unsafe extern "C" fn db_count(db: *mut Db, table: *const c_char, out: *mut i64) -> c_int {
        let (db, table) = unsafe { (&*db, CStr::from_ptr(table)) };
        println!("    C: db_count({:?}, {table:?})", db.name);
        let rows = match table.to_bytes() {
            b"users" => 42,
            b"orders" => 7,
            b"corrupt" => -1, // a bug in the C library
            _ => return DB_NO_TABLE,
        };
        unsafe { *out = rows };
        DB_OK
    }

    /// `void db_close(db_t *db)`.
    ///
    /// # Safety
    /// `db` from `db_open`, closed once.
    pub unsafe extern "C" fn db_close(db: *mut Db) {
        let db = unsafe { Box::from_raw(db) };
        OPEN_HANDLES.fetch_sub(1, Ordering::SeqCst);
        println!("    C: db_close({:?})", db.name);
    }

    pub fn open_handles() -> usize {
        OPEN_HANDLES.load(Ordering::SeqCst)
    }
}

#[derive(Debug)]
enum DbError {
    Open(String),
    NoTable(String),
    Nul(NulError),
}

impl From<NulError> for DbError {
    fn from(e: NulError) -> Self {
        DbError::Nul(e)
    }
}

impl fmt::Display for DbError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DbError::Open(db) => write!(f, "cannot open {db}"),
            DbError::NoTable(t) => write!(f, "no table {t}"),
            DbError::Nul(e) => write!(f, "bad name: {e}"),
        }
    }
}

#[with_defer]
fn count_rows(db: &str, table: &str) -> Result<i64, DbError> {
    let c_db = CString::new(db)?; // an early `?`: nothing is open yet
    let h = unsafe { tinydb::db_open(c_db.as_ptr()) };
    if h.is_null() {
        return Err(DbError::Open(db.to_string()));
    }
    // `defer C.db_close(h)`: `move` copies the pointer now, as Go evaluates `h` now.
    defer!(move || unsafe { tinydb::db_close(h) });

    let c_table = CString::new(table)?; // an early `?` with the handle open: closed
    let mut rows = 0i64;
    let rc = unsafe { tinydb::db_count(h, c_table.as_ptr(), &mut rows) };
    if rc != tinydb::DB_OK {
        return Err(DbError::NoTable(table.to_string())); // an error code: closed
    }
    assert!(rows >= 0, "db_count returned {rows} rows for {table}"); // a panic: closed
    Ok(rows)
}

fn main() {
    std::panic::set_hook(Box::new(|info| {
        let payload = info.payload();
        let msg = payload
            .downcast_ref::<String>()
            .map(String::as_str)
            .unwrap_or("?");
        println!("    panic: {msg}");
    }));

    let cases = [
        ("shop.db", "users", "success"),
        (
            "missing.db",
            "users",
            "db_open returns NULL: nothing to close",
        ),
        ("shop.db", "bad\0name", "early `?` after db_open"),
        ("shop.db", "nope", "error code from db_count"),
        ("shop.db", "corrupt", "a panic after db_count"),
        ("shop.db", "orders", "success again"),
    ];
    for (db, table, what) in cases {
        println!("count_rows({db:?}, {table:?}): {what}");
        let result = std::panic::catch_unwind(|| count_rows(db, table));
        match result {
            Ok(Ok(rows)) => println!("    -> Ok({rows})"),
            Ok(Err(e)) => println!("    -> Err({e})"),
            Err(_) => println!("    -> panicked (caught by the caller)"),
        }
        println!("    open handles: {}", tinydb::open_handles());
    }
    assert_eq!(tinydb::open_handles(), 0);
    println!("every handle was closed on every path");
}
