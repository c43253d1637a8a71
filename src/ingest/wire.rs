//! The byte form of a part of a file read by one worker (see [`super::split`]): little-endian
//! numbers, varints for counts and lengths, columns as runs of fixed-width values. Workers hand
//! these bytes to the one that merges, as a transferable buffer rather than as JS objects.

use crate::message::{Code, Message};

/// Writes values one after another.
#[derive(Default)]
pub(crate) struct Writer {
    pub bytes: Vec<u8>,
}

impl Writer {
    pub fn varint(&mut self, mut value: u64) {
        while value >= 0x80 {
            self.bytes.push(value as u8 | 0x80);
            value >>= 7;
        }
        self.bytes.push(value as u8);
    }

    pub fn text(&mut self, text: &[u8]) {
        self.varint(text.len() as u64);
        self.bytes.extend_from_slice(text);
    }

    /// Fixed-width values (a column), from an iterator taken as a trait object: one copy of
    /// this loop in the `.wasm` for every column.
    pub fn u32s(&mut self, values: &mut dyn ExactSizeIterator<Item = u32>) {
        self.bytes.reserve(values.len() * 4);
        values.for_each(|v| self.bytes.extend_from_slice(&v.to_le_bytes()));
    }

    pub fn f64s(&mut self, values: &mut dyn ExactSizeIterator<Item = f64>) {
        self.bytes.reserve(values.len() * 8);
        values.for_each(|v| self.bytes.extend_from_slice(&v.to_le_bytes()));
    }
}

/// Reads what a [`Writer`] wrote; a read past the end or of a malformed value is `None` (the
/// bytes may come from anywhere through the JS API), never a panic.
pub(crate) struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
}

/// Bytes that are not a part written by this version of the engine.
pub(crate) fn unreadable() -> Message {
    Message::new(
        Code::PART_UNREADABLE,
        "A part of the file read by another worker could not be merged: read the file again.",
    )
}

impl<'a> Reader<'a> {
    pub fn new(bytes: &'a [u8]) -> Reader<'a> {
        Reader { bytes, at: 0 }
    }

    pub fn take(&mut self, len: usize) -> Option<&'a [u8]> {
        let end = self.at.checked_add(len)?;
        let bytes = self.bytes.get(self.at..end)?;
        self.at = end;
        Some(bytes)
    }

    pub fn varint(&mut self) -> Option<u64> {
        let mut value = 0u64;
        for shift in (0..64).step_by(7) {
            let byte = self.take(1)?[0];
            value |= u64::from(byte & 0x7F) << shift;
            if byte < 0x80 {
                return Some(value);
            }
        }
        None
    }

    /// A count of items each at least `width` bytes long, checked against the bytes left so
    /// that a malformed count cannot ask for a huge allocation.
    pub fn count(&mut self, width: usize) -> Option<usize> {
        let count = self.varint()? as usize;
        if count.saturating_mul(width.max(1)) > self.bytes.len() - self.at {
            return None;
        }
        Some(count)
    }

    pub fn bytes(&mut self) -> Option<&'a [u8]> {
        let len = self.count(1)?;
        self.take(len)
    }

    pub fn text(&mut self) -> Option<&'a str> {
        std::str::from_utf8(self.bytes()?).ok()
    }

    /// `count` fixed-width values: the raw bytes, read with [`u32_at`] / [`f64_at`].
    pub fn column(&mut self, count: usize, width: usize) -> Option<&'a [u8]> {
        self.take(count.checked_mul(width)?)
    }

    pub fn is_done(&self) -> bool {
        self.at == self.bytes.len()
    }
}

pub(crate) fn u32_at(column: &[u8], i: usize) -> u32 {
    u32::from_le_bytes(column[i * 4..i * 4 + 4].try_into().expect("four bytes"))
}

pub(crate) fn f64_at(column: &[u8], i: usize) -> f64 {
    f64::from_le_bytes(column[i * 8..i * 8 + 8].try_into().expect("eight bytes"))
}
