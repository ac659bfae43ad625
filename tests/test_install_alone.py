"""Each addon installs on its own, without demo data, in a fresh database that has only its
dependencies; its registry loads; uninstalling it leaves Odoo as it found it: the
parameters it set (the sign-up ones of service_portal's hooks) back to their values, and
none of its models, fields, views, rules, accesses, menus, groups, actions, crons, mail
templates or website menus left behind.

One fresh database gets service_portal's Odoo dependencies (every addon needs them); each
addon then works on a copy of it, in one `odoo-bin shell` run (tests/install_alone.py):
its other dependencies, a snapshot, the addon, a registry loaded anew, the uninstallation,
a second snapshot. The copies run side by side. The databases are dropped at the end.
"""

import ast
import json
import os
import subprocess
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
ADDONS = (
    "service_portal",
    "service_helpdesk",
    "service_licensing",
    "service_licensing_helpdesk",
)
# Parallel `odoo-bin shell` runs (one per addon by default).
JOBS = int(os.environ.get("INSTALL_ALONE_JOBS", len(ADDONS)))
TIMEOUT = 1800
# Odoo and PostgreSQL must be there: without them the test fails with what is missing, as
# `make test` does, and never skips.
CHECKS = "check_odoo && check_postgres && ensure_venv"


def _manifest(addon):
    path = ROOT / "addons" / addon / "__manifest__.py"
    return ast.literal_eval(path.read_text(encoding="utf-8"))


def _common(script, **env):
    """Run a bash snippet after sourcing tools/common.sh."""
    return subprocess.run(
        ["bash", "-c", f'source "{ROOT}/tools/common.sh"; {script}'],
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        check=False,
    )


def _common_or_fail(script, **env):
    """Run a bash snippet after tools/common.sh; fail with its output if it fails."""
    result = _common(script, **env)
    if result.returncode != 0:
        pytest.fail(
            f"{script}\nfailed ({result.returncode}):\n{result.stdout[-3000:]}"
            f"\n{result.stderr[-6000:]}"
        )
    return result


def _install_alone(addon, base, database, conf, report):
    _common_or_fail(
        'psql -X -q -d postgres -c "create database \\"$DB\\" template \\"$BASE\\""'
        ' && if [ -d "$BUILD/data/filestore/$BASE" ]; then'
        ' cp -r "$BUILD/data/filestore/$BASE" "$BUILD/data/filestore/$DB"; fi'
        ' && odoo_bin shell -c "$CONF" -d "$DB" --log-level=warn < "$SCRIPT"',
        DB=database,
        BASE=base,
        CONF=str(conf),
        SCRIPT=str(ROOT / "tests" / "install_alone.py"),
        INSTALL_ALONE_ADDON=addon,
        INSTALL_ALONE_REPORT=str(report),
    )
    return json.loads(report.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def reports(tmp_path_factory):
    _common_or_fail(CHECKS)
    workdir = tmp_path_factory.mktemp("install_alone")
    conf = workdir / "odoo.conf"
    prefix = f"install_alone_{int(time.time())}_{os.getpid()}"
    base = f"{prefix}_deps"
    databases = {addon: f"{prefix}_{index}" for index, addon in enumerate(ADDONS)}
    dependencies = sorted(set(_manifest("service_portal")["depends"]) - set(ADDONS))
    start = time.monotonic()
    try:
        _common_or_fail(
            'write_odoo_conf "$CONF" "$DB" && odoo_bin -c "$CONF" -d "$DB" -i "$DEPENDS"'
            " --without-demo --stop-after-init --log-level=warn",
            CONF=str(conf),
            DB=base,
            DEPENDS=",".join(dependencies),
        )
        created = time.monotonic()
        with ThreadPoolExecutor(max_workers=JOBS) as pool:
            futures = {
                addon: pool.submit(
                    _install_alone,
                    addon,
                    base,
                    databases[addon],
                    conf,
                    workdir / f"{addon}.json",
                )
                for addon in ADDONS
            }
            found = {addon: future.result() for addon, future in futures.items()}
        again = {
            addon: {
                model: names for model, names in found[addon]["reflected_again"].items() if names
            }
            for addon in ADDONS
        }
        print(
            f"\ninstall alone: dependencies {created - start:.0f} s, the four addons "
            f"{time.monotonic() - created:.0f} s; "
            + "; ".join(f"{addon} {found[addon]['timings']}" for addon in ADDONS)
            + "; rows deleted and reflected again (same names, new ids): "
            + str({addon: models for addon, models in again.items() if models})
        )
        yield found
    finally:
        for database in (base, *databases.values()):
            _common(
                'psql -X -q -d postgres -c "drop database if exists \\"$DB\\" with (force)";'
                ' rm -rf "$BUILD/data/filestore/$DB"',
                DB=database,
            )


@pytest.mark.parametrize("addon", ADDONS)
def test_installs_alone_and_its_registry_loads(reports, addon):
    report = reports[addon]
    assert report["installed"]["state"] == "installed"
    assert report["loaded"] == {"installed": True, "models_missing": []}
    # the addon's own records were seen (every addon owns the records of the models it
    # defines or extends), so that "nothing left" below means something
    assert report["installed"]["owned"].get("ir.model"), report["installed"]["owned"]


@pytest.mark.parametrize("addon", ADDONS)
def test_uninstall_leaves_nothing_behind(reports, addon):
    report = reports[addon]
    assert report["uninstalled"] == {"state": "uninstalled", "owned": {}, "models": []}
    left = {model: names for model, names in report["left"].items() if names}
    assert not left, f"{addon} left after its uninstallation: {left}"
    removed = {model: names for model, names in report["removed"].items() if names}
    assert not removed, f"uninstalling {addon} removed what was there before: {removed}"


@pytest.mark.parametrize("addon", ADDONS)
def test_uninstall_puts_the_parameters_back(reports, addon):
    assert reports[addon]["params_changed"] == {}, (
        f"parameters not as before {addon} was installed: [before, after uninstall]"
    )


def test_service_portal_hooks_set_and_restore_the_sign_up_parameters(reports):
    report = reports["service_portal"]
    set_by_install = report["params_set_by_install"]
    # auth_signup's own default (b2c: anyone may sign up), then verified sign-up only
    assert set_by_install["auth_signup.invitation_scope"] == ["b2c", "b2b"]
    assert "service_portal.params_found_at_install" in set_by_install
    assert report["params_changed"] == {}


def test_without_odoo_or_postgresql_it_fails_with_what_is_missing():
    with pytest.raises(pytest.fail.Exception, match=r"Odoo 19\.0 source not found"):
        _common_or_fail(CHECKS, ODOO_SRC="/nonexistent/odoo")
    with pytest.raises(pytest.fail.Exception, match="PostgreSQL is not reachable"):
        _common_or_fail(CHECKS, PGPORT="1")
