//! The text encodings order exports come in — UTF-8, UTF-16 and the legacy single-byte
//! Windows-1252 (Western) and Windows-1258 (Vietnamese) code pages — decoded chunk by chunk.
//!
//! Written here rather than taken from `encoding_rs` because that crate carries every web
//! encoding's tables (CJK ones included: 129 KB of the gzipped `.wasm`), while these four need
//! two 128-entry tables and the standard library.

/// A supported encoding.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Charset {
    Utf8,
    /// UTF-8 in which a byte that is not valid UTF-8 is read as Windows-1252 (`é` written as the
    /// single byte 0xE9): what a file detected as UTF-8 is read with, because such strays come
    /// from pasting text out of a legacy program, and `Café` is a better customer name than
    /// `Caf�`. Only detection chooses it; a caller who names `utf-8` gets strict UTF-8.
    Utf8OrWindows1252,
    Utf16Le,
    Utf16Be,
    Windows1252,
    Windows1258,
}

impl Charset {
    /// The encoding a label names (`utf-8`, `utf-16le`, `windows-1258`, `cp1252`, `latin1`…).
    pub fn for_label(label: &str) -> Option<Charset> {
        let label = label.trim().to_ascii_lowercase().replace('_', "-");
        Some(match label.as_str() {
            "utf-8" | "utf8" | "unicode-1-1-utf-8" => Charset::Utf8,
            "utf-16" | "utf-16le" | "ucs-2" | "unicode" => Charset::Utf16Le,
            "utf-16be" | "unicodefffe" => Charset::Utf16Be,
            // As in browsers, Latin-1 labels mean Windows-1252.
            "windows-1252" | "cp1252" | "x-cp1252" | "latin1" | "iso-8859-1" | "l1" | "ascii"
            | "us-ascii" => Charset::Windows1252,
            "windows-1258" | "cp1258" | "x-cp1258" => Charset::Windows1258,
            _ => return None,
        })
    }

    pub fn name(self) -> &'static str {
        match self {
            Charset::Utf8 | Charset::Utf8OrWindows1252 => "UTF-8",
            Charset::Utf16Le => "UTF-16LE",
            Charset::Utf16Be => "UTF-16BE",
            Charset::Windows1252 => "windows-1252",
            Charset::Windows1258 => "windows-1258",
        }
    }
}

/// Streaming decoder into UTF-8; keeps a character split between chunks, drops a leading BOM and
/// replaces invalid sequences with U+FFFD.
pub struct CharsetDecoder {
    charset: Charset,
    /// Bytes of an incomplete character at the end of the previous chunk.
    carry: Vec<u8>,
    started: bool,
    pub had_replacements: bool,
    /// Bytes read as Windows-1252 because they were not valid UTF-8 (`Utf8OrWindows1252`).
    pub windows_1252_bytes: u64,
}

impl CharsetDecoder {
    pub fn new(charset: Charset) -> CharsetDecoder {
        CharsetDecoder {
            charset,
            carry: Vec::new(),
            started: false,
            had_replacements: false,
            windows_1252_bytes: 0,
        }
    }

    /// Appends the UTF-8 text of `chunk` to `out`; `last` flushes an incomplete character.
    pub fn decode(&mut self, chunk: &[u8], last: bool, out: &mut Vec<u8>) {
        let joined;
        let mut input = if self.carry.is_empty() {
            chunk
        } else {
            let mut bytes = std::mem::take(&mut self.carry);
            bytes.extend_from_slice(chunk);
            joined = bytes;
            &joined[..]
        };
        if !self.started {
            let bom: &[u8] = match self.charset {
                Charset::Utf8 | Charset::Utf8OrWindows1252 => b"\xEF\xBB\xBF",
                Charset::Utf16Le => b"\xFF\xFE",
                Charset::Utf16Be => b"\xFE\xFF",
                _ => b"",
            };
            if input.len() < bom.len() && bom.starts_with(input) && !last {
                self.carry = input.to_vec();
                return;
            }
            input = input.strip_prefix(bom).unwrap_or(input);
            self.started = true;
        }
        match self.charset {
            Charset::Utf8 | Charset::Utf8OrWindows1252 => self.decode_utf8(input, last, out),
            Charset::Utf16Le => self.decode_utf16(input, last, out, u16::from_le_bytes),
            Charset::Utf16Be => self.decode_utf16(input, last, out, u16::from_be_bytes),
            Charset::Windows1252 => decode_single_byte(input, &WINDOWS_1252, out),
            Charset::Windows1258 => decode_single_byte(input, &WINDOWS_1258, out),
        }
    }

    fn decode_utf8(&mut self, mut input: &[u8], last: bool, out: &mut Vec<u8>) {
        out.reserve(input.len());
        loop {
            match std::str::from_utf8(input) {
                Ok(text) => return out.extend_from_slice(text.as_bytes()),
                Err(error) => {
                    let (valid, rest) = input.split_at(error.valid_up_to());
                    out.extend_from_slice(valid);
                    match error.error_len() {
                        Some(bad) => {
                            self.replace_invalid(&rest[..bad], out);
                            input = &rest[bad..];
                        }
                        None if last => {
                            self.replace_invalid(rest, out);
                            return;
                        }
                        None => {
                            self.carry = rest.to_vec();
                            return;
                        }
                    }
                }
            }
        }
    }

    /// The part of `chunk` that is UTF-8 text already, to be read in place rather than copied by
    /// [`CharsetDecoder::decode`]: for a UTF-8 file once its BOM is behind and no character is
    /// split from the previous chunk. A character split at the end is kept for the next chunk.
    /// `None` when the chunk must be decoded: another encoding, a character carried over, a
    /// byte that is not UTF-8.
    pub fn utf8_in_place<'a>(&mut self, chunk: &'a [u8], last: bool) -> Option<&'a [u8]> {
        if !matches!(self.charset, Charset::Utf8 | Charset::Utf8OrWindows1252)
            || !self.started
            || !self.carry.is_empty()
        {
            return None;
        }
        match std::str::from_utf8(chunk) {
            Ok(_) => Some(chunk),
            Err(error) if error.error_len().is_none() && !last => {
                let (valid, split) = chunk.split_at(error.valid_up_to());
                self.carry = split.to_vec();
                Some(valid)
            }
            Err(_) => None,
        }
    }

    /// Bytes that are not UTF-8: one U+FFFD, or each byte read as Windows-1252.
    fn replace_invalid(&mut self, bytes: &[u8], out: &mut Vec<u8>) {
        if self.charset == Charset::Utf8OrWindows1252 {
            decode_single_byte(bytes, &WINDOWS_1252, out);
            self.windows_1252_bytes += bytes.len() as u64;
        } else {
            out.extend_from_slice("\u{FFFD}".as_bytes());
            self.had_replacements = true;
        }
    }

    fn decode_utf16(
        &mut self,
        input: &[u8],
        last: bool,
        out: &mut Vec<u8>,
        unit: fn([u8; 2]) -> u16,
    ) {
        let mut units: Vec<u16> = input.chunks_exact(2).map(|p| unit([p[0], p[1]])).collect();
        let mut rest = input.len() / 2 * 2;
        // A high surrogate at the end waits for its partner in the next chunk.
        if !last && units.last().is_some_and(|u| (0xD800..0xDC00).contains(u)) {
            units.pop();
            rest -= 2;
        }
        let odd = &input[rest..];
        let mut buffer = [0u8; 4];
        for decoded in char::decode_utf16(units) {
            let c = decoded.unwrap_or_else(|_| {
                self.had_replacements = true;
                '\u{FFFD}'
            });
            out.extend_from_slice(c.encode_utf8(&mut buffer).as_bytes());
        }
        if last && !odd.is_empty() {
            out.extend_from_slice("\u{FFFD}".as_bytes());
            self.had_replacements = true;
        } else {
            self.carry = odd.to_vec();
        }
    }
}

fn decode_single_byte(input: &[u8], high_half: &[char; 128], out: &mut Vec<u8>) {
    out.reserve(input.len() + input.len() / 2);
    let mut buffer = [0u8; 4];
    for &byte in input {
        if byte < 0x80 {
            out.push(byte);
        } else {
            let c = high_half[(byte - 0x80) as usize];
            out.extend_from_slice(c.encode_utf8(&mut buffer).as_bytes());
        }
    }
}

/// Bytes 0x80–0xFF of Windows-1252 (undefined bytes map to the C1 controls, as in browsers).
const WINDOWS_1252: [char; 128] = [
    '\u{20ac}', '\u{0081}', '\u{201a}', '\u{0192}', '\u{201e}', '\u{2026}', '\u{2020}', '\u{2021}',
    '\u{02c6}', '\u{2030}', '\u{0160}', '\u{2039}', '\u{0152}', '\u{008d}', '\u{017d}', '\u{008f}',
    '\u{0090}', '\u{2018}', '\u{2019}', '\u{201c}', '\u{201d}', '\u{2022}', '\u{2013}', '\u{2014}',
    '\u{02dc}', '\u{2122}', '\u{0161}', '\u{203a}', '\u{0153}', '\u{009d}', '\u{017e}', '\u{0178}',
    '\u{00a0}', '\u{00a1}', '\u{00a2}', '\u{00a3}', '\u{00a4}', '\u{00a5}', '\u{00a6}', '\u{00a7}',
    '\u{00a8}', '\u{00a9}', '\u{00aa}', '\u{00ab}', '\u{00ac}', '\u{00ad}', '\u{00ae}', '\u{00af}',
    '\u{00b0}', '\u{00b1}', '\u{00b2}', '\u{00b3}', '\u{00b4}', '\u{00b5}', '\u{00b6}', '\u{00b7}',
    '\u{00b8}', '\u{00b9}', '\u{00ba}', '\u{00bb}', '\u{00bc}', '\u{00bd}', '\u{00be}', '\u{00bf}',
    '\u{00c0}', '\u{00c1}', '\u{00c2}', '\u{00c3}', '\u{00c4}', '\u{00c5}', '\u{00c6}', '\u{00c7}',
    '\u{00c8}', '\u{00c9}', '\u{00ca}', '\u{00cb}', '\u{00cc}', '\u{00cd}', '\u{00ce}', '\u{00cf}',
    '\u{00d0}', '\u{00d1}', '\u{00d2}', '\u{00d3}', '\u{00d4}', '\u{00d5}', '\u{00d6}', '\u{00d7}',
    '\u{00d8}', '\u{00d9}', '\u{00da}', '\u{00db}', '\u{00dc}', '\u{00dd}', '\u{00de}', '\u{00df}',
    '\u{00e0}', '\u{00e1}', '\u{00e2}', '\u{00e3}', '\u{00e4}', '\u{00e5}', '\u{00e6}', '\u{00e7}',
    '\u{00e8}', '\u{00e9}', '\u{00ea}', '\u{00eb}', '\u{00ec}', '\u{00ed}', '\u{00ee}', '\u{00ef}',
    '\u{00f0}', '\u{00f1}', '\u{00f2}', '\u{00f3}', '\u{00f4}', '\u{00f5}', '\u{00f6}', '\u{00f7}',
    '\u{00f8}', '\u{00f9}', '\u{00fa}', '\u{00fb}', '\u{00fc}', '\u{00fd}', '\u{00fe}', '\u{00ff}',
];

/// Bytes 0x80–0xFF of Windows-1258.
const WINDOWS_1258: [char; 128] = [
    '\u{20ac}', '\u{0081}', '\u{201a}', '\u{0192}', '\u{201e}', '\u{2026}', '\u{2020}', '\u{2021}',
    '\u{02c6}', '\u{2030}', '\u{008a}', '\u{2039}', '\u{0152}', '\u{008d}', '\u{008e}', '\u{008f}',
    '\u{0090}', '\u{2018}', '\u{2019}', '\u{201c}', '\u{201d}', '\u{2022}', '\u{2013}', '\u{2014}',
    '\u{02dc}', '\u{2122}', '\u{009a}', '\u{203a}', '\u{0153}', '\u{009d}', '\u{009e}', '\u{0178}',
    '\u{00a0}', '\u{00a1}', '\u{00a2}', '\u{00a3}', '\u{00a4}', '\u{00a5}', '\u{00a6}', '\u{00a7}',
    '\u{00a8}', '\u{00a9}', '\u{00aa}', '\u{00ab}', '\u{00ac}', '\u{00ad}', '\u{00ae}', '\u{00af}',
    '\u{00b0}', '\u{00b1}', '\u{00b2}', '\u{00b3}', '\u{00b4}', '\u{00b5}', '\u{00b6}', '\u{00b7}',
    '\u{00b8}', '\u{00b9}', '\u{00ba}', '\u{00bb}', '\u{00bc}', '\u{00bd}', '\u{00be}', '\u{00bf}',
    '\u{00c0}', '\u{00c1}', '\u{00c2}', '\u{0102}', '\u{00c4}', '\u{00c5}', '\u{00c6}', '\u{00c7}',
    '\u{00c8}', '\u{00c9}', '\u{00ca}', '\u{00cb}', '\u{0300}', '\u{00cd}', '\u{00ce}', '\u{00cf}',
    '\u{0110}', '\u{00d1}', '\u{0309}', '\u{00d3}', '\u{00d4}', '\u{01a0}', '\u{00d6}', '\u{00d7}',
    '\u{00d8}', '\u{00d9}', '\u{00da}', '\u{00db}', '\u{00dc}', '\u{01af}', '\u{0303}', '\u{00df}',
    '\u{00e0}', '\u{00e1}', '\u{00e2}', '\u{0103}', '\u{00e4}', '\u{00e5}', '\u{00e6}', '\u{00e7}',
    '\u{00e8}', '\u{00e9}', '\u{00ea}', '\u{00eb}', '\u{0301}', '\u{00ed}', '\u{00ee}', '\u{00ef}',
    '\u{0111}', '\u{00f1}', '\u{0323}', '\u{00f3}', '\u{00f4}', '\u{01a1}', '\u{00f6}', '\u{00f7}',
    '\u{00f8}', '\u{00f9}', '\u{00fa}', '\u{00fb}', '\u{00fc}', '\u{01b0}', '\u{20ab}', '\u{00ff}',
];

#[cfg(test)]
mod tests {
    use super::*;

    fn decode_in_pieces(charset: Charset, bytes: &[u8], piece: usize) -> (String, bool) {
        let mut decoder = CharsetDecoder::new(charset);
        let mut out = Vec::new();
        for chunk in bytes.chunks(piece) {
            decoder.decode(chunk, false, &mut out);
        }
        decoder.decode(&[], true, &mut out);
        (String::from_utf8(out).unwrap(), decoder.had_replacements)
    }

    #[test]
    fn every_charset_decodes_in_any_chunking() {
        let text = "Mã khách hàng,Tổng tiền\nĐ1,1.250.000 ₫ 😀\n";
        let mut utf16le = vec![0xFF, 0xFE];
        utf16le.extend(text.encode_utf16().flat_map(|u| u.to_le_bytes()));
        let mut utf16be = vec![0xFE, 0xFF];
        utf16be.extend(text.encode_utf16().flat_map(|u| u.to_be_bytes()));
        let utf8_bom = [b"\xEF\xBB\xBF".as_slice(), text.as_bytes()].concat();
        let cases: [(Charset, &[u8], &str); 6] = [
            (Charset::Utf8, text.as_bytes(), text),
            (Charset::Utf8, &utf8_bom, text),
            (Charset::Utf16Le, &utf16le, text),
            (Charset::Utf16Be, &utf16be, text),
            (Charset::Windows1252, b"Caf\xE9 \x80", "Café €"),
            (Charset::Windows1258, b"\xD0\xF5n \xFD", "Đơn ư"),
        ];
        for (charset, bytes, expected) in cases {
            for piece in [1, 2, 3, 5, 1024] {
                let (decoded, replaced) = decode_in_pieces(charset, bytes, piece);
                assert_eq!(decoded, expected, "{charset:?} in pieces of {piece}");
                assert!(!replaced);
            }
        }
    }

    #[test]
    fn invalid_bytes_become_replacement_characters() {
        let (decoded, replaced) = decode_in_pieces(Charset::Utf8, b"a\xFFb\xE1", 1);
        assert_eq!(decoded, "a\u{FFFD}b\u{FFFD}");
        assert!(replaced);
        let (decoded, replaced) = decode_in_pieces(Charset::Utf16Le, &[0x00, 0xD8, 0x41, 0x00], 4);
        assert_eq!(decoded, "\u{FFFD}A");
        assert!(replaced);
    }

    #[test]
    fn stray_windows_1252_bytes_in_utf8() {
        let bytes = "Zoë,".as_bytes().iter().chain(b"Caf\xE9 \x80\xE2\x82");
        let bytes: Vec<u8> = bytes.copied().collect();
        for piece in [1, 2, 3, 1024] {
            let mut decoder = CharsetDecoder::new(Charset::Utf8OrWindows1252);
            let mut out = Vec::new();
            for chunk in bytes.chunks(piece) {
                decoder.decode(chunk, false, &mut out);
            }
            decoder.decode(&[], true, &mut out);
            // The cut-off sequence E2 82 at the end is two Windows-1252 bytes too: "â‚".
            assert_eq!(
                String::from_utf8(out).unwrap(),
                "Zoë,Café €â‚",
                "pieces of {piece}"
            );
            assert_eq!(decoder.windows_1252_bytes, 4);
            assert!(!decoder.had_replacements);
        }
    }

    #[test]
    fn labels() {
        assert_eq!(Charset::for_label(" UTF_8 "), Some(Charset::Utf8));
        assert_eq!(Charset::for_label("latin1"), Some(Charset::Windows1252));
        assert_eq!(Charset::for_label("cp1258"), Some(Charset::Windows1258));
        assert_eq!(Charset::for_label("shift_jis"), None);
    }
}
