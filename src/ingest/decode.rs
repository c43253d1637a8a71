//! Text decoding: recognising the file's encoding (or that it is not text at all) from its first
//! bytes, then turning each chunk into UTF-8 for the CSV reader.

use super::charset::{Charset, CharsetDecoder};
use crate::message::{Code, Message};

/// The encoding chosen for a file and how the report names it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TextEncoding {
    pub charset: Charset,
    pub name: &'static str,
}

/// Recognises files that are not CSV text, so the message can say what to do instead.
/// The answer is the kind of file (`xlsx`, `png`, `html`…) and the message for the user.
pub fn sniff_binary(prefix: &[u8]) -> Option<(&'static str, &'static str)> {
    const SIGNATURES: &[(&[u8], &str, &str)] = &[
        (
            b"PK\x03\x04",
            "zip",
            "This is a ZIP archive or an Excel (.xlsx) file, not a CSV file: open it in your \
             spreadsheet app and save it as CSV (UTF-8), or unzip it first.",
        ),
        (
            b"\xD0\xCF\x11\xE0",
            "xls",
            "This is an old Excel (.xls) file or a password-protected workbook, which is not \
             read here: open it in Excel or LibreOffice and save it as an Excel Workbook \
             (.xlsx, without a password) or as CSV (UTF-8), then choose that file.",
        ),
        (
            b"\x89PNG",
            "png",
            "This is a PNG image, not a CSV file: choose your orders export instead.",
        ),
        (
            b"\xFF\xD8\xFF",
            "jpeg",
            "This is a JPEG image, not a CSV file: choose your orders export instead.",
        ),
        (
            b"GIF8",
            "gif",
            "This is a GIF image, not a CSV file: choose your orders export instead.",
        ),
        (
            b"%PDF",
            "pdf",
            "This is a PDF document, not a CSV file: export your orders as CSV instead.",
        ),
        (
            b"\x1F\x8B",
            "gzip",
            "This file is gzip-compressed: decompress it first (or load it by URL ending in .gz).",
        ),
    ];
    if prefix.starts_with(b"PK\x03\x04") {
        // Spreadsheets are ZIP archives too; the names of their parts give them away.
        if contains(
            prefix,
            b"mimetypeapplication/vnd.oasis.opendocument.spreadsheet",
        ) {
            return Some((
                "ods",
                "This is an OpenDocument spreadsheet (.ods), which is not read here: open it \
                 in LibreOffice and save it as an Excel Workbook (.xlsx) or as CSV (UTF-8), \
                 then choose that file.",
            ));
        }
        if contains(prefix, b"xl/") {
            return Some((
                "xlsx",
                "This is an Excel workbook (.xlsx), not a CSV file: open it in Excel (or \
                 LibreOffice, Numbers, Google Sheets), save it as CSV (UTF-8), then choose the \
                 .csv file.",
            ));
        }
    }
    if let Some(&(_, kind, message)) = SIGNATURES
        .iter()
        .find(|(magic, _, _)| prefix.starts_with(magic))
    {
        return Some((kind, message));
    }
    let head = &prefix[..prefix.len().min(1024)];
    let trimmed = String::from_utf8_lossy(head)
        .trim_start_matches(['\u{FEFF}', ' ', '\t', '\r', '\n'])
        .to_ascii_lowercase();
    // Error pages and portals served instead of the file: a document, or a fragment of one.
    const HTML_MARKERS: [&str; 10] = [
        "<!doctype html",
        "<html",
        "<head",
        "<body",
        "<meta",
        "<title",
        "<script",
        "<div",
        "<table",
        "<!--",
    ];
    if trimmed.starts_with('<') && HTML_MARKERS.iter().any(|m| trimmed.contains(m)) {
        return Some((
            "html",
            "This is a web page (HTML), not a CSV file: if you typed a URL, it points to a page, \
             not to the file itself — use the direct link to the .csv file.",
        ));
    }
    if trimmed.starts_with("<?xml") {
        return Some((
            "xml",
            "This is an XML file, not a CSV file: export your orders as CSV (comma-separated \
             values) instead.",
        ));
    }
    None
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

/// Decides the encoding from a BOM, from UTF-8 validity, or — for legacy single-byte files —
/// from the letters typical of Vietnamese in Windows-1258.
pub fn detect_encoding(prefix: &[u8], complete: bool) -> TextEncoding {
    if prefix.starts_with(b"\xEF\xBB\xBF") {
        return TextEncoding {
            charset: Charset::Utf8OrWindows1252,
            name: "UTF-8 (BOM)",
        };
    }
    if prefix.starts_with(b"\xFF\xFE") {
        return TextEncoding {
            charset: Charset::Utf16Le,
            name: "UTF-16LE",
        };
    }
    if prefix.starts_with(b"\xFE\xFF") {
        return TextEncoding {
            charset: Charset::Utf16Be,
            name: "UTF-16BE",
        };
    }
    if let Some(encoding) = utf16_without_bom(prefix) {
        return encoding;
    }
    let (multibyte, invalid) = utf8_evidence(prefix, complete);
    if invalid == 0 {
        return TextEncoding {
            charset: Charset::Utf8OrWindows1252,
            name: "UTF-8",
        };
    }
    // Mostly UTF-8 with a few stray legacy bytes (text pasted from an old program): read the UTF-8
    // as UTF-8 and only the strays as Windows-1252, rather than turning every `ë` into `Ã«`.
    if multibyte >= invalid {
        return TextEncoding {
            charset: Charset::Utf8OrWindows1252,
            name: "UTF-8 with some windows-1252 bytes",
        };
    }
    if looks_like_windows_1258(prefix) {
        TextEncoding {
            charset: Charset::Windows1258,
            name: "windows-1258",
        }
    } else {
        TextEncoding {
            charset: Charset::Windows1252,
            name: "windows-1252",
        }
    }
}

/// Valid multi-byte UTF-8 characters and invalid sequences in `prefix` (a character cut off at
/// the end of a partial prefix is neither).
fn utf8_evidence(prefix: &[u8], complete: bool) -> (usize, usize) {
    let (mut multibyte, mut invalid) = (0, 0);
    let mut rest = prefix;
    loop {
        let (valid, error) = match std::str::from_utf8(rest) {
            Ok(text) => (text, None),
            Err(error) => (
                // Cannot fail: the bytes up to `valid_up_to` are valid UTF-8.
                std::str::from_utf8(&rest[..error.valid_up_to()]).unwrap_or(""),
                Some(error),
            ),
        };
        multibyte += valid.chars().filter(|c| !c.is_ascii()).count();
        let Some(error) = error else {
            return (multibyte, invalid);
        };
        match error.error_len() {
            Some(bad) => {
                invalid += 1;
                rest = &rest[error.valid_up_to() + bad..];
            }
            None => {
                invalid += usize::from(complete);
                return (multibyte, invalid);
            }
        }
    }
}

/// UTF-16 written without a byte-order mark: mostly-Latin text has a zero byte in every other
/// position (the high byte of each unit), after the letter in little-endian, before it in big.
fn utf16_without_bom(prefix: &[u8]) -> Option<TextEncoding> {
    let head = &prefix[..prefix.len().min(4096) / 2 * 2];
    if head.len() < 8 {
        return None;
    }
    let units = head.len() / 2;
    let zeros_at = |offset: usize| {
        head.iter()
            .skip(offset)
            .step_by(2)
            .filter(|&&b| b == 0)
            .count()
    };
    let (even, odd) = (zeros_at(0), zeros_at(1));
    let mostly = |zeros: usize| zeros * 10 >= units * 7;
    let rarely = |zeros: usize| zeros * 20 <= units;
    if mostly(odd) && rarely(even) {
        Some(TextEncoding {
            charset: Charset::Utf16Le,
            name: "UTF-16LE (no BOM)",
        })
    } else if mostly(even) && rarely(odd) {
        Some(TextEncoding {
            charset: Charset::Utf16Be,
            name: "UTF-16BE (no BOM)",
        })
    } else {
        None
    }
}

/// The encoding a caller names (`"utf-8"`, `"windows-1258"`, `"utf-16le"`…).
pub fn named_encoding(label: &str) -> Result<TextEncoding, Message> {
    let charset = Charset::for_label(label).ok_or_else(|| {
        let choices = "utf-8, utf-16le, utf-16be, windows-1252 or windows-1258";
        Message::new(
            Code::UNKNOWN_ENCODING,
            format!("unknown encoding '{label}': use {choices}"),
        )
        .with("given", label)
        .with("choices", choices)
    })?;
    Ok(TextEncoding {
        charset,
        name: charset.name(),
    })
}

/// Vietnamese text in Windows-1258 is full of bytes that are rare letters in Windows-1252:
/// đ/Đ (Western ð/Ð), ơ/ư (õ/ý) and the combining tone marks (Ì ì Ò Þ ò in Windows-1252).
fn looks_like_windows_1258(bytes: &[u8]) -> bool {
    const VIETNAMESE: &[u8] = &[
        0xD0, 0xF0, 0xD5, 0xF5, 0xDD, 0xFD, 0xCC, 0xEC, 0xD2, 0xDE, 0xF2, 0xC3, 0xE3,
    ];
    let high = bytes.iter().filter(|&&b| b >= 0x80).count();
    let vietnamese = bytes.iter().filter(|b| VIETNAMESE.contains(b)).count();
    high > 0 && vietnamese * 2 >= high
}

/// Decodes chunks of any supported encoding into UTF-8, keeping the state of a character split
/// between chunks.
pub struct ChunkDecoder {
    decoder: CharsetDecoder,
    /// True once a byte sequence that is not valid in the encoding was replaced with U+FFFD.
    pub had_replacements: bool,
    /// Bytes of a UTF-8 file that were not UTF-8 and were read as Windows-1252.
    pub windows_1252_bytes: u64,
    /// Windows-1258 writes most Vietnamese letters as a vowel plus a combining tone mark; they are
    /// composed so that `Đức` from a legacy file equals `Đức` from a UTF-8 one.
    compose_tones: bool,
    /// A vowel held back from the end of the previous chunk, whose tone mark may come next.
    held_vowel: Option<char>,
    scratch: Vec<u8>,
}

impl ChunkDecoder {
    pub fn new(encoding: TextEncoding) -> ChunkDecoder {
        ChunkDecoder {
            decoder: CharsetDecoder::new(encoding.charset),
            had_replacements: false,
            windows_1252_bytes: 0,
            compose_tones: encoding.charset == Charset::Windows1258,
            held_vowel: None,
            scratch: Vec::new(),
        }
    }

    /// Appends the UTF-8 text of `chunk` to `out`.
    pub fn decode(&mut self, chunk: &[u8], last: bool, out: &mut Vec<u8>) {
        if !self.compose_tones {
            return self.decode_raw(chunk, last, out);
        }
        let mut decoded = std::mem::take(&mut self.scratch);
        decoded.clear();
        if let Some(vowel) = self.held_vowel.take() {
            decoded.extend_from_slice(vowel.encode_utf8(&mut [0; 4]).as_bytes());
        }
        self.decode_raw(chunk, last, &mut decoded);
        let text = std::str::from_utf8(&decoded).expect("the decoder writes UTF-8");
        let mut composed = compose_vietnamese_tones(text);
        if !last
            && let Some(end) = composed
                .chars()
                .next_back()
                .filter(|c| composes_with_tone(*c))
        {
            composed.pop();
            self.held_vowel = Some(end);
        }
        out.extend_from_slice(composed.as_bytes());
        self.scratch = decoded;
    }

    /// `chunk` itself when it is UTF-8 text that needs no decoding (see
    /// [`CharsetDecoder::utf8_in_place`]): most chunks of most files, read without a copy.
    pub fn text_in_place<'a>(&mut self, chunk: &'a [u8], last: bool) -> Option<&'a [u8]> {
        if self.compose_tones {
            return None;
        }
        self.decoder.utf8_in_place(chunk, last)
    }

    fn decode_raw(&mut self, chunk: &[u8], last: bool, out: &mut Vec<u8>) {
        self.decoder.decode(chunk, last, out);
        self.had_replacements |= self.decoder.had_replacements;
        self.windows_1252_bytes = self.decoder.windows_1252_bytes;
    }
}

/// Vowel + combining tone mark → the precomposed letter (NFC), for the vowels of Vietnamese.
const VIETNAMESE_TONES: &[(char, char, char)] = &[
    ('a', '\u{300}', 'à'),
    ('a', '\u{301}', 'á'),
    ('a', '\u{303}', 'ã'),
    ('a', '\u{309}', 'ả'),
    ('a', '\u{323}', 'ạ'),
    ('ă', '\u{300}', 'ằ'),
    ('ă', '\u{301}', 'ắ'),
    ('ă', '\u{303}', 'ẵ'),
    ('ă', '\u{309}', 'ẳ'),
    ('ă', '\u{323}', 'ặ'),
    ('â', '\u{300}', 'ầ'),
    ('â', '\u{301}', 'ấ'),
    ('â', '\u{303}', 'ẫ'),
    ('â', '\u{309}', 'ẩ'),
    ('â', '\u{323}', 'ậ'),
    ('e', '\u{300}', 'è'),
    ('e', '\u{301}', 'é'),
    ('e', '\u{303}', 'ẽ'),
    ('e', '\u{309}', 'ẻ'),
    ('e', '\u{323}', 'ẹ'),
    ('ê', '\u{300}', 'ề'),
    ('ê', '\u{301}', 'ế'),
    ('ê', '\u{303}', 'ễ'),
    ('ê', '\u{309}', 'ể'),
    ('ê', '\u{323}', 'ệ'),
    ('i', '\u{300}', 'ì'),
    ('i', '\u{301}', 'í'),
    ('i', '\u{303}', 'ĩ'),
    ('i', '\u{309}', 'ỉ'),
    ('i', '\u{323}', 'ị'),
    ('o', '\u{300}', 'ò'),
    ('o', '\u{301}', 'ó'),
    ('o', '\u{303}', 'õ'),
    ('o', '\u{309}', 'ỏ'),
    ('o', '\u{323}', 'ọ'),
    ('ô', '\u{300}', 'ồ'),
    ('ô', '\u{301}', 'ố'),
    ('ô', '\u{303}', 'ỗ'),
    ('ô', '\u{309}', 'ổ'),
    ('ô', '\u{323}', 'ộ'),
    ('ơ', '\u{300}', 'ờ'),
    ('ơ', '\u{301}', 'ớ'),
    ('ơ', '\u{303}', 'ỡ'),
    ('ơ', '\u{309}', 'ở'),
    ('ơ', '\u{323}', 'ợ'),
    ('u', '\u{300}', 'ù'),
    ('u', '\u{301}', 'ú'),
    ('u', '\u{303}', 'ũ'),
    ('u', '\u{309}', 'ủ'),
    ('u', '\u{323}', 'ụ'),
    ('ư', '\u{300}', 'ừ'),
    ('ư', '\u{301}', 'ứ'),
    ('ư', '\u{303}', 'ữ'),
    ('ư', '\u{309}', 'ử'),
    ('ư', '\u{323}', 'ự'),
    ('y', '\u{300}', 'ỳ'),
    ('y', '\u{301}', 'ý'),
    ('y', '\u{303}', 'ỹ'),
    ('y', '\u{309}', 'ỷ'),
    ('y', '\u{323}', 'ỵ'),
    ('A', '\u{300}', 'À'),
    ('A', '\u{301}', 'Á'),
    ('A', '\u{303}', 'Ã'),
    ('A', '\u{309}', 'Ả'),
    ('A', '\u{323}', 'Ạ'),
    ('Ă', '\u{300}', 'Ằ'),
    ('Ă', '\u{301}', 'Ắ'),
    ('Ă', '\u{303}', 'Ẵ'),
    ('Ă', '\u{309}', 'Ẳ'),
    ('Ă', '\u{323}', 'Ặ'),
    ('Â', '\u{300}', 'Ầ'),
    ('Â', '\u{301}', 'Ấ'),
    ('Â', '\u{303}', 'Ẫ'),
    ('Â', '\u{309}', 'Ẩ'),
    ('Â', '\u{323}', 'Ậ'),
    ('E', '\u{300}', 'È'),
    ('E', '\u{301}', 'É'),
    ('E', '\u{303}', 'Ẽ'),
    ('E', '\u{309}', 'Ẻ'),
    ('E', '\u{323}', 'Ẹ'),
    ('Ê', '\u{300}', 'Ề'),
    ('Ê', '\u{301}', 'Ế'),
    ('Ê', '\u{303}', 'Ễ'),
    ('Ê', '\u{309}', 'Ể'),
    ('Ê', '\u{323}', 'Ệ'),
    ('I', '\u{300}', 'Ì'),
    ('I', '\u{301}', 'Í'),
    ('I', '\u{303}', 'Ĩ'),
    ('I', '\u{309}', 'Ỉ'),
    ('I', '\u{323}', 'Ị'),
    ('O', '\u{300}', 'Ò'),
    ('O', '\u{301}', 'Ó'),
    ('O', '\u{303}', 'Õ'),
    ('O', '\u{309}', 'Ỏ'),
    ('O', '\u{323}', 'Ọ'),
    ('Ô', '\u{300}', 'Ồ'),
    ('Ô', '\u{301}', 'Ố'),
    ('Ô', '\u{303}', 'Ỗ'),
    ('Ô', '\u{309}', 'Ổ'),
    ('Ô', '\u{323}', 'Ộ'),
    ('Ơ', '\u{300}', 'Ờ'),
    ('Ơ', '\u{301}', 'Ớ'),
    ('Ơ', '\u{303}', 'Ỡ'),
    ('Ơ', '\u{309}', 'Ở'),
    ('Ơ', '\u{323}', 'Ợ'),
    ('U', '\u{300}', 'Ù'),
    ('U', '\u{301}', 'Ú'),
    ('U', '\u{303}', 'Ũ'),
    ('U', '\u{309}', 'Ủ'),
    ('U', '\u{323}', 'Ụ'),
    ('Ư', '\u{300}', 'Ừ'),
    ('Ư', '\u{301}', 'Ứ'),
    ('Ư', '\u{303}', 'Ữ'),
    ('Ư', '\u{309}', 'Ử'),
    ('Ư', '\u{323}', 'Ự'),
    ('Y', '\u{300}', 'Ỳ'),
    ('Y', '\u{301}', 'Ý'),
    ('Y', '\u{303}', 'Ỹ'),
    ('Y', '\u{309}', 'Ỷ'),
    ('Y', '\u{323}', 'Ỵ'),
];

fn composes_with_tone(c: char) -> bool {
    VIETNAMESE_TONES.iter().any(|&(base, _, _)| base == c)
}

/// Composes Vietnamese vowel + tone-mark pairs into single letters; other text is unchanged.
pub fn compose_vietnamese_tones(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if ('\u{300}'..='\u{323}').contains(&c)
            && let Some(last) = out.chars().next_back()
            && let Some(&(_, _, composed)) = VIETNAMESE_TONES
                .iter()
                .find(|&&(base, mark, _)| base == last && mark == c)
        {
            out.pop();
            out.push(composed);
            continue;
        }
        out.push(c);
    }
    out
}

/// Turns whitespace-separated columns (CDNOW: `00001 19970101  1  11.77`) into tab-separated
/// ones: leading blanks dropped, each run of blanks one tab. Keeps state across chunks.
#[derive(Default)]
pub struct WhitespaceColumns {
    at_line_start: bool,
    in_blanks: bool,
}

impl WhitespaceColumns {
    pub fn new() -> WhitespaceColumns {
        WhitespaceColumns {
            at_line_start: true,
            in_blanks: false,
        }
    }

    pub fn convert(&mut self, text: &[u8], out: &mut Vec<u8>) {
        out.reserve(text.len());
        for &byte in text {
            match byte {
                b' ' | b'\t' => self.in_blanks = true,
                b'\n' | b'\r' => {
                    out.push(byte);
                    self.at_line_start = true;
                    self.in_blanks = false;
                }
                _ => {
                    if self.in_blanks && !self.at_line_start {
                        out.push(b'\t');
                    }
                    out.push(byte);
                    self.at_line_start = false;
                    self.in_blanks = false;
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decode_all(bytes: &[u8]) -> (String, &'static str) {
        let encoding = detect_encoding(bytes, true);
        let mut decoder = ChunkDecoder::new(encoding);
        let mut out = Vec::new();
        decoder.decode(bytes, true, &mut out);
        (String::from_utf8(out).unwrap(), encoding.name)
    }

    #[test]
    fn decodes_every_supported_encoding() {
        let text = "Mã khách hàng,Tổng tiền\nKH1,1.250.000 ₫\n";
        let mut utf16le = vec![0xFF, 0xFE];
        utf16le.extend(text.encode_utf16().flat_map(|u| u.to_le_bytes()));
        let mut utf16be = vec![0xFE, 0xFF];
        utf16be.extend(text.encode_utf16().flat_map(|u| u.to_be_bytes()));
        let with_bom = [b"\xEF\xBB\xBF".as_slice(), text.as_bytes()].concat();
        // Windows-1258 writes "ã" as a + combining tilde (0xDE); đ ơ à á Đ ă are single bytes.
        let windows_1258 = b"Ma\xDE \xF0\xF5n h\xE0ng,Kh\xE1ch h\xE0ng\n\xD01,V\xE3n\n".to_vec();
        let windows_1252 = b"Customer,Caf\xE9,Zo\xEB\n".to_vec();
        let cases: Vec<(Vec<u8>, &str, &str)> = vec![
            (text.as_bytes().to_vec(), "UTF-8", text),
            (with_bom, "UTF-8 (BOM)", text),
            (utf16le, "UTF-16LE", text),
            (utf16be, "UTF-16BE", text),
            (
                windows_1258,
                "windows-1258",
                "Mã đơn hàng,Khách hàng\nĐ1,Văn\n",
            ),
            (windows_1252, "windows-1252", "Customer,Café,Zoë\n"),
        ];
        for (bytes, name, expected) in cases {
            let (decoded, detected) = decode_all(&bytes);
            assert_eq!(detected, name);
            assert_eq!(decoded, expected);
        }
    }

    #[test]
    fn a_character_split_between_chunks_survives() {
        let text = "a,Nguyễn\n".as_bytes();
        let mut decoder = ChunkDecoder::new(TextEncoding {
            charset: Charset::Utf8,
            name: "UTF-8",
        });
        let mut out = Vec::new();
        for piece in text.chunks(3) {
            decoder.decode(piece, false, &mut out);
        }
        decoder.decode(&[], true, &mut out);
        assert_eq!(out, text);
        assert!(!decoder.had_replacements);
    }

    #[test]
    fn partial_prefix_cut_inside_a_character_is_still_utf8() {
        let text = "ễ".as_bytes();
        assert_eq!(detect_encoding(&text[..2], false).name, "UTF-8");
    }

    #[test]
    fn recognises_files_that_are_not_csv() {
        assert!(sniff_binary(b"PK\x03\x04rest").unwrap().1.contains("Excel"));
        assert!(sniff_binary(b"\x89PNG\r\n").unwrap().1.contains("PNG"));
        assert!(
            sniff_binary(b"  <!DOCTYPE html><html>")
                .unwrap()
                .1
                .contains("HTML")
        );
        assert_eq!(sniff_binary(b"a,b\n1,2\n"), None);
    }

    #[test]
    fn whitespace_columns_become_tabs() {
        let mut columns = WhitespaceColumns::new();
        let mut out = Vec::new();
        columns.convert(b"  00001 19970101  1", &mut out);
        columns.convert(b"  11.77\r\n00002\t19970112 2 89.00\n", &mut out);
        assert_eq!(
            out,
            b"00001\t19970101\t1\t11.77\r\n00002\t19970112\t2\t89.00\n"
        );
    }
}
