//! `OrderBook.fromStream`: a `ReadableStream` of CSV or TSV bytes read chunk by chunk inside the
//! engine, so a host needs one call and never holds the file whole.
//!
//! The loop that awaits the stream's chunks is a few lines of JavaScript pushing each into an
//! [`OrderBookBuilder`]: awaiting in Rust would link `wasm-bindgen-futures`' runtime into the
//! core (5.7 KB gzipped) for this one call.

use js_sys::Promise;
use wasm_bindgen::prelude::*;
use web_sys::ReadableStream;

use super::book::OrderBookBuilder;
use super::{JsOrderBook, OptionFields};
use crate::message::{Expected, Message, Rule};

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

#[wasm_bindgen(inline_js = r#"
/**
 * Pushes every chunk of `stream` into `builder`, calling `onProgress` after each, and resolves
 * to the finished OrderBook. On any failure (the stream's, a chunk that is not bytes, the
 * engine's, the callback's) the source is told to stop and the promise rejects with that error.
 */
export async function readStream(stream, builder, onProgress) {
  const reader = stream.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      if (!(value instanceof Uint8Array)) {
        throw new Error('fromStream reads bytes: the stream gave something other than a Uint8Array (pipe text through a TextEncoderStream first)');
      }
      builder.push(value);
      onProgress?.({ bytesRead: builder.bytesPushed, rowsRead: builder.rowsRead });
    }
    reader.releaseLock();
    return builder.finish();
  } catch (error) {
    // Nothing more is wanted from the source (a fetch stops downloading). Awaited so that a
    // stream that failed, whose cancel() rejects too, leaves no unhandled rejection.
    await reader.cancel().catch(() => {});
    reader.releaseLock();
    throw error;
  } finally {
    builder.free();
  }
}
"#)]
extern "C" {
    #[wasm_bindgen(js_name = readStream)]
    fn read_stream(
        stream: &ReadableStream,
        builder: OrderBookBuilder,
        on_progress: &JsValue,
    ) -> Promise;
}

#[wasm_bindgen(js_class = OrderBook)]
impl JsOrderBook {
    /// Reads a `ReadableStream` of CSV or TSV bytes (`fetch(url).body`, `file.stream()`, a
    /// `DecompressionStream`'s output) chunk by chunk and resolves to the `OrderBook`.
    /// `onProgress({ bytesRead, rowsRead })` is called after each chunk. A stream that fails (a
    /// fetch aborted with an `AbortController`) rejects with its error; so does one that yields
    /// anything but `Uint8Array`s, and so do options the engine refuses.
    #[wasm_bindgen(js_name = fromStream, unchecked_return_type = "Promise<OrderBook>")]
    pub fn from_stream(
        stream: ReadableStream,
        #[wasm_bindgen(js_name = "options", unchecked_optional_param_type = "StreamOptions")]
        options_value: JsValue,
        #[wasm_bindgen(
            js_name = "onProgress",
            unchecked_optional_param_type = "(progress: StreamProgress) => void"
        )]
        on_progress: JsValue,
    ) -> Promise {
        match stream_builder(&options_value, &on_progress) {
            Ok(builder) => read_stream(&stream, builder, &on_progress),
            Err(error) => Promise::reject(&error),
        }
    }
}

/// The builder `fromStream` pushes into, once its options and callback are checked.
fn stream_builder(
    options_value: &JsValue,
    on_progress: &JsValue,
) -> Result<OrderBookBuilder, JsValue> {
    let mut builder = OrderBookBuilder::new(options_value.clone())?;
    let expected_bytes =
        OptionFields::of(options_value, "{ expectedBytes: file.size }")?.number("expectedBytes")?;
    if !(on_progress.is_undefined() || on_progress.is_null() || on_progress.is_function()) {
        let given = on_progress.js_typeof().as_string().unwrap_or_default();
        return Err(
            Message::invalid_option("onProgress", &given, Expected::of(&Rule::FUNCTION)).into(),
        );
    }
    if let Some(total) = expected_bytes {
        if !(total.is_finite() && total >= 0.0) {
            let given = total.to_string();
            return Err(Message::invalid_option(
                "expectedBytes",
                &given,
                Expected::with(&Rule::NUMBER_AT_LEAST, 0.0, f64::NAN),
            )
            .into());
        }
        builder.expect_bytes(total)?;
    }
    Ok(builder)
}
