//! Ingestion from JS: `OrderBook.fromCsv`, `OrderBook.fromRows`, `OrderBookBuilder`, `summary()`.

use wasm_bindgen::prelude::*;

use super::rows::HostRows;
use super::{JsOrderBook, OptionFields, to_js};
use crate::ingest::columns::preset;
use crate::ingest::{self, DateOrder, IngestOptions, named_encoding};
use crate::message::{Code, Message};

/// Reads an `IngestOptions` object; `undefined` and `null` mean "detect everything".
pub(super) fn ingest_options(value: &JsValue) -> Result<IngestOptions, Message> {
    let fields = OptionFields::of(value, "{ preset: 'shopify' }")?;
    let columns = fields
        .columns("{ columns: { customer: 'Email' } }")?
        .unwrap_or_default();
    Ok(IngestOptions {
        preset: fields
            .text("preset")?
            .map(|name| preset(&name))
            .transpose()?,
        columns,
        date_order: date_order(fields.text("dateOrder")?)?,
        delimiter: delimiter(fields.text("delimiter")?)?,
        encoding: fields
            .text("encoding")?
            .map(|label| named_encoding(&label))
            .transpose()?,
        customer_id_normalization: fields.customer_id_normalization()?.unwrap_or_default(),
        phone_country: fields.phone_country()?.unwrap_or_default(),
        attributes: fields.texts("attributes")?.unwrap_or_default(),
    })
}

/// `ymd`, `dmy` or `mdy` in any case; blank or `auto` is "detect".
fn date_order(text: Option<String>) -> Result<Option<DateOrder>, Message> {
    let Some(text) = text.map(|t| t.trim().to_ascii_lowercase()) else {
        return Ok(None);
    };
    match text.as_str() {
        "" | "auto" => Ok(None),
        "ymd" => Ok(Some(DateOrder::Ymd)),
        "dmy" => Ok(Some(DateOrder::Dmy)),
        "mdy" => Ok(Some(DateOrder::Mdy)),
        _ => Err(Message::not_a_choice(
            format!(
                "invalid dateOrder '{text}': use 'dmy' (31/12/2024), 'mdy' (12/31/2024) or 'ymd'"
            ),
            "dateOrder",
            &text,
            "'dmy', 'mdy', 'ymd'",
        )),
    }
}

/// `,` `;` `|`, a tab (`\t` or `tab`) or `whitespace` (runs of blanks, read as `b' '`); blank or
/// `auto` is "detect".
fn delimiter(text: Option<String>) -> Result<Option<u8>, Message> {
    let Some(text) = text else {
        return Ok(None);
    };
    match text.as_str() {
        "" | "auto" => Ok(None),
        "\t" | "\\t" | "tab" => Ok(Some(b'\t')),
        "whitespace" | " " => Ok(Some(b' ')),
        _ if text.len() == 1 && text.is_ascii() && !matches!(text.as_str(), "\"" | "\n" | "\r") => {
            Ok(Some(text.as_bytes()[0]))
        }
        _ => Err(Message::not_a_choice(
            format!("invalid delimiter '{text}': use ',', ';', '|', 'tab' or 'whitespace'"),
            "delimiter",
            &text,
            "',', ';', '|', 'tab', 'whitespace'",
        )),
    }
}

#[wasm_bindgen(typescript_custom_section)]
const INGEST_TYPES: &str = r#"
/** How to read a file; every field optional and detected when absent. */
export interface IngestOptions {
  preset?: 'online-retail' | 'shopify' | 'haravan' | 'sapo' | 'kiotviet' | 'woocommerce' | 'cdnow' | 'generic';
  /** Header name per role; '' means "this file has no such column". */
  columns?: {
    customer?: string; order?: string; date?: string; amount?: string; quantity?: string;
    unitPrice?: string; status?: string;
    /** Order attributes: kept per order for `attributes()`, `filter` and comparisons. */
    country?: string; region?: string; channel?: string; paymentMethod?: string;
    discountCode?: string; tags?: string; location?: string;
    /** A line's product: its id (SKU), name and category (line-item files). */
    productId?: string; productName?: string; category?: string;
  };
  /** Headers of more columns to keep as order attributes (keyed by their header). */
  attributes?: string[];
  dateOrder?: 'ymd' | 'dmy' | 'mdy';
  /** ',', ';', '|', 'tab' or 'whitespace'. */
  delimiter?: string;
  /** 'utf-8', 'utf-16le', 'utf-16be', 'windows-1252', 'windows-1258'. */
  encoding?: string;
  /**
   * How customer ids are made comparable. 'auto' (default): in a customer column whose header
   * names an e-mail or phone column, e-mail addresses are lowercased and phone numbers written
   * in E.164 ('+84912345678'); other columns as written (trimmed). 'none': as written;
   * 'email' / 'phone': that rule whatever the header.
   */
  customerIdNormalization?: 'auto' | 'none' | 'email' | 'phone';
  /** Country of phone numbers written the national way (ISO code; default 'VN'). */
  phoneCountry?: string;
}
/** Orders as columns (`fromColumns`): each key a column name (as a CSV header), each value one
 * value per order — strings, numbers, dates or null; numbers may come as a typed array. */
export type OrderColumns = Record<string, ArrayLike<unknown> | Float64Array>;
/** A rejected row: `reason` in English; `code` and `params` to word it in another language. */
export interface Reject {
  row: number; column: string; value: string; reason: string; code: string;
  params: Record<string, string>;
}
/** Something the engine says: a stable `code`, the English `message` and named `params`. */
export interface EngineMessage { code: string; message: string; params: Record<string, string>; }
/** What every call throws: an Error whose English `message` comes with a stable `code` and its
 * `params`, to word it in another language. */
export interface EngineError extends Error { code: string; params: Record<string, string>; }
/** What ingestion throws (an `EngineError`). */
export type IngestError = EngineError;
export interface Summary {
  rowsRead: number; rowsAccepted: number; rowsRejected: number; rowsAnonymous: number;
  orders: number; purchases: number; returns: number; cancelled: number;
  customers: number; customersWithPurchase: number; revenue: number;
  firstDate: string | null; lastDate: string | null;
  encoding: string; delimiter: string; dateOrder: 'ymd' | 'dmy' | 'mdy';
  dateOrderAmbiguous: boolean; decimalSeparator: 'dot' | 'comma'; preset: string;
  /** [role, header] pairs of the columns used. */
  columns: [string, string][];
  /** The customer id normalisation applied, and the country of national phone numbers. */
  customerIdNormalization: 'none' | 'email' | 'phone'; phoneCountry: string;
  headers: string[]; blankLines: number; titleLines: number; rejects: Reject[]; notes: string[];
  /** Each of `notes` with a stable code and its params, to word the note in another language. */
  noteCodes: EngineMessage[];
}
"#;

#[wasm_bindgen(js_class = OrderBook)]
impl JsOrderBook {
    /// Reads a whole CSV file (`Uint8Array`).
    #[wasm_bindgen(js_name = fromCsv)]
    pub fn from_csv(
        bytes: &[u8],
        #[wasm_bindgen(js_name = "options", unchecked_optional_param_type = "IngestOptions")]
        options_value: JsValue,
    ) -> Result<JsOrderBook, JsValue> {
        let options = ingest_options(&options_value)?;
        Ok(JsOrderBook::new(ingest::read_csv(bytes, &options)?))
    }

    /// Reads orders a host page already has: an array of plain objects whose keys are the
    /// column names (the union of the first 5,000 rows' keys is the header) and whose values are
    /// strings, numbers, dates or null.
    #[wasm_bindgen(js_name = fromRows)]
    pub fn from_rows(
        #[wasm_bindgen(unchecked_param_type = "Record<string, unknown>[]")] rows: js_sys::Array,
        #[wasm_bindgen(js_name = "options", unchecked_optional_param_type = "IngestOptions")]
        options_value: JsValue,
    ) -> Result<JsOrderBook, JsValue> {
        read_host_rows(HostRows::objects(rows), &options_value)
    }

    /// Reads orders a host page holds as columns: an object whose keys are the column names and
    /// whose values are arrays (or typed arrays such as `Float64Array`) of one value per order.
    #[wasm_bindgen(js_name = fromColumns)]
    pub fn from_columns(
        #[wasm_bindgen(unchecked_param_type = "OrderColumns")] columns: JsValue,
        #[wasm_bindgen(js_name = "options", unchecked_optional_param_type = "IngestOptions")]
        options_value: JsValue,
    ) -> Result<JsOrderBook, JsValue> {
        read_host_rows(HostRows::columns(&columns), &options_value)
    }

    /// What was read: counts, detected settings and rejected rows (see the README). With
    /// `{ filter }`, the counts of orders, customers, revenue and dates are those of the kept
    /// orders; the rows' counts stay the file's.
    #[wasm_bindgen(unchecked_return_type = "Summary")]
    pub fn summary(
        &self,
        #[wasm_bindgen(
            js_name = "options",
            unchecked_optional_param_type = "{ filter?: OrderFilter }"
        )]
        options_value: JsValue,
    ) -> Result<JsValue, JsValue> {
        to_js(&self.view(&options_value)?.report)
    }
}

fn read_host_rows(
    rows: Result<HostRows, Message>,
    options_value: &JsValue,
) -> Result<JsOrderBook, JsValue> {
    let options = ingest_options(options_value)?;
    Ok(JsOrderBook::new(ingest::read_row_source(
        &mut rows?, &options,
    )?))
}

/// Reads a CSV file pushed chunk by chunk (a `File.stream()`), never holding it whole.
#[wasm_bindgen]
pub struct OrderBookBuilder {
    inner: Option<ingest::OrderBookBuilder>,
}

#[wasm_bindgen]
impl OrderBookBuilder {
    #[wasm_bindgen(constructor)]
    pub fn new(
        #[wasm_bindgen(js_name = "options", unchecked_optional_param_type = "IngestOptions")]
        options_value: JsValue,
    ) -> Result<OrderBookBuilder, JsValue> {
        let options = ingest_options(&options_value)?;
        let inner = ingest::OrderBookBuilder::new(options)?;
        Ok(OrderBookBuilder { inner: Some(inner) })
    }

    /// Takes the next chunk (`Uint8Array`).
    pub fn push(&mut self, chunk: &[u8]) -> Result<(), JsValue> {
        Ok(self.builder()?.push(chunk)?)
    }

    /// The file's size (`File.size`), when known: the orders' memory is then sized once
    /// instead of growing, which lets larger files fit. Call it before the first `push`.
    #[wasm_bindgen(js_name = expectBytes)]
    pub fn expect_bytes(&mut self, total: f64) -> Result<(), JsValue> {
        if !(total.is_finite() && total >= 0.0) {
            let text = "expectBytes takes the file's size, a number of bytes ≥ 0";
            return Err(Message::new(Code::EXPECT_BYTES_INVALID, text).into());
        }
        self.builder()?.expect_bytes(total as u64);
        Ok(())
    }

    /// Bytes pushed so far.
    #[wasm_bindgen(getter, js_name = bytesPushed)]
    pub fn bytes_pushed(&self) -> f64 {
        self.inner.as_ref().map_or(0.0, |b| b.bytes_pushed() as f64)
    }

    /// Data rows read so far.
    #[wasm_bindgen(getter, js_name = rowsRead)]
    pub fn rows_read(&self) -> f64 {
        self.inner.as_ref().map_or(0.0, |b| b.rows_read() as f64)
    }

    /// Reads what is left and returns the `OrderBook`; the builder cannot be used afterwards.
    pub fn finish(&mut self) -> Result<JsOrderBook, JsValue> {
        let builder = self.inner.take().ok_or_else(finished)?;
        Ok(JsOrderBook::new(builder.finish()?))
    }

    fn builder(&mut self) -> Result<&mut ingest::OrderBookBuilder, Message> {
        self.inner.as_mut().ok_or_else(finished)
    }
}

pub(super) fn finished() -> Message {
    Message::new(
        Code::BUILDER_FINISHED,
        "this OrderBookBuilder has finished: create a new one for another file",
    )
}
