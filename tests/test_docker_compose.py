"""No Docker engine runs here: check that the compose file parses and names what it must."""

from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent


def _compose():
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text(encoding="utf-8"))


def test_compose_uses_the_official_images():
    compose = _compose()
    assert compose["services"]["db"]["image"] == "postgres:16"
    dockerfile = (ROOT / compose["services"]["odoo"]["build"]["dockerfile"]).read_text(
        encoding="utf-8"
    )
    assert "FROM odoo:19" in dockerfile
    assert "addons-requirements.txt" in dockerfile
    assert "stripe" in (ROOT / "addons-requirements.txt").read_text(encoding="utf-8")


def test_compose_mounts_addons_config_and_named_volumes():
    compose = _compose()
    odoo = compose["services"]["odoo"]
    mounts = {volume.split(":")[1]: volume.split(":")[0] for volume in odoo["volumes"]}
    assert mounts["/mnt/extra-addons"] == "./addons"
    assert mounts["/etc/odoo/odoo.conf"] == "./config/odoo.conf"
    assert mounts["/var/lib/odoo"] in compose["volumes"]
    db_mounts = {
        volume.split(":")[1]: volume.split(":")[0]
        for volume in compose["services"]["db"]["volumes"]
    }
    assert db_mounts["/var/lib/postgresql/data"] in compose["volumes"]
    assert "8069:8069" in odoo["ports"]


def test_compose_installs_the_three_addons_with_demo_data():
    command = " ".join(_compose()["services"]["odoo"]["command"])
    for module in ("service_portal", "service_helpdesk", "service_licensing"):
        assert module in command
    assert "--with-demo" in command


def test_config_points_odoo_at_the_mounted_addons_and_the_db_service():
    config = (ROOT / "config" / "odoo.conf").read_text(encoding="utf-8")
    assert "addons_path = /mnt/extra-addons," in config
    assert "db_host = db" in config
    compose = _compose()
    assert compose["services"]["db"]["environment"]["POSTGRES_USER"] in config
