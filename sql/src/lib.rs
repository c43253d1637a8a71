//! "Show SQL": the core's analyses written as SQL for the user's warehouse ([`sql`]), and, built
//! for the browser, the SQL module's JS API (`bookSql`, `renderSql`, `parseGroupedSummary`).
//!
//! A crate of its own, so the core's `.wasm` does not carry it: SQL is text for another tool,
//! not work on the book, and the page loads this module when SQL is first asked for. The engine
//! hands it what it needs of a book as plain data (`book.sql` in the core's `src/wasm/sql.rs`).

// The queries' files name the core's modules from the crate root, as they did inside the core.
pub(crate) use customer_lens::{
    clv, cohort, csv_writer, day, filter, ingest, message, products, rfm,
};

pub mod sql;

#[cfg(target_arch = "wasm32")]
mod wasm;
