//! The ids of an [`OrderIds`] read back by order number, for handing a part of a file read by
//! one worker to the one that merges the parts (see [`crate::ingest::split`]).

use super::{BLOCK, OrderIds, SortKey, read_varint};
use crate::csv_writer::push_digits;

impl OrderIds {
    /// Calls `each(order, id)` for every id registered, by ascending order number. Both the
    /// sorted list and the general index number their entries in the order they came, so this
    /// is a merge of the two.
    pub(in crate::ingest) fn for_each_by_order(self, mut each: impl FnMut(u32, &[u8])) {
        let others = self.others.into_keys();
        let mut other = 0u32;
        let mut text = String::new();
        let mut numbered = |key: SortKey, order: u32, each: &mut dyn FnMut(u32, &[u8])| {
            while let Some(&before) = self.other_orders.get(other as usize)
                && before < order
            {
                each(before, others.key(other));
                other += 1;
            }
            text.clear();
            // A prefix is the text before an id's first ASCII digit: UTF-8.
            text.push_str(
                std::str::from_utf8(&self.prefixes[key.prefix as usize]).unwrap_or_default(),
            );
            push_digits(&mut text, key.number);
            each(order, text.as_bytes());
        };
        for (b, block) in self.blocks.iter().enumerate() {
            let (mut key, mut order, mut at) = (block.key, block.order, block.offset as usize);
            numbered(key, order, &mut each);
            for _ in 1..BLOCK.min(self.sorted - b * BLOCK) {
                let packed = read_varint(&self.deltas, &mut at);
                key = SortKey {
                    number: key.number + (packed >> 4),
                    prefix: (packed & 0xF) as u8,
                };
                order += read_varint(&self.deltas, &mut at) as u32;
                numbered(key, order, &mut each);
            }
        }
        for (entry, &order) in self.other_orders.iter().enumerate().skip(other as usize) {
            each(order, others.key(entry as u32));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_come_back_by_order() {
        let ids = [
            "536365", "C536366", "x9", "536367", "007", "536366", "#12", "536368",
        ];
        let mut index = OrderIds::default();
        let mut expected = Vec::new();
        for id in ids {
            let next = expected.len() as u32;
            if index.find_or_insert(id.as_bytes(), next).1 {
                expected.push((next, id.as_bytes().to_vec()));
            }
        }
        let many: Vec<String> = (0..300).map(|i| (1000 + i * 3).to_string()).collect();
        for id in &many {
            let next = expected.len() as u32;
            assert!(index.find_or_insert(id.as_bytes(), next).1);
            expected.push((next, id.as_bytes().to_vec()));
        }
        let mut read = Vec::new();
        index.for_each_by_order(|order, id| read.push((order, id.to_vec())));
        assert_eq!(read, expected);
    }
}
