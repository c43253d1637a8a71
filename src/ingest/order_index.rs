//! Text keys (order ids, customer ids) → dense numbers, for millions of keys without an
//! allocation per key: the keys live in one byte arena and a hash table holds only their
//! 4-byte numbers (about 9 bytes per key with the table's spare room, plus the key's bytes).

use std::hash::BuildHasher;

use hashbrown::HashTable;
use rustc_hash::FxBuildHasher;

#[derive(Default)]
pub struct KeyIndex {
    table: HashTable<u32>,
    arena: Vec<u8>,
    /// End of key `i` in `arena` (its start is the previous end); an entry pushed with
    /// [`KeyIndex::push_unkeyed`] has an empty key and is not in the table.
    key_end: Vec<u32>,
}

fn hash(key: &[u8]) -> u64 {
    FxBuildHasher.hash_one(key)
}

impl KeyIndex {
    /// The number of the entry with this key, or the next number (the count so far) registered
    /// under it. The flag says whether the entry is new.
    pub fn find_or_insert(&mut self, key: &[u8]) -> (u32, bool) {
        let KeyIndex {
            table,
            arena,
            key_end,
        } = self;
        let key_of = |i: u32| {
            let i = i as usize;
            let start = if i == 0 { 0 } else { key_end[i - 1] as usize };
            &arena[start..key_end[i] as usize]
        };
        let key_hash = hash(key);
        if let Some(&found) = table.find(key_hash, |&i| key_of(i) == key) {
            return (found, false);
        }
        let next = key_end.len() as u32;
        table.insert_unique(key_hash, next, |&i| hash(key_of(i)));
        arena.extend_from_slice(key);
        key_end.push(arena.len() as u32);
        (next, true)
    }

    /// Takes the next number for an entry without a key (a guest row without an order id).
    pub fn push_unkeyed(&mut self) -> u32 {
        self.key_end.push(self.arena.len() as u32);
        (self.key_end.len() - 1) as u32
    }

    pub fn len(&self) -> usize {
        self.key_end.len()
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
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_keys_and_keeps_unkeyed_entries_apart() {
        let mut index = KeyIndex::default();
        assert_eq!(index.find_or_insert(b"536365"), (0, true));
        assert_eq!(index.push_unkeyed(), 1);
        assert_eq!(index.find_or_insert(b"C536379"), (2, true));
        assert_eq!(index.find_or_insert(b"536365"), (0, false));
        assert_eq!(index.find_or_insert(b""), (3, true));
        assert_eq!(index.find_or_insert(b""), (3, false));
        assert_eq!(index.find_or_insert(b"C536379"), (2, false));
        assert_eq!(
            (index.len(), index.key(2), index.key(1)),
            (4, &b"C536379"[..], &b""[..])
        );
    }

    #[test]
    fn many_keys_survive_the_table_growing() {
        let mut index = KeyIndex::default();
        for i in 0..100_000u32 {
            assert_eq!(index.find_or_insert(i.to_string().as_bytes()), (i, true));
        }
        for i in (0..100_000u32).step_by(7) {
            assert_eq!(index.find_or_insert(i.to_string().as_bytes()), (i, false));
        }
    }
}
