"""make run / make test stop loudly, with what is missing and how to get it."""

import os
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _run(script, **env):
    return subprocess.run(
        ["bash", str(ROOT / "tools" / script)],
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_missing_odoo_source_stops_with_how_to_get_it():
    for script in ("test.sh", "run.sh"):
        result = _run(script, ODOO_SRC="/nonexistent/odoo")
        assert result.returncode != 0
        assert "Odoo 19.0 source not found at ODOO_SRC=/nonexistent/odoo" in result.stderr
        assert "git clone --depth 1 --branch 19.0" in result.stderr


def test_unreachable_postgresql_stops_with_the_reason():
    result = _run("test.sh", PGPORT="1")
    assert result.returncode != 0
    assert "PostgreSQL is not reachable at" in result.stderr


def test_postgres_role_is_refused_as_odoo_does():
    result = _run("run.sh", PGUSER="postgres")
    assert result.returncode != 0
    assert "Odoo refuses the PostgreSQL role 'postgres'" in result.stderr


def test_missing_wkhtmltopdf_stops_with_how_to_get_it():
    # a PATH with what the scripts need but no wkhtmltopdf
    bare = ROOT / ".build" / "bin-without-wkhtmltopdf"
    bare.mkdir(parents=True, exist_ok=True)
    for tool in ("bash", "psql", "grep", "id", "dirname", "mkdir", "cat", "sha1sum", "cut"):
        path = subprocess.run(
            ["bash", "-c", f"command -v {tool}"], capture_output=True, text=True, check=False
        ).stdout.strip()
        link = bare / tool
        if path and not link.exists():
            link.symlink_to(path)
    for script in ("run.sh", "test.sh"):
        result = _run(script, PATH=str(bare))
        assert result.returncode != 0
        assert "wkhtmltopdf not found" in result.stderr
        assert "apt-get install wkhtmltopdf" in result.stderr
