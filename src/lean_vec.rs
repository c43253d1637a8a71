//! Growing and trimming the large vectors (order columns, id arenas, per-customer columns) whose
//! memory limits the files a browser can analyse: WASM memory never shrinks, so slack and the
//! blocks a growing vector leaves behind count for good.

/// `Vec::push`, but a full vector grows by half its length instead of doubling: at most a third
/// of the capacity is slack instead of half, and the blocks a growing vector leaves behind are
/// small enough to be reused by the next ones (WASM memory never shrinks, so what is left unused
/// counts for good). Costs one more copy of the data in all, a few milliseconds per million.
pub fn push_lean<T>(column: &mut Vec<T>, value: T) {
    if column.len() == column.capacity() {
        column.reserve_exact(column.len() / 2 + 64);
    }
    column.push(value);
}

/// `Vec::extend_from_slice` growing by half, as [`push_lean`].
pub fn extend_lean<T: Copy>(column: &mut Vec<T>, values: &[T]) {
    if column.capacity() - column.len() < values.len() {
        column.reserve_exact(column.len() / 2 + values.len() + 64);
    }
    column.extend_from_slice(values);
}

/// Room for `more` entries if the memory is there. Sizing a column ahead is a saving, not a
/// need: when the browser will not give the memory, the column grows as it fills instead, and
/// runs out (or not) the way the page knows how to report.
pub fn try_reserve<T>(column: &mut Vec<T>, more: usize) {
    // A refused reservation leaves the column as it was.
    let _ = column.try_reserve_exact(more);
}

/// The first `len` entries of a column, the rest of its memory given back (in place: the block is
/// split, not copied).
pub fn first_entries<T>(mut column: Vec<T>, len: usize) -> Vec<T> {
    column.truncate(len);
    column.shrink_to_fit();
    column
}
