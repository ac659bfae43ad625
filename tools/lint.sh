#!/usr/bin/env bash
# `make lint`: the Odoo community's checks over addons/; any message fails.
source "$(dirname "$0")/common.sh"
ensure_venv
cd "$ROOT"
status=0
say "ruff"
"$VENV/bin/ruff" check addons tests bench tools || status=1
"$VENV/bin/ruff" format --check addons tests bench tools || status=1
say "pylint with pylint-odoo"
"$VENV/bin/pylint" --rcfile=.pylintrc addons/* || status=1
say "oca-odoo-pre-commit-hooks"
"$VENV/bin/oca-checks-odoo-module" --config .oca_hooks.cfg addons/* || status=1
"$VENV/bin/oca-checks-po" --config .oca_hooks.cfg $(find addons -name '*.po' -o -name '*.pot') || status=1
[ "$status" = 0 ] || die "lint found problems (above)."
say "lint: clean"
