//! Facts the macro reads from files (the function's source file, the
//! crate's manifest), each read once per compilation: one proc-macro process
//! expands every `#[with_defer]` of a crate, so the answer is kept by path.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// One kind of fact, by the path it was read from.
pub type PathCache<T> = Mutex<Option<HashMap<PathBuf, T>>>;

/// The fact for `path`, from `cache` or else `read` (a poisoned lock is
/// still used: the map holds only finished answers).
pub fn once_per_path<T: Copy>(
    cache: &PathCache<T>,
    path: PathBuf,
    read: impl FnOnce(&Path) -> T,
) -> T {
    let mut cache = match cache.lock() {
        Ok(cache) => cache,
        Err(poisoned) => poisoned.into_inner(),
    };
    let cache = cache.get_or_insert_with(HashMap::new);
    if let Some(fact) = cache.get(&path) {
        return *fact;
    }
    let fact = read(&path);
    cache.insert(path, fact);
    fact
}
