//! Results as JSON text: a serde `Serializer` writing into one `String`.
//!
//! The WASM skin hands every result to JavaScript as this text and `JSON.parse`s it there, rather
//! than building the objects field by field from Rust: each result type's serializing code is then
//! a run of small string writes instead of calls across to JavaScript, which made the `.wasm`
//! several kilobytes smaller at the same speed. The text is what `serde-wasm-bindgen`'s
//! JSON-compatible serializer built as objects: structs and maps as objects, `None` and `()` as
//! `null`, unit variants as their name, other variants as `{ name: value }`, `f32` as the `f64` it
//! converts to.
//!
//! JSON has no NaN or infinities. A result holding one is written a second time in the
//! [`Json::marked`] form, for a reader that restores them ([`Json::MARK`]).

use serde::ser::{self, Serialize};
use std::fmt::{self, Write};

/// A value written as JSON text.
#[derive(Debug, PartialEq)]
pub struct Json {
    pub text: String,
    /// Whether the text is marked: NaN, `inf` and `-inf` are the strings `"\0NaN"`,
    /// `"\0Infinity"` and `"\0-Infinity"`, and every other string starting with `\0` has a
    /// second `\0` in front. Only results holding a non-finite number are marked.
    pub marked: bool,
}

impl Json {
    /// The first character of a string that a marked text's reader must unmark.
    pub const MARK: char = '\0';
}

/// Writes `value` as JSON text, marked when it holds a non-finite number.
pub fn to_json<T: Serialize + ?Sized>(value: &T) -> Json {
    let mut writer = Writer::default();
    let Ok(()) = value.serialize(&mut writer);
    if !writer.non_finite {
        return Json {
            text: writer.out,
            marked: false,
        };
    }
    let mut writer = Writer {
        marked: true,
        ..Writer::default()
    };
    let Ok(()) = value.serialize(&mut writer);
    Json {
        text: writer.out,
        marked: true,
    }
}

/// The writer never fails, and no result's `Serialize` reports an error of its own: they are
/// derived, or write numbers, strings, sequences and maps. Having no value, the error type lets
/// the compiler drop the error path after every field, a large part of each result's code.
#[derive(Debug)]
pub enum Error {}

impl fmt::Display for Error {
    fn fmt(&self, _: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {}
    }
}

impl std::error::Error for Error {}

impl ser::Error for Error {
    /// Reached only by a `Serialize` that reports its own error, which no result has.
    fn custom<T: fmt::Display>(_: T) -> Error {
        unreachable!("results never report a serialisation error")
    }
}

#[derive(Default)]
struct Writer {
    out: String,
    /// Writing a map's key: numbers are quoted (object keys are strings).
    in_key: bool,
    /// A NaN or infinity was met.
    non_finite: bool,
    /// Writing the marked form.
    marked: bool,
}

impl Writer {
    /// The comma before an element, a field or a key, unless it is the first.
    #[inline(never)]
    fn separate(&mut self) {
        if !matches!(self.out.as_bytes().last(), Some(b'[' | b'{')) {
            self.out.push(',');
        }
    }

    #[inline(never)]
    fn string(&mut self, text: &str) {
        self.out.push('"');
        if self.marked && text.starts_with(Json::MARK) {
            self.out.push_str("\\u0000");
        }
        self.escaped(text);
        self.out.push('"');
    }

    /// `text` with `"`, `\` and control characters escaped, without the quotes.
    fn escaped(&mut self, text: &str) {
        let bytes = text.as_bytes();
        let mut start = 0;
        for (i, &byte) in bytes.iter().enumerate() {
            if byte >= 0x20 && byte != b'"' && byte != b'\\' {
                continue;
            }
            self.out.push_str(&text[start..i]);
            match byte {
                b'"' => self.out.push_str("\\\""),
                b'\\' => self.out.push_str("\\\\"),
                b'\n' => self.out.push_str("\\n"),
                _ => {
                    const HEX: &[u8; 16] = b"0123456789abcdef";
                    self.out.push_str("\\u00");
                    self.out.push(HEX[usize::from(byte >> 4)] as char);
                    self.out.push(HEX[usize::from(byte & 15)] as char);
                }
            }
            start = i + 1;
        }
        self.out.push_str(&text[start..]);
    }

    #[inline(never)]
    fn key(&mut self, name: &str) {
        self.separate();
        self.string(name);
        self.out.push(':');
    }

    /// An integer, its sign apart; quoted as a map's key.
    #[inline(never)]
    fn integer(&mut self, negative: bool, magnitude: u64) {
        let mut digits = [0u8; 20];
        let mut at = digits.len();
        let mut rest = magnitude;
        loop {
            at -= 1;
            digits[at] = b'0' + (rest % 10) as u8;
            rest /= 10;
            if rest == 0 {
                break;
            }
        }
        if self.in_key {
            self.out.push('"');
        }
        if negative {
            self.out.push('-');
        }
        // Only ASCII digits were written.
        self.out
            .push_str(std::str::from_utf8(&digits[at..]).unwrap_or_default());
        if self.in_key {
            self.out.push('"');
        }
    }

    #[inline(never)]
    fn float(&mut self, value: f64) {
        if value.fract() == 0.0 && value.abs() < 9.007_199_254_740_992e15 {
            let negative = value.is_sign_negative();
            if negative && value == 0.0 {
                self.out.push_str(if self.in_key { "\"0\"" } else { "-0" });
                return;
            }
            return self.integer(negative, value.abs() as u64);
        }
        if value.is_finite() {
            // The shortest decimal that reads back as the same number, never in exponent form.
            let quote = if self.in_key { "\"" } else { "" };
            let _ = write!(self.out, "{quote}{value}{quote}");
            return;
        }
        self.non_finite = true;
        self.out.push_str(match (value.is_nan(), value > 0.0) {
            (true, _) => "\"\\u0000NaN\"",
            (false, true) => "\"\\u0000Infinity\"",
            (false, false) => "\"\\u0000-Infinity\"",
        });
    }
}

/// Writes what a `Display` writes, escaped, into the writer's text.
struct Escaping<'a>(&'a mut Writer);

impl Write for Escaping<'_> {
    fn write_str(&mut self, text: &str) -> fmt::Result {
        self.0.escaped(text);
        Ok(())
    }
}

type Done = Result<(), Error>;

impl ser::Serializer for &mut Writer {
    type Ok = ();
    type Error = Error;
    type SerializeSeq = Self;
    type SerializeTuple = Self;
    type SerializeTupleStruct = Self;
    type SerializeTupleVariant = Self;
    type SerializeMap = Self;
    type SerializeStruct = Self;
    type SerializeStructVariant = Self;

    #[inline(never)]
    fn serialize_bool(self, value: bool) -> Done {
        self.out.push_str(if value { "true" } else { "false" });
        Ok(())
    }
    fn serialize_i8(self, value: i8) -> Done {
        self.serialize_i64(value.into())
    }
    fn serialize_i16(self, value: i16) -> Done {
        self.serialize_i64(value.into())
    }
    fn serialize_i32(self, value: i32) -> Done {
        self.serialize_i64(value.into())
    }
    fn serialize_i64(self, value: i64) -> Done {
        self.integer(value < 0, value.unsigned_abs());
        Ok(())
    }
    fn serialize_u8(self, value: u8) -> Done {
        self.serialize_u64(value.into())
    }
    fn serialize_u16(self, value: u16) -> Done {
        self.serialize_u64(value.into())
    }
    fn serialize_u32(self, value: u32) -> Done {
        self.serialize_u64(value.into())
    }
    fn serialize_u64(self, value: u64) -> Done {
        self.integer(false, value);
        Ok(())
    }
    fn serialize_f32(self, value: f32) -> Done {
        self.float(value.into());
        Ok(())
    }
    fn serialize_f64(self, value: f64) -> Done {
        self.float(value);
        Ok(())
    }
    fn serialize_char(self, value: char) -> Done {
        self.string(value.encode_utf8(&mut [0; 4]));
        Ok(())
    }
    fn serialize_str(self, value: &str) -> Done {
        self.string(value);
        Ok(())
    }
    fn collect_str<T: fmt::Display + ?Sized>(self, value: &T) -> Done {
        // Displayed values of this crate (days) never start with the mark.
        self.out.push('"');
        let _ = write!(Escaping(self), "{value}");
        self.out.push('"');
        Ok(())
    }
    fn serialize_bytes(self, value: &[u8]) -> Done {
        use ser::SerializeSeq;
        let mut seq = self.serialize_seq(Some(value.len()))?;
        for byte in value {
            seq.serialize_element(byte)?;
        }
        seq.end()
    }
    fn serialize_none(self) -> Done {
        self.serialize_unit()
    }
    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Done {
        value.serialize(self)
    }
    #[inline(never)]
    fn serialize_unit(self) -> Done {
        self.out.push_str("null");
        Ok(())
    }
    fn serialize_unit_struct(self, _name: &'static str) -> Done {
        self.serialize_unit()
    }
    fn serialize_unit_variant(self, _: &'static str, _: u32, variant: &'static str) -> Done {
        self.string(variant);
        Ok(())
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(self, _: &'static str, value: &T) -> Done {
        value.serialize(self)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        value: &T,
    ) -> Done {
        self.out.push('{');
        self.key(variant);
        value.serialize(&mut *self)?;
        self.out.push('}');
        Ok(())
    }
    #[inline(never)]
    fn serialize_seq(self, _len: Option<usize>) -> Result<Self, Error> {
        self.out.push('[');
        Ok(self)
    }
    fn serialize_tuple(self, len: usize) -> Result<Self, Error> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_struct(self, _: &'static str, len: usize) -> Result<Self, Error> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        _len: usize,
    ) -> Result<Self, Error> {
        self.out.push('{');
        self.key(variant);
        self.out.push('[');
        Ok(self)
    }
    #[inline(never)]
    fn serialize_map(self, _len: Option<usize>) -> Result<Self, Error> {
        self.out.push('{');
        Ok(self)
    }
    #[inline(never)]
    fn serialize_struct(self, _: &'static str, _len: usize) -> Result<Self, Error> {
        self.out.push('{');
        Ok(self)
    }
    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        _len: usize,
    ) -> Result<Self, Error> {
        self.out.push('{');
        self.key(variant);
        self.out.push('{');
        Ok(self)
    }
}

impl ser::SerializeSeq for &mut Writer {
    type Ok = ();
    type Error = Error;
    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Done {
        self.separate();
        value.serialize(&mut **self)
    }
    #[inline(never)]
    fn end(self) -> Done {
        self.out.push(']');
        Ok(())
    }
}

impl ser::SerializeTuple for &mut Writer {
    type Ok = ();
    type Error = Error;
    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Done {
        ser::SerializeSeq::serialize_element(self, value)
    }
    fn end(self) -> Done {
        ser::SerializeSeq::end(self)
    }
}

impl ser::SerializeTupleStruct for &mut Writer {
    type Ok = ();
    type Error = Error;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, value: &T) -> Done {
        ser::SerializeSeq::serialize_element(self, value)
    }
    fn end(self) -> Done {
        ser::SerializeSeq::end(self)
    }
}

impl ser::SerializeTupleVariant for &mut Writer {
    type Ok = ();
    type Error = Error;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, value: &T) -> Done {
        ser::SerializeSeq::serialize_element(self, value)
    }
    fn end(self) -> Done {
        self.out.push_str("]}");
        Ok(())
    }
}

impl ser::SerializeMap for &mut Writer {
    type Ok = ();
    type Error = Error;
    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Done {
        self.separate();
        self.in_key = true;
        let written = key.serialize(&mut **self);
        self.in_key = false;
        self.out.push(':');
        written
    }
    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> Done {
        value.serialize(&mut **self)
    }
    #[inline(never)]
    fn end(self) -> Done {
        self.out.push('}');
        Ok(())
    }
}

impl ser::SerializeStruct for &mut Writer {
    type Ok = ();
    type Error = Error;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, name: &'static str, value: &T) -> Done {
        self.key(name);
        value.serialize(&mut **self)
    }
    #[inline(never)]
    fn end(self) -> Done {
        self.out.push('}');
        Ok(())
    }
}

impl ser::SerializeStructVariant for &mut Writer {
    type Ok = ();
    type Error = Error;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, name: &'static str, value: &T) -> Done {
        self.key(name);
        value.serialize(&mut **self)
    }
    fn end(self) -> Done {
        self.out.push_str("}}");
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Serialize;
    use std::collections::BTreeMap;

    #[derive(Serialize)]
    #[serde(rename_all = "camelCase")]
    struct Sample {
        name: &'static str,
        first_day: crate::Day,
        counts: Vec<u32>,
        share: f64,
        small: f32,
        missing: Option<i64>,
        kind: Kind,
        #[serde(flatten)]
        extra: Extra,
        by_id: BTreeMap<u32, i8>,
    }

    #[derive(Serialize)]
    #[serde(rename_all = "lowercase")]
    enum Kind {
        Order,
    }

    #[derive(Serialize)]
    struct Extra {
        tagged: Tagged,
        pair: (bool, char),
    }

    #[derive(Serialize)]
    enum Tagged {
        Point { x: i32 },
    }

    #[test]
    fn results_are_written_as_serde_wasm_bindgen_built_them() {
        let sample = Sample {
            name: "a \"quoted\"\\ name\n\u{1}é",
            first_day: "2011-12-09".parse().unwrap(),
            counts: vec![],
            share: 0.1,
            small: 0.1,
            missing: None,
            kind: Kind::Order,
            extra: Extra {
                tagged: Tagged::Point { x: -3 },
                pair: (true, 'x'),
            },
            by_id: BTreeMap::from([(7, -1), (12, 0)]),
        };
        let json = to_json(&sample);
        assert!(!json.marked);
        assert_eq!(
            json.text,
            r#"{"name":"a \"quoted\"\\ name\n\u0001é","firstDay":"2011-12-09","counts":[],"share":0.1,"small":0.10000000149011612,"missing":null,"kind":"order","tagged":{"Point":{"x":-3}},"pair":[true,"x"],"byId":{"7":-1,"12":0}}"#
        );
    }

    #[test]
    fn numbers_read_back_as_the_same_numbers() {
        let values: [f64; 9] = [
            0.0, -0.0, 3.0, -42.0, 1e300, 1e-300, 2.5e-7, 123456.789, 9.1e15,
        ];
        let json = to_json(&values[..]);
        assert!(json.text.starts_with("[0,-0,3,-42,1000"), "{}", json.text);
        let read: Vec<f64> = json.text[1..json.text.len() - 1]
            .split(',')
            .map(|n| n.parse().unwrap())
            .collect();
        assert_eq!(read.len(), values.len());
        for (read, value) in read.iter().zip(values) {
            assert_eq!(read.to_bits(), value.to_bits());
        }
        assert_eq!(
            to_json(&(i64::MIN, u64::MAX)).text,
            "[-9223372036854775808,18446744073709551615]"
        );
    }

    #[test]
    fn non_finite_numbers_are_marked_and_so_are_strings_starting_with_the_mark() {
        let json = to_json(&(f64::NAN, f64::INFINITY, f64::NEG_INFINITY, "\0x", "x\0"));
        assert!(json.marked);
        assert_eq!(
            json.text,
            r#"["\u0000NaN","\u0000Infinity","\u0000-Infinity","\u0000\u0000x","x\u0000"]"#
        );
        assert_eq!(to_json(&"\0x").text, r#""\u0000x""#);
    }
}
