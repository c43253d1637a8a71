//! customer-lens: customer analytics (RFM, cohorts, lifecycle, CLV) over a store's order history,
//! computed where the data is — natively for tests and benchmarks, in the browser as WebAssembly.
//!
//! Data flow: bytes → [`ingest`] → [`book::OrderBook`] (one row per order, columnar), with the
//! ingest report beside it ([`ingest::IngestedBook`]) → analyses, each a pure function of
//! `&OrderBook` and its options. Calendar days are [`day::Day`]s; every CSV export goes through
//! [`csv_writer::CsvWriter`]. Only `wasm/` knows about JavaScript.

pub mod attributes;
pub mod audiences;
pub mod book;
pub mod clv;
pub mod cohort;
pub mod compare;
pub mod contacts;
pub mod csv_writer;
pub mod day;
pub mod filter;
#[cfg(test)]
mod fixtures;
pub mod ingest;
pub mod json;
mod lean_vec;
pub mod lifecycle;
pub mod lines;
pub mod message;
pub mod overview;
pub mod products;
pub mod rfm;
pub mod role;
mod sort;

/// The JS skin; public for the SQL module (sql/), which reads its options with it.
#[cfg(target_arch = "wasm32")]
#[doc(hidden)]
pub mod wasm;

pub use book::{ANONYMOUS, OrderBook, OrderKind};
pub use day::Day;
pub use filter::Filter;
pub use message::{Code, Message};
