#!/usr/bin/env bash
# `make test`: lint, then every test in a real Odoo 19 against a real PostgreSQL: our tests
# on a fresh throwaway database with the four addons WITHOUT demo data (the shared test
# base, service_portal/tests/common.py, builds what each test needs), and on a second one
# with demo data the tests whose subject is the demo (marker service_demo) and Odoo's own
# tests of the modules we extend.
source "$(dirname "$0")/common.sh"

check_odoo
check_postgres
check_wkhtmltopdf
check_chromium
ensure_venv
ensure_test_tools

# The tests' HTTP server takes a free port unless PORT was given, so that `make test` runs
# beside `make run` on the default one.
if [ -z "$PORT_GIVEN" ]; then
    PORT=$(free_port)
    GEVENT_PORT=$(free_port)
fi
say "The tests' HTTP server listens on 127.0.0.1:$PORT"

"$ROOT/tools/lint.sh"

DB=${TEST_DB:-service_portal_test_$(date +%s)_$$}
CONF=$BUILD/odoo-test.conf
INSTALL_LOG=$BUILD/test-install.log
write_odoo_conf "$CONF" "$DB"
DEMO_DB=${DB}_demo
DEMO_CONF=$BUILD/odoo-test-demo.conf
DEMO_INSTALL_LOG=$BUILD/test-install-demo.log
write_odoo_conf "$DEMO_CONF" "$DEMO_DB"

cleanup() {
    if [ -n "${ALONE_PID:-}" ] && kill -0 "$ALONE_PID" 2>/dev/null; then
        kill "$ALONE_PID" 2>/dev/null || true
    fi
    for db in "$DB" "$DEMO_DB"; do
        psql -X -q -d postgres -c "drop database if exists \"$db\" with (force)" >/dev/null 2>&1 || true
        rm -rf "$BUILD/data/filestore/$db"
    done
}
trap cleanup EXIT

# Each addon installed and uninstalled alone (tests/test_install_alone.py) takes databases
# and Odoo processes of its own: it runs beside the main run, which leaves it out.
ALONE_LOG=$BUILD/test-install-alone.log
say "Each addon alone, in the background: $ALONE_LOG"
"$VENV/bin/pytest" -p no:cacheprovider -p no:odoo tests/test_install_alone.py >"$ALONE_LOG" 2>&1 &
ALONE_PID=$!

install_addons() {  # conf db log [--with-demo]
    rm -f "$3"
    if ! odoo_bin -c "$1" -d "$2" -i "$ADDONS" ${4:-} --stop-after-init \
            --log-level=info --logfile="$3"; then
        grep -E " (ERROR|CRITICAL) " "$3" | tail -20 >&2 || true
        die "Odoo could not install the addons into $2 (full log: $3)."
    fi
}
say "Installing the addons without demo data into the throwaway database $DB"
install_addons "$CONF" "$DB" "$INSTALL_LOG"
say "Installing the addons with demo data into the throwaway database $DEMO_DB"
install_addons "$DEMO_CONF" "$DEMO_DB" "$DEMO_INSTALL_LOG" --with-demo

say "Running the tests (pytest with pytest-odoo, browser tours in $(chromium_bin))"
cd "$ROOT"
export SERVICE_PORTAL_INSTALL_LOG=$INSTALL_LOG
export PYTHONPATH=$ODOO_SRC${PYTHONPATH:+:$PYTHONPATH}
# Odoo's own tests of the modules we extend (tools/odoo-tests.txt), with the addons installed.
# pytest-odoo names Odoo's tests by module, not by path: a deselected test is left out by
# its name (-k), which is unique among the tests run.
odoo_tests=()
deselected=()
while read -r what path _reason; do
    case "$what" in
        ''|'#'*) ;;
        deselect) deselected+=("${path##*::}") ;;
        *) odoo_tests+=("$ODOO_SRC/$what") ;;
    esac
done < "$ROOT/tools/odoo-tests.txt"
keyword=()
if [ ${#deselected[@]} -gt 0 ]; then
    expression=$(printf ' or %s' "${deselected[@]}")
    keyword=(-k "not (${expression# or })")
fi
status=0
say "Our tests, on the database without demo data"
"$VENV/bin/pytest" -p no:cacheprovider \
    --odoo-config="$CONF" --odoo-database="$DB" --odoo-http --odoo-log-level=warn \
    --ignore=tests/test_install_alone.py -m "not service_demo" \
    addons/*/tests tests "$@" || status=$?
say "The demo's own tests and Odoo's tests of the modules we extend, on the demo database"
export SERVICE_PORTAL_INSTALL_LOG=$DEMO_INSTALL_LOG
"$VENV/bin/pytest" -p no:cacheprovider \
    --odoo-config="$DEMO_CONF" --odoo-database="$DEMO_DB" --odoo-http --odoo-log-level=warn \
    -m service_demo addons/*/tests "$@" || status=$?
"$VENV/bin/pytest" -p no:cacheprovider \
    --odoo-config="$DEMO_CONF" --odoo-database="$DEMO_DB" --odoo-http --odoo-log-level=warn \
    "${keyword[@]}" "${odoo_tests[@]}" "$@" || status=$?

say "Each addon alone (tests/test_install_alone.py):"
if ! wait "$ALONE_PID"; then
    tail -60 "$ALONE_LOG" >&2
    die "An addon does not install or uninstall cleanly on its own (log: $ALONE_LOG)."
fi
tail -3 "$ALONE_LOG"
exit "$status"
