#!/usr/bin/env bash
# The generated SQL on real engines: renders the queries and the crate's own results for the
# committed fixtures (`sql_reference`), runs them on DuckDB (PyPI) and on a PostgreSQL server
# started on loopback (Debian's package), and compares (compare_engines.py, installs what is
# missing, skips an engine only if it cannot be installed). Then, when pkg/ is built, the SQL part
# of the JS API under Node.
set -euo pipefail
cd "$(dirname "$0")/../.."
cargo build --quiet -p customer-lens-sql --bin sql_reference
python3 tests/sql/compare_engines.py target/debug/sql_reference
if [ -f pkg/customer_lens.js ] && [ -f sql/pkg/customer_lens_sql.js ]; then
  node --test --test-reporter=spec tests/sql/api.test.mjs
else
  echo "pkg/ and sql/pkg/ are not built (scripts/build.sh): the SQL JS API test is skipped"
fi
