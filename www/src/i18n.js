// UI text in English and Vietnamese, and every number, date and currency formatted through Intl.
//
// Messages are flat keys; `{name}` placeholders are filled by `locale.t(key, params)`, where
// `locale = localeOf(lang)` holds one language's text and formats: there is no current language
// to set. A key missing in Vietnamese falls back to English, and a key missing everywhere shows
// as the key itself, so a gap is visible rather than silent (tests check that both tables have
// the same keys).

import * as audienceMessages from './messages/audiences.js';
import * as clvMessages from './messages/clv.js';
import * as cohortMessages from './messages/cohorts.js';
import * as engineMessages from './messages/engine.js';
import * as lifecycleMessages from './messages/lifecycle.js';
import * as overviewMessages from './messages/overview.js';
import * as productMessages from './messages/products.js';
import * as rfmMessages from './messages/rfm.js';
import * as sqlMessages from './messages/sql.js';

export const LOCALES = {
  en: { label: 'English', intl: 'en-GB' },
  vi: { label: 'Tiếng Việt', intl: 'vi-VN' },
};

export const DEFAULT_LANG = 'en';

const en = {
  'app.title': 'customer-lens',
  'app.tagline': 'Customer analytics from your order history, computed in this browser tab. Nothing is uploaded.',
  'app.skip': 'Skip to content',
  'settings.language': 'Language',
  'settings.currency': 'Currency',
  'currency.none': 'None',

  'load.heading': 'Load your orders',
  'load.drop': 'Drop an order export here',
  'load.or': 'or',
  'load.choose': 'Choose a file',
  'load.hint': 'CSV, TSV, .csv.gz or Excel (.xlsx) exports from Shopify, Haravan, Sapo, KiotViet, WooCommerce, or any order list with a customer, a date and an amount. The file stays on this device.',
  'load.url.label': 'Fetch an export from a URL',
  'load.url.placeholder': 'https://example.com/orders.csv',
  'load.url.button': 'Fetch',
  'load.url.hint': 'Your browser fetches the file directly from that address; the server must allow cross-origin requests.',
  'load.url.invalid': 'Enter a full http:// or https:// address.',
  'load.sample': 'Try the sample data',
  'load.sample.hint': 'A slice of the UCI Online Retail data set: a UK gift shop, December 2010 to December 2011.',
  'load.sample.name': 'Online Retail sample',
  'load.another': 'Load other data',
  'load.close': 'Close',
  'load.dropOverlay': 'Drop the file to analyse it',

  'progress.reading': 'Reading {name}',
  'progress.fetching': 'Fetching {name}',
  'progress.preparing': 'Preparing {name}',
  'progress.of': '{loaded} of {total}',
  'progress.cancel': 'Cancel',
  'progress.label': 'Loading progress',

  'error.title': 'The data could not be read',
  'error.dismiss': 'Dismiss',
  'error.cancelled': 'Loading was cancelled; the previous data is still shown.',
  'error.fetch': 'Could not fetch {url} ({reason}). Check the address; the server must allow cross-origin requests (CORS) from this page.',
  'error.http': '{url} answered HTTP {status}. Check the address and that the file is public.',
  'error.crashed': 'The analysis engine stopped unexpectedly ({message}). It has been restarted; load the data again.',
  'error.workerFailed': 'The analysis engine could not start ({message}): its background script did not run. If this page has a Content-Security-Policy, its worker-src must allow the origin the widget is served from (and blob: when that is another origin).',
  'error.tooLarge.read': "This file is too large for the memory this browser gives a page: memory ran out after reading {progress}. Split it (by year, for example) and load one part at a time; for the whole history, load one part and take the SQL tab's queries to your warehouse.",
  'error.tooLarge': "This browser does not have enough memory for this analysis. Load a smaller file (a shorter period, for example); for the whole history, take the SQL tab's queries to your warehouse.",
  'error.analysis': 'This analysis could not run',
  'error.unsupported': 'This browser cannot run the analysis engine ({message}). Use a current Chrome, Edge, Firefox or Safari.',
  'error.trustedTypes': 'The analysis engine cannot start: this page requires Trusted Types and its Content Security Policy does not allow the policy “{policy}”. Add `trusted-types {policy}` to the page’s Content-Security-Policy.',

  'empty.title': 'No orders loaded yet',
  'empty.body': 'Load an order export to see who your customers are, how often they come back and what they are worth. Everything is computed here, in your browser.',
  'empty.point1': 'Summary of every row read, and every row rejected with its reason',
  'empty.point2': 'Columns detected in English and Vietnamese exports, and yours to change',
  'empty.point3': 'Your data never leaves this tab',

  'nav.label': 'Views',
  'nav.overview': 'Overview',
  'nav.rfm': 'RFM segments',
  'nav.cohorts': 'Cohorts',
  'nav.clv': 'Lifetime value',
  'view.loading': 'Opening the view',
  'chart.table': 'Show the numbers as a table',

  'source.label': 'Data',
  'source.rows': '{n} rows handed over by the page',
  'source.file': 'file',
  'widget.label': 'Customer analytics',
  'report.print': 'Print report',
  'chart.export': 'Download the chart',
  'chart.export.as': 'Download “{title}” as {format}',
  'settings.theme': 'Theme',
  'theme.auto': 'System',
  'theme.light': 'Light',
  'theme.dark': 'Dark',

  'summary.heading': 'Summary',
  'summary.orders': 'Orders',
  'summary.ordersDetail': '{purchases} purchases · {returns} returns',
  'summary.customers': 'Customers',
  'summary.customersDetail': '{n} with at least one purchase',
  'summary.revenue': 'Net revenue',
  'summary.revenueDetail': 'purchases minus returns',
  'summary.dateRange': 'Date range',
  'summary.dateRangeDetail': '{days} days',
  'summary.returns': 'Returns',
  'summary.cancelled': 'Cancelled orders',
  'summary.anonymous': 'Rows without a customer',
  'summary.anonymousDetail': 'guest orders, left out of customer analytics',
  'summary.rows': 'Rows',
  'summary.rowsDetail': '{read} read · {accepted} accepted · {rejected} rejected',
  'summary.blankLines': 'Blank lines skipped',
  'summary.titleLines': 'Title lines above the header',
  'summary.file': 'How the file was read',
  'summary.encoding': 'Encoding',
  'summary.delimiter': 'Delimiter',
  'summary.sheet': 'Excel sheet',
  'summary.sheetOf': 'one of {n} sheets: choose another under Columns',
  'summary.dateOrder': 'Date order',
  'summary.dateOrderAmbiguous': 'ambiguous: every date fits more than one order; check it in Columns',
  'summary.decimalSeparator': 'Decimal separator',
  'summary.preset': 'Export format',
  'summary.notes': 'Notes',
  'summary.unknown': 'n/a',

  'delimiter.comma': 'comma ( , )',
  'delimiter.semicolon': 'semicolon ( ; )',
  'delimiter.tab': 'tab',
  'delimiter.pipe': 'pipe ( | )',
  'delimiter.whitespace': 'spaces',
  'decimal.point': 'point ( . )',
  'decimal.comma': 'comma ( , )',

  'dateOrder.auto': 'Detect from the data',
  'dateOrder.ymd': 'year-month-day',
  'dateOrder.dmy': 'day/month/year',
  'dateOrder.mdy': 'month/day/year',

  'preset.auto': 'Detect automatically',
  'preset.online-retail': 'UCI Online Retail',
  'preset.shopify': 'Shopify orders export',
  'preset.haravan': 'Haravan orders export',
  'preset.sapo': 'Sapo orders export',
  'preset.kiotviet': 'KiotViet invoices export',
  'preset.woocommerce': 'WooCommerce orders export',
  'preset.cdnow': 'CDNOW (BTYD sample)',
  'preset.generic': 'Generic order list',

  'encoding.auto': 'Detect automatically',

  'mapping.heading': 'Columns',
  'mapping.intro': 'What each column means, detected from the header. Change anything and read the file again.',
  'mapping.role': 'Role',
  'mapping.column': 'Column in the file',
  'mapping.detect': 'Detect',
  'mapping.none': 'Not in the file',
  'mapping.notFound': 'none found',
  'mapping.preset': 'Export format',
  'mapping.dateOrder': 'Date order',
  'mapping.delimiter': 'Delimiter',
  'mapping.encoding': 'Encoding',
  'mapping.sheet': 'Sheet',
  'mapping.apply': 'Read again with these settings',
  'mapping.reset': 'Back to detected',
  'mapping.unavailable': 'Rows handed over by a page have no header to map.',

  'role.customer': 'Customer',
  'role.order': 'Order',
  'role.date': 'Date',
  'role.amount': 'Amount',
  'role.quantity': 'Quantity',
  'role.unitPrice': 'Unit price',
  'role.status': 'Status',
  'role.country': 'Country',
  'role.channel': 'Channel',
  'role.region': 'Region / province / city',
  'role.paymentMethod': 'Payment method',
  'role.discountCode': 'Discount code',
  'role.tags': 'Tags',
  'role.location': 'Store / location / sales person',
  'role.productId': 'Product id / SKU',
  'role.productName': 'Product name',
  'role.category': 'Product category / type / vendor',
  'mapping.attributes': 'Other columns to keep',
  'mapping.attributesHint': 'Kept per order, to filter and compare the analyses by.',

  'rejects.heading': 'Rejected rows',
  'rejects.none': 'Every row was accepted.',
  'rejects.count': 'The first {shown} of {total} rejected rows',
  'rejects.countAll': 'All {total} rejected rows',
  'rejects.row': 'Row',
  'rejects.column': 'Column',
  'rejects.value': 'Value',
  'rejects.reason': 'Reason',
  'rejects.empty': '(empty)',

  'footer.privacy': 'Your order data never leaves this browser tab: no upload, no tracking, no third-party code.',
  'footer.engine': 'Computed by a Rust engine compiled to WebAssembly, running in a background thread.',
};

const vi = {
  'app.title': 'customer-lens',
  'app.tagline': 'Phân tích khách hàng từ lịch sử đơn hàng, tính ngay trong thẻ trình duyệt này. Không tải dữ liệu lên đâu cả.',
  'app.skip': 'Chuyển đến nội dung',
  'settings.language': 'Ngôn ngữ',
  'settings.currency': 'Tiền tệ',
  'currency.none': 'Không',

  'load.heading': 'Tải dữ liệu đơn hàng',
  'load.drop': 'Thả tệp đơn hàng vào đây',
  'load.or': 'hoặc',
  'load.choose': 'Chọn tệp',
  'load.hint': 'Tệp CSV, TSV, .csv.gz hoặc Excel (.xlsx) xuất từ Shopify, Haravan, Sapo, KiotViet, WooCommerce, hay bất kỳ danh sách đơn hàng nào có khách hàng, ngày và số tiền. Tệp không rời khỏi máy của bạn.',
  'load.url.label': 'Tải tệp từ một địa chỉ URL',
  'load.url.placeholder': 'https://example.com/don-hang.csv',
  'load.url.button': 'Tải về',
  'load.url.hint': 'Trình duyệt tải tệp trực tiếp từ địa chỉ đó; máy chủ phải cho phép truy cập chéo nguồn (CORS).',
  'load.url.invalid': 'Hãy nhập đầy đủ địa chỉ http:// hoặc https://.',
  'load.sample': 'Dùng thử dữ liệu mẫu',
  'load.sample.hint': 'Một phần bộ dữ liệu UCI Online Retail: cửa hàng quà tặng ở Anh, từ tháng 12/2010 đến tháng 12/2011.',
  'load.sample.name': 'Dữ liệu mẫu Online Retail',
  'load.another': 'Tải dữ liệu khác',
  'load.close': 'Đóng',
  'load.dropOverlay': 'Thả tệp để phân tích',

  'progress.reading': 'Đang đọc {name}',
  'progress.fetching': 'Đang tải {name}',
  'progress.preparing': 'Đang chuẩn bị {name}',
  'progress.of': '{loaded} / {total}',
  'progress.cancel': 'Hủy',
  'progress.label': 'Tiến độ tải',

  'error.title': 'Không đọc được dữ liệu',
  'error.dismiss': 'Đóng',
  'error.cancelled': 'Đã hủy tải; dữ liệu trước đó vẫn được giữ nguyên.',
  'error.fetch': 'Không tải được {url} ({reason}). Hãy kiểm tra địa chỉ; máy chủ phải cho phép truy cập chéo nguồn (CORS) từ trang này.',
  'error.http': '{url} trả về mã HTTP {status}. Hãy kiểm tra địa chỉ và quyền truy cập công khai của tệp.',
  'error.crashed': 'Bộ máy phân tích dừng đột ngột ({message}). Đã khởi động lại; hãy tải lại dữ liệu.',
  'error.workerFailed': 'Bộ máy phân tích không khởi động được ({message}): tập lệnh chạy nền của nó không chạy. Nếu trang có Content-Security-Policy, worker-src phải cho phép nguồn (origin) phục vụ tiện ích (và blob: khi đó là một nguồn khác).',
  'error.tooLarge.read': 'Tệp này quá lớn so với bộ nhớ trình duyệt dành cho một trang: bộ nhớ đã hết sau khi đọc {progress}. Hãy chia nhỏ tệp (ví dụ theo năm) và tải từng phần; để phân tích toàn bộ lịch sử, hãy tải một phần rồi chạy các truy vấn của thẻ SQL trong kho dữ liệu của bạn.',
  'error.tooLarge': 'Trình duyệt này không đủ bộ nhớ cho phân tích này. Hãy tải tệp nhỏ hơn (ví dụ một khoảng thời gian ngắn hơn); để phân tích toàn bộ lịch sử, hãy chạy các truy vấn của thẻ SQL trong kho dữ liệu của bạn.',
  'error.analysis': 'Không chạy được phân tích này',
  'error.unsupported': 'Trình duyệt này không chạy được bộ máy phân tích ({message}). Hãy dùng Chrome, Edge, Firefox hoặc Safari bản mới.',
  'error.trustedTypes': 'Bộ máy phân tích không khởi động được: trang này bắt buộc Trusted Types và Content Security Policy của trang không cho phép chính sách “{policy}”. Hãy thêm `trusted-types {policy}` vào Content-Security-Policy của trang.',

  'empty.title': 'Chưa có đơn hàng nào',
  'empty.body': 'Tải tệp đơn hàng để biết khách hàng của bạn là ai, họ quay lại thường xuyên thế nào và giá trị của họ ra sao. Mọi phép tính đều chạy ngay trong trình duyệt của bạn.',
  'empty.point1': 'Tóm tắt mọi dòng đã đọc, và từng dòng bị loại kèm lý do',
  'empty.point2': 'Tự nhận diện cột trong tệp tiếng Anh lẫn tiếng Việt, và bạn có thể sửa lại',
  'empty.point3': 'Dữ liệu của bạn không rời khỏi thẻ này',

  'nav.label': 'Các trang phân tích',
  'nav.overview': 'Tổng quan',
  'nav.rfm': 'Phân khúc RFM',
  'nav.cohorts': 'Nhóm khách theo kỳ',
  'nav.clv': 'Giá trị vòng đời',
  'view.loading': 'Đang mở trang phân tích',
  'chart.table': 'Xem số liệu dạng bảng',

  'source.label': 'Dữ liệu',
  'source.rows': '{n} dòng do trang web cung cấp',
  'source.file': 'tệp',
  'widget.label': 'Phân tích khách hàng',
  'report.print': 'In báo cáo',
  'chart.export': 'Tải biểu đồ',
  'chart.export.as': 'Tải “{title}” dạng {format}',
  'settings.theme': 'Giao diện',
  'theme.auto': 'Theo hệ thống',
  'theme.light': 'Sáng',
  'theme.dark': 'Tối',

  'summary.heading': 'Tóm tắt',
  'summary.orders': 'Đơn hàng',
  'summary.ordersDetail': '{purchases} đơn mua · {returns} đơn trả',
  'summary.customers': 'Khách hàng',
  'summary.customersDetail': '{n} khách đã mua ít nhất một lần',
  'summary.revenue': 'Doanh thu thuần',
  'summary.revenueDetail': 'tiền mua trừ tiền hàng trả lại',
  'summary.dateRange': 'Khoảng thời gian',
  'summary.dateRangeDetail': '{days} ngày',
  'summary.returns': 'Đơn trả hàng',
  'summary.cancelled': 'Đơn đã hủy',
  'summary.anonymous': 'Dòng không có khách hàng',
  'summary.anonymousDetail': 'đơn của khách vãng lai, không tính vào phân tích khách hàng',
  'summary.rows': 'Số dòng',
  'summary.rowsDetail': '{read} đã đọc · {accepted} hợp lệ · {rejected} bị loại',
  'summary.blankLines': 'Dòng trống đã bỏ qua',
  'summary.titleLines': 'Dòng tiêu đề phía trên hàng tên cột',
  'summary.file': 'Cách đọc tệp',
  'summary.encoding': 'Bảng mã',
  'summary.delimiter': 'Dấu phân cách',
  'summary.sheet': 'Trang tính Excel',
  'summary.sheetOf': 'một trong {n} trang tính: chọn trang khác ở mục Cột dữ liệu',
  'summary.dateOrder': 'Thứ tự ngày',
  'summary.dateOrderAmbiguous': 'chưa chắc chắn: mọi ngày đều hợp với nhiều thứ tự; hãy kiểm tra ở mục Cột dữ liệu',
  'summary.decimalSeparator': 'Dấu thập phân',
  'summary.preset': 'Định dạng tệp',
  'summary.notes': 'Ghi chú',
  'summary.unknown': 'không rõ',

  'delimiter.comma': 'dấu phẩy ( , )',
  'delimiter.semicolon': 'dấu chấm phẩy ( ; )',
  'delimiter.tab': 'tab',
  'delimiter.pipe': 'gạch đứng ( | )',
  'delimiter.whitespace': 'khoảng trắng',
  'decimal.point': 'dấu chấm ( . )',
  'decimal.comma': 'dấu phẩy ( , )',

  'dateOrder.auto': 'Tự nhận diện từ dữ liệu',
  'dateOrder.ymd': 'năm-tháng-ngày',
  'dateOrder.dmy': 'ngày/tháng/năm',
  'dateOrder.mdy': 'tháng/ngày/năm',

  'preset.auto': 'Tự nhận diện',
  'preset.online-retail': 'UCI Online Retail',
  'preset.shopify': 'Tệp xuất đơn hàng Shopify',
  'preset.haravan': 'Tệp xuất đơn hàng Haravan',
  'preset.sapo': 'Tệp xuất đơn hàng Sapo',
  'preset.kiotviet': 'Tệp xuất hóa đơn KiotViet',
  'preset.woocommerce': 'Tệp xuất đơn hàng WooCommerce',
  'preset.cdnow': 'CDNOW (dữ liệu mẫu BTYD)',
  'preset.generic': 'Danh sách đơn hàng chung',

  'encoding.auto': 'Tự nhận diện',

  'mapping.heading': 'Cột dữ liệu',
  'mapping.intro': 'Ý nghĩa của từng cột, nhận diện từ dòng tiêu đề. Bạn có thể sửa rồi đọc lại tệp.',
  'mapping.role': 'Vai trò',
  'mapping.column': 'Cột trong tệp',
  'mapping.detect': 'Tự nhận diện',
  'mapping.none': 'Không có trong tệp',
  'mapping.notFound': 'không tìm thấy',
  'mapping.preset': 'Định dạng tệp',
  'mapping.dateOrder': 'Thứ tự ngày',
  'mapping.delimiter': 'Dấu phân cách',
  'mapping.encoding': 'Bảng mã',
  'mapping.sheet': 'Trang tính',
  'mapping.apply': 'Đọc lại với thiết lập này',
  'mapping.reset': 'Trở về như đã nhận diện',
  'mapping.unavailable': 'Dữ liệu do trang web cung cấp không có dòng tiêu đề để chọn cột.',

  'role.customer': 'Khách hàng',
  'role.order': 'Mã đơn hàng',
  'role.date': 'Ngày đặt',
  'role.amount': 'Số tiền',
  'role.quantity': 'Số lượng',
  'role.unitPrice': 'Đơn giá',
  'role.status': 'Trạng thái',
  'role.country': 'Quốc gia',
  'role.channel': 'Kênh bán',
  'role.region': 'Khu vực / tỉnh / thành phố',
  'role.paymentMethod': 'Phương thức thanh toán',
  'role.discountCode': 'Mã giảm giá',
  'role.tags': 'Thẻ',
  'role.location': 'Chi nhánh / cửa hàng / nhân viên bán',
  'role.productId': 'Mã sản phẩm / SKU',
  'role.productName': 'Tên sản phẩm',
  'role.category': 'Danh mục / loại sản phẩm / nhà cung cấp',
  'mapping.attributes': 'Giữ thêm các cột khác',
  'mapping.attributesHint': 'Giữ theo từng đơn, để lọc và so sánh các phân tích theo chúng.',

  'rejects.heading': 'Dòng bị loại',
  'rejects.none': 'Mọi dòng đều hợp lệ.',
  'rejects.count': '{shown} dòng đầu tiên trong {total} dòng bị loại',
  'rejects.countAll': 'Toàn bộ {total} dòng bị loại',
  'rejects.row': 'Dòng',
  'rejects.column': 'Cột',
  'rejects.value': 'Giá trị',
  'rejects.reason': 'Lý do',
  'rejects.empty': '(trống)',

  'footer.privacy': 'Dữ liệu đơn hàng của bạn không rời khỏi thẻ trình duyệt này: không tải lên, không theo dõi, không có mã của bên thứ ba.',
  'footer.engine': 'Được tính bằng bộ máy viết bằng Rust, biên dịch sang WebAssembly, chạy ở luồng nền.',
};

/** Each view keeps its text in src/messages/<view>.js; all of it is merged here. */
const VIEW_MESSAGES = [overviewMessages, rfmMessages, cohortMessages, lifecycleMessages, clvMessages, productMessages, audienceMessages, sqlMessages, engineMessages];

export const MESSAGES = {
  en: Object.assign({}, en, ...VIEW_MESSAGES.map((m) => m.en)),
  vi: Object.assign({}, vi, ...VIEW_MESSAGES.map((m) => m.vi)),
};

/** Days since 1970-01-01 of a `YYYY-MM-DD` string, or NaN. */
export function dayOfIsoDate(isoDate) {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(isoDate ?? '');
  if (!match) return Number.NaN;
  return Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])) / 86_400_000;
}

/**
 * The text and the number, date and currency formats of one language. Renders take one (views
 * as `ctx.locale`) instead of reading a current language, so two lenses in two languages on
 * one page never see each other's. The methods are bound: `const { t, formatMoney } = locale`.
 */
export class Locale {
  constructor(lang) {
    /** `en` or `vi`. */
    this.lang = lang;
    /** The Intl locale of this language. */
    this.intl = LOCALES[lang].intl;
    this.messages = MESSAGES[lang];
    this.formatters = new Map();
  }

  /** Translates a key, filling `{name}` placeholders from params (numbers are formatted). */
  t = (key, params = {}) => {
    const template = this.messages[key] ?? MESSAGES.en[key] ?? key;
    return template.replace(/\{(\w+)\}/g, (match, name) => {
      if (!Object.hasOwn(params, name)) return match;
      const value = params[name];
      return typeof value === 'number' ? this.formatInteger(value) : String(value);
    });
  };

  /**
   * A message of the engine in this language: every rejected row, note, warning and error
   * carries a stable `code` and `params` beside its English text (`english`), worded here as
   * `message.<code>` (or `message.<code>.<reason>`; www/src/messages/). Params that name something the page words itself — a
   * column role (`what`, `role`), an expected type (`expected`) — are worded too.
   */
  describeMessage = (message, english = message?.message ?? '') => {
    if (!message?.code) return english;
    const params = message.params ?? {};
    // A message with a `reason` (clv_not_converged) may have a wording per reason.
    const byReason = `message.${message.code}.${params.reason}`;
    const key = message.code === 'binary_file' && Object.hasOwn(MESSAGES.en, `engine.file.${params.kind}`)
      ? `engine.file.${params.kind}`
      : Object.hasOwn(MESSAGES.en, byReason) ? byReason : `message.${message.code}`;
    if ((this.lang === DEFAULT_LANG && english) || !Object.hasOwn(this.messages, key)) return english;
    const worded = { ...params };
    const what = params.what ?? params.role;
    if (Object.hasOwn(this.messages, `engine.what.${what}`)) worded.what = this.t(`engine.what.${what}`);
    if (Object.hasOwn(this.messages, `engine.expected.${params.expected}`)) worded.expected = this.t(`engine.expected.${params.expected}`);
    // What an option can take, by its rule (option_invalid, lifecycle_invalid_rule).
    if (Object.hasOwn(this.messages, `engine.rule.${params.rule}`)) worded.expected = this.t(`engine.rule.${params.rule}`, params);
    // A message that passes on another's (no_spend_model: why there is none) names its `cause`
    // by code and carries its params: that message is worded in its place.
    if (params.cause) worded.cause = this.describeMessage({ code: params.cause, params: { ...params, cause: undefined } });
    return this.t(key, worded);
  };

  /** A rejected row's reason in this language (see `describeMessage`). */
  describeReject = (reject) => this.describeMessage(reject, reject.reason);

  /** A note about a file, in this language (`note` as in summary.noteCodes; `english` the engine's text). */
  describeNote = (note, english) => (note ? this.describeMessage(note, english) : english);

  /** The message of an error the engine threw (`code`, `params` as the engine sent them). */
  describeIngestError = (code, params = {}, english = '') => this.describeMessage({ code, params }, english);

  /** A catalogue segment's name, meaning or action (`part`) in this language, by its code. */
  segmentText = (segment, part) => {
    const key = `segment.${segment.code}.${part}`;
    return segment.code && Object.hasOwn(MESSAGES.en, key) ? this.t(key) : segment[part] ?? '';
  };

  /** An Intl formatter, made once per `kind` and `options` (`key`: a name for them, cheaper than their JSON). */
  formatter(kind, options, key = `${kind}|${JSON.stringify(options)}`) {
    let cached = this.formatters.get(key);
    if (!cached) {
      // signDisplay 'negative': no minus on a zero (an empty sum is −0, −0.001 rounds to −0.00).
      cached = kind === 'date' ? new Intl.DateTimeFormat(this.intl, options) : new Intl.NumberFormat(this.intl, { signDisplay: 'negative', ...options });
      this.formatters.set(key, cached);
    }
    return cached;
  }

  formatInteger = (value) => this.formatter('number', { maximumFractionDigits: 0 }, 'integer').format(value);

  formatNumber = (value, maximumFractionDigits = 2) => this.formatter('number', { maximumFractionDigits }).format(value);

  /** A number in scientific notation (4.85E-7), for model parameters of extreme size. */
  formatScientific = (value, maximumFractionDigits = 2) => this.formatter('number', { notation: 'scientific', maximumFractionDigits }).format(value);

  /** A share in [0, 1] as a percentage. */
  formatPercent = (share, maximumFractionDigits = 1) => this.formatter('number', { style: 'percent', maximumFractionDigits }).format(share);

  /**
   * Money in the chosen currency (ISO 4217 code), or a plain number with two decimals when the
   * currency is unknown. VND and other zero-decimal currencies get no decimals from Intl itself.
   */
  formatMoney = (value, currency, { compact = false } = {}) => {
    if (!Number.isFinite(value)) return '–';
    const options = currency ? { style: 'currency', currency } : { minimumFractionDigits: 2, maximumFractionDigits: 2 };
    if (compact) Object.assign(options, { notation: 'compact', maximumFractionDigits: 1, minimumFractionDigits: 0 });
    return this.formatter('number', options).format(value);
  };

  /** Byte counts for progress: 1.5 MB, 48 MB (decimal units, as file managers show them). */
  formatBytes = (bytes) => {
    if (bytes < 1000) return `${this.formatInteger(bytes)} B`;
    const units = ['kB', 'MB', 'GB'];
    let value = bytes;
    let unit = -1;
    do {
      value /= 1000;
      unit++;
    } while (value >= 1000 && unit < units.length - 1);
    return `${this.formatNumber(value, value < 10 ? 1 : 0)} ${units[unit]}`;
  };

  /** A `YYYY-MM-DD` date in this language (the data's dates carry no time zone). */
  formatDate = (isoDate, style = 'medium') => this.#dateText(`${style}|${isoDate}`, isoDate, { dateStyle: style, timeZone: 'UTC' });

  /** A month like "Dec 2010" / "thg 12 2010" from a `YYYY-MM-DD` date. */
  formatMonth = (isoDate) => this.#dateText(`month|${isoDate}`, isoDate, { month: 'short', year: 'numeric', timeZone: 'UTC' });

  /**
   * Dates as text, kept: a view names the same few hundred periods in its tables, bar titles and
   * axes, again at each redraw (most of a large view's formatting time otherwise).
   */
  #dates = new Map();

  #dateText(key, isoDate, options) {
    let text = this.#dates.get(key);
    if (text === undefined) {
      const day = dayOfIsoDate(isoDate);
      text = Number.isNaN(day) ? isoDate ?? '–' : this.formatter('date', options).format(new Date(day * 86_400_000));
      if (this.#dates.size >= 10_000) this.#dates.clear();
      this.#dates.set(key, text);
    }
    return text;
  }
}

/**
 * Makes the formatters every view uses, one per idle moment (a page whose data is being read has
 * plenty): the first Intl formatter of a page loads the language's data, tens of milliseconds
 * that would otherwise fall in the task drawing the first result.
 */
export function warmFormatters(locale, currency) {
  const steps = [
    () => locale.formatInteger(1),
    () => locale.formatNumber(1.5),
    () => locale.formatPercent(0.5),
    () => locale.formatMoney(1.5, currency),
    () => locale.formatMoney(1.5, currency, { compact: true }),
    () => locale.formatDate('2020-01-01'),
    () => locale.formatMonth('2020-01-01'),
  ];
  const idle = globalThis.requestIdleCallback ?? ((work) => setTimeout(work, 50));
  const next = () => {
    steps.shift()?.();
    if (steps.length) idle(next);
  };
  idle(next);
}

const locales = new Map();

/** The Locale of a language code; unknown codes fall back to English. */
export function localeOf(lang) {
  const code = Object.hasOwn(LOCALES, lang) ? lang : DEFAULT_LANG;
  let locale = locales.get(code);
  if (!locale) {
    locale = new Locale(code);
    locales.set(code, locale);
  }
  return locale;
}

/** `vi` when the browser's language is Vietnamese, else `en`. */
export function browserLang() {
  return globalThis.navigator?.language?.toLowerCase().startsWith('vi') ? 'vi' : DEFAULT_LANG;
}

/** Currencies offered in the settings; the data itself never says which one it uses. */
export const CURRENCIES = ['', 'VND', 'USD', 'EUR', 'GBP', 'JPY', 'AUD', 'CAD', 'SGD', 'THB'];

/** A reasonable currency for a detected export format (the user can change it). */
export function currencyForPreset(preset) {
  return { 'online-retail': 'GBP', haravan: 'VND', cdnow: 'USD' }[preset] ?? '';
}
