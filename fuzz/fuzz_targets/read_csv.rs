//! CSV bytes through `ingest::read_csv` with arbitrary options: never a panic; an error has a
//! message; a book satisfies every invariant (rows accounted for, finite money, valid indices).
#![no_main]

use customer_lens::ingest::read_csv;
use customer_lens_fuzz::{Control, check_book, check_error, options};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let mut control = Control::new(data);
    let options = options(&mut control);
    match read_csv(control.rest(), &options) {
        Ok(book) => check_book(&book),
        Err(error) => check_error(&error),
    }
});
