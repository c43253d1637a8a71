// Never run: `tsc --noEmit --strict` proves the package's types catch a host's mistakes. Each
// mistake below is marked as an expected error; tsc reports a mark that meets no error, so types
// that had gone loose (`any`) would fail the check.
import type { CustomerLensElement } from 'customer-lens';

export function mistakes(lens: CustomerLensElement): void {
  // @ts-expect-error: 'day' is not a cohort period
  lens.period = 'day';
  // @ts-expect-error: load() takes a File or Blob, a URL or orders, not a number
  void lens.load(42);
  // @ts-expect-error: there is no 'excel' preset
  void lens.load('orders.csv', { preset: 'excel' });
  // @ts-expect-error: the summary may be null before anything is loaded
  void lens.summary.orders;
  lens.addEventListener('segment-select', (event) => {
    // @ts-expect-error: customer ids are text, as the orders spelled them
    const first: number = event.detail.customerIds[0];
    void first;
  });
  // @ts-expect-error: a filter lists the values kept as text
  lens.filter = { country: [42] };
  lens.addEventListener('filter-change', (event) => {
    // @ts-expect-error: a filter's dates are text (YYYY-MM-DD)
    const from: number | undefined = event.detail.filter.from;
    void from;
  });
  document.addEventListener('customer-lens-ready', (event) => {
    // @ts-expect-error: a summary's order count is a number
    const orders: string = event.detail.summary.orders;
    void orders;
  });
}
