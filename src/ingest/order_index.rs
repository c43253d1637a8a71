//! Order id → order number, for millions of orders without an allocation per order: keys live
//! in one byte arena and the table maps their 64-bit hash to the order number (a full-key check
//! settles the rare hash collision).

use std::hash::{BuildHasher, Hash};

use rustc_hash::{FxBuildHasher, FxHashMap};

#[derive(Default)]
pub struct OrderIndex {
    by_hash: FxHashMap<u64, u32>,
    /// Keys whose hash was already taken by a different key.
    colliding: FxHashMap<Box<[u8]>, u32>,
    arena: Vec<u8>,
    /// End of order `i`'s key in `arena` (its start is the previous end); orders without a key
    /// have an empty one.
    key_end: Vec<u32>,
}

impl OrderIndex {
    /// The order with this key, or `next_order` (which must be the number of orders so far)
    /// registered under it. The flag says whether the order is new.
    pub fn find_or_insert(&mut self, key: &[u8], next_order: u32) -> (u32, bool) {
        debug_assert_eq!(next_order as usize, self.key_end.len());
        let hash = FxBuildHasher.hash_one(HashBytes(key));
        match self.by_hash.get(&hash) {
            None => {
                self.by_hash.insert(hash, next_order);
            }
            Some(&order) if self.key(order) == key => return (order, false),
            Some(_) => {
                if let Some(&order) = self.colliding.get(key) {
                    return (order, false);
                }
                self.colliding.insert(key.into(), next_order);
            }
        }
        self.arena.extend_from_slice(key);
        self.key_end.push(self.arena.len() as u32);
        (next_order, true)
    }

    /// Registers an order that has no key (a guest row without an order id).
    pub fn push_unkeyed(&mut self) {
        self.key_end.push(self.arena.len() as u32);
    }

    fn key(&self, order: u32) -> &[u8] {
        let order = order as usize;
        let start = if order == 0 {
            0
        } else {
            self.key_end[order - 1] as usize
        };
        &self.arena[start..self.key_end[order] as usize]
    }
}

/// Hashes a byte string the way `[u8]` hashes, without the length prefix (keys are compared
/// in full anyway).
struct HashBytes<'a>(&'a [u8]);

impl Hash for HashBytes<'_> {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        state.write(self.0);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_keys_and_keeps_unkeyed_orders_apart() {
        let mut index = OrderIndex::default();
        assert_eq!(index.find_or_insert(b"536365", 0), (0, true));
        index.push_unkeyed();
        assert_eq!(index.find_or_insert(b"C536379", 2), (2, true));
        assert_eq!(index.find_or_insert(b"536365", 3), (0, false));
        assert_eq!(index.find_or_insert(b"", 3), (3, true));
        assert_eq!(index.find_or_insert(b"", 4), (3, false));
        assert_eq!(index.find_or_insert(b"C536379", 4), (2, false));
    }

    #[test]
    fn a_hash_collision_is_settled_by_the_full_key() {
        let mut index = OrderIndex::default();
        assert_eq!(index.find_or_insert(b"a", 0), (0, true));
        // Force a collision: claim "b"'s hash for order 0, whose key is "a".
        let hash_b = FxBuildHasher.hash_one(HashBytes(b"b"));
        index.by_hash.insert(hash_b, 0);
        assert_eq!(index.find_or_insert(b"b", 1), (1, true));
        assert_eq!(index.find_or_insert(b"b", 2), (1, false));
        assert_eq!(index.find_or_insert(b"a", 2), (0, false));
    }
}
