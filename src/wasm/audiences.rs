//! Audiences for JS: `book.audiences(options)` (every ready audience with its members) and
//! `book.audienceCsv(id, options)` (one audience for a mailing tool). Options are read and
//! checked here; the audiences live in `crate::audiences`.

use js_sys::{Array, Float64Array, Int32Array, Object, Reflect, Uint32Array};
use wasm_bindgen::prelude::*;

use super::{JsOrderBook, OptionFields, to_js};
use crate::audiences::report::{MemberColumns, NO_DAY, NO_PRODUCT};
use crate::audiences::{self, AudienceOptions, Audiences, DEFINITIONS, ParamValues};
use crate::day::Day;
use crate::lines::Lines;
use crate::message::Message;

#[wasm_bindgen(typescript_custom_section)]
const AUDIENCE_TYPES: &str = r#"
export type AudienceId = 'dueToReorder' | 'justSlipped' | 'highValueAtRisk' | 'oneAndDone' | 'vipThankYou' | 'winBack' | 'replenishment' | 'crossSell';
/** Every parameter of the ready audiences; each optional, defaults in `AudiencesResult.defaults`. */
export interface AudienceParams {
  dueWithinDays?: number; minPAlive?: number; slippedWithinDays?: number;
  atRiskMultiplier?: number; lapsedMultiplier?: number; minTypicalGapDays?: number;
  topValuePercent?: number; pAliveDrop?: number; dropOverDays?: number;
  /** Default: the store's typical gap, measured. */
  oneAndDoneAfterDays?: number;
  winBackMinPurchaseDays?: number; horizonDays?: number;
  /** replenishment: purchase days of the product (3), CV of its gaps (0.5), due ± days (14). */
  minPurchases?: number; maxGapCv?: number; replenishWithinDays?: number;
  /** crossSell: bought within days (14), minimum support of the pair (0.005). */
  boughtWithinDays?: number; minSupport?: number;
}
export interface AudienceOptions {
  /** Only the orders this filter keeps (acquisition still from each customer's whole history). */
  filter?: OrderFilter;
  /** The date the audiences are for (default: the last order day). */
  asOf?: string;
  params?: AudienceParams;
  /** Keep each customer in their highest-priority audience only. */
  exclusive?: boolean;
  /** Audience ids, highest priority first; those left out follow in the default order. */
  priority?: AudienceId[];
}
export interface Audience {
  /** The name and definition in English; the page words them in other languages from the id
   * and `params` (`audience.<id>.name` / `.definition` in www/src/messages/audiences.js). */
  id: AudienceId; name: string; definition: string;
  /** The seed playbook action it serves. */
  action: 'remindBeforeNextPurchase' | 'nudgeWhenQuiet' | 'saveHighValue' | 'secondPurchase' | 'thankVips' | 'winBackLapsed' | 'replenishment' | 'crossSell';
  /** The parameters its definition reads, with the values used (null: none measured). */
  params: Record<string, number | null>;
  customers: number;
  /** Sum of the members' value: expected over horizonDays (CLV), or past net revenue. */
  revenueAtStake: number; revenueBasis: 'expected' | 'past';
  window: { from: string; to: string };
  /** The members, and per member (same order); value and pAlive NaN for none. */
  customerIds: string[]; lastPurchase: string[]; daysSinceLastPurchase: Int32Array;
  purchaseDays: Uint32Array; value: Float64Array; pAlive: Float64Array;
  /** The median next-order date of the CLV model, when within the horizon. */
  nextOrderDate: (string | null)[];
  /** replenishment and crossSell only: the id of the product to suggest. */
  productId?: string[];
}
export interface AudiencesResult {
  asOf: string; valueBasis: 'expected' | 'past';
  /** Why the CLV model was not used (values are then past revenue, dueToReorder is empty). */
  modelNote: EngineMessage | null;
  /** Why replenishment and crossSell are empty: the file has no product column. */
  productsNote: EngineMessage | null;
  storeGapDays: number;
  defaults: Record<string, number | null>;
  exclusive: boolean; priority: AudienceId[];
  /** Before `exclusive`: customers in any audience, in two or more, in exactly 1, 2, … */
  overlaps: { customers: number; inSeveral: number; byCount: number[];
    pairs: { a: AudienceId; b: AudienceId; customers: number }[] };
  audiences: Audience[];
}
"#;

const EXAMPLE: &str = "{ asOf: '2011-12-09', params: { dueWithinDays: 14 } }";

/// Reads `{ asOf, params, exclusive, priority }`.
fn read_options(value: &JsValue) -> Result<AudienceOptions, Message> {
    let fields = OptionFields::of(value, EXAMPLE)?;
    let mut options = AudienceOptions {
        as_of: fields.date("asOf")?,
        exclusive: fields.flag("exclusive")?.unwrap_or(false),
        ..AudienceOptions::default()
    };
    if let Some(params) = fields.get("params") {
        options.params = read_params(&params)?;
    }
    if let Some(ids) = fields.texts("priority")? {
        let mut priority = Vec::with_capacity(DEFINITIONS.len());
        for id in &ids {
            let index = audience_index(id, "priority")?;
            if !priority.contains(&index) {
                priority.push(index);
            }
        }
        for index in audiences::DEFAULT_PRIORITY {
            if !priority.contains(&index) {
                priority.push(index);
            }
        }
        options.priority.copy_from_slice(&priority);
    }
    Ok(options)
}

fn read_params(value: &JsValue) -> Result<ParamValues, Message> {
    OptionFields::of(value, "{ dueWithinDays: 14 }")?;
    let mut values = ParamValues::default();
    for entry in Object::entries(&Object::from(value.clone())).iter() {
        let entry = Array::from(&entry);
        let name = entry.get(0).as_string().unwrap_or_default();
        let field = entry.get(1);
        if field.is_undefined() || field.is_null() {
            continue;
        }
        let number = field
            .as_f64()
            .ok_or_else(|| super::wrong_type(&name, "number"))?;
        values.set(&name, number)?;
    }
    Ok(values)
}

/// The index of the audience `id`, or a message listing them.
fn audience_index(id: &str, field: &str) -> Result<usize, Message> {
    audiences::definitions::index_of(id).ok_or_else(|| {
        let ids: Vec<&str> = DEFINITIONS.iter().map(|d| d.id).collect();
        let listed = ids.join(", ");
        let text = ["invalid ", field, " '", id, "': use one of ", &listed].concat();
        Message::not_a_choice(text, field, id, &listed)
    })
}

/// Sets the members' columns on an audience's result object: ids and dates as arrays of strings
/// (`null` for no date), numbers as typed arrays (NaN for none); the suggested product's id
/// when `lines` is given (the product audiences of a book with lines).
fn add_columns(
    entry: &JsValue,
    columns: &MemberColumns,
    lines: Option<&Lines>,
) -> Result<(), JsValue> {
    let ids: Array = columns
        .customer_ids
        .iter()
        .map(|id| JsValue::from_str(id))
        .collect();
    let dates = |days: &[i32]| -> Array {
        days.iter()
            .map(|&day| match day {
                NO_DAY => JsValue::NULL,
                day => JsValue::from_str(&Day(day).to_string()),
            })
            .collect()
    };
    let fields: [(&str, JsValue); 7] = [
        ("customerIds", ids.into()),
        ("lastPurchase", dates(&columns.last_purchase).into()),
        (
            "daysSinceLastPurchase",
            Int32Array::from(&columns.days_since_last_purchase[..]).into(),
        ),
        (
            "purchaseDays",
            Uint32Array::from(&columns.purchase_days[..]).into(),
        ),
        ("value", Float64Array::from(&columns.value[..]).into()),
        ("pAlive", Float64Array::from(&columns.p_alive[..]).into()),
        ("nextOrderDate", dates(&columns.next_order_day).into()),
    ];
    for (name, value) in fields {
        Reflect::set(entry, &JsValue::from_str(name), &value)?;
    }
    let Some(ids) = lines.map(|lines| &lines.products.ids) else {
        return Ok(());
    };
    let suggested: Array = columns
        .product
        .iter()
        .map(|&p| match p {
            NO_PRODUCT => JsValue::NULL,
            p => JsValue::from_str(&ids[p as usize]),
        })
        .collect();
    Reflect::set(entry, &JsValue::from_str("productId"), &suggested)?;
    Ok(())
}

impl JsOrderBook {
    fn audiences_of(&self, options: &AudienceOptions) -> Result<Audiences, Message> {
        audiences::audiences(&self.book, self.by_customer(), options)
    }
}

#[wasm_bindgen(js_class = OrderBook)]
impl JsOrderBook {
    /// Every ready audience at `asOf`: words, parameters, size, revenue at stake, date window,
    /// members as columns, and how the audiences overlap.
    #[wasm_bindgen(unchecked_return_type = "AudiencesResult")]
    pub fn audiences(
        &self,
        #[wasm_bindgen(js_name = "options", unchecked_optional_param_type = "AudienceOptions")]
        options_value: JsValue,
    ) -> Result<JsValue, JsValue> {
        let book = self.view(&options_value)?;
        let options = read_options(&options_value)?;
        let found = book.audiences_of(&options)?;
        let result = to_js(&found.report(&ParamValues::default()))?;
        let entries = Array::from(&Reflect::get(&result, &JsValue::from_str("audiences"))?);
        for (a, entry) in entries.iter().enumerate() {
            add_columns(
                &entry,
                &found.columns(a, &book.book),
                book.book.lines.as_ref(),
            )?;
        }
        Ok(result)
    }

    /// One audience as CSV: `customer_id`, then `email`, `phone`, `name` when the file has such
    /// columns, then `audience,last_purchase,days_since_last_purchase,purchase_days,value,
    /// p_alive,next_order_date,product_id`.
    #[wasm_bindgen(js_name = audienceCsv)]
    pub fn audience_csv(
        &self,
        #[wasm_bindgen(unchecked_param_type = "AudienceId")] id: &str,
        #[wasm_bindgen(js_name = "options", unchecked_optional_param_type = "AudienceOptions")]
        options_value: JsValue,
    ) -> Result<String, JsValue> {
        let index = audience_index(id, "id")?;
        let book = self.view(&options_value)?;
        let options = read_options(&options_value)?;
        let found = book.audiences_of(&options)?;
        Ok(found.csv(index, &book.book, book.book.contacts.as_ref()))
    }
}
