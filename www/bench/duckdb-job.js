// The benchmark's DuckDB-WASM side: the same job as customer-lens (bytes → summary, RFM with
// NTILE scores and named segments, monthly cohort matrix) in SQL, in DuckDB-WASM's own worker,
// with the bundle served from this origin (www/node_modules, never a CDN).
//
// The "eh" bundle (WebAssembly exceptions, no pthreads) runs DuckDB on one thread, as the
// budget's comparison asks.
import * as duckdb from '../node_modules/@duckdb/duckdb-wasm/dist/duckdb-browser.mjs';

const DIST = new URL('../node_modules/@duckdb/duckdb-wasm/dist/', import.meta.url);
const FILE_NAME = 'orders.csv';

/**
 * Orders from order lines, the way customer-lens reads the Online Retail format: an order is an
 * InvoiceNo, its value the sum of Quantity × UnitPrice, its day the earliest line's; a return is
 * a `C…` invoice or a negative order. The schema is given, as the `online-retail` preset gives it
 * to customer-lens; only the dialect is sniffed.
 */
const ORDERS_SQL = `
CREATE OR REPLACE TEMP TABLE orders AS
SELECT InvoiceNo AS order_id,
       any_value(CustomerID) AS customer,
       CAST(min(InvoiceDate) AS DATE) AS day,
       sum(Quantity * UnitPrice) AS value,
       starts_with(InvoiceNo, 'C') OR sum(Quantity * UnitPrice) < 0 AS is_return,
       count(*) AS lines,
       count(CustomerID) AS identified_lines
FROM read_csv('${FILE_NAME}', header = true, columns = {
  'InvoiceNo': 'VARCHAR', 'StockCode': 'VARCHAR', 'Description': 'VARCHAR', 'Quantity': 'DOUBLE',
  'InvoiceDate': 'TIMESTAMP', 'UnitPrice': 'DOUBLE', 'CustomerID': 'VARCHAR', 'Country': 'VARCHAR'
})
GROUP BY InvoiceNo`;

/**
 * Orders from a store's order list (`synth --shape orders`: order_id, customer_id, order_date,
 * amount; one row per order), the way customer-lens reads it; without the order id column an
 * order is a customer's rows of one date, as customer-lens keys them.
 */
function orderListSql(orderIds) {
  const columns = `${orderIds ? "'order_id': 'VARCHAR', " : ''}'customer_id': 'VARCHAR', 'order_date': 'DATE', 'amount': 'DOUBLE'`;
  return `
CREATE OR REPLACE TEMP TABLE orders AS
SELECT any_value(customer_id) AS customer,
       min(order_date) AS day,
       sum(amount) AS value,
       sum(amount) < 0 AS is_return,
       count(*) AS lines,
       count(customer_id) AS identified_lines
FROM read_csv('${FILE_NAME}', header = true, columns = {${columns}})
GROUP BY ${orderIds ? 'order_id' : 'customer_id, order_date'}`;
}

const SUMMARY_SQL = `
SELECT sum(lines) AS rows_read,
       sum(lines) - sum(identified_lines) AS rows_anonymous,
       count(*) AS orders,
       count(*) FILTER (WHERE NOT is_return) AS purchases,
       count(*) FILTER (WHERE is_return) AS returns,
       count(DISTINCT customer) AS customers,
       count(DISTINCT customer) FILTER (WHERE NOT is_return) AS customers_with_purchase,
       sum(value) AS revenue,
       min(day) AS first_day,
       max(day) AS last_day
FROM orders`;

/** Recency, frequency, monetary per customer with a purchase; NTILE(5) scores; the 11 segments. */
const RFM_SQL = `
WITH as_of AS (SELECT max(day) AS day FROM orders),
per_customer AS (
  SELECT customer,
         (SELECT day FROM as_of) - max(day) FILTER (WHERE NOT is_return) AS recency_days,
         count(*) FILTER (WHERE NOT is_return) AS frequency,
         sum(value) AS monetary
  FROM orders
  WHERE customer IS NOT NULL
  GROUP BY customer
  HAVING count(*) FILTER (WHERE NOT is_return) > 0),
scored AS (
  SELECT *,
         NTILE(5) OVER (ORDER BY recency_days DESC) AS r,
         NTILE(5) OVER (ORDER BY frequency) AS f,
         NTILE(5) OVER (ORDER BY monetary) AS m
  FROM per_customer),
segmented AS (
  SELECT *, CASE
    WHEN r >= 4 AND f >= 4 AND m >= 4 THEN 'Champions'
    WHEN r >= 3 AND f >= 3 AND m >= 3 THEN 'Loyal Customers'
    WHEN r >= 4 AND f >= 2 THEN 'Potential Loyalist'
    WHEN r = 5 AND f = 1 THEN 'New Customers'
    WHEN r = 4 AND f = 1 THEN 'Promising'
    WHEN r = 1 AND f >= 4 AND m >= 4 THEN 'Can''t Lose Them'
    WHEN r <= 2 AND f >= 3 AND m >= 3 THEN 'At Risk'
    WHEN r BETWEEN 2 AND 3 AND f >= 2 AND m >= 2 THEN 'Need Attention'
    WHEN r = 3 THEN 'About To Sleep'
    WHEN r = 1 AND f <= 2 AND m <= 2 THEN 'Lost'
    ELSE 'Hibernating' END AS segment
  FROM scored)
SELECT segment, r, f, count(*) AS customers, sum(monetary) AS monetary, avg(recency_days) AS recency_days
FROM segmented
GROUP BY ALL
ORDER BY ALL`;

/** customers / revenue / orders per cohort month and months since the cohort's first purchase. */
const COHORTS_SQL = `
WITH purchases AS (
  SELECT customer, date_trunc('month', day) AS month, value
  FROM orders
  WHERE customer IS NOT NULL AND NOT is_return),
first_month AS (SELECT customer, min(month) AS cohort FROM purchases GROUP BY customer)
SELECT cohort,
       datediff('month', cohort, month) AS period_index,
       count(DISTINCT customer) AS customers,
       sum(value) AS revenue,
       count(*) AS orders
FROM purchases JOIN first_month USING (customer)
GROUP BY ALL
ORDER BY ALL`;

export class DuckDbJob {
  /** Starts DuckDB-WASM (its worker and 34 MB module); returns the job and the time it took. */
  static async start() {
    const startedAt = performance.now();
    const worker = new Worker(new URL('duckdb-browser-eh.worker.js', DIST));
    const db = new duckdb.AsyncDuckDB(new duckdb.VoidLogger(), worker);
    await db.instantiate(new URL('duckdb-eh.wasm', DIST).href);
    const connection = await db.connect();
    const version = await db.getVersion();
    return { job: new DuckDbJob(db, connection, worker, version), startMs: performance.now() - startedAt };
  }

  constructor(db, connection, worker, version) {
    this.db = db;
    this.connection = connection;
    this.worker = worker;
    this.version = version;
  }

  /**
   * One run over `bytes` (an ArrayBuffer, transferred to DuckDB's worker); returns per-phase
   * times and the small results (so the work cannot be skipped).
   */
  /** `shape`: `lines` (the Online Retail columns), `orders` or `orders-no-id` (an order list). */
  async run(bytes, shape = 'lines') {
    const phases = {};
    let mark = performance.now();
    const lap = (name) => {
      const now = performance.now();
      phases[name] = now - mark;
      mark = now;
    };
    await this.db.registerFileBuffer(FILE_NAME, new Uint8Array(bytes));
    try {
      await this.connection.query(shape === 'lines' ? ORDERS_SQL : orderListSql(shape === 'orders'));
      lap('ingest');
      const summary = (await this.connection.query(SUMMARY_SQL)).toArray()[0].toJSON();
      lap('summary');
      const rfmRows = (await this.connection.query(RFM_SQL)).numRows;
      lap('rfm');
      const cohortCells = (await this.connection.query(COHORTS_SQL)).numRows;
      lap('cohorts');
      return { phases, rowsRead: Number(summary.rows_read), orders: Number(summary.orders), customers: Number(summary.customers), rfmRows, cohortCells };
    } finally {
      await this.connection.query('DROP TABLE IF EXISTS orders');
      await this.db.dropFile(FILE_NAME);
    }
  }

  async close() {
    await this.connection.close();
    await this.db.terminate();
  }
}
