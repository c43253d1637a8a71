//! The JavaScript skin: `Workbook` for the page's worker and for hosts.

use wasm_bindgen::prelude::*;

use crate::{CHUNK_BYTES, StreamError, WorkbookError};

#[wasm_bindgen(typescript_custom_section)]
const WORKBOOK_ERROR_TYPE: &str = r#"
/** What the Excel reader throws: an Error with a stable `code` and its `params`. */
export interface WorkbookError extends Error { code: string; params: Record<string, string>; }
"#;

/// An Excel workbook (.xlsx) in WASM memory; `free()` releases it.
#[wasm_bindgen]
pub struct Workbook {
    inner: crate::Workbook,
}

#[wasm_bindgen]
impl Workbook {
    /// Opens the bytes of a .xlsx file (`Uint8Array`); throws a `WorkbookError` when they are
    /// not a workbook.
    #[wasm_bindgen(constructor)]
    pub fn new(bytes: Vec<u8>) -> Result<Workbook, JsValue> {
        crate::Workbook::open(bytes)
            .map(|inner| Workbook { inner })
            .map_err(js_error)
    }

    /// The names of the sheets, in the workbook's order.
    #[wasm_bindgen(getter, js_name = sheetNames)]
    pub fn sheet_names(&self) -> Vec<String> {
        self.inner.sheet_names().to_vec()
    }

    /// The sheet (its index in `sheetNames`) as CSV bytes, one line per sheet row.
    #[wasm_bindgen(js_name = sheetCsv)]
    pub fn sheet_csv(&mut self, index: usize) -> Result<Vec<u8>, JsValue> {
        self.inner.sheet_csv(index).map_err(js_error)
    }

    /// The same CSV handed to `onChunk(Uint8Array)` about a megabyte at a time, as the sheet is
    /// read (e.g. into an `OrderBookBuilder`). What `onChunk` throws stops the reading and is
    /// thrown from here unchanged.
    #[wasm_bindgen(js_name = streamSheetCsv)]
    pub fn stream_sheet_csv(
        &mut self,
        index: usize,
        #[wasm_bindgen(unchecked_param_type = "(chunk: Uint8Array) => void")]
        on_chunk: &js_sys::Function,
    ) -> Result<(), JsValue> {
        self.inner
            .stream_sheet_csv(index, CHUNK_BYTES, |chunk| {
                on_chunk
                    .call1(&JsValue::NULL, &js_sys::Uint8Array::from(chunk))
                    .map(|_| ())
            })
            .map_err(|error| match error {
                StreamError::Workbook(error) => js_error(error),
                StreamError::Sink(thrown) => thrown,
            })
    }
}

/// An `Error` with the message, plus `code` and `params` for the page to word it.
fn js_error(error: WorkbookError) -> JsValue {
    let js = js_sys::Error::new(&error.message);
    let params = js_sys::Object::new();
    for (name, value) in &error.params {
        let _ = js_sys::Reflect::set(&params, &JsValue::from_str(name), &JsValue::from_str(value));
    }
    let _ = js_sys::Reflect::set(&js, &"code".into(), &JsValue::from_str(error.code));
    let _ = js_sys::Reflect::set(&js, &"params".into(), &params);
    js.into()
}
