#!/usr/bin/env bash
# `make run`: install or upgrade the demo database, then serve Odoo.
source "$(dirname "$0")/common.sh"

DB=${DB:-service_portal}
serve_options >/dev/null  # a wrong WORKERS stops here, before any work
check_odoo
check_postgres
check_wkhtmltopdf
ensure_venv

CONF=$BUILD/odoo-run.conf
write_odoo_conf "$CONF" "$DB"
STAMP=$BUILD/$DB.addons.sha1
want=$(addons_fingerprint)

installed=""
if db_exists "$DB"; then
    installed=$(psql -X -d "$DB" -tAc "select count(*) from ir_module_module where state = 'installed' and name = any(string_to_array('$ADDONS', ','))" 2>/dev/null || echo 0)
fi

if [ "$installed" != "$(tr ',' '\n' <<< "$ADDONS" | wc -l)" ]; then
    say "Creating database '$DB' with the addons ($ADDONS) and their demo data"
    odoo_bin -c "$CONF" -d "$DB" -i "$ADDONS" --with-demo --stop-after-init --log-level=warn \
        || die "Odoo could not install the addons into '$DB' (see the log above)."
    echo "$want" > "$STAMP"
elif [ ! -f "$STAMP" ] || [ "$(cat "$STAMP")" != "$want" ]; then
    say "The addons changed: upgrading them in '$DB'"
    odoo_bin -c "$CONF" -d "$DB" -u "$ADDONS" --stop-after-init --log-level=warn \
        || die "Odoo could not upgrade the addons in '$DB' (see the log above)."
    echo "$want" > "$STAMP"
else
    say "Database '$DB' is up to date"
fi

cat <<EOF

  Service Portal for Odoo is starting at  http://localhost:$PORT
  ($(if [ "$WORKERS" -gt 0 ]; then echo "prefork: $WORKERS workers, the websocket on port $GEVENT_PORT"; else echo "threaded server; WORKERS=4 make run for the prefork server"; fi))
  (PostgreSQL $PGUSER@$PGHOST:$PGPORT, database $DB; Ctrl-C to stop)

  Backend (staff):      admin / admin                          http://localhost:$PORT/odoo
  Portal (customers):   manager@winslow.example / winslow      Winslow Estates, every site
                        north@winslow.example   / north        Winslow Estates, North Campus only
                        owner@parkway.example   / parkway      Parkway Cinemas (another customer)
  Technician:           terry@winslow.example   / terry        the workspace /my/work

EOF
mapfile -t SERVE_OPTIONS < <(serve_options)
exec "$VENV/bin/python" "$ODOO_SRC/odoo-bin" -c "$CONF" -d "$DB" "${SERVE_OPTIONS[@]}"
