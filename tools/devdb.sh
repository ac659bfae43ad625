#!/usr/bin/env bash
# Developer shortcut: (re)create a persistent test database and run pytest against it.
#   tools/devdb.sh init            install the addons into $DEV_DB (default service_portal_dev);
#                                  with DEMO=0, without the demo data (to prove the tests that
#                                  are not tagged service_demo need none: see tests/README.md)
#   tools/devdb.sh update          upgrade them
#   tools/devdb.sh pytest ARGS...  run pytest with pytest-odoo against it
source "$(dirname "$0")/common.sh"
DEV_DB=${DEV_DB:-service_portal_dev}
DEMO=${DEMO:-1}
CONF=$BUILD/odoo-$DEV_DB.conf  # one per database: developers may run several at once
write_odoo_conf "$CONF" "$DEV_DB"
case "${1:-}" in
    init)
        rm -f "$BUILD/$DEV_DB-install.log"
        psql -X -q -d postgres -c "drop database if exists \"$DEV_DB\" with (force)"
        demo_option=--with-demo
        [ "$DEMO" = "0" ] && demo_option=--without-demo
        odoo_bin -c "$CONF" -d "$DEV_DB" -i "$ADDONS" "$demo_option" --stop-after-init \
            --log-level=info --logfile="$BUILD/$DEV_DB-install.log"
        say "install log: $BUILD/$DEV_DB-install.log"
        ;;
    update)
        rm -f "$BUILD/$DEV_DB-install.log"
        odoo_bin -c "$CONF" -d "$DEV_DB" -u "$ADDONS" --stop-after-init \
            --log-level=info --logfile="$BUILD/$DEV_DB-install.log"
        say "install log: $BUILD/$DEV_DB-install.log"
        ;;
    pytest)
        shift
        ensure_test_tools
        cd "$ROOT"
        PYTHONPATH=$ODOO_SRC SERVICE_PORTAL_INSTALL_LOG=$BUILD/$DEV_DB-install.log "$VENV/bin/pytest" \
            -p no:cacheprovider --odoo-config="$CONF" --odoo-database="$DEV_DB" --odoo-http \
            --odoo-log-level=warn "$@"
        ;;
    *) die "usage: tools/devdb.sh init|update|pytest [ARGS]" ;;
esac
