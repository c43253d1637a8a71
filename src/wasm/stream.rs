//! `OrderBook.fromStream`: a `ReadableStream` of CSV or TSV bytes read chunk by chunk inside the
//! engine, so a host needs one call and never holds the file whole.

use js_sys::{Object, Reflect, Uint8Array};
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;
use web_sys::{ReadableStream, ReadableStreamDefaultReader};

use super::book::ingest_options;
use super::{JsOrderBook, OptionFields, js_error};
use crate::ingest;
use crate::message::Message;

#[wasm_bindgen(typescript_custom_section)]
const STREAM_TYPES: &str = r#"
/** What `OrderBook.fromStream` takes: the options of `fromCsv`, and the stream's size if known. */
export interface StreamOptions extends IngestOptions {
  /** The file's size in bytes (`File.size`; not of a compressed stream): see `expectBytes`. */
  expectedBytes?: number;
}
/** How far `OrderBook.fromStream` has read. */
export interface StreamProgress { bytesRead: number; rowsRead: number; }
"#;

#[wasm_bindgen(js_class = OrderBook)]
impl JsOrderBook {
    /// Reads a `ReadableStream` of CSV or TSV bytes (`fetch(url).body`, `file.stream()`, a
    /// `DecompressionStream`'s output) chunk by chunk and resolves to the `OrderBook`.
    /// `onProgress({ bytesRead, rowsRead })` is called after each chunk. A stream that fails (a
    /// fetch aborted with an `AbortController`) rejects with its error; so does one that yields
    /// anything but `Uint8Array`s.
    #[wasm_bindgen(js_name = fromStream)]
    pub async fn from_stream(
        stream: ReadableStream,
        #[wasm_bindgen(js_name = "options", unchecked_optional_param_type = "StreamOptions")]
        options_value: JsValue,
        #[wasm_bindgen(
            js_name = "onProgress",
            unchecked_optional_param_type = "(progress: StreamProgress) => void"
        )]
        on_progress: JsValue,
    ) -> Result<JsOrderBook, JsValue> {
        let options = ingest_options(&options_value)?;
        let expected_bytes = OptionFields::of(&options_value, "{ expectedBytes: file.size }")?
            .number("expectedBytes")?;
        let on_progress = match on_progress {
            value if value.is_undefined() || value.is_null() => None,
            value => Some(value.dyn_into::<js_sys::Function>().map_err(|value| {
                Message::invalid_option(
                    "onProgress",
                    &value.js_typeof().as_string().unwrap_or_default(),
                    "a function",
                )
            })?),
        };
        let mut builder = ingest::OrderBookBuilder::new(options).map_err(js_error)?;
        if let Some(total) = expected_bytes {
            if !(total.is_finite() && total >= 0.0) {
                let given = total.to_string();
                return Err(Message::invalid_option(
                    "expectedBytes",
                    &given,
                    "a number of bytes ≥ 0",
                )
                .into());
            }
            builder.expect_bytes(total as u64);
        }
        let reader: ReadableStreamDefaultReader = stream.get_reader().unchecked_into();
        let read = push_all(&reader, &mut builder, on_progress.as_ref()).await;
        if read.is_err() {
            // Nothing more is wanted from the source (a fetch stops downloading). Awaited so that
            // a stream that failed, whose cancel() rejects too, leaves no unhandled rejection.
            let _ = JsFuture::from(reader.cancel()).await;
        }
        reader.release_lock();
        read?;
        builder.finish().map(JsOrderBook::new).map_err(js_error)
    }
}

/// Pushes every chunk of the stream into the builder, reporting progress after each.
async fn push_all(
    reader: &ReadableStreamDefaultReader,
    builder: &mut ingest::OrderBookBuilder,
    on_progress: Option<&js_sys::Function>,
) -> Result<(), JsValue> {
    let done_key = JsValue::from_str("done");
    let value_key = JsValue::from_str("value");
    let mut chunk = Vec::new();
    loop {
        let result = JsFuture::from(reader.read()).await?;
        if Reflect::get(&result, &done_key)?.is_truthy() {
            return Ok(());
        }
        let bytes: Uint8Array = Reflect::get(&result, &value_key)?.dyn_into().map_err(|_| {
            JsError::new(
                "fromStream reads bytes: the stream gave something other than a Uint8Array \
                     (pipe text through a TextEncoderStream first)",
            )
        })?;
        chunk.resize(bytes.length() as usize, 0);
        bytes.copy_to(&mut chunk);
        builder.push(&chunk).map_err(js_error)?;
        if let Some(on_progress) = on_progress {
            let progress = Object::new();
            let bytes_read = JsValue::from_f64(builder.bytes_pushed() as f64);
            let rows_read = JsValue::from_f64(builder.rows_read() as f64);
            Reflect::set(&progress, &"bytesRead".into(), &bytes_read)?;
            Reflect::set(&progress, &"rowsRead".into(), &rows_read)?;
            on_progress.call1(&JsValue::NULL, &progress)?;
        }
    }
}
