#!/usr/bin/env python3
"""Runs the generated SQL on real engines and compares every result with the crate's own.

For each fixture (committed slices of UCI Online Retail and CDNOW, hand-written files with
awkward names and every order rule, and e-mail and phone customer ids to normalise), `sql_reference` renders the queries for the file's
settings and writes what the crate computes. The file is loaded into DuckDB (PyPI `duckdb`) and
into a PostgreSQL server started here on loopback in a temporary data directory; the `orders`,
`rfm`, `cohorts` and `clvSummary` queries run on both, and:

- every RFM value (recency, frequency, monetary, the three scores, the segment) is equal;
- every cohort cell (size, customers, revenue, orders) is equal, and cells the SQL leaves out
  are empty in the crate's table;
- the grouped CLV summary is equal row for row;
- orders are equal (values within 1e-9: the engines add line amounts in another order).

Money is compared exactly: both sides round sums to millionths. An engine that cannot be installed
is skipped with a message; a difference fails the run.

Usage: compare_engines.py PATH/TO/sql_reference [--spark]
(--spark also runs the Spark SQL rendering on a local Spark, if `pyspark` is installed.)
"""

import csv
import io
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
ORDERS_TOLERANCE = 1e-9
RETENTION_TOLERANCE = 1e-12

ONLINE_RETAIL_TYPES = [
    ("InvoiceNo", "text"),
    ("StockCode", "text"),
    ("Description", "text"),
    ("Quantity", "integer"),
    ("InvoiceDate", "timestamp"),
    ("UnitPrice", "double"),
    ("CustomerID", "text"),
    ("Country", "text"),
]

FIXTURES = [
    {
        "name": "online-retail cohort slice, months",
        "file": "tests/data/online-retail-cohort-slice.csv",
        "args": ["--period", "month"],
        "table": ["orders"],
        "columns": ONLINE_RETAIL_TYPES,
    },
    {
        "name": "online-retail slice (guests, adjustments), weeks, 4 bins, average, as of",
        "file": "tests/data/online-retail-slice.csv",
        "args": [
            "--period", "week", "--bins", "4", "--monetary", "average",
            "--as-of", "2011-11-30", "--calibration-end", "2011-10-31",
            "--table", "retail.lines",
        ],
        "table": ["retail", "lines"],
        "columns": ONLINE_RETAIL_TYPES,
    },
    {
        "name": "online-retail RFM slice, quarters, 10 bins, CLV grouped by period",
        "file": "tests/data/online-retail-rfm-slice.csv",
        "args": [
            "--period", "quarter", "--bins", "10", "--clv-time-grouping", "period",
            "--clv-monetary-digits", "3", "--period-days", "7",
        ],
        "table": ["orders"],
        "columns": ONLINE_RETAIL_TYPES,
    },
    {
        "name": "online-retail RFM slice, years",
        "file": "tests/data/online-retail-rfm-slice.csv",
        "args": ["--period", "year"],
        "table": ["orders"],
        "columns": ONLINE_RETAIL_TYPES,
    },
    {
        "name": "online-retail cohort slice filtered to the United Kingdom (cohorts from the whole history)",
        "file": "tests/data/online-retail-cohort-slice.csv",
        "args": ["--period", "month", "--filter", "country=United Kingdom"],
        "table": ["orders"],
        "columns": ONLINE_RETAIL_TYPES,
    },
    {
        "name": "online-retail RFM slice filtered to two countries (Iceland, Germany) and a date range",
        "file": "tests/data/online-retail-rfm-slice.csv",
        "args": [
            "--period", "month", "--filter", "country=Iceland", "--filter", "country=Germany",
            "--from", "2011-03-01", "--to", "2011-09-30",
        ],
        "table": ["orders"],
        "columns": ONLINE_RETAIL_TYPES,
    },
    {
        "name": "awkward names, statuses, no order ids, weeks across a year end",
        "file": "tests/sql/tricky-orders.csv",
        "args": [
            "--column", 'order=Order "No"',
            "--column", 'customer=customer"; DROP TABLE orders; --',
            "--column", "date=Ordered at",
            "--column", "amount=Total",
            "--column", "status=Status",
            "--table", 'tricky "orders"',
            "--period", "week",
            "--clv-monetary-digits", "2",
        ],
        "table": ['tricky "orders"'],
        "columns": [
            ('Order "No"', "text"),
            ('customer"; DROP TABLE orders; --', "text"),
            ("Ordered at", "timestamp"),
            ("Total", "double"),
            ("Status", "text"),
            ("Note", "text"),
        ],
    },
    {
        "name": "Shopify-style export: per-order totals, Cancelled at, refunds",
        "file": "tests/sql/shopify-orders.csv",
        "args": ["--preset", "shopify", "--period", "month"],
        "table": ["orders"],
        "columns": [
            ("Name", "text"),
            ("Email", "text"),
            ("Created at", "timestamp"),
            ("Total", "double"),
            ("Lineitem quantity", "integer"),
            ("Lineitem price", "double"),
            ("Financial Status", "text"),
            ("Cancelled at", "timestamp"),
        ],
    },
    {
        "name": "e-mail customer ids in any case and with blanks: lowercased",
        "file": "tests/data/email-orders.csv",
        "args": ["--period", "month"],
        "table": ["orders"],
        "columns": [
            ("Order ID", "text"),
            ("Customer Email", "text"),
            ("Order Date", "timestamp"),
            ("Total", "double"),
        ],
    },
    {
        "name": "point-of-sale invoices: empty customer codes, phones in every form (E.164)",
        "file": "tests/data/pos-invoices.csv",
        "args": ["--period", "month"],
        "table": ["orders"],
        "columns": [
            ("Mã hóa đơn", "text"),
            ("Thời gian", "timestamp"),
            ("Mã khách hàng", "text"),
            ("Tên khách hàng", "text"),
            ("Điện thoại", "text"),
            ("Tổng tiền", "double"),
            ("Trạng thái", "text"),
        ],
    },
    {
        "name": "the same invoices with customerIdNormalization none: phones as written",
        "file": "tests/data/pos-invoices.csv",
        "args": ["--period", "month", "--customer-ids", "none"],
        "table": ["orders"],
        "columns": [
            ("Mã hóa đơn", "text"),
            ("Thời gian", "timestamp"),
            ("Mã khách hàng", "text"),
            ("Tên khách hàng", "text"),
            ("Điện thoại", "text"),
            ("Tổng tiền", "double"),
            ("Trạng thái", "text"),
        ],
    },
    {
        "name": "244 phones in every form, valid and not, read as numbers of Vietnam (trunk 0, 9–10 digits)",
        "file": "tests/data/phone-forms.csv",
        "args": ["--period", "month", "--phone-country", "VN"],
        "table": ["orders"],
        "columns": [
            ("Order ID", "text"),
            ("Phone", "text"),
            ("Order Date", "timestamp"),
            ("Total", "double"),
        ],
    },
    {
        "name": "244 phones in every form, valid and not, read as numbers of the US (trunk 1 = calling code)",
        "file": "tests/data/phone-forms.csv",
        "args": ["--period", "month", "--phone-country", "US"],
        "table": ["orders"],
        "columns": [
            ("Order ID", "text"),
            ("Phone", "text"),
            ("Order Date", "timestamp"),
            ("Total", "double"),
        ],
    },
    {
        "name": "244 phones in every form, valid and not, read as numbers of Singapore (no trunk prefix)",
        "file": "tests/data/phone-forms.csv",
        "args": ["--period", "month", "--phone-country", "SG"],
        "table": ["orders"],
        "columns": [
            ("Order ID", "text"),
            ("Phone", "text"),
            ("Order Date", "timestamp"),
            ("Total", "double"),
        ],
    },
    {
        "name": "CDNOW sample, 39-week calibration",
        "file": "tests/data/cdnow_sample.txt",
        "args": [
            "--preset", "cdnow",
            "--column", "customer=customer", "--column", "date=date",
            "--column", "quantity=quantity", "--column", "amount=amount",
            "--calibration-end", "1997-09-30", "--period", "quarter",
        ],
        # The committed export the Rust and JS tests fit from must stay what the engines return.
        "grouped_fixture": "tests/sql/cdnow-grouped-summary.csv",
        "table": ["orders"],
        "columns": [
            ("customer", "text"),
            ("cohort", "text"),
            ("date", "date"),
            ("quantity", "integer"),
            ("amount", "double"),
        ],
        "whitespace": True,
    },
]

def shopify_row(row):
    """A Shopify export row with its timestamps' UTC offsets dropped (the local day counts)."""
    return [field[:-6] if field[-6:-4] in (" +", " -") else field for field in row]


def haravan_row(row):
    """A Haravan row typed for the loaders: `dd/mm/yyyy hh:mm` as ISO, `1.600.000` as a number."""
    day, time_ = row[1].split(" ")
    d, m, y = day.split("/")
    return [row[0], f"{y}-{m}-{d} {time_}:00", *row[2:10], *(f.replace(".", "") for f in row[10:13]),
            row[13]]


FIXTURES += [
    {
        "name": "online-retail slice: products and pairs (postage, fees left out), top 30, support 0.5 %",
        "file": "tests/data/online-retail-slice.csv",
        "args": ["--period", "month", "--top", "30", "--min-support", "0.005"],
        "table": ["orders"],
        "columns": ONLINE_RETAIL_TYPES,
    },
    {
        "name": "Shopify line export: per-order totals, SKU or name, Cancelled at",
        "file": "tests/data/shopify-lines.csv",
        "args": ["--preset", "shopify", "--period", "month"],
        "table": ["orders"],
        "transform": shopify_row,
        "columns": [
            ("Name", "text"), ("Email", "text"), ("Financial Status", "text"),
            ("Paid at", "timestamp"), ("Currency", "text"), ("Subtotal", "double"),
            ("Shipping", "double"), ("Total", "double"), ("Discount Code", "text"),
            ("Created at", "timestamp"), ("Lineitem quantity", "integer"),
            ("Lineitem name", "text"), ("Lineitem price", "double"), ("Lineitem sku", "text"),
            ("Billing Country", "text"), ("Cancelled at", "timestamp"), ("Vendor", "text"),
        ],
    },
    {
        "name": "Haravan line export: per-order totals, a line without product, a cancelled order",
        "file": "tests/data/haravan-lines.csv",
        "args": ["--preset", "haravan", "--period", "month"],
        "table": ["orders"],
        "transform": haravan_row,
        "columns": [
            ("Mã đơn hàng", "text"), ("Ngày đặt hàng", "timestamp"),
            ("Trạng thái đơn hàng", "text"), ("Trạng thái thanh toán", "text"),
            ("Tên khách hàng", "text"), ("Email", "text"), ("Điện thoại", "text"),
            ("Mã SKU", "text"), ("Tên sản phẩm", "text"), ("Loại sản phẩm", "text"),
            ("Số lượng", "integer"), ("Đơn giá", "double"), ("Tổng cộng", "double"),
            ("Kênh bán hàng", "text"),
        ],
    },
]

QUERIES = ["orders", "rfm", "cohorts", "clv_summary", "products", "pairs"]
MONEY_TOLERANCE = 1e-6


def read_rows(fixture):
    """The fixture's data rows as lists of text ('' = missing), in the table's column order."""
    text = (ROOT / fixture["file"]).read_text(encoding="utf-8")
    if fixture.get("whitespace"):
        rows = []
        for line in text.splitlines():
            if line.strip():
                customer, cohort, day, quantity, amount = line.split()
                rows.append([customer, cohort, f"{day[:4]}-{day[4:6]}-{day[6:]}", quantity, amount])
        return rows
    records = list(csv.reader(io.StringIO(text)))
    transform = fixture.get("transform", lambda row: row)
    return [transform(row) for row in records[1:]]


def plain_csv(fixture, rows):
    """The rows as CSV with placeholder headers c0, c1, …, for the engines' bulk loaders."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([f"c{i}" for i in range(len(fixture["columns"]))])
    for row in rows:
        # Unquoted empty fields load as NULL in both engines.
        writer.writerow(row)
    return out.getvalue()


# ---------------------------------------------------------------- engines


class DuckDb:
    name = "DuckDB"
    folder = "duckdb"
    types = {"text": "VARCHAR", "integer": "BIGINT", "double": "DOUBLE",
             "timestamp": "TIMESTAMP", "date": "DATE"}

    def __init__(self, duckdb):
        self.connection = duckdb.connect()

    @staticmethod
    def quote(name):
        return '"' + name.replace('"', '""') + '"'

    def load(self, fixture, rows, workdir):
        path = workdir / "load.csv"
        path.write_text(plain_csv(fixture, rows), encoding="utf-8")
        parts = fixture["table"]
        if len(parts) > 1:
            self.connection.execute(f"CREATE SCHEMA IF NOT EXISTS {self.quote(parts[0])}")
        table = ".".join(self.quote(p) for p in parts)
        spec = ", ".join(f"'c{i}': '{self.types[kind]}'"
                         for i, (_, kind) in enumerate(fixture["columns"]))
        select = ", ".join(f"c{i} AS {self.quote(name)}"
                           for i, (name, _) in enumerate(fixture["columns"]))
        self.connection.execute(f"DROP TABLE IF EXISTS {table}")
        self.connection.execute(
            f"CREATE TABLE {table} AS SELECT {select} FROM read_csv('{path}', header = true, "
            f"columns = {{{spec}}}, quote = '\"', escape = '\"', delim = ',')")

    def run(self, sql):
        cursor = self.connection.execute(sql)
        names = [d[0] for d in cursor.description]
        return names, [[text_of(v) for v in row] for row in cursor.fetchall()]

    def close(self):
        self.connection.close()


class Postgres:
    name = "PostgreSQL"
    folder = "postgres"
    types = {"text": "TEXT", "integer": "BIGINT", "double": "DOUBLE PRECISION",
             "timestamp": "TIMESTAMP", "date": "DATE"}

    def __init__(self, binaries):
        self.binaries = binaries
        self.data = Path(tempfile.mkdtemp(prefix="customer-lens-pg-"))
        self.port = free_port()
        self.as_user = []
        if os.geteuid() == 0:  # initdb refuses to run as root
            shutil.chown(self.data, "postgres", "postgres")
            self.as_user = ["runuser", "-u", "postgres", "--"]
        cluster = self.data / "cluster"
        self.cluster = cluster
        self.server([self.tool("initdb"), "-D", str(cluster), "-U", "postgres", "--auth=trust",
                     "--encoding=UTF8", "--locale=C.UTF-8", "--no-sync"])
        options = (f"-c listen_addresses=127.0.0.1 -p {self.port} -k {self.data} "
                   "-c fsync=off -c full_page_writes=off")
        self.server([self.tool("pg_ctl"), "-D", str(cluster), "-o", options, "-l",
                     str(self.data / "server.log"), "-w", "-t", "60", "start"])

    def tool(self, name):
        return str(self.binaries / name)

    def server(self, command):
        subprocess.run(self.as_user + command, check=True, capture_output=True, text=True)

    @staticmethod
    def quote(name):
        return '"' + name.replace('"', '""') + '"'

    def psql(self, *arguments, stdin=None):
        command = [self.tool("psql"), "-X", "-q", "-v", "ON_ERROR_STOP=1", "-h", "127.0.0.1",
                   "-p", str(self.port), "-U", "postgres", "-d", "postgres", *arguments]
        result = subprocess.run(command, input=stdin, capture_output=True, text=True)
        if result.returncode != 0:
            raise RuntimeError(result.stderr.strip())
        return result.stdout

    def load(self, fixture, rows, workdir):
        parts = fixture["table"]
        table = ".".join(self.quote(p) for p in parts)
        columns = ", ".join(f"{self.quote(name)} {self.types[kind]}"
                            for name, kind in fixture["columns"])
        schema = (f"CREATE SCHEMA IF NOT EXISTS {self.quote(parts[0])}; "
                  if len(parts) > 1 else "")
        self.psql("-c", f"{schema}DROP TABLE IF EXISTS {table}; CREATE TABLE {table} ({columns})")
        self.psql("-c", f"COPY {table} FROM STDIN WITH (FORMAT csv, HEADER true)",
                  stdin=plain_csv(fixture, rows))

    def run(self, sql):
        output = self.psql("--csv", "-c", sql)
        records = list(csv.reader(io.StringIO(output)))
        return records[0], records[1:]

    def close(self):
        subprocess.run(self.as_user + [self.tool("pg_ctl"), "-D", str(self.cluster), "-m",
                                       "immediate", "-w", "stop"], capture_output=True)
        shutil.rmtree(self.data, ignore_errors=True)


class Spark:
    """Spark SQL in local mode (PyPI `pyspark`, Java 17+): opt-in with --spark, as it needs a
    download of several hundred MB and tens of seconds to start."""
    name = "Spark SQL"
    folder = "spark"
    types = {"text": "STRING", "integer": "BIGINT", "double": "DOUBLE",
             "timestamp": "TIMESTAMP", "date": "DATE"}

    def __init__(self, pyspark_sql):
        self.warehouse = Path(tempfile.mkdtemp(prefix="customer-lens-spark-"))
        os.environ["SPARK_LOCAL_IP"] = "127.0.0.1"  # the driver listens on loopback only
        self.session = (pyspark_sql.SparkSession.builder.master("local[2]")
                        .config("spark.driver.bindAddress", "127.0.0.1")
                        .config("spark.driver.host", "127.0.0.1")
                        .config("spark.ui.enabled", "false")
                        .config("spark.ui.showConsoleProgress", "false")
                        .config("spark.sql.session.timeZone", "UTC")
                        .config("spark.sql.warehouse.dir", str(self.warehouse / "warehouse"))
                        .getOrCreate())
        self.session.sparkContext.setLogLevel("ERROR")

    @staticmethod
    def quote(name):
        return "`" + name.replace("`", "``") + "`"

    def load(self, fixture, rows, workdir):
        path = workdir / "load-spark.csv"
        path.write_text(plain_csv(fixture, rows), encoding="utf-8")
        schema = ", ".join(f"c{i} {self.types[kind]}"
                           for i, (_, kind) in enumerate(fixture["columns"]))
        frame = self.session.read.csv(str(path), header=True, schema=schema,
                                      timestampFormat="yyyy-MM-dd HH:mm:ss",
                                      dateFormat="yyyy-MM-dd")
        frame = frame.toDF(*[name for name, _ in fixture["columns"]])
        parts = fixture["table"]
        if len(parts) > 1:
            self.session.sql(f"CREATE DATABASE IF NOT EXISTS {self.quote(parts[0])}")
            frame.write.mode("overwrite").saveAsTable(".".join(self.quote(p) for p in parts))
        else:
            frame.createOrReplaceTempView(self.quote(parts[0]))

    def run(self, sql):
        result = self.session.sql(sql.rstrip().rstrip(";"))
        return result.columns, [[text_of(v) for v in row] for row in result.collect()]

    def close(self):
        self.session.stop()
        shutil.rmtree(self.warehouse, ignore_errors=True)


def open_spark():
    try:
        from pyspark import sql as pyspark_sql
    except ImportError:
        return None, "pyspark is not installed (pip install pyspark): Spark SQL not compared"
    try:
        return Spark(pyspark_sql), None
    except Exception as error:  # a JVM that does not start, for one
        return None, f"could not start Spark: {str(error)[-300:]}"


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def text_of(value):
    if value is None:
        return ""
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if isinstance(value, float):
        return repr(value)
    return str(value)


def open_duckdb():
    try:
        import duckdb
    except ImportError:
        print("  installing duckdb from PyPI…")
        install = subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "duckdb"],
                                 capture_output=True, text=True)
        if install.returncode != 0:
            return None, "pip install duckdb failed: " + install.stderr.strip()[-300:]
        import duckdb
    return DuckDb(duckdb), None


def postgres_binaries():
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/pg_ctl"))
    return found[-1].parent if found else None


def open_postgres():
    if postgres_binaries() is None:
        print("  installing Debian's postgresql…")
        sudo = [] if os.geteuid() == 0 else ["sudo", "-n"]
        env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
        install = ["apt-get", "install", "-y", "--no-install-recommends", "postgresql"]
        result = subprocess.run(sudo + install, capture_output=True, text=True, env=env)
        if result.returncode != 0:
            subprocess.run(sudo + ["apt-get", "update"], capture_output=True, env=env)
            result = subprocess.run(sudo + install, capture_output=True, text=True, env=env)
        if postgres_binaries() is None:
            return None, "apt-get install postgresql failed: " + result.stderr.strip()[-300:]
    try:
        return Postgres(postgres_binaries()), None
    except (subprocess.CalledProcessError, OSError, KeyError, LookupError) as error:
        detail = getattr(error, "stderr", "") or str(error)
        return None, f"could not start PostgreSQL: {detail.strip()[-300:]}"


# ---------------------------------------------------------------- comparisons


def read_csv_text(text):
    records = list(csv.reader(io.StringIO(text)))
    return records[0], records[1:]


def as_dicts(names, rows):
    return [dict(zip(names, row)) for row in rows]


def number(text):
    return None if text in ("", None) else float(text)


def compare_orders(expected, got):
    want = sorted((r["customer_id"], r["order_date"], r["order_kind"], float(r["order_value"]))
                  for r in expected)
    have = sorted((r["customer_id"], r["order_date"], r["order_kind"], float(r["order_value"]))
                  for r in got)
    if len(want) != len(have):
        return [f"{len(have)} orders, expected {len(want)}"]
    problems = []
    for w, h in zip(want, have):
        if w[:3] != h[:3] or abs(w[3] - h[3]) > ORDERS_TOLERANCE:
            problems.append(f"order {h} differs from {w}")
    return problems


def compare_rfm(expected, got):
    def key(rows):
        return {r["customer_id"]: r for r in rows}
    want, have = key(expected), key(got)
    problems = []
    if set(want) != set(have):
        missing, extra = sorted(set(want) - set(have)), sorted(set(have) - set(want))
        problems.append(f"customers differ: missing {missing[:5]}, extra {extra[:5]}")
    for customer in sorted(set(want) & set(have)):
        w, h = want[customer], have[customer]
        for field in ("recency_days", "frequency", "r_score", "f_score", "m_score"):
            if int(w[field]) != int(h[field]):
                problems.append(f"{customer}: {field} {h[field]}, expected {w[field]}")
        if float(w["monetary"]) != float(h["monetary"]):
            problems.append(f"{customer}: monetary {h['monetary']}, expected {w['monetary']}")
        if w["segment"] != h["segment"]:
            problems.append(f"{customer}: segment {h['segment']}, expected {w['segment']}")
    return problems


def compare_cohorts(expected, got):
    want = {(r["cohort_start"], int(r["period_index"])): r for r in expected}
    problems = []
    seen = set()
    for h in got:
        key = (h["cohort_start"], int(h["period_index"]))
        seen.add(key)
        w = want.get(key)
        if w is None:
            problems.append(f"cell {key} is not in the crate's table")
            continue
        for field in ("cohort_size", "customers", "orders"):
            if int(w[field]) != int(h[field]):
                problems.append(f"cell {key}: {field} {h[field]}, expected {w[field]}")
        if w["cohort_label"] != h["cohort_label"]:
            problems.append(f"cell {key}: label {h['cohort_label']}, expected {w['cohort_label']}")
        if float(w["revenue"]) != float(h["revenue"]):
            problems.append(f"cell {key}: revenue {h['revenue']}, expected {w['revenue']}")
        retention = int(h["customers"]) / int(h["cohort_size"])
        if abs(float(h["retention"]) - retention) > RETENTION_TOLERANCE:
            problems.append(f"cell {key}: retention {h['retention']}")
    for key, w in want.items():
        if key not in seen and (int(w["customers"]) or int(w["orders"]) or float(w["revenue"])):
            problems.append(f"cell {key} is missing: {w}")
    return problems


def compare_clv_summary(expected, got):
    def rows(records):
        return sorted(
            (r["model"], int(float(r["frequency"])), number(r["recency_days"]),
             number(r["t_days"]), number(r["monetary_mean"]), int(float(r["customers"])))
            for r in records)
    want, have = rows(expected), rows(got)
    if want == have:
        return []
    missing = [r for r in want if r not in have][:5]
    extra = [r for r in have if r not in want][:5]
    return [f"{len(have)} rows, expected {len(want)}; missing {missing}, unexpected {extra}"]


def compare_products(expected, got):
    """Every product's figures; revenue and units within a millionth (the engine keeps line
    amounts in cents, the SQL sums the table's numbers)."""
    want = {r["product_id"]: r for r in expected}
    have = {r["product_id"]: r for r in got}
    problems = []
    if set(want) != set(have):
        missing, extra = sorted(set(want) - set(have)), sorted(set(have) - set(want))
        problems.append(f"products differ: missing {missing[:5]}, extra {extra[:5]}")
    for product in sorted(set(want) & set(have)):
        w, h = want[product], have[product]
        for field in ("orders", "buyers", "repeat_buyers"):
            if int(w[field]) != int(h[field]):
                problems.append(f"{product}: {field} {h[field]}, expected {w[field]}")
        for field in ("revenue", "units"):
            if abs(float(w[field]) - float(h[field])) > MONEY_TOLERANCE:
                problems.append(f"{product}: {field} {h[field]}, expected {w[field]}")
        # A product's category is its smallest non-empty one in SQL, the first in file order in
        # the engine: the fixtures give each product one category.
        if (w["category"] or None) != (h["category"] or None):
            problems.append(f"{product}: category {h['category']!r}, expected {w['category']!r}")
    return problems


def compare_pairs(expected, got, every_pair):
    """The top pairs: as many, the same counts of orders with both from the top down (ties at
    the cut may pick other pairs: the engine breaks them by file order), and each pair's
    figures those of the engine's (a pair once, whichever way round)."""
    problems = []
    if len(got) != len(expected):
        problems.append(f"{len(got)} pairs, expected {len(expected)}")
    if [int(r["both_orders"]) for r in got] != [int(r["both_orders"]) for r in expected]:
        problems.append("orders with both differ from the top down")
    engine = {frozenset((r["a"], r["b"])): r for r in every_pair}
    for h in got:
        w = engine.get(frozenset((h["a"], h["b"])))
        if w is None:
            problems.append(f"pair {h['a']}, {h['b']} is not among the engine's")
            continue
        if int(w["both_orders"]) != int(h["both_orders"]):
            problems.append(f"pair {h['a']}, {h['b']}: both {h['both_orders']}, expected {w['both_orders']}")
        for field in ("support", "confidence", "lift"):
            if abs(float(w[field]) - float(h[field])) > 1e-12 * max(1.0, float(w[field])):
                problems.append(f"pair {h['a']}, {h['b']}: {field} {h[field]}, expected {w[field]}")
    return problems


COMPARE = {
    "products": compare_products,
    "orders": compare_orders,
    "rfm": compare_rfm,
    "cohorts": compare_cohorts,
    "clv_summary": compare_clv_summary,
}


def main():
    arguments = [a for a in sys.argv[1:] if a != "--spark"]
    if len(arguments) != 1:
        print(__doc__)
        return 2
    reference = Path(arguments[0]).resolve()
    # A stopped run still stops its PostgreSQL server and removes its data directory.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    started = time.time()
    engines, skipped = [], []
    openers = [open_duckdb, open_postgres] + ([open_spark] if "--spark" in sys.argv else [])
    for opener in openers:
        engine, reason = opener()
        if engine is None:
            skipped.append(reason)
            print(f"SKIPPED: {reason}")
        else:
            engines.append(engine)
    passed, failed = 0, 0
    try:
        with tempfile.TemporaryDirectory(prefix="customer-lens-sql-") as temp:
            for number_, fixture in enumerate(FIXTURES):
                workdir = Path(temp) / str(number_)
                subprocess.run([str(reference), str(ROOT / fixture["file"]), "--out",
                                str(workdir), *fixture["args"]], check=True,
                               capture_output=True, text=True)
                rows = read_rows(fixture)
                print(f"\n{fixture['name']} ({fixture['file']})")
                for engine in engines:
                    engine.load(fixture, rows, workdir)
                    for query in QUERIES:
                        if not (workdir / engine.folder / f"{query}.sql").exists():
                            continue
                        sql = (workdir / engine.folder / f"{query}.sql").read_text()
                        names, sql_rows = engine.run(sql)
                        expected = as_dicts(*read_csv_text(
                            (workdir / "expected" / f"{query}.csv").read_text()))
                        if query == "pairs":
                            every_pair = as_dicts(*read_csv_text(
                                (workdir / "expected" / "all_pairs.csv").read_text()))
                            problems = compare_pairs(expected, as_dicts(names, sql_rows), every_pair)
                        else:
                            problems = COMPARE[query](expected, as_dicts(names, sql_rows))
                        fixture_file = fixture.get("grouped_fixture")
                        if query == "clv_summary" and fixture_file:
                            committed = as_dicts(*read_csv_text((ROOT / fixture_file).read_text()))
                            problems += [f"{fixture_file}: {p}" for p in
                                         compare_clv_summary(committed, as_dicts(names, sql_rows))]
                        label = f"  {engine.name:<10} {query:<12} {len(sql_rows):>6} rows"
                        if problems:
                            failed += 1
                            print(f"{label}  FAILED")
                            for problem in problems[:10]:
                                print(f"      {problem}")
                        else:
                            passed += 1
                            print(f"{label}  equal")
    finally:
        for engine in engines:
            engine.close()
    print(f"\nengines compared in {time.time() - started:.1f} s")
    skipped_text = f", {len(skipped)} skipped" if skipped else ""
    print(f"{passed} passed, {failed} failed{skipped_text}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
