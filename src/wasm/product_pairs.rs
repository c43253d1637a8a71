//! Product pairs and sequences for JS: `boughtTogether`, `nextProducts`, `productMix`,
//! `crossSell` and `crossSellCsv`. Options are read and checked here (product ids become codes,
//! unknown ones named); the analyses live in `crate::products`.

use serde::Serialize;
use std::rc::Rc;
use wasm_bindgen::prelude::*;

use super::lifecycle::LifecycleJsOptions;
use super::rfm::JsRfmOptions;
use super::{JsOrderBook, OptionFields, to_js};
use crate::lifecycle::Stage;
use crate::lines::Lines;
use crate::message::{Expected, Message, Rule};
use crate::products::ids::{code_of, codes_of};
use crate::products::lines_of;
use crate::products::{self, Baskets, CustomerGroups, Excluded, PairOrder, TogetherOptions};

/// Rows listed unless `top` says otherwise.
const DEFAULT_TOP: usize = products::together::DEFAULT_TOP;

/// The options every product analysis shares: `top` and `exclude`.
struct Shared<'a> {
    fields: OptionFields<'a>,
    top: usize,
    excluded: Excluded,
}

impl<'a> Shared<'a> {
    fn read(value: &'a JsValue, lines: &Lines, example: &str) -> Result<Shared<'a>, Message> {
        let fields = OptionFields::of(value, example)?;
        let top = match fields.number("top")? {
            None => DEFAULT_TOP,
            Some(top) if top >= 1.0 && top.fract() == 0.0 && top <= f64::from(u32::MAX) => {
                top as usize
            }
            Some(top) => {
                let expected = Expected::with(&Rule::WHOLE_NUMBER_AT_LEAST, 1.0, f64::NAN);
                return Err(Message::invalid_option("top", &top.to_string(), expected));
            }
        };
        let excluded = products::resolve(lines, fields.texts("exclude")?.as_deref())?;
        Ok(Shared {
            fields,
            top,
            excluded,
        })
    }

    /// A required product id.
    fn product(&self, lines: &Lines, name: &str) -> Result<u32, Message> {
        match self.fields.text(name)? {
            Some(id) => code_of(lines, name, &id),
            None => Err(Message::invalid_option(
                name,
                "",
                Expected::of(&Rule::PRODUCT_ID),
            )),
        }
    }
}

/// One pair as JS sees it.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct JsPair<'a> {
    a: &'a str,
    a_name: &'a str,
    b: &'a str,
    b_name: &'a str,
    both: u32,
    support: f64,
    confidence: f64,
    lift: f64,
}

#[derive(Serialize)]
struct JsTogether<'a> {
    orders: u32,
    pairs: Vec<JsPair<'a>>,
}

/// A product of the next purchases as JS sees it.
#[derive(Serialize)]
struct JsNextRow<'a> {
    id: &'a str,
    name: &'a str,
    customers: u32,
    share: f64,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct JsNext<'a> {
    product: &'a str,
    buyers: u32,
    with_next: u32,
    products: Vec<JsNextRow<'a>>,
}

/// A product of a group's mix as JS sees it.
#[derive(Serialize)]
struct JsMixRow<'a> {
    id: &'a str,
    name: &'a str,
    buyers: u32,
    share: f64,
    revenue: f64,
}

#[derive(Serialize)]
struct JsMixGroup<'a> {
    group: String,
    /// The code the page words the group by: the segment's catalogue code or the stage's name.
    code: Option<&'static str>,
    customers: u32,
    products: Vec<JsMixRow<'a>>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct JsMix<'a> {
    by: &'static str,
    #[serde(serialize_with = "crate::day::serialize")]
    as_of: i32,
    groups: Vec<JsMixGroup<'a>>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct JsCrossSell<'a> {
    audience: &'static str,
    customers: usize,
    customer_ids: Vec<&'a str>,
    last_purchase: Vec<String>,
}

#[wasm_bindgen(typescript_custom_section)]
const PRODUCT_PAIRS_TYPES: &str = r#"
/** Options every product analysis shares. */
export interface ProductAnalysisOptions {
  filter?: OrderFilter;
  /** Product ids left out of product analyses (postage, fees…); default: `nonProducts()`'s proposal. */
  exclude?: string[];
  /** Rows listed (default 20). */
  top?: number;
}
export interface BoughtTogetherOptions extends ProductAnalysisOptions {
  /** The pairs A → B of this product A; the top pairs overall without it. */
  product?: string;
  /** Pairs of a smaller support (a share, 0–1) are left out. */
  minSupport?: number;
  /** What pairs are ranked by (default 'both'). */
  sort?: 'both' | 'confidence' | 'lift';
}
export interface ProductPair {
  a: string; aName: string; b: string; bName: string;
  /** Purchase orders holding both. */
  both: number;
  /** both / orders. */
  support: number;
  /** both / the orders holding A. */
  confidence: number;
  /** confidence / (the orders holding B / orders). */
  lift: number;
}
export interface BoughtTogetherResult {
  /** Purchase orders with at least one product line (guest orders included). */
  orders: number;
  pairs: ProductPair[];
}
export interface NextProductsOptions extends ProductAnalysisOptions { product: string; }
export interface NextProductsResult {
  product: string;
  /** Identified customers who bought the product. */
  buyers: number;
  /** Those who bought again on a later day. */
  withNext: number;
  /** The products of that next purchase; share = customers / withNext. */
  products: { id: string; name: string; customers: number; share: number }[];
}
export interface ProductMixOptions extends ProductAnalysisOptions {
  /** Group customers by RFM segment or lifecycle stage at asOf. */
  by?: 'segment' | 'stage';
  asOf?: string;
  /** RFM settings, for by: 'segment'. */
  bins?: number; monetary?: 'total' | 'average'; rules?: SegmentRule[];
  /** Lifecycle settings, for by: 'stage'. */
  atRiskMultiplier?: number; lapsedMultiplier?: number; minTypicalGapDays?: number; storeGapDays?: number;
}
export interface ProductMixResult {
  by: 'segment' | 'stage';
  asOf: string;
  groups: {
    /** The segment's name or the stage. */
    group: string;
    /** The catalogue segment's code or the stage; null for a custom segment. */
    code: string | null;
    customers: number;
    /** share = buyers / the group's customers; revenue net of returns. */
    products: { id: string; name: string; buyers: number; share: number; revenue: number }[];
  }[];
}
export interface CrossSellOptions {
  filter?: OrderFilter;
  /** Customers who bought one of these products… */
  bought: string[];
  /** …and never any of these. */
  notBought?: string[];
}
export interface CrossSellResult {
  audience: 'crossSell';
  customers: number;
  /** Most recent buyers first. */
  customerIds: string[];
  /** Each one's last purchase, YYYY-MM-DD. */
  lastPurchase: string[];
}
"#;

const TOGETHER_EXAMPLE: &str = "{ product: '85123A', minSupport: 0.01, top: 20 }";
const CROSS_SELL_EXAMPLE: &str = "{ bought: ['85123A'], notBought: ['71053'] }";

#[wasm_bindgen(js_class = OrderBook)]
impl JsOrderBook {
    /// Pairs A → B bought in the same purchase order: of one `product`, or the top pairs
    /// overall (each pair once, the product of fewer orders as A).
    #[wasm_bindgen(js_name = boughtTogether, unchecked_return_type = "BoughtTogetherResult")]
    pub fn bought_together(
        &self,
        #[wasm_bindgen(
            js_name = "options",
            unchecked_optional_param_type = "BoughtTogetherOptions"
        )]
        options: JsValue,
    ) -> Result<JsValue, JsValue> {
        let view = self.view(&options)?;
        let lines = lines_of(&view.book)?;
        let shared = Shared::read(&options, lines, TOGETHER_EXAMPLE)?;
        let fields = &shared.fields;
        let product = match fields.text("product")? {
            Some(id) => Some(code_of(lines, "product", &id)?),
            None => None,
        };
        let min_support = match fields.number("minSupport")? {
            None => 0.0,
            Some(share) if (0.0..=1.0).contains(&share) => share,
            Some(share) => {
                let expected = Expected::of(&Rule::SHARE);
                return Err(
                    Message::invalid_option("minSupport", &share.to_string(), expected).into(),
                );
            }
        };
        let order = fields.keyword(
            "sort",
            &[
                ("both", PairOrder::Both),
                ("confidence", PairOrder::Confidence),
                ("lift", PairOrder::Lift),
            ],
        )?;
        let baskets = view.baskets(lines, &shared.excluded);
        let together = products::bought_together(
            &baskets,
            &TogetherOptions {
                product,
                min_support,
                top: shared.top,
                order: order.unwrap_or_default(),
            },
        );
        let products = &lines.products;
        let pairs = together.pairs.iter().map(|pair| JsPair {
            a: &products.ids[pair.a as usize],
            a_name: &products.names[pair.a as usize],
            b: &products.ids[pair.b as usize],
            b_name: &products.names[pair.b as usize],
            both: pair.both,
            support: pair.support,
            confidence: pair.confidence,
            lift: pair.lift,
        });
        to_js(&JsTogether {
            orders: together.orders,
            pairs: pairs.collect(),
        })
    }

    /// The products of the next purchase of a `product`'s buyers: the first later day they
    /// bought on, after the first order holding it.
    #[wasm_bindgen(js_name = nextProducts, unchecked_return_type = "NextProductsResult")]
    pub fn next_products(
        &self,
        #[wasm_bindgen(js_name = "options", unchecked_param_type = "NextProductsOptions")]
        options: JsValue,
    ) -> Result<JsValue, JsValue> {
        let view = self.view(&options)?;
        let lines = lines_of(&view.book)?;
        let example = "{ product: '85123A', top: 10 }";
        let shared = Shared::read(&options, lines, example)?;
        let product = shared.product(lines, "product")?;
        let baskets = view.baskets(lines, &shared.excluded);
        let next = products::next_products(
            &view.book,
            view.by_customer(),
            &baskets,
            product,
            shared.top,
        );
        let products = &lines.products;
        to_js(&JsNext {
            product: &products.ids[product as usize],
            buyers: next.buyers,
            with_next: next.with_next,
            products: next
                .products
                .iter()
                .map(|row| JsNextRow {
                    id: &products.ids[row.product as usize],
                    name: &products.names[row.product as usize],
                    customers: row.customers,
                    share: row.share,
                })
                .collect(),
        })
    }

    /// What the customers of each RFM segment (`by: 'segment'`, the default) or lifecycle stage
    /// (`by: 'stage'`) bought up to `asOf`, with the RFM or lifecycle settings of those views.
    #[wasm_bindgen(js_name = productMix, unchecked_return_type = "ProductMixResult")]
    pub fn product_mix(
        &self,
        #[wasm_bindgen(
            js_name = "options",
            unchecked_optional_param_type = "ProductMixOptions"
        )]
        options: JsValue,
    ) -> Result<JsValue, JsValue> {
        let view = self.view(&options)?;
        let book = &view.book;
        let lines = lines_of(book)?;
        let shared = Shared::read(&options, lines, "{ by: 'segment', top: 10 }")?;
        let by_stage = shared
            .fields
            .keyword("by", &[("segment", false), ("stage", true)])?
            .unwrap_or(false);
        let (groups, as_of) = if by_stage {
            let lifecycle = LifecycleJsOptions::read(&options)?.lifecycle()?;
            let as_of = lifecycle.as_of(book)?;
            let snapshot = crate::lifecycle::stage_snapshot(
                book,
                view.by_customer(),
                as_of,
                &lifecycle.rules,
            )?;
            (CustomerGroups::stages(&snapshot), as_of)
        } else {
            let rfm = JsRfmOptions::read(options.clone())?.analysis()?;
            let table = crate::rfm::score_customers(book, &rfm)?;
            let groups = CustomerGroups::segments(&table, book.customer_count());
            (groups, table.as_of)
        };
        let mix = products::product_mix(
            book,
            view.by_customer(),
            lines,
            &shared.excluded,
            &groups,
            as_of,
            shared.top,
        );
        let products = &lines.products;
        let groups = mix.into_iter().map(|group| JsMixGroup {
            code: if by_stage {
                Stage::ALL
                    .iter()
                    .map(|stage| stage.name())
                    .find(|name| *name == group.group)
            } else {
                crate::rfm::segment_info(&group.group).map(|info| info.code)
            },
            customers: group.customers,
            products: group
                .products
                .iter()
                .map(|row| JsMixRow {
                    id: &products.ids[row.product as usize],
                    name: &products.names[row.product as usize],
                    buyers: row.buyers,
                    share: row.share,
                    revenue: row.revenue,
                })
                .collect(),
            group: group.group,
        });
        to_js(&JsMix {
            by: if by_stage { "stage" } else { "segment" },
            as_of,
            groups: groups.collect(),
        })
    }

    /// The customers who bought one of `bought` and never any of `notBought`, most recent
    /// buyers first, with their last purchase day.
    #[wasm_bindgen(js_name = crossSell, unchecked_return_type = "CrossSellResult")]
    pub fn cross_sell(
        &self,
        #[wasm_bindgen(js_name = "options", unchecked_param_type = "CrossSellOptions")]
        options: JsValue,
    ) -> Result<JsValue, JsValue> {
        let view = self.view(&options)?;
        let audience = view.cross_sell_audience(&options)?;
        let ids = &view.book.customer_ids;
        to_js(&JsCrossSell {
            audience: "crossSell",
            customers: audience.customers.len(),
            customer_ids: audience
                .customers
                .iter()
                .map(|&c| &ids[c as usize])
                .collect(),
            last_purchase: audience
                .last_purchase
                .iter()
                .map(|&day| crate::day::Day(day).to_string())
                .collect(),
        })
    }

    /// [`crossSell`]'s audience as CSV: `customer_id,last_purchase`, formula-safe.
    #[wasm_bindgen(js_name = crossSellCsv)]
    pub fn cross_sell_csv(
        &self,
        #[wasm_bindgen(js_name = "options", unchecked_param_type = "CrossSellOptions")]
        options: JsValue,
    ) -> Result<String, JsValue> {
        let view = self.view(&options)?;
        let audience = view.cross_sell_audience(&options)?;
        Ok(products::cross_sell_csv(&view.book, &audience))
    }
}

impl JsOrderBook {
    /// The baskets with `excluded` left out, kept for the next call with the same set.
    fn baskets(&self, lines: &Lines, excluded: &Excluded) -> Rc<Baskets> {
        if let Some((kept, baskets)) = &*self.baskets.borrow()
            && kept == excluded
        {
            return Rc::clone(baskets);
        }
        let baskets = Rc::new(Baskets::of(&self.book, lines, excluded));
        *self.baskets.borrow_mut() = Some((excluded.clone(), Rc::clone(&baskets)));
        baskets
    }

    fn cross_sell_audience(&self, options: &JsValue) -> Result<products::CrossSell, Message> {
        let lines = lines_of(&self.book)?;
        let fields = OptionFields::of(options, CROSS_SELL_EXAMPLE)?;
        let bought = fields.texts("bought")?.unwrap_or_default();
        if bought.is_empty() {
            let expected = Expected::of(&Rule::PRODUCT_IDS);
            return Err(Message::invalid_option("bought", "", expected));
        }
        let bought = codes_of(lines, "bought", &bought)?;
        let not_bought = fields.texts("notBought")?.unwrap_or_default();
        let not_bought = codes_of(lines, "notBought", &not_bought)?;
        Ok(products::cross_sell(
            &self.book,
            lines,
            &bought,
            &not_bought,
        ))
    }
}
