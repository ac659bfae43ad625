# Shared setup for `make run`, `make test` and `make lint`; sourced, never run.
# Everything here stops with a message that says what is missing and how to get it.

set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
ODOO_SRC=${ODOO_SRC:-/opt/odoo/19.0}
PGHOST=${PGHOST:-127.0.0.1}
PGPORT=${PGPORT:-5432}
PGUSER=${PGUSER:-$(id -un)}
# PORT_GIVEN: whether the caller chose the port (`make test` otherwise picks a free one, so
# that it can run while `make run` serves on the default port).
PORT_GIVEN=${PORT:+1}
PORT=${PORT:-8069}
# The prefork server (WORKERS > 0) serves the websocket (/websocket) from a gevent process
# on its own port; Odoo's default is 8072, i.e. PORT + 3.
GEVENT_PORT=${GEVENT_PORT:-$((PORT + 3))}
WORKERS=${WORKERS:-0}
PYTHON=${PYTHON:-python3}
VENV=$ROOT/.venv
BUILD=$ROOT/.build
ADDONS=${ADDONS:-service_portal,service_helpdesk,service_licensing,service_licensing_helpdesk}
export PGHOST PGPORT PGUSER

mkdir -p "$BUILD"

die() {
    printf '\n\033[1;31mERROR:\033[0m %s\n\n' "$*" >&2
    exit 1
}

say() {
    printf '\033[1;34m==>\033[0m %s\n' "$*"
}

check_odoo() {
    if [ ! -f "$ODOO_SRC/odoo-bin" ] || [ ! -d "$ODOO_SRC/odoo/addons/base" ] || [ ! -d "$ODOO_SRC/addons/portal" ]; then
        die "Odoo 19.0 source not found at ODOO_SRC=$ODOO_SRC (need odoo-bin, odoo/ and addons/).
       Get it on a machine with internet access:
           git clone --depth 1 --branch 19.0 https://github.com/odoo/odoo.git /opt/odoo/19.0
       or point ODOO_SRC at an existing Odoo 19.0 Community checkout:
           make test ODOO_SRC=/path/to/odoo"
    fi
    if ! grep -q "version_info = (19, 0" "$ODOO_SRC/odoo/release.py"; then
        die "ODOO_SRC=$ODOO_SRC is not Odoo 19.0 ($(grep -m1 'version_info =' "$ODOO_SRC/odoo/release.py"))."
    fi
}

check_postgres() {
    if [ "$PGUSER" = "postgres" ]; then
        die "Odoo refuses the PostgreSQL role 'postgres'. Set PGUSER to another role that may create databases, e.g.
           createuser -h $PGHOST -p $PGPORT -U postgres --createdb odoo && make run PGUSER=odoo"
    fi
    if ! command -v psql >/dev/null 2>&1; then
        die "psql (PostgreSQL client) not found. Install it: apt-get install postgresql-client"
    fi
    local out
    if ! out=$(psql -X -d postgres -tAc "select rolcreatedb or rolsuper from pg_roles where rolname = current_user" 2>&1); then
        die "PostgreSQL is not reachable at $PGHOST:$PGPORT as role '$PGUSER':
       $out
       Start PostgreSQL (apt-get install postgresql) or set PGHOST/PGPORT/PGUSER."
    fi
    if [ "$out" != "t" ]; then
        die "PostgreSQL role '$PGUSER' may not create databases. Grant it: ALTER ROLE \"$PGUSER\" CREATEDB;"
    fi
}

chromium_bin() {
    local candidate
    for candidate in chromium chromium-browser google-chrome google-chrome-stable; do
        if command -v "$candidate" >/dev/null 2>&1; then
            command -v "$candidate"
            return 0
        fi
    done
    return 1
}

check_chromium() {
    chromium_bin >/dev/null || die "Chromium not found: the browser tests (Odoo tours) need it.
       Install it: apt-get install chromium   (Debian)   or   apt-get install chromium-browser (Ubuntu)"
}

check_wkhtmltopdf() {
    command -v wkhtmltopdf >/dev/null 2>&1 || die "wkhtmltopdf not found: Odoo needs it for every PDF (service reports, sign-offs, quotes, invoices).
       Install it: apt-get install wkhtmltopdf   (Debian / Ubuntu)"
}

ensure_venv() {
    local stamp="$VENV/.requirements.sha1"
    local want
    want=$(cat "$ROOT/requirements.txt" "$ROOT/addons-requirements.txt" | sha1sum | cut -d' ' -f1)
    if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
        return 0
    fi
    command -v "$PYTHON" >/dev/null || die "$PYTHON not found: Odoo 19 needs Python 3.10 to 3.12."
    "$PYTHON" -c 'import sys; sys.exit(not ((3, 10) <= sys.version_info[:2] <= (3, 12)))' \
        || die "$PYTHON is $("$PYTHON" --version 2>&1); Odoo 19 and the pinned requirements need Python 3.10 to 3.12 (3.11 is tested). Set PYTHON=python3.11."
    say "Installing the pinned Python runtime into .venv"
    [ -x "$VENV/bin/python" ] || "$PYTHON" -m venv "$VENV"
    "$VENV/bin/pip" install --quiet --disable-pip-version-check --upgrade pip wheel
    "$VENV/bin/pip" install --quiet --disable-pip-version-check -r "$ROOT/requirements.txt" \
        || die "pip could not install requirements.txt (building psycopg2 needs libpq-dev and python3-dev: apt-get install libpq-dev python3-dev)."
    echo "$want" > "$stamp"
}

# The browser tests' JavaScript tools (axe-core for the accessibility tours), pinned by
# tools/a11y/package-lock.json and installed with `npm ci`, never fetched at run time.
ensure_test_tools() {
    local dir="$ROOT/tools/a11y" stamp="$ROOT/tools/a11y/node_modules/.package-lock.sha1"
    local want
    want=$(sha1sum "$dir/package-lock.json" | cut -d' ' -f1)
    if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
        return 0
    fi
    command -v npm >/dev/null 2>&1 || die "npm not found: the accessibility tours need axe-core from npm.
       Install Node.js 18 or later with npm: apt-get install nodejs npm"
    say "Installing the pinned test tools (axe-core) into tools/a11y/node_modules"
    (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error) \
        || die "npm ci could not install tools/a11y/package-lock.json (is the npm registry reachable?)."
    echo "$want" > "$stamp"
}

# Write an Odoo configuration file for this machine; $1 is its path, $2 the database name.
write_odoo_conf() {
    cat > "$1" <<EOF
[options]
addons_path = $ROOT/addons,$ODOO_SRC/addons,$ODOO_SRC/odoo/addons
data_dir = $BUILD/data
db_host = $PGHOST
db_port = $PGPORT
db_user = $PGUSER
db_name = $2
dbfilter = ^$2\$
list_db = False
http_interface = 127.0.0.1
http_port = $PORT
gevent_port = $GEVENT_PORT
admin_passwd = admin
EOF
}

# A TCP port free on the loopback right now (the kernel picks it).
free_port() {
    "$PYTHON" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# The serving options of `make run`, one a line: threaded by default; with WORKERS=N (N > 0)
# the prefork server of production (N HTTP workers, one cron worker, the gevent process for
# the websocket) with Odoo's production limits (as in config/odoo.conf).
serve_options() {
    if ! [[ "$WORKERS" =~ ^[0-9]+$ ]]; then
        die "WORKERS must be a number of worker processes (0 = threaded server), not '$WORKERS'."
    fi
    printf '%s\n' "--http-port=$PORT"
    if [ "$WORKERS" -gt 0 ]; then
        printf '%s\n' "--workers=$WORKERS" "--gevent-port=$GEVENT_PORT" "--max-cron-threads=1" \
            "--limit-time-cpu=60" "--limit-time-real=120" "--limit-request=65536" \
            "--limit-memory-soft=2147483648" "--limit-memory-hard=2684354560"
    fi
}

odoo_bin() {
    "$VENV/bin/python" "$ODOO_SRC/odoo-bin" "$@"
}

db_exists() {
    [ "$(psql -X -d postgres -tAc "select 1 from pg_database where datname = '$1'")" = "1" ]
}

# A fingerprint of the addons' code: when it changes, `make run` upgrades the addons.
addons_fingerprint() {
    (cd "$ROOT" && find addons -type f ! -name '*.pyc' ! -path '*/__pycache__/*' -print0 \
        | sort -z | xargs -0 sha1sum | sha1sum | cut -d' ' -f1)
}
