//! Order ids → order numbers, in a few bytes per order when the ids count up.
//!
//! Merging order lines into orders exactly needs every order id seen so far: a line of an
//! earlier order may come back at any point of the file. In a general hash index that costs
//! about 20 bytes per order (the id's bytes, its end offset, a tagged slot at most 70% full),
//! more than the order's own columns, and for files of millions of orders it was the largest
//! part of the WASM memory. But stores number their orders, and exports list them in order:
//! `536365`, `536366`, `C536367`, `#1001`. An id made of a short prefix and a number, greater
//! than every such id before it, is new without a lookup; appended to a list that stays sorted,
//! it costs about two bytes (deltas in a byte stream, with a binary-searchable index every
//! [`BLOCK`] entries). Every other id — text ids, numbers with leading zeros, an id that comes
//! back or arrives out of order — goes to the general [`KeyIndex`], so the answer is always
//! exact; only the memory depends on the order of the file.

use super::order_index::KeyIndex;
use super::orders::same_bytes;

mod by_order;
use crate::lean_vec::{push_lean, try_reserve};

/// Entries per block of the sorted list: a lookup decodes at most this many.
const BLOCK: usize = 64;
/// Distinct prefixes kept apart (`""`, `"C"`, `"#"`, …); ids with any other prefix are text ids.
const MAX_PREFIXES: usize = 16;
/// Longest prefix, in bytes.
const MAX_PREFIX_BYTES: usize = 8;
/// Most digits of the number: 10^18 − 1 fits in a `u64` with room for the deltas.
const MAX_DIGITS: usize = 18;

#[derive(Default)]
pub struct OrderIds {
    prefixes: Vec<Vec<u8>>,
    /// The first entry of every block of [`BLOCK`] entries of the sorted list.
    blocks: Vec<BlockStart>,
    /// The sorted list after each block's first entry: per entry, `varint(number delta << 4 |
    /// prefix)` then `varint(order delta)`.
    deltas: Vec<u8>,
    /// Entries in the sorted list.
    sorted: usize,
    last: SortKey,
    last_order: u32,
    others: KeyIndex,
    /// The order number of each entry of `others`.
    other_orders: Vec<u32>,
}

/// A numbered id as it sorts: by number, then by prefix (`536379` < `C536379` < `536380`).
#[derive(Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord)]
struct SortKey {
    number: u64,
    prefix: u8,
}

struct BlockStart {
    key: SortKey,
    order: u32,
    /// Where the block's following entries start in `deltas`.
    offset: u32,
}

impl OrderIds {
    /// The order number of the order with this id, or `next` registered under it. The flag says
    /// whether the order is new.
    pub fn find_or_insert(&mut self, id: &[u8], next: u32) -> (u32, bool) {
        let Some(key) = self.sort_key(id) else {
            return self.find_or_insert_other(id, next);
        };
        if self.sorted == 0 || key > self.last {
            self.append(key, next);
            return (next, true);
        }
        match self.find_sorted(key) {
            Some(order) => (order, false),
            None => self.find_or_insert_other(id, next),
        }
    }

    /// Makes room for the ids of `total` orders in all, at the rate of the `so_far` orders
    /// registered (see [`super::OrderBookBuilder::expect_bytes`]).
    pub fn expect_orders(&mut self, total: usize, so_far: usize) {
        let scale = total as f64 / so_far.max(1) as f64;
        let more = |len: usize| ((len as f64 * scale) as usize).saturating_sub(len);
        let (more_deltas, more_blocks) = (more(self.deltas.len()), more(self.blocks.len()));
        try_reserve(&mut self.deltas, more_deltas);
        try_reserve(&mut self.blocks, more_blocks);
    }

    fn find_or_insert_other(&mut self, id: &[u8], next: u32) -> (u32, bool) {
        let (entry, is_new) = self.others.find_or_insert(id);
        if is_new {
            push_lean(&mut self.other_orders, next);
        }
        (self.other_orders[entry as usize], is_new)
    }

    /// The id as a prefix (registered here) and a number, if it is one: up to
    /// [`MAX_PREFIX_BYTES`] non-digits, then 1 to [`MAX_DIGITS`] digits without a leading zero.
    fn sort_key(&mut self, id: &[u8]) -> Option<SortKey> {
        let digits_start = id.iter().position(u8::is_ascii_digit)?;
        let (prefix, digits) = id.split_at(digits_start);
        if prefix.len() > MAX_PREFIX_BYTES
            || digits.len() > MAX_DIGITS
            || (digits[0] == b'0' && digits.len() > 1)
            || !digits.iter().all(u8::is_ascii_digit)
        {
            return None;
        }
        let number = digits
            .iter()
            .fold(0u64, |n, &d| n * 10 + u64::from(d - b'0'));
        let prefix = match (self.prefixes.iter()).position(|p| same_bytes(p, prefix)) {
            Some(p) => p,
            None if self.prefixes.len() < MAX_PREFIXES => {
                self.prefixes.push(prefix.to_vec());
                self.prefixes.len() - 1
            }
            None => return None,
        };
        Some(SortKey {
            number,
            prefix: prefix as u8,
        })
    }

    fn append(&mut self, key: SortKey, order: u32) {
        if self.sorted.is_multiple_of(BLOCK) {
            push_lean(
                &mut self.blocks,
                BlockStart {
                    key,
                    order,
                    offset: self.deltas.len() as u32,
                },
            );
        } else {
            let number_delta = key.number - self.last.number;
            push_varint(&mut self.deltas, number_delta << 4 | u64::from(key.prefix));
            push_varint(&mut self.deltas, u64::from(order - self.last_order));
        }
        self.sorted += 1;
        self.last = key;
        self.last_order = order;
    }

    fn find_sorted(&self, key: SortKey) -> Option<u32> {
        let block = self
            .blocks
            .partition_point(|b| b.key <= key)
            .checked_sub(1)?;
        let start = &self.blocks[block];
        let entries = BLOCK.min(self.sorted - block * BLOCK);
        let (mut current, mut order) = (start.key, start.order);
        let mut at = start.offset as usize;
        for _ in 1..entries {
            if current >= key {
                break;
            }
            let packed = read_varint(&self.deltas, &mut at);
            current = SortKey {
                number: current.number + (packed >> 4),
                prefix: (packed & 0xF) as u8,
            };
            order += read_varint(&self.deltas, &mut at) as u32;
        }
        (current == key).then_some(order)
    }
}

fn push_varint(bytes: &mut Vec<u8>, mut value: u64) {
    while value >= 0x80 {
        push_lean(bytes, value as u8 | 0x80);
        value >>= 7;
    }
    push_lean(bytes, value as u8);
}

fn read_varint(bytes: &[u8], at: &mut usize) -> u64 {
    let mut value = 0;
    let mut shift = 0;
    loop {
        let byte = bytes[*at];
        *at += 1;
        value |= u64::from(byte & 0x7F) << shift;
        if byte < 0x80 {
            return value;
        }
        shift += 7;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A plain map from id to order number, the answer every lookup must give.
    fn check(ids: &[String]) -> OrderIds {
        let mut index = OrderIds::default();
        let mut expected = std::collections::HashMap::new();
        for id in ids {
            let next = expected.len() as u32;
            let want = match expected.get(id) {
                Some(&order) => (order, false),
                None => {
                    expected.insert(id.clone(), next);
                    (next, true)
                }
            };
            assert_eq!(index.find_or_insert(id.as_bytes(), next), want, "{id}");
        }
        index
    }

    #[test]
    fn ascending_numbered_ids_stay_out_of_the_hash_index() {
        let mut ids: Vec<String> = (536_365..540_000).map(|n| n.to_string()).collect();
        ids.insert(95, "C536459".into());
        ids.push("536400".into());
        ids.push("C536459".into());
        let index = check(&ids);
        assert_eq!(index.others.len(), 0);
        assert_eq!(index.sorted, 3_636);
        assert!(index.deltas.len() < 3 * 3_636);
    }

    #[test]
    fn every_other_id_goes_to_the_hash_index_and_answers_stay_exact() {
        let ids: Vec<String> = [
            "10",
            "9",
            "10",
            "0",
            "007",
            "7",
            "x7",
            "#7",
            "#07",
            "C10",
            "C10",
            "11",
            "a",
            "",
            "12",
            "8",
            "9",
            "1234567890123456789",
            "123456789012345678",
            "5-1",
            "5",
            "C9",
            "C11",
        ]
        .map(String::from)
        .to_vec();
        let index = check(&ids);
        assert!(index.others.len() > 0);
    }

    #[test]
    fn random_ids_agree_with_a_map() {
        let mut lcg = crate::fixtures::Lcg::new(7);
        let mut random = |n: u64| (lcg.next() >> 33) % n;
        let prefixes = ["", "C", "#", "INV-", "0", "longprefix"];
        let mut ids = Vec::new();
        let mut counter = 1_000u64;
        for _ in 0..50_000 {
            counter += random(3);
            let number = if random(10) == 0 {
                random(counter + 1)
            } else {
                counter
            };
            let prefix = prefixes[random(prefixes.len() as u64) as usize];
            ids.push(format!("{prefix}{number}"));
        }
        check(&ids);
    }
}
