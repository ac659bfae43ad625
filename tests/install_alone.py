"""Run by tests/test_install_alone.py inside `odoo-bin shell` (which gives it `env`), on a
database of its own: install one addon after its dependencies, load the registry as a
restarted server does, uninstall the addon, and write what was found to a JSON report.

The addon is INSTALL_ALONE_ADDON, the report INSTALL_ALONE_REPORT. The snapshots are taken
with SQL, so that no ORM cache hides a row; they name each record, for the test's messages.
"""

import json
import os
import time
from collections import Counter

from odoo import api
from odoo.modules.registry import Registry

# what an addon adds and its uninstallation must take away: (table, SQL naming each row)
TABLES = {
    "ir.model": "model",
    "ir.model.fields": "model || '.' || name",
    "ir.ui.view": "coalesce(key, name) || ' (' || type || ')'",
    "ir.rule": "name::text",
    "ir.model.access": "name",
    "ir.ui.menu": "name::text",
    "res.groups": "name::text",
    "ir.actions.act_window": "name::text",
    "ir.cron": "cron_name::text",
    "mail.template": "name::text",
    "website.menu": "name::text",
}

ADDON = os.environ["INSTALL_ALONE_ADDON"]
DBNAME = env.cr.dbname  # noqa: F821 (given by odoo-bin shell)
report = {"addon": ADDON, "timings": {}}
auto_install = {}


def _with_env(function):
    """Run function(env) in a transaction of the database's current registry."""
    with Registry(DBNAME).cursor() as cr:
        return function(api.Environment(cr, api.SUPERUSER_ID, {}))


def _snapshot(env):
    cr = env.cr
    cr.execute("SELECT key, value FROM ir_config_parameter")
    snapshot = {"params": dict(cr.fetchall())}
    for model, label in TABLES.items():
        cr.execute(f"SELECT id, coalesce(({label})::text, '#' || id) FROM {env[model]._table}")
        snapshot[model] = {str(row_id): name for row_id, name in cr.fetchall()}
    return snapshot


def _module(env):
    return env["ir.module.module"].search([("name", "=", ADDON)])


def _install_dependencies(env):
    module = _module(env)
    # An auto_install addon (the bridge) would come with its dependencies: keep it out so
    # that they can be seen installed without it.
    auto_install[ADDON] = module.auto_install
    module.auto_install = False
    names = module.dependencies_id.mapped("name")
    missing = env["ir.module.module"].search([("name", "in", names), ("state", "!=", "installed")])
    report["dependencies_installed_here"] = sorted(missing.mapped("name"))
    if missing:
        missing.button_immediate_install()


def _install(env):
    module = _module(env)
    module.auto_install = auto_install[ADDON]
    module.button_immediate_install()


def _addon_records(env):
    """The records the addon owns, by model (from its XML ids), and its module's state."""
    data = env["ir.model.data"].search([("module", "=", ADDON)])
    owned = {}
    for row in data:
        owned.setdefault(row.model, []).append(row.res_id)
    models = env["ir.model"].browse(owned.get("ir.model", [])).mapped("model")
    return {
        "state": _module(env).state,
        "owned": {model: len(ids) for model, ids in owned.items()},
        "models": sorted(models),
    }


def _loaded(_env):
    """A registry loaded anew (as a restarted server does) knows the addon's models."""
    registry = Registry.new(DBNAME)
    with registry.cursor() as cr:
        records = _addon_records(api.Environment(cr, api.SUPERUSER_ID, {}))
    return {
        "installed": records["state"] == "installed",
        "models_missing": [model for model in records["models"] if model not in registry],
    }


def _uninstall(env):
    _module(env).button_immediate_uninstall()


def _timed(name, function):
    start = time.monotonic()
    result = _with_env(function)
    report["timings"][name] = round(time.monotonic() - start, 1)
    return result


_timed("dependencies", _install_dependencies)
before = _timed("snapshot", _snapshot)
_timed("install", _install)
installed = _with_env(_snapshot)["params"]
report["params_set_by_install"] = {
    key: [before["params"].get(key), installed.get(key)]
    for key in sorted(set(before["params"]) | set(installed))
    if before["params"].get(key) != installed.get(key)
}
report["installed"] = _timed("records", _addon_records)
report["loaded"] = _timed("load", _loaded)
_timed("uninstall", _uninstall)
after = _with_env(_snapshot)
report["uninstalled"] = _with_env(_addon_records)
report["params_changed"] = {
    key: [before["params"].get(key), after["params"].get(key)]
    for key in sorted(set(before["params"]) | set(after["params"]))
    if before["params"].get(key) != after["params"].get(key)
}
# Compared by what names each row (with repeats), not by id: Odoo may delete and reflect
# again a row that stays (e.g. res.users' fields inherited from res.partner).
report["left"] = {
    model: sorted((Counter(after[model].values()) - Counter(before[model].values())).elements())
    for model in TABLES
}
report["removed"] = {
    model: sorted((Counter(before[model].values()) - Counter(after[model].values())).elements())
    for model in TABLES
}
report["reflected_again"] = {
    model: sorted(
        after[model][row]
        for row in set(after[model]) - set(before[model])
        if after[model][row] not in report["left"][model]
    )
    for model in TABLES
}
with open(os.environ["INSTALL_ALONE_REPORT"], "w", encoding="utf-8") as file:
    json.dump(report, file, indent=1, sort_keys=True)
