// A host page of <customer-lens>, written in TypeScript against the package's types: it hands the
// element a file the user picks, and lists what the element reports back.
import 'customer-lens';
import type { CustomerLensFilter, CustomerLensLoadOptions, CustomerLensSummary, SegmentSelectDetail } from 'customer-lens';

const lens = document.querySelector('customer-lens');
const picker = document.querySelector<HTMLInputElement>('#orders-file');
const events = document.querySelector<HTMLOListElement>('#events');
if (!lens || !picker || !events) throw new Error('the page lacks <customer-lens>, #orders-file or #events');

const note = (kind: string, text: string): void => {
  const item = document.createElement('li');
  item.dataset.kind = kind;
  item.textContent = text;
  events.append(item);
};

lens.period = 'month';
lens.addEventListener('customer-lens-ready', (event) => {
  const summary: CustomerLensSummary = event.detail.summary;
  note('ready', `${summary.orders} orders of ${summary.customers} customers, ${summary.firstDate} to ${summary.lastDate}`);
});
lens.addEventListener('customer-lens-error', (event) => note('error', event.detail.message));
lens.addEventListener('filter-change', (event) => {
  const filter: CustomerLensFilter = event.detail.filter;
  note('filter-change', JSON.stringify(filter));
});
lens.addEventListener('segment-select', (event) => {
  const { segment, group, customerIds, asOf }: SegmentSelectDetail = event.detail;
  note('segment-select', `${segment ?? group}: ${customerIds.length} customers as of ${asOf}`);
});

const options: CustomerLensLoadOptions = { preset: 'online-retail' };
picker.addEventListener('change', () => {
  const file = picker.files?.[0];
  // A rejection is also sent as customer-lens-error (listed above).
  if (file) lens.load(file, options).catch(() => {});
});
