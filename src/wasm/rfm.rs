//! RFM from JS: `rfm(options)` (aggregates), `rfmCsv(options)` (the export) and
//! `rfmCustomers(options)` (per-customer columns as typed arrays for the virtualised list).
//!
//! Options (every field optional): `{ asOf: 'YYYY-MM-DD', bins: 3..10, monetary: 'total' |
//! 'average', rules: [{ segment, r: [min, max], f: [..], m: [..] }], segment: name,
//! group: 'vip' | 'reactivate' }` — `segment` and `group` filter the CSV and the customer list.

use js_sys::{Array, Float64Array, Uint8Array, Uint32Array};
use wasm_bindgen::prelude::*;

use super::compare::{CompareOptions, with_compare};
use super::{JsOrderBook, OptionFields, object_of, to_js};
use crate::day::Day;
use crate::message::Message;
use crate::rfm::{
    self, MonetaryMode, QuartileGroup, RfmError, RfmOptions, RfmTable, RowFilter, SegmentRule,
};

pub(super) struct JsRfmOptions {
    as_of: Option<Day>,
    bins: Option<f64>,
    monetary: Option<MonetaryMode>,
    rules: Option<Vec<SegmentRule>>,
    segment: Option<String>,
    group: Option<QuartileGroup>,
}

impl JsRfmOptions {
    pub(super) fn read(value: JsValue) -> Result<JsRfmOptions, Message> {
        let fields = OptionFields::of(&value, "{ bins: 5, monetary: 'total' }")?;
        Ok(JsRfmOptions {
            as_of: fields.date("asOf")?,
            bins: fields.number("bins")?,
            monetary: fields.monetary()?,
            rules: fields.segment_rules()?,
            segment: fields.text("segment")?,
            group: fields.keyword(
                "group",
                &[
                    ("vip", QuartileGroup::Vip),
                    ("reactivate", QuartileGroup::Reactivate),
                ],
            )?,
        })
    }

    pub(super) fn analysis(&self) -> Result<RfmOptions, RfmError> {
        Ok(RfmOptions {
            as_of: self.as_of,
            bins: self
                .bins
                .map(rfm::bins_from_number)
                .transpose()?
                .unwrap_or(rfm::DEFAULT_BINS),
            monetary: self.monetary.unwrap_or_default(),
            rules: self.rules.clone(),
        })
    }

    fn filter(&self) -> RowFilter {
        RowFilter {
            segment: self.segment.clone(),
            group: self.group,
        }
    }
}

#[wasm_bindgen(typescript_custom_section)]
const RFM_TYPES: &str = r#"
/** A segment rule on the 1–5 scale: [min, max] inclusive for each score. */
export interface SegmentRule { segment: string; r: [number, number]; f: [number, number]; m: [number, number]; }
/** Options of rfm / rfmCsv / rfmCustomers; every field optional. */
export interface RfmOptions extends CompareOptions {
  /** Only the orders this filter keeps (acquisition still from each customer's whole history). */
  filter?: OrderFilter;
  asOf?: string; bins?: number; monetary?: 'total' | 'average'; rules?: SegmentRule[];
  /** Filters rfmCsv and rfmCustomers. */
  segment?: string; group?: 'vip' | 'reactivate';
}
export interface RfmSegment {
  /** The catalogue segment's stable code ('champions', 'at_risk'…); null for a custom name. */
  code: string | null; name: string; nameVi: string | null; meaning: string | null; meaningVi: string | null;
  action: string | null; actionVi: string | null; customers: number; customerShare: number;
  revenue: number; revenueShare: number | null; meanRecency: number | null;
  meanFrequency: number | null; meanMonetary: number | null; meanOrderValue: number | null;
}
export interface RfmScoreRange { score: number; customers: number; min: number | null; max: number | null; }
export interface RfmGroup { customers: number; customerShare: number; revenue: number; revenueShare: number | null; }
export interface RfmResult {
  /** With compareBy: the segment mix per value of each customer's first purchase. */
  compare?: Comparison<RfmCompared>;
  asOf: string; bins: number; monetary: 'total' | 'average'; customers: number;
  customersReturnsOnly: number; customersAfterAsOf: number; revenue: number;
  segments: RfmSegment[];
  grid: { r: number; f: number; customers: number; meanMonetary: number | null }[];
  scoreRanges: { recencyDays: RfmScoreRange[]; frequency: RfmScoreRange[]; monetary: RfmScoreRange[] };
  quartiles: {
    vip: RfmGroup; reactivate: RfmGroup; topRecencyMax: number | null;
    topFrequencyMin: number | null; topMonetaryMin: number | null; bottomRecencyMin: number | null;
  };
  pareto: { points: { customerShare: number; revenueShare: number }[]; top20RevenueShare: number | null };
  rules: (SegmentRule & { combinations: number; customers: number })[];
  warnings: string[];
  /** Each of `warnings` with a stable code and its params. */
  warningCodes: EngineMessage[];
}
/** Per-customer columns; row i's id is idText.slice(idOffsets[i], idOffsets[i + 1]). */
export interface RfmCustomers {
  count: number; segments: string[]; customer: Uint32Array; recencyDays: Uint32Array;
  frequency: Uint32Array; monetary: Float64Array; rScore: Uint8Array; fScore: Uint8Array;
  mScore: Uint8Array; segment: Uint8Array; group: Uint8Array; idText: string; idOffsets: Uint32Array;
}
"#;

impl JsOrderBook {
    fn rfm_table(&self, options: &JsRfmOptions) -> Result<RfmTable, RfmError> {
        rfm::score_customers(&self.book, &options.analysis()?)
    }
}

#[wasm_bindgen(js_class = OrderBook)]
impl JsOrderBook {
    /// RFM aggregates: segments (with meaning and action in English and Vietnamese), the R×F
    /// grid, score ranges, the quartile view, the Pareto curve and the rules with their counts.
    #[wasm_bindgen(unchecked_return_type = "RfmResult")]
    pub fn rfm(
        &self,
        #[wasm_bindgen(js_name = "options", unchecked_optional_param_type = "RfmOptions")]
        options_value: JsValue,
    ) -> Result<JsValue, JsValue> {
        let book = self.view(&options_value)?;
        let compare = CompareOptions::read(&options_value)?;
        let options = JsRfmOptions::read(options_value)?;
        let table = book.rfm_table(&options)?;
        let compared = match book.customer_groups(&compare)? {
            Some(groups) => Some(to_js(&crate::compare::rfm_by(&table, &groups))?),
            None => None,
        };
        with_compare(to_js(&rfm::summarize(&table))?, compared)
    }

    /// The per-customer list as CSV text (header
    /// `customer_id,recency_days,frequency,monetary,r_score,f_score,m_score,segment`), optionally
    /// only one segment or quartile group.
    #[wasm_bindgen(js_name = rfmCsv)]
    pub fn rfm_csv(
        &self,
        #[wasm_bindgen(js_name = "options", unchecked_optional_param_type = "RfmOptions")]
        options_value: JsValue,
    ) -> Result<String, JsValue> {
        let book = self.view(&options_value)?;
        let options = JsRfmOptions::read(options_value)?;
        let table = book.rfm_table(&options)?;
        Ok(rfm::write_csv(&book.book, &table, &options.filter())?)
    }

    /// Per-customer columns for a virtualised list: `{ count, segments: string[], customer,
    /// recencyDays, frequency: Uint32Array, monetary: Float64Array, rScore, fScore, mScore,
    /// segment, group: Uint8Array, idText: string, idOffsets: Uint32Array }`. Row `i`'s id is
    /// `idText.slice(idOffsets[i], idOffsets[i + 1])` (one string crosses, not a million);
    /// `segment[i]` indexes `segments`; `group[i]` is 0, 1 (VIP) or 2 (reactivate).
    #[wasm_bindgen(js_name = rfmCustomers, unchecked_return_type = "RfmCustomers")]
    pub fn rfm_customers(
        &self,
        #[wasm_bindgen(js_name = "options", unchecked_optional_param_type = "RfmOptions")]
        options_value: JsValue,
    ) -> Result<JsValue, JsValue> {
        let book = self.view(&options_value)?;
        let options = JsRfmOptions::read(options_value)?;
        let table = book.rfm_table(&options)?;
        let positions = options.filter().positions(&table)?;

        let pick_u32 = |column: &[u32]| -> Vec<u32> {
            positions.iter().map(|&i| column[i as usize]).collect()
        };
        let pick_u8 =
            |column: &[u8]| -> Vec<u8> { positions.iter().map(|&i| column[i as usize]).collect() };
        let monetary: Vec<f64> = positions
            .iter()
            .map(|&i| table.monetary()[i as usize])
            .collect();
        let group: Vec<u8> = positions
            .iter()
            .map(|&i| QuartileGroup::code(table.quartile_group(i as usize)))
            .collect();

        let mut id_text = String::new();
        let mut id_offsets = Vec::with_capacity(positions.len() + 1);
        let mut utf16_length = 0u32;
        id_offsets.push(0);
        for &i in &positions {
            let id = self
                .book
                .customer_ids
                .get(table.customer(i as usize) as usize)
                .unwrap_or("");
            id_text.push_str(id);
            utf16_length += id.encode_utf16().count() as u32;
            id_offsets.push(utf16_length);
        }

        let segments: Array = table
            .rules
            .segments()
            .iter()
            .map(|name| JsValue::from_str(name))
            .collect();
        object_of(&[
            ("count", JsValue::from(positions.len() as u32)),
            ("segments", segments.into()),
            (
                "customer",
                Uint32Array::from(
                    &positions
                        .iter()
                        .map(|&i| table.customer(i as usize))
                        .collect::<Vec<u32>>()[..],
                )
                .into(),
            ),
            (
                "recencyDays",
                Uint32Array::from(&pick_u32(&table.recency_days)[..]).into(),
            ),
            (
                "frequency",
                Uint32Array::from(&pick_u32(&table.frequency)[..]).into(),
            ),
            ("monetary", Float64Array::from(&monetary[..]).into()),
            (
                "rScore",
                Uint8Array::from(&pick_u8(&table.r_score)[..]).into(),
            ),
            (
                "fScore",
                Uint8Array::from(&pick_u8(&table.f_score)[..]).into(),
            ),
            (
                "mScore",
                Uint8Array::from(&pick_u8(&table.m_score)[..]).into(),
            ),
            (
                "segment",
                Uint8Array::from(&pick_u8(&table.segment)[..]).into(),
            ),
            ("group", Uint8Array::from(&group[..]).into()),
            ("idText", JsValue::from_str(&id_text)),
            ("idOffsets", Uint32Array::from(&id_offsets[..]).into()),
        ])
    }
}
