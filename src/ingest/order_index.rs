//! Text keys (order ids, customer ids) → dense numbers, for millions of keys without an
//! allocation per key: the keys live in one byte arena, and an open-addressing table (linear
//! probing, 47% to 70% full) holds only their 4-byte numbers and a 1-byte tag from their hash —
//! 7 to 11 bytes per key plus the key's own bytes and its end offset. The table grows by half,
//! not to the next power of two, which would leave it as little as 35% full. The tag spares
//! almost every comparison with a key that merely shares the probe sequence, each of which would
//! read the offsets and the arena at random places: with millions of new keys those cache misses
//! were most of the time. Hand-written rather than a hash-map crate: it is this small, and the general
//! table cost 6 KB of the gzipped `.wasm`.
//!
//! Keys written as plain integers (`17850`, `100234`: most customer ids of store exports) are
//! found by their number instead: a lookup reads one slot instead of a slot, a tag, an offset and
//! the arena — four cache misses at random places when hundreds of thousands of customers each
//! come back now and then. While the numbers are dense (a store numbers its customers as they
//! sign up: at most [`DENSE_SPREAD`] numbers per key of the span between the least and the
//! greatest), the slot is at `number − least` of an array of 4-byte entries, a table small
//! enough to stay in cache; past that, a hash table whose slots hold the number beside the entry.
//!
//! Memory, not time, is what limits the files a browser can read, so the arena and the offsets
//! grow by half rather than doubling (see [`push_lean`]).

use crate::lean_vec::{extend_lean, push_lean};

const EMPTY: u32 = u32::MAX;
const FIRST_CAPACITY: usize = 1024;

#[derive(Default)]
pub struct KeyIndex {
    /// Entry numbers by hash position; `EMPTY` where free.
    slots: Vec<u32>,
    /// The top byte of the hash of the key in the same position of `slots`.
    tags: Vec<u8>,
    /// Entries whose key is a plain integer (see [`plain_integer`]), by hash position:
    /// `entry << 32 | number`, `EMPTY_NUMBER` where free. The other keys are in `slots`.
    numbers: Vec<u64>,
    /// Entries with an integer key.
    number_count: usize,
    /// While integer keys are dense: `dense[number − dense_low]` is the entry + 1, 0 where none.
    dense: Vec<u32>,
    dense_low: u32,
    /// True once the integer keys were too spread out for `dense`: they are in `numbers` since.
    sparse: bool,
    keys: Keys,
}

const EMPTY_NUMBER: u64 = u64::MAX;
/// Integer keys stay in the direct table while its span is at most this many numbers per key
/// (plus [`DENSE_ROOM`], a megabyte, for the first keys of a file: its customers come back in
/// any order of their numbers): 16 bytes per key at worst, about what the hash table takes.
const DENSE_SPREAD: u64 = 4;
const DENSE_ROOM: u64 = 1 << 18;

/// The keys of a [`KeyIndex`] by entry number, all in one arena.
#[derive(Default)]
pub struct Keys {
    arena: Vec<u8>,
    /// End of entry `i`'s key in `arena` (its start is the previous end).
    key_end: Vec<u32>,
}

impl Keys {
    pub fn len(&self) -> usize {
        self.key_end.len()
    }

    /// The length of all keys together.
    pub fn total_bytes(&self) -> usize {
        self.arena.len()
    }

    /// The key of entry `i`.
    pub fn key(&self, i: u32) -> &[u8] {
        let i = i as usize;
        let start = if i == 0 {
            0
        } else {
            self.key_end[i - 1] as usize
        };
        &self.arena[start..self.key_end[i] as usize]
    }

    /// The arena and the end offsets.
    pub fn into_parts(self) -> (Vec<u8>, Vec<u32>) {
        (self.arena, self.key_end)
    }

    fn push(&mut self, key: &[u8]) {
        extend_lean(&mut self.arena, key);
        push_lean(&mut self.key_end, self.arena.len() as u32);
    }
}

/// A key's hash: its low 32 bits place it in the table (see [`start_position`]), its top byte is
/// its tag.
///
/// The key is read eight bytes at a time into a multiply-rotate hash as FxHash does, then mixed
/// with MurmurHash3's 64-bit finaliser, so every output bit depends on every input byte. Written
/// out in 64-bit arithmetic because rustc-hash's hasher is as wide as `usize`: in WASM its 32
/// bits left the tag empty and sequential ids (`C1`, `C2`, …) in long clusters of the table,
/// which made a file of a million new customers four times slower there than natively.
fn hash(key: &[u8]) -> u64 {
    const SEED: u64 = 0xf135_7aea_2e62_a9c5;
    let mix = |hash: u64, word: u64| (hash.rotate_left(26) ^ word).wrapping_mul(SEED);
    let mut words = key.chunks_exact(8);
    let mut hash = key.len() as u64;
    for word in &mut words {
        hash = mix(
            hash,
            u64::from_le_bytes(word.try_into().expect("eight bytes")),
        );
    }
    let rest = words.remainder();
    if !rest.is_empty() {
        let mut last = [0; 8];
        last[..rest.len()].copy_from_slice(rest);
        hash = mix(hash, u64::from_le_bytes(last));
    }
    hash ^= hash >> 33;
    hash = hash.wrapping_mul(0xff51_afd7_ed55_8ccd);
    hash ^= hash >> 33;
    hash = hash.wrapping_mul(0xc4ce_b9fe_1a85_ec53);
    hash ^= hash >> 33;
    hash
}

fn tag(hash: u64) -> u8 {
    (hash >> 56) as u8
}

/// Where the probe sequence of a hash starts in a table of `len` slots: the low 32 bits scaled
/// to the length (a multiply instead of a mask, so any length works).
fn start_position(hash: u64, len: usize) -> usize {
    (((hash & 0xFFFF_FFFF) * len as u64) >> 32) as usize
}

/// The next slot of a probe sequence, wrapping around at the end of the table.
fn next_position(position: usize, len: usize) -> usize {
    if position + 1 == len { 0 } else { position + 1 }
}

/// The number a key writes, when it is a plain integer that fits in 32 bits: 1 to 10 digits,
/// without a leading zero (`0` itself included). Each such number is written by one key only, so
/// looking keys up by their number is exact.
#[inline]
fn plain_integer(key: &[u8]) -> Option<u32> {
    if key.is_empty() || key.len() > 10 || (key[0] == b'0' && key.len() > 1) {
        return None;
    }
    let mut number = 0u64;
    for &byte in key {
        let digit = byte.wrapping_sub(b'0');
        if digit > 9 {
            return None;
        }
        number = number * 10 + u64::from(digit);
    }
    u32::try_from(number).ok()
}

/// Where the probe sequence of an integer key starts in a table of `len` slots (Fibonacci
/// hashing: consecutive numbers land far apart).
#[inline]
fn number_position(number: u32, len: usize) -> usize {
    let hash = u64::from(number).wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 32;
    ((hash * len as u64) >> 32) as usize
}

impl KeyIndex {
    /// The number of the entry with this key, or the next number (the count so far) registered
    /// under it. The flag says whether the entry is new.
    pub fn find_or_insert(&mut self, key: &[u8]) -> (u32, bool) {
        if let Some(number) = plain_integer(key) {
            return self.find_or_insert_number(key, number);
        }
        if (self.len() - self.number_count + 1) * 10 > self.slots.len() * 7 {
            self.grow();
        }
        let len = self.slots.len();
        let hash = hash(key);
        let tag = tag(hash);
        let mut position = start_position(hash, len);
        loop {
            match self.slots[position] {
                EMPTY => break,
                entry
                    if self.tags[position] == tag
                        && super::orders::same_bytes(self.keys.key(entry), key) =>
                {
                    return (entry, false);
                }
                _ => position = next_position(position, len),
            }
        }
        let next = self.len() as u32;
        self.slots[position] = next;
        self.tags[position] = tag;
        self.keys.push(key);
        (next, true)
    }

    pub fn len(&self) -> usize {
        self.keys.len()
    }

    fn find_or_insert_number(&mut self, key: &[u8], number: u32) -> (u32, bool) {
        if !self.sparse {
            let at = u64::from(number).wrapping_sub(u64::from(self.dense_low));
            if number >= self.dense_low && at < self.dense.len() as u64 {
                return match self.dense[at as usize] {
                    0 => {
                        let next = self.len() as u32;
                        self.dense[at as usize] = next + 1;
                        self.number_count += 1;
                        self.keys.push(key);
                        (next, true)
                    }
                    entry => (entry - 1, false),
                };
            }
            if self.widen_dense(number) {
                return self.find_or_insert_number(key, number);
            }
        }
        if (self.number_count + 1) * 10 > self.numbers.len() * 7 {
            self.grow_numbers();
        }
        let len = self.numbers.len();
        let mut position = number_position(number, len);
        loop {
            match self.numbers[position] {
                EMPTY_NUMBER => break,
                slot if slot as u32 == number => return ((slot >> 32) as u32, false),
                _ => position = next_position(position, len),
            }
        }
        let next = self.len() as u32;
        self.numbers[position] = u64::from(next) << 32 | u64::from(number);
        self.number_count += 1;
        self.keys.push(key);
        (next, true)
    }

    /// Makes the direct table reach `number`, if its span stays dense enough; otherwise moves the
    /// integer keys to the hash table for good. Returns whether the direct table reaches it.
    #[cold]
    fn widen_dense(&mut self, number: u32) -> bool {
        let (low, len) = (u64::from(self.dense_low), self.dense.len() as u64);
        let number = u64::from(number);
        let (new_low, high) = if len == 0 {
            (number, number)
        } else {
            (low.min(number), (low + len - 1).max(number))
        };
        let span = high - new_low + 1;
        if span > (self.number_count as u64 + 1) * DENSE_SPREAD + DENSE_ROOM {
            self.sparse = true;
            self.dense = Vec::new();
            self.grow_numbers();
            return false;
        }
        // Room above for the numbers to come, as a growing vector keeps; none below.
        let new_len = if new_low < low {
            span
        } else {
            span.max(len + len / 2 + 64)
                .min(u64::from(u32::MAX) - new_low + 1)
        };
        let mut dense = Vec::new();
        dense.reserve_exact(new_len as usize);
        dense.resize(
            (low.saturating_sub(new_low)) as usize * usize::from(len > 0),
            0,
        );
        dense.extend_from_slice(&self.dense);
        dense.resize(new_len as usize, 0);
        self.dense = dense;
        self.dense_low = new_low as u32;
        true
    }

    /// Grows the integer table by half and puts every integer entry back, read again from the
    /// keys: as for [`KeyIndex::grow`], the old table is freed first.
    fn grow_numbers(&mut self) {
        let len = (self.numbers.len() * 3 / 2)
            .max(FIRST_CAPACITY)
            .max(self.number_count * 2);
        self.numbers = Vec::new();
        self.numbers = vec![EMPTY_NUMBER; len];
        for entry in 0..self.len() as u32 {
            let Some(number) = plain_integer(self.keys.key(entry)) else {
                continue;
            };
            let mut position = number_position(number, len);
            while self.numbers[position] != EMPTY_NUMBER {
                position = next_position(position, len);
            }
            self.numbers[position] = u64::from(entry) << 32 | u64::from(number);
        }
    }

    /// Grows the table by half and puts every entry back at its new position, hashing the keys
    /// again: the old table is freed first, so its memory can serve the new one.
    fn grow(&mut self) {
        let len = (self.slots.len() * 3 / 2).max(FIRST_CAPACITY);
        self.slots = Vec::new();
        self.tags = Vec::new();
        self.slots = vec![EMPTY; len];
        self.tags = vec![0; len];
        for entry in 0..self.len() as u32 {
            let key = self.keys.key(entry);
            if plain_integer(key).is_some() {
                continue;
            }
            let hash = hash(key);
            let mut position = start_position(hash, len);
            while self.slots[position] != EMPTY {
                position = next_position(position, len);
            }
            self.slots[position] = entry;
            self.tags[position] = tag(hash);
        }
    }

    /// The keys alone, without the table, for reading them back once no key is to be added.
    pub fn into_keys(self) -> Keys {
        self.keys
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_keys() {
        let mut index = KeyIndex::default();
        assert_eq!(index.find_or_insert(b"536365"), (0, true));
        assert_eq!(index.find_or_insert(b"C536379"), (1, true));
        assert_eq!(index.find_or_insert(b"536365"), (0, false));
        assert_eq!(index.find_or_insert(b""), (2, true));
        assert_eq!(index.find_or_insert(b""), (2, false));
        assert_eq!(index.find_or_insert(b"C536379"), (1, false));
        let keys = index.into_keys();
        assert_eq!(
            (keys.len(), keys.key(1), keys.key(2)),
            (3, &b"C536379"[..], &b""[..])
        );
    }

    /// Integer keys and text keys interleaved (`C1`, `1`, `C2`, `2`…), numbered in the order
    /// they come whichever table holds them.
    #[test]
    fn many_keys_survive_the_tables_growing() {
        let mut index = KeyIndex::default();
        let key = |i: u32| match i % 2 {
            0 => (i / 2).to_string(),
            _ => format!("C{}", i / 2),
        };
        for i in 0..200_000u32 {
            assert_eq!(index.find_or_insert(key(i).as_bytes()), (i, true));
        }
        for i in (0..200_000u32).step_by(7) {
            assert_eq!(index.find_or_insert(key(i).as_bytes()), (i, false));
        }
        let load = 100_000.0 / index.slots.len() as f64;
        assert!((0.46..=0.7).contains(&load), "{load}");
        assert!(!index.sparse && index.dense.len() < 150_000);
        let keys = index.into_keys();
        assert_eq!((keys.key(8), keys.key(9)), (&b"4"[..], &b"C4"[..]));
    }

    /// Integer keys dense at first (sign-up numbers, some below the first one), then spread out
    /// (the direct table gives way to the hash table), then dense again: the same entries as a
    /// map gives.
    #[test]
    fn integer_keys_agree_with_a_map_dense_or_not() {
        let mut lcg = crate::fixtures::Lcg::new(3);
        let mut random = |n: u64| (lcg.next() >> 33) % n;
        let mut index = KeyIndex::default();
        let mut expected = std::collections::HashMap::new();
        for step in 0..60_000u64 {
            let number = match step {
                0..20_000 => 50_000 + random(25_000) - random(2) * 10_000,
                20_000..40_000 => random(4_000_000_000),
                _ => 60_000 + random(1_000),
            };
            let key = number.to_string();
            let next = expected.len() as u32;
            let want = match expected.get(&key) {
                Some(&entry) => (entry, false),
                None => {
                    expected.insert(key.clone(), next);
                    (next, true)
                }
            };
            assert_eq!(index.find_or_insert(key.as_bytes()), want, "{key}");
            if step == 19_999 {
                assert!(!index.sparse);
            }
        }
        assert!(index.sparse);
    }

    /// Only the one way of writing a number goes to the integer table: `007`, `+7`, `7.0`,
    /// ` 7` and numbers past 32 bits are text keys, each its own entry.
    #[test]
    fn numbers_written_another_way_are_other_keys() {
        assert_eq!(plain_integer(b"0"), Some(0));
        assert_eq!(plain_integer(b"4294967295"), Some(u32::MAX));
        for text in [
            "",
            "007",
            "00",
            "+7",
            "7.0",
            " 7",
            "4294967296",
            "12345678901",
            "1a",
        ] {
            assert_eq!(plain_integer(text.as_bytes()), None, "{text}");
        }
        let mut index = KeyIndex::default();
        let keys = [
            "7",
            "007",
            "+7",
            "7.0",
            "4294967296",
            "0",
            "7",
            "4294967296",
        ];
        let entries: Vec<(u32, bool)> = keys
            .iter()
            .map(|k| index.find_or_insert(k.as_bytes()))
            .collect();
        assert_eq!(
            entries,
            [
                (0, true),
                (1, true),
                (2, true),
                (3, true),
                (4, true),
                (5, true),
                (0, false),
                (4, false)
            ]
        );
    }
}
