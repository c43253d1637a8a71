// The example admin page's own code: what a storefront does with <customer-lens>.
//
// The store already has its orders (here: its order-lines export, read with a small parser and
// grouped into orders, as an admin back end would have them in memory). It hands them to the
// element, and when the user opens an RFM segment it gets the customers' ids back, ready for a
// discount; when the user chooses an audience (Audiences view, or a cross-sell list), it gets
// that audience's ids, ready for a campaign. The custom audiences the user builds are the
// store's to keep: it saves their definitions (never customers) and hands them back on the next
// visit. Nothing leaves the page.

const TEXT = {
  en: {
    skip: 'Skip to content',
    plan: 'Admin',
    language: 'Language',
    nav: 'Admin',
    'nav.home': 'Home',
    'nav.orders': 'Orders',
    'nav.products': 'Products',
    'nav.customers': 'Customers',
    'nav.discounts': 'Discounts',
    'nav.settings': 'Settings',
    crumb: 'Analytics',
    title: 'Customer analytics',
    lead: 'Your orders, analysed in this browser tab.',
    leadLoaded: '{orders} orders of {customers} customers, handed to the analysis in memory. Nothing is uploaded.',
    lensTitle: 'Segments, cohorts and lifetime value',
    actionTitle: 'Marketing action',
    actionEmpty: 'Open a segment, or choose an audience, in the analysis to target exactly its customers.',
    actionHeading: 'Create a discount for {n} customers',
    actionSegment: 'Segment “{segment}”, scored as of {date}.',
    actionGroup: 'Group “{segment}”, scored as of {date}.',
    actionMore: 'and {n} more',
    actionCreate: 'Create discount code {code}',
    actionExport: 'Download the list (CSV)',
    actionDone: 'Draft discount {code} created for {n} customers. (An example page: nothing was sent.)',
    loadFailed: 'The orders could not be analysed: {message}',
    title_: 'Customers · Northwind Gifts admin',
    campaignHeading: 'Create a campaign for {n} customers',
    campaignAudience: 'Audience “{audience}”, as of {date}.',
    campaignParams: 'Parameters: {params}',
    campaignCreate: 'Schedule campaign {code}',
    campaignDone: 'Draft campaign {code} scheduled for {n} customers. (An example page: nothing was sent.)',
    'audience.dueToReorder': 'Due to reorder',
    'audience.justSlipped': 'Just slipped',
    'audience.highValueAtRisk': 'High value at risk',
    'audience.oneAndDone': 'One and done',
    'audience.vipThankYou': 'VIP thank-you',
    'audience.winBack': 'Win-back',
    'audience.crossSell': 'Cross-sell',
    'audience.replenishment': 'Replenishment',
  },
  vi: {
    skip: 'Chuyển đến nội dung',
    plan: 'Quản trị',
    language: 'Ngôn ngữ',
    nav: 'Quản trị',
    'nav.home': 'Trang chủ',
    'nav.orders': 'Đơn hàng',
    'nav.products': 'Sản phẩm',
    'nav.customers': 'Khách hàng',
    'nav.discounts': 'Khuyến mãi',
    'nav.settings': 'Cài đặt',
    crumb: 'Phân tích',
    title: 'Phân tích khách hàng',
    lead: 'Đơn hàng của bạn, được phân tích ngay trong thẻ trình duyệt này.',
    leadLoaded: '{orders} đơn hàng của {customers} khách, chuyển cho phần phân tích ngay trong bộ nhớ. Không tải lên đâu cả.',
    lensTitle: 'Phân khúc, nhóm khách và giá trị vòng đời',
    actionTitle: 'Hành động tiếp thị',
    actionEmpty: 'Mở một phân khúc, hoặc chọn một tệp khách hàng, trong phần phân tích để nhắm đúng những khách hàng của nó.',
    actionHeading: 'Tạo mã giảm giá cho {n} khách hàng',
    actionSegment: 'Phân khúc “{segment}”, tính đến ngày {date}.',
    actionGroup: 'Nhóm “{segment}”, tính đến ngày {date}.',
    actionMore: 'và {n} khách khác',
    actionCreate: 'Tạo mã giảm giá {code}',
    actionExport: 'Tải danh sách (CSV)',
    actionDone: 'Đã tạo bản nháp mã {code} cho {n} khách hàng. (Trang ví dụ: không gửi gì đi cả.)',
    loadFailed: 'Không phân tích được đơn hàng: {message}',
    title_: 'Khách hàng · Quản trị Northwind Gifts',
    campaignHeading: 'Tạo chiến dịch cho {n} khách hàng',
    campaignAudience: 'Tệp “{audience}”, tính đến ngày {date}.',
    campaignParams: 'Tham số: {params}',
    campaignCreate: 'Lên lịch chiến dịch {code}',
    campaignDone: 'Đã lên lịch bản nháp chiến dịch {code} cho {n} khách hàng. (Trang ví dụ: không gửi gì đi cả.)',
    'audience.dueToReorder': 'Đến hạn mua lại',
    'audience.justSlipped': 'Vừa chậm nhịp',
    'audience.highValueAtRisk': 'Khách giá trị cao sắp mất',
    'audience.oneAndDone': 'Mua một lần rồi thôi',
    'audience.vipThankYou': 'Tri ân VIP',
    'audience.winBack': 'Kéo khách quay lại',
    'audience.crossSell': 'Bán kèm',
    'audience.replenishment': 'Mua bổ sung',
  },
};

const SHOWN_IDS = 12;
const lens = document.getElementById('lens');
const action = document.getElementById('action');
let lang = new URLSearchParams(location.search).get('lang') === 'vi' ? 'vi' : 'en';
let orderCount = null;
let lastSelection = null;

function text(key, params = {}) {
  const template = TEXT[lang][key] ?? TEXT.en[key] ?? key;
  return template.replace(/\{(\w+)\}/g, (match, name) => (name in params ? format(params[name]) : match));
}

function format(value) {
  return typeof value === 'number' ? value.toLocaleString(lang === 'vi' ? 'vi-VN' : 'en-GB') : String(value);
}

function element(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (name.startsWith('on')) node.addEventListener(name.slice(2), value);
    else node.setAttribute(name, value);
  }
  node.append(...children.flat().filter((child) => child !== null && child !== undefined));
  return node;
}

// ------------------------------------------------------------------ the store's own orders

/** The fields of one CSV line (quotes may hold commas; the export has no newlines in fields). */
function csvFields(line) {
  const fields = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const char = line[i];
    if (quoted) {
      if (char === '"' && line[i + 1] === '"') {
        field += '"';
        i++;
      } else if (char === '"') quoted = false;
      else field += char;
    } else if (char === '"') quoted = true;
    else if (char === ',') {
      fields.push(field);
      field = '';
    } else field += char;
  }
  fields.push(field);
  return fields;
}

/**
 * The store's orders from its order-lines export: one object per invoice, its total the sum of
 * quantity × unit price (returns, invoices starting with C, come out negative).
 */
function ordersFromLines(csv) {
  const lines = csv.split(/\r?\n/).filter((line) => line.length > 0);
  const header = csvFields(lines[0]);
  const column = (name) => header.indexOf(name);
  const [invoice, quantity, date, price, customer, country] = ['InvoiceNo', 'Quantity', 'InvoiceDate', 'UnitPrice', 'CustomerID', 'Country'].map(column);
  const orders = new Map();
  for (const line of lines.slice(1)) {
    const fields = csvFields(line);
    const id = fields[invoice];
    let order = orders.get(id);
    if (!order) {
      order = {
        order: id,
        customer: fields[customer].replace(/\.0$/, ''),
        date: fields[date].slice(0, 10),
        total: 0,
        country: fields[country],
      };
      orders.set(id, order);
    }
    order.total += Number(fields[quantity]) * Number(fields[price]);
  }
  return [...orders.values()].map((order) => ({ ...order, total: Math.round(order.total * 100) / 100 }));
}

async function handOverOrders() {
  const response = await fetch('../samples/online-retail-sample.csv');
  const orders = ordersFromLines(await response.text());
  orderCount = orders.length;
  // Kept for whoever wants to check what was handed over (the example's test does).
  window.adminOrders = orders;
  lens.orders = orders;
}

// ------------------------------------------------------------------ what the host does with a segment

function discountCode(name) {
  return `${name.toUpperCase().normalize('NFD').replace(/[^A-Z0-9]+/g, '')}10`;
}

/** The audience's name in the store's words (a custom one by its own name). */
function audienceName(id) {
  if (id.startsWith('custom:')) return id.slice('custom:'.length);
  return TEXT[lang][`audience.${id}`] ?? id;
}

/**
 * The action panel for `customerIds`: a heading, what they are (`about`: lines of text), the
 * first ids, and the action's button (`button`: { id, label, done }) with any `extra` button.
 */
function renderPanel({ heading, about, customerIds, button, extra = null }) {
  const shown = customerIds.slice(0, SHOWN_IDS);
  const status = element('p', { class: 'action-status', id: 'action-status', role: 'status' });
  action.replaceChildren(
    element('h3', { id: 'action-heading' }, heading),
    about.filter(Boolean).map(([id, line]) => element('p', id ? { class: 'muted', id } : { class: 'muted' }, line)),
    element('ul', { class: 'id-list', id: 'action-ids' }, shown.map((id) => element('li', {}, id))),
    customerIds.length > shown.length ? element('p', { class: 'muted' }, text('actionMore', { n: customerIds.length - shown.length })) : null,
    element('div', { class: 'action-buttons' },
      element('button', { type: 'button', class: 'primary', id: button.id, onclick: () => { status.textContent = button.done; } }, button.label),
      extra,
    ),
    status,
  );
}

/** A campaign for exactly the customers of the chosen audience. */
function renderCampaign() {
  const { audience, customerIds, asOf, params } = lastSelection;
  const name = audienceName(audience);
  const code = `${discountCode(name).slice(0, -2)}-${(asOf ?? '').replace(/-/g, '')}`;
  const paramText = Object.entries(params ?? {}).filter(([, value]) => typeof value !== 'object' || Array.isArray(value)).map(([key, value]) => `${key} ${Array.isArray(value) ? value.join(' ') : value}`).join(', ');
  renderPanel({
    heading: text('campaignHeading', { n: customerIds.length }),
    about: [[null, text('campaignAudience', { audience: name, date: asOf ?? '' })], paramText ? ['action-params', text('campaignParams', { params: paramText })] : null],
    customerIds,
    button: { id: 'create-campaign', label: text('campaignCreate', { code }), done: text('campaignDone', { code, n: customerIds.length }) },
  });
}

function renderAction() {
  if (!lastSelection) {
    action.replaceChildren(element('p', { class: 'muted' }, text('actionEmpty')));
    return;
  }
  if (lastSelection.audience) {
    renderCampaign();
    return;
  }
  const { segment, group, customerIds, asOf } = lastSelection;
  const name = segment ?? group;
  const code = discountCode(name);
  renderPanel({
    heading: text('actionHeading', { n: customerIds.length }),
    about: [[null, text(segment ? 'actionSegment' : 'actionGroup', { segment: name, date: asOf ?? '' })]],
    customerIds,
    button: { id: 'create-discount', label: text('actionCreate', { code }), done: text('actionDone', { code, n: customerIds.length }) },
    extra: segment ? element('button', { type: 'button', id: 'export-segment', onclick: () => lens.exportCsv(segment) }, text('actionExport')) : null,
  });
}

// ------------------------------------------------------------------ the page

function renderTexts() {
  document.documentElement.lang = lang;
  document.title = text('title_');
  for (const node of document.querySelectorAll('[data-text]')) node.textContent = text(node.dataset.text);
  for (const node of document.querySelectorAll('[data-label]')) node.setAttribute('aria-label', text(node.dataset.label));
  const summary = lens.summary;
  if (summary) document.getElementById('orders-note').textContent = text('leadLoaded', { orders: orderCount ?? summary.orders, customers: summary.customersWithPurchase });
  document.getElementById('admin-lang').value = lang;
  renderAction();
}

document.getElementById('admin-lang').addEventListener('change', (event) => {
  lang = event.target.value;
  lens.setAttribute('locale', lang);
  const url = new URL(location.href);
  url.searchParams.set('lang', lang);
  history.replaceState(null, '', url);
  renderTexts();
});

lens.addEventListener('customer-lens-ready', () => {
  document.body.dataset.lens = 'ready';
  renderTexts();
});

lens.addEventListener('customer-lens-error', (event) => {
  document.getElementById('orders-note').textContent = text('loadFailed', { message: event.detail.message });
});

lens.addEventListener('segment-select', (event) => {
  lastSelection = event.detail;
  renderAction();
  document.body.dataset.selection = event.detail.segment ?? event.detail.group;
});

lens.addEventListener('audience-select', (event) => {
  lastSelection = event.detail;
  renderAction();
  document.body.dataset.selection = event.detail.audience;
});

// The store keeps the custom audiences' definitions (here in its own storage; a real admin would
// save them with the shop's settings) and hands them back when the page opens.
const AUDIENCES_KEY = 'northwind-admin.audiences';
lens.addEventListener('custom-audiences-change', (event) => {
  try {
    localStorage.setItem(AUDIENCES_KEY, JSON.stringify(event.detail.audiences));
  } catch {}
});
try {
  lens.customAudiences = JSON.parse(localStorage.getItem(AUDIENCES_KEY) ?? '[]');
} catch {}

lens.setAttribute('locale', lang);
renderTexts();
customElements.whenDefined('customer-lens').then(handOverOrders);
