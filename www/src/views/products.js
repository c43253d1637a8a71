// The Products view: what sells (top products, every product in a searchable, sortable,
// virtualised table), which first products bring customers back against the store's average,
// what is bought with a chosen product and what its buyers buy next, the cross-sell audience
// (buyers of it who never bought the products ticked: Export CSV, and in the element the
// `audience-select` event), the product mix per RFM segment or lifecycle stage, and the
// not-a-product list the user confirms (passed as `exclude` to every product analysis by the
// analysis cache). The chosen product and the list are data: kept in the view's state, never in
// the URL.
import { rankBars } from '../charts/rankBars.js';
import { virtualTable } from '../components/virtualTable.js';
import { deferred, fileSlug, h, replaceContent } from '../dom.js';
import { card, errorCard, exportToFile, innerWidth, kpi, loadingCard, segmentName, selectField, tableAlternative } from './common.js';
import { csvText } from './csv.js';
import { MIN_SUPPORT_CHOICES, PRODUCTS_DEFAULTS } from './defaults.js';
import { PRODUCT_COLUMNS, WITHIN, crossSellOptions, excludedIds, exclusionRows, firstProductRows, hasProducts, mixRows, pairRows, parseIds, productLabel, sameAsProposal, searchProducts, sortProducts, topBars, withinCell } from './productsModel.js';

const TOP_BARS = 15;
const FIRST_ROWS = 15;
const FIRST_MIN_CUSTOMERS = 10;
const PAIRS = 10;
const NEXT = 10;
const MIX_TOP = 5;
const PREVIEW = 8;

/** What the view keeps between renders: the chosen product, ticks, the table's sort and search, the list being edited. */
function stateOf(ctx) {
  const state = ctx.state;
  // The chosen product and edits belong to the data they came from.
  if (state.summary !== ctx.summary) {
    Object.assign(state, { summary: ctx.summary, product: null, notBought: new Map(), query: '', pickQuery: '', draft: null });
  }
  state.sort ??= { key: 'revenue', descending: true };
  return state;
}

function controls(ctx) {
  const { settings, setSettings } = ctx;
  const { t, formatPercent } = ctx.locale;
  return h('form', { class: 'card controls', id: 'products-controls', onsubmit: (event) => event.preventDefault() },
    selectField('products-mix-by', t('products.mixBy'), settings.mixBy, ['segment', 'stage'].map((by) => [by, t(`products.mixBy.${by}`)]), (mixBy) => setSettings({ mixBy })),
    selectField('products-min-support', t('products.minSupport'), settings.minSupport,
      MIN_SUPPORT_CHOICES.map((share) => [share, share ? t('products.minSupport.orders', { share: formatPercent(share) }) : t('products.minSupport.any')]),
      (minSupport) => setSettings({ minSupport: Number(minSupport) })),
  );
}

function kpis(ctx, result) {
  const { t, formatInteger } = ctx.locale;
  const excluded = ctx.analyses.exclude?.length ?? ctx.analyses.get('nonProducts').value?.proposed?.length;
  return h('div', { class: 'kpis', id: 'products-kpis' },
    kpi('products', t('products.kpi.products'), formatInteger(result.products.length), t('products.kpi.productsDetail')),
    kpi('orders', t('products.kpi.orders'), formatInteger(result.orders), t('products.kpi.ordersDetail')),
    kpi('buyers', t('products.kpi.buyers'), formatInteger(result.buyers), t('products.kpi.buyersDetail')),
    kpi('excluded', t('products.kpi.excluded'), excluded === undefined ? '–' : formatInteger(excluded), t('products.kpi.excludedDetail')),
  );
}

function topCard(ctx, result, width) {
  const { locale, currency } = ctx;
  const { t, formatMoney } = locale;
  const bars = topBars(result.products, TOP_BARS).map((bar) => ({ ...bar, title: t('products.top.bar', { product: bar.label, value: formatMoney(bar.value, currency) }) }));
  return card(locale, 'products-top', t('products.top.heading'), t('products.top.caption', { n: bars.length }),
    h('div', { class: 'chart' }, deferred(() => rankBars(bars, {
      width,
      xLabel: t('products.top.x'),
      xFormat: (value) => formatMoney(value, currency, { compact: true }),
      ariaLabel: t('products.top.heading'),
    }), { height: 60 + bars.length * 22 })),
    tableAlternative(t('chart.table'), 'products-top-table', [t('products.col.product'), t('products.col.revenue')], bars.map((bar) => [bar.label, formatMoney(bar.value, currency)])),
  );
}

/** Every product: search, sort, pick one (its name is a button), export. */
function tableCard(ctx, result) {
  const { locale, currency } = ctx;
  const { t, formatInteger, formatMoney, formatPercent } = locale;
  const state = stateOf(ctx);
  const products = result.products;
  const collator = new Intl.Collator(locale.intl, { numeric: true });
  const numbers = { revenue: (p) => formatMoney(p.revenue, currency), units: (p) => formatInteger(p.units), orders: (p) => formatInteger(p.orders), buyers: (p) => formatInteger(p.buyers), repeatShare: (p) => (p.repeatShare === null ? '–' : formatPercent(p.repeatShare)) };
  const columns = [
    {
      key: 'name',
      label: t('products.col.product'),
      numeric: false,
      width: 'minmax(13rem, 3fr)',
      value: (row) => productLabel(products[row]),
      format: (row) => h('button', { type: 'button', class: 'link-button product-pick', title: t('products.table.pick', { product: productLabel(products[row]) }), onclick: () => choose(ctx, products[row].id) }, productLabel(products[row])),
    },
    { key: 'id', label: t('products.col.id'), numeric: false, width: 'minmax(6rem, 1fr)', value: (row) => products[row].id, format: (row) => h('span', { class: 'mono' }, products[row].id) },
    ...PRODUCT_COLUMNS.slice(1).map((key) => ({ key, label: t(`products.col.${key}`), numeric: true, width: key === 'revenue' ? 'minmax(8rem, 1.2fr)' : 'minmax(6.5rem, 1fr)', value: (row) => products[row][key], format: (row) => numbers[key](products[row]) })),
  ];
  const holder = h('div', { class: 'list-table' });
  const status = h('p', { class: 'muted list-status', role: 'status', id: 'products-table-status' });
  const draw = () => {
    const rows = sortProducts(products, searchProducts(products, state.query), state.sort, collator.compare);
    status.textContent = state.query.trim() && !rows.length ? t('products.table.none', { query: state.query.trim() }) : t('products.table.shown', { shown: rows.length, n: products.length });
    replaceContent(holder, virtualTable({
      id: 'products-table',
      columns,
      rows: Uint32Array.from(rows),
      sort: state.sort,
      label: t('products.table.heading'),
      sortedLabel: t('products.table.sorted'),
      onSort: (sort) => {
        state.sort = sort;
        draw();
        holder.querySelector('[aria-sort]:not([aria-sort="none"]) button')?.focus();
      },
    }));
  };
  draw();
  const file = `products-${ctx.summary.lastDate ?? 'data'}.csv`;
  return h('section', { class: 'card', id: 'products-list', 'aria-labelledby': 'products-list-heading' },
    h('div', { class: 'list-head' },
      h('h2', { id: 'products-list-heading' }, t('products.table.heading')),
      h('div', { class: 'list-actions' },
        h('button', {
          type: 'button',
          class: 'button',
          id: 'products-export',
          onclick: (event) => exportToFile({
            button: event.currentTarget,
            status,
            file,
            content: async () => csvText(['product_id', 'name', 'category', 'revenue', 'units', 'orders', 'buyers', 'repeat_buyers', 'repeat_share'],
              products.map((p) => [p.id, p.name, p.category, p.revenue, p.units, p.orders, p.buyers, p.repeatBuyers, p.repeatShare])),
            saved: t('products.table.saved', { file }),
          }),
        }, t('products.table.export')),
      ),
    ),
    h('div', { class: 'list-tools' },
      h('label', { class: 'field search', for: 'products-search' },
        h('span', { class: 'field-label' }, t('products.table.search')),
        h('input', { id: 'products-search', type: 'search', value: state.query, autocomplete: 'off', spellcheck: 'false', oninput: (event) => { state.query = event.target.value; draw(); } })),
      status,
    ),
    holder,
  );
}

function firstCard(ctx, width) {
  const { locale, currency } = ctx;
  const { t, formatInteger, formatMoney, formatPercent } = locale;
  const entry = ctx.analyses.get('firstProducts', { minCustomers: FIRST_MIN_CUSTOMERS });
  if (entry.status !== 'done') return entry.status === 'pending' ? loadingCard(t('products.loading')) : errorCard(locale, entry.error);
  const result = entry.value;
  const store = result.store;
  const rows = firstProductRows(result, FIRST_ROWS);
  const storeRate = formatPercent(store.repeatRate ?? 0);
  // The difference in percentage points, as the Overview words a change of a rate.
  const points = (value) => (value === null ? '–' : t('products.first.points', { sign: value >= 0 ? '+' : '−', points: locale.formatNumber(Math.abs(value) * 100, 1) }));
  const windowCell = (row, key) => {
    const { rate, eligible } = withinCell(row, key);
    return rate === null ? '–' : h('span', {}, formatPercent(rate), h('small', {}, t('products.first.eligible', { n: formatInteger(eligible) })));
  };
  const money = (value) => (value === null || value === undefined ? '–' : formatMoney(value, currency));
  const line = (row, label, isStore) => h('tr', { class: isStore ? 'store-row' : null, dataset: isStore ? { store: 'true' } : { product: row.id } },
    h('th', { scope: 'row' }, isStore ? label : h('button', { type: 'button', class: 'link-button', onclick: () => choose(ctx, row.id) }, label)),
    h('td', { class: 'num' }, formatInteger(row.customers)),
    h('td', { class: 'num' }, formatPercent(row.repeatRate ?? 0)),
    h('td', { class: 'num' }, isStore ? '' : points(row.difference)),
    WITHIN.map(([key]) => h('td', { class: 'num', dataset: { within: key } }, windowCell(row, key))),
    h('td', { class: 'num' }, money(row.revenue90)),
    h('td', { class: 'num' }, money(row.revenue365)),
  );
  return card(locale, 'products-first', t('products.first.heading'), t('products.first.caption', { rate: storeRate, min: FIRST_MIN_CUSTOMERS }),
    rows.length
      ? h('div', { class: 'chart' }, deferred(() => rankBars(rows.map((row) => ({
        label: row.label,
        value: row.repeatRate,
        title: t('products.first.bar', { product: row.label, rate: formatPercent(row.repeatRate), n: formatInteger(row.customers) }),
      })), {
        width,
        xLabel: t('products.first.x'),
        xFormat: (value) => formatPercent(value, 0),
        reference: store.repeatRate,
        referenceTitle: t('products.first.store', { rate: storeRate }),
        ariaLabel: t('products.first.heading'),
      }), { height: 60 + rows.length * 22 }))
      : h('p', { class: 'muted' }, t('products.first.none')),
    h('div', { class: 'table-scroll', tabindex: 0, role: 'region', 'aria-labelledby': 'products-first-heading' },
      h('table', { class: 'data-table compact first-table', id: 'products-first-table' },
        h('thead', {}, h('tr', {},
          h('th', { scope: 'col' }, t('products.col.product')),
          h('th', { scope: 'col', class: 'num' }, t('products.first.customers')),
          h('th', { scope: 'col', class: 'num' }, t('products.first.repeat')),
          h('th', { scope: 'col', class: 'num' }, t('products.first.difference')),
          WITHIN.map(([, days]) => h('th', { scope: 'col', class: 'num' }, t('products.first.within', { days }))),
          h('th', { scope: 'col', class: 'num' }, t('products.first.revenue90')),
          h('th', { scope: 'col', class: 'num' }, t('products.first.revenue365')),
        )),
        h('tbody', {}, line(store, t('products.first.storeRow'), true), rows.map((row) => line(row, row.label, false))),
      )),
    h('p', { class: 'muted small' }, t('products.first.windowsNote')),
  );
}

// ------------------------------------------------------------------ a chosen product

/** Chooses a product (by id): what is bought with it is drawn, and the section brought into view. */
function choose(ctx, id) {
  const state = stateOf(ctx);
  state.product = id;
  state.pickQuery = '';
  ctx.rerender();
  const section = ctx.byId('products-chosen');
  section?.scrollIntoView({ block: 'start', behavior: 'smooth' });
  section?.focus({ preventScroll: true });
}

/** The product a typed text names: an id, a name (case ignored), else the first product the search finds. */
function productOfText(products, text) {
  const wanted = text.trim().toLowerCase();
  if (!wanted) return null;
  return products.find((p) => p.id.toLowerCase() === wanted) ?? products.find((p) => (p.name ?? '').toLowerCase() === wanted) ?? products[searchProducts(products, text)[0]] ?? null;
}

function chosenCard(ctx, result) {
  const { locale, settings } = ctx;
  const { t, formatInteger, formatPercent, formatNumber } = locale;
  const state = stateOf(ctx);
  const products = result.products;
  const product = products.find((p) => p.id === state.product) ?? null;
  const message = h('p', { class: 'muted list-status', role: 'status', id: 'products-pick-status' });
  const picker = h('form', {
    class: 'product-picker',
    id: 'products-pick',
    onsubmit: (event) => {
      event.preventDefault();
      const found = productOfText(products, state.pickQuery);
      if (found) choose(ctx, found.id);
      else message.textContent = t('products.chosen.unknown', { query: state.pickQuery });
    },
  },
    h('label', { class: 'field', for: 'products-pick-input' },
      h('span', { class: 'field-label' }, t('products.chosen.pick')),
      h('input', { id: 'products-pick-input', type: 'search', list: 'products-pick-list', autocomplete: 'off', spellcheck: 'false', placeholder: t('products.chosen.placeholder'), value: state.pickQuery, oninput: (event) => { state.pickQuery = event.target.value; } })),
    h('datalist', { id: 'products-pick-list' }, products.slice(0, 2000).map((p) => h('option', { value: p.id }, productLabel(p)))),
    h('button', { type: 'submit', class: 'button primary', id: 'products-pick-button' }, t('products.chosen.choose')),
  );
  const minSupport = Number(settings.minSupport);
  const pairsEntry = ctx.analyses.get('boughtTogether', product ? { product: product.id, minSupport, top: PAIRS } : { minSupport, top: PAIRS });
  const section = h('section', { class: 'card', id: 'products-chosen', tabindex: -1, 'aria-labelledby': 'products-chosen-heading' },
    h('h2', { id: 'products-chosen-heading' }, t('products.chosen.heading')),
    picker,
    message,
    product
      ? h('p', { class: 'chosen-product', id: 'products-chosen-name' }, t('products.chosen.summary', { product: productLabel(product), orders: formatInteger(product.orders), buyers: formatInteger(product.buyers) }))
      : h('p', { class: 'muted' }, t('products.chosen.hint')),
  );
  if (pairsEntry.status !== 'done') {
    section.append(pairsEntry.status === 'pending' ? loadingCard(t('products.loading')) : errorCard(locale, pairsEntry.error));
    return [section];
  }
  const pairs = pairRows(pairsEntry.value, product?.id);
  // The ticks say which products the cross-sell audience has not bought: the first pair's until the user ticks.
  if (product && !state.notBought.has(product.id)) state.notBought.set(product.id, new Set(pairs.slice(0, 1).map((pair) => pair.other)));
  const ticked = product ? state.notBought.get(product.id) : null;
  section.append(
    h('h3', { class: 'card-subheading', id: 'products-together-heading' }, product ? t('products.together.heading', { product: productLabel(product) }) : t('products.together.overall')),
    h('p', { class: 'muted caption' }, t('products.together.caption')),
    pairs.length
      ? h('div', { class: 'table-scroll', tabindex: 0, role: 'region', 'aria-labelledby': 'products-together-heading' },
        h('table', { class: 'data-table compact pairs-table', id: 'products-together' },
          h('thead', {}, h('tr', {},
            product ? h('th', { scope: 'col' }, h('span', { class: 'visually-hidden' }, t('products.together.target'))) : null,
            h('th', { scope: 'col' }, product ? t('products.together.other') : t('products.together.pair')),
            h('th', { scope: 'col', class: 'num' }, t('products.together.both')),
            h('th', { scope: 'col', class: 'num' }, t('products.together.support')),
            h('th', { scope: 'col', class: 'num' }, t('products.together.confidence')),
            h('th', { scope: 'col', class: 'num' }, t('products.together.lift')),
          )),
          h('tbody', {}, pairs.map((pair) => h('tr', { dataset: { other: pair.other } },
            product
              ? h('td', {}, h('input', {
                type: 'checkbox',
                id: `products-target-${fileSlug(pair.other)}`,
                checked: ticked.has(pair.other),
                'aria-label': t('products.together.targetLabel', { product: productLabel(product), other: pair.otherName }),
                onchange: (event) => {
                  if (event.target.checked) ticked.add(pair.other);
                  else ticked.delete(pair.other);
                  ctx.rerender();
                },
              }))
              : null,
            h('th', { scope: 'row' }, product ? pair.otherName : pair.label),
            h('td', { class: 'num' }, formatInteger(pair.both)),
            h('td', { class: 'num' }, formatPercent(pair.support, 2)),
            h('td', { class: 'num' }, formatPercent(pair.confidence)),
            h('td', { class: 'num' }, formatNumber(pair.lift, 1)),
          )))))
      : h('p', { class: 'muted', id: 'products-together-none' }, t('products.together.none', { share: formatPercent(minSupport, 2) })),
  );
  if (!product) return [section];
  section.append(nextBlock(ctx, product));
  return [section, crossSellCard(ctx, product, [...ticked], pairs)];
}

function nextBlock(ctx, product) {
  const { locale } = ctx;
  const { t, formatInteger, formatPercent } = locale;
  const entry = ctx.analyses.get('nextProducts', { product: product.id, top: NEXT });
  const block = h('div', { class: 'next-products', id: 'products-next' }, h('h3', { class: 'card-subheading', id: 'products-next-heading' }, t('products.next.heading')));
  if (entry.status !== 'done') {
    block.append(entry.status === 'pending' ? loadingCard(t('products.loading')) : errorCard(locale, entry.error));
    return block;
  }
  const next = entry.value;
  block.append(h('p', { class: 'muted caption' }, t('products.next.caption', { buyers: formatInteger(next.buyers), withNext: formatInteger(next.withNext) })));
  block.append(next.products.length
    ? h('div', { class: 'table-scroll', tabindex: 0, role: 'region', 'aria-labelledby': 'products-next-heading' },
      h('table', { class: 'data-table compact' },
        h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, t('products.col.product')), h('th', { scope: 'col', class: 'num' }, t('products.next.customers')), h('th', { scope: 'col', class: 'num' }, t('products.next.share')))),
        h('tbody', {}, next.products.map((p) => h('tr', {}, h('th', { scope: 'row' }, productLabel(p)), h('td', { class: 'num' }, formatInteger(p.customers)), h('td', { class: 'num' }, formatPercent(p.share)))))))
    : h('p', { class: 'muted' }, t('products.next.none')));
  return block;
}

/** Buyers of the product who never bought the ticked ones: size, preview, Export CSV, and the host's event. */
function crossSellCard(ctx, product, notBought, pairs) {
  const { locale } = ctx;
  const { t, formatInteger, formatDate } = locale;
  const options = crossSellOptions(product.id, notBought);
  const entry = ctx.analyses.get('crossSell', options);
  const names = new Map(pairs.map((pair) => [pair.other, pair.otherName]));
  const others = notBought.length === 1 ? names.get(notBought[0]) ?? notBought[0] : t('products.cross.others', { n: notBought.length });
  const section = h('section', { class: 'card', id: 'products-cross', 'aria-labelledby': 'products-cross-heading' });
  const heading = h('h2', { id: 'products-cross-heading' }, t('products.cross.heading'));
  if (entry.status !== 'done') {
    section.append(heading, entry.status === 'pending' ? loadingCard(t('products.loading')) : errorCard(locale, entry.error));
    return section;
  }
  const audience = entry.value;
  const asOf = ctx.filter?.to || ctx.summary.lastDate;
  const status = h('p', { class: 'muted list-status', role: 'status', id: 'products-cross-status' });
  const file = `cross-sell-${fileSlug(product.id)}-${asOf}.csv`;
  const shown = Math.min(PREVIEW, audience.customerIds.length);
  section.append(
    h('div', { class: 'list-head' },
      heading,
      h('div', { class: 'list-actions' },
        h('button', {
          type: 'button',
          class: 'button primary',
          id: 'products-cross-export',
          disabled: audience.customers === 0,
          onclick: (event) => exportToFile({ button: event.currentTarget, status, file, content: () => ctx.analyses.run('crossSellCsv', options), saved: t('products.cross.saved', { file }) }),
        }, t('products.cross.export')),
        ctx.selectAudience
          ? h('button', {
            type: 'button',
            class: 'button',
            id: 'products-cross-select',
            disabled: audience.customers === 0,
            onclick: () => {
              ctx.selectAudience({ audience: 'crossSell', customerIds: [...audience.customerIds], asOf, params: options });
              status.textContent = t('products.cross.selected', { n: formatInteger(audience.customers) });
            },
          }, t('products.cross.select'))
          : null,
      ),
    ),
    h('p', { class: 'muted caption' }, notBought.length ? t('products.cross.caption', { product: productLabel(product), others }) : t('products.cross.captionNone', { product: productLabel(product) })),
    h('p', { class: 'audience-size', id: 'products-cross-size', dataset: { customers: audience.customers } }, t('products.cross.size', { n: formatInteger(audience.customers) })),
    shown ? h('p', { class: 'muted small' }, t('products.cross.preview', { shown: formatInteger(shown), n: formatInteger(audience.customers) })) : null,
    shown
      ? h('div', { class: 'table-scroll' },
        h('table', { class: 'data-table compact', id: 'products-cross-preview' },
          h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, t('products.cross.customer')), h('th', { scope: 'col', class: 'num' }, t('products.cross.last')))),
          h('tbody', {}, audience.customerIds.slice(0, shown).map((id, i) => h('tr', {}, h('th', { scope: 'row', class: 'mono' }, id), h('td', { class: 'num' }, formatDate(audience.lastPurchase[i])))))))
      : null,
    status,
  );
  return section;
}

// ------------------------------------------------------------------ the product mix

/** A group's name: an RFM segment's or a lifecycle stage's in the locale's words, else as given. */
function groupName(locale, by, group) {
  if (by === 'stage') return Object.hasOwn(locale.messages, `stage.${group}`) ? locale.t(`stage.${group}`) : group;
  return segmentName(locale, group);
}

function mixCard(ctx) {
  const { locale, settings } = ctx;
  const { t, formatInteger, formatPercent } = locale;
  const by = settings.mixBy;
  const entry = ctx.analyses.get('productMix', { by, top: MIX_TOP });
  if (entry.status !== 'done') return entry.status === 'pending' ? loadingCard(t('products.loading')) : errorCard(locale, entry.error);
  const groups = entry.value.groups.filter((group) => group.customers > 0);
  return card(locale, 'products-mix', t(`products.mix.heading.${by}`), t('products.mix.caption'),
    h('div', { class: 'mix-grid', id: 'products-mix-groups' }, groups.map((group) => {
      const rows = mixRows(group, MIX_TOP);
      const name = groupName(locale, by, group.group);
      return h('div', { class: 'mix-group', dataset: { group: group.group } },
        h('h3', {}, name, ' ', h('span', { class: 'badge' }, t('products.mix.customers', { n: formatInteger(group.customers) }))),
        rows.length
          ? h('div', { class: 'table-scroll' }, h('table', { class: 'data-table compact' },
            h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, t('products.col.product')), h('th', { scope: 'col', class: 'num' }, t('products.mix.buyers')), h('th', { scope: 'col', class: 'num' }, t('products.mix.share')))),
            h('tbody', {}, rows.map((p) => h('tr', {}, h('th', { scope: 'row' }, productLabel(p)), h('td', { class: 'num' }, formatInteger(p.buyers)), h('td', { class: 'num' }, formatPercent(p.share)))))))
          : h('p', { class: 'muted' }, t('products.mix.none')));
    })),
  );
}

// ------------------------------------------------------------------ the not-a-product list

function excludeCard(ctx) {
  const { locale, analyses } = ctx;
  const { t, formatInteger, formatPercent, formatMoney } = locale;
  const state = stateOf(ctx);
  const entry = analyses.get('nonProducts');
  if (entry.status !== 'done') return entry.status === 'pending' ? null : errorCard(locale, entry.error);
  const proposal = entry.value.proposed ?? [];
  state.draft ??= { rows: exclusionRows(proposal, analyses.exclude), dirty: false, adding: '' };
  const draft = state.draft;
  const status = h('p', { class: 'muted', role: 'status', id: 'products-exclude-status' }, draft.dirty ? t('products.exclude.pending') : '');
  const apply = (ids) => {
    analyses.setExclude(ids === null || sameAsProposal(proposal, ids) ? null : ids);
    state.draft = null;
    ctx.rerender();
  };
  const changed = () => {
    draft.dirty = true;
    status.textContent = t('products.exclude.pending');
  };
  const reason = (row) => t(`products.exclude.reason.${row.reason}`) === `products.exclude.reason.${row.reason}` ? row.reason : t(`products.exclude.reason.${row.reason}`);
  const details = h('details', { class: 'card exclude-card', id: 'products-exclude', open: state.excludeOpen || draft.dirty ? true : null, ontoggle: (event) => { state.excludeOpen = event.currentTarget.open; } },
    h('summary', {}, h('h2', { id: 'products-exclude-heading' }, t('products.exclude.heading')), ' ', h('span', { class: 'badge' }, formatInteger(excludedIds(draft.rows).length)), analyses.exclude ? h('span', { class: 'badge' }, t('products.exclude.custom')) : null),
    h('p', { class: 'muted caption' }, t('products.exclude.caption')),
    draft.rows.length
      ? h('div', { class: 'table-scroll' },
        h('table', { class: 'data-table compact', id: 'products-exclude-table' },
          h('thead', {}, h('tr', {},
            h('th', { scope: 'col' }, t('products.exclude.keep')),
            h('th', { scope: 'col' }, t('products.col.id')),
            h('th', { scope: 'col' }, t('products.col.product')),
            h('th', { scope: 'col' }, t('products.exclude.reason')),
            h('th', { scope: 'col', class: 'num' }, t('products.col.orders')),
            h('th', { scope: 'col', class: 'num' }, t('products.exclude.orderShare')),
            h('th', { scope: 'col', class: 'num' }, t('products.col.revenue')),
          )),
          h('tbody', {}, draft.rows.map((row) => h('tr', { dataset: { id: row.id } },
            h('td', {}, h('input', { type: 'checkbox', checked: row.excluded, 'aria-label': t('products.exclude.leaveOut', { product: row.name || row.id }), onchange: (event) => { row.excluded = event.target.checked; changed(); } })),
            h('th', { scope: 'row', class: 'mono' }, row.id),
            h('td', {}, row.name),
            h('td', {}, reason(row)),
            h('td', { class: 'num' }, row.orders === undefined ? '' : formatInteger(row.orders)),
            h('td', { class: 'num' }, row.orderShare === undefined ? '' : formatPercent(row.orderShare)),
            h('td', { class: 'num' }, row.revenue === undefined ? '' : formatMoney(row.revenue, ctx.currency)),
          )))))
      : h('p', { class: 'muted' }, t('products.exclude.none')),
    h('form', {
      class: 'exclude-add',
      onsubmit: (event) => {
        event.preventDefault();
        const known = new Set(draft.rows.map((row) => row.id));
        for (const id of parseIds(draft.adding)) {
          if (known.has(id)) draft.rows.find((row) => row.id === id).excluded = true;
          else draft.rows.push({ id, name: '', reason: 'user', excluded: true, proposed: false });
        }
        draft.adding = '';
        draft.dirty = true;
        state.excludeOpen = true;
        ctx.rerender();
      },
    },
      h('label', { class: 'field', for: 'products-exclude-add' },
        h('span', { class: 'field-label' }, t('products.exclude.add')),
        h('input', { id: 'products-exclude-add', type: 'text', autocomplete: 'off', spellcheck: 'false', placeholder: t('products.exclude.addPlaceholder'), value: draft.adding, oninput: (event) => { draft.adding = event.target.value; } })),
      h('button', { type: 'submit', class: 'button' }, t('products.exclude.addButton')),
    ),
    h('div', { class: 'actions' },
      h('button', { type: 'button', class: 'button primary', id: 'products-exclude-apply', onclick: () => apply(excludedIds(draft.rows)) }, t('products.exclude.apply')),
      h('button', { type: 'button', class: 'button quiet', id: 'products-exclude-reset', disabled: !analyses.exclude && !draft.dirty, onclick: () => apply(null) }, t('products.exclude.reset')),
    ),
    status,
  );
  return details;
}

// ------------------------------------------------------------------ the view

export function renderProducts(ctx) {
  const { locale, width, isPhone } = ctx;
  const { t } = locale;
  stateOf(ctx);
  const head = h('div', { class: 'view-head' },
    h('h2', { class: 'view-title', id: 'view-heading', tabindex: -1 }, t('products.heading')),
    h('p', { class: 'muted' }, t('products.intro')),
  );
  if (hasProducts(ctx.summary) === false) return h('div', { class: 'view products' }, head, h('div', { class: 'card', id: 'products-none' }, h('p', {}, t('products.none'))));
  const entry = ctx.analyses.get('products');
  if (entry.status === 'pending') return h('div', { class: 'view products' }, head, controls(ctx), loadingCard(t('products.loading')));
  if (entry.status === 'error') return h('div', { class: 'view products' }, head, controls(ctx), errorCard(locale, entry.error));
  const result = entry.value;
  if (!result.products.length) return h('div', { class: 'view products' }, head, h('div', { class: 'card', id: 'products-none' }, h('p', {}, t('products.none'))));
  const chartWidth = innerWidth(width, isPhone);
  return h('div', { class: 'view products' },
    head,
    controls(ctx),
    kpis(ctx, result),
    topCard(ctx, result, chartWidth),
    tableCard(ctx, result),
    chosenCard(ctx, result),
    firstCard(ctx, chartWidth),
    mixCard(ctx),
    excludeCard(ctx),
  );
}
