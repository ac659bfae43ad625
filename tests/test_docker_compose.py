"""No Docker engine runs here: check that the compose file parses and names what it must."""

import re
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
ADDONS = ("service_portal", "service_helpdesk", "service_licensing", "service_licensing_helpdesk")


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


def test_compose_installs_the_four_addons_with_demo_data():
    for service in ("odoo", "odoo-init"):
        command = _compose()["services"][service]["command"]
        addons = command[command.index("-i") + 1].split(",")
        assert addons == list(ADDONS), service
        assert "--with-demo" in command


def test_config_points_odoo_at_the_mounted_addons_and_the_db_service():
    config = (ROOT / "config" / "odoo.conf").read_text(encoding="utf-8")
    assert "addons_path = /mnt/extra-addons," in config
    assert "db_host = db" in config
    compose = _compose()
    assert compose["services"]["db"]["environment"]["POSTGRES_USER"] in config


# --- the two profiles --------------------------------------------------------------------


def _profile(name):
    """The services `docker compose` starts with COMPOSE_PROFILES=name: those without a
    profile and those of that profile."""
    return {
        service_name: service
        for service_name, service in _compose()["services"].items()
        if not service.get("profiles") or name in service["profiles"]
    }


def _mounts(service):
    return {volume.split(":")[1]: volume.split(":")[0] for volume in service.get("volumes", [])}


def test_the_single_profile_is_the_default():
    dotenv = (ROOT / ".env").read_text(encoding="utf-8").splitlines()
    assert "COMPOSE_PROFILES=single" in dotenv
    assert set(_profile("single")) == {"db", "odoo"}


def test_scaled_profile_two_nodes_of_our_image_behind_nginx():
    services = _profile("scaled")
    assert set(services) == {"db", "db-replica", "odoo-init", "odoo-1", "odoo-2", "nginx"}
    ours = _compose()["services"]["odoo"]["image"]
    compose_volumes = _compose()["volumes"]
    for name in ("odoo-1", "odoo-2"):
        node = services[name]
        assert node["image"] == ours
        assert node["build"]["dockerfile"] == "docker/Dockerfile"
        assert "ports" not in node  # reached through nginx only
        mounts = _mounts(node)
        assert mounts["/etc/odoo/odoo.conf"] == "./config/odoo.conf"
        assert mounts["/var/lib/odoo"] in compose_volumes
        # the nodes start once the addons are installed, and never install them themselves
        assert node["depends_on"]["odoo-init"]["condition"] == "service_completed_successfully"
        assert "-i" not in node["command"]
        # started again when the master exits (it does when PostgreSQL restarts)
        assert node["restart"] == "unless-stopped"
    # one filestore (attachments, sessions) shared by both nodes and the installer
    filestores = {_mounts(services[name])["/var/lib/odoo"] for name in ("odoo-1", "odoo-2")}
    assert filestores == {_mounts(services["odoo-init"])["/var/lib/odoo"]}
    init_command = " ".join(services["odoo-init"]["command"])
    assert "--stop-after-init" in init_command and "--with-demo" in init_command
    nginx = services["nginx"]
    assert nginx["image"].split(":")[0] == "nginx"
    assert _mounts(nginx)["/etc/nginx/conf.d/default.conf"] == "./docker/nginx/odoo.conf"
    assert "8069:80" in nginx["ports"]
    assert set(nginx["depends_on"]) == {"odoo-1", "odoo-2"}


def test_scaled_profile_reads_from_a_hot_standby_of_postgres_16():
    services = _profile("scaled")
    replica = services["db-replica"]
    assert replica["image"] == services["db"]["image"] == "postgres:16"
    for name in ("odoo-1", "odoo-2"):
        command = services[name]["command"]
        assert "--db_replica_host=db-replica" in command
        assert "--db_replica_port=5432" in command
    # the standby clones the primary and streams from it, with a role the primary creates
    entrypoint = ROOT / _mounts(replica)["/docker/replica-entrypoint.sh"]
    assert replica["entrypoint"] == ["bash", "/docker/replica-entrypoint.sh"]
    script = entrypoint.read_text(encoding="utf-8")
    assert "pg_basebackup -h db" in script
    assert "--write-recovery-conf" in script and "hot_standby=on" in script
    assert "-U replicator" in script
    init = next(
        ROOT / source
        for target, source in _mounts(services["db"]).items()
        if target.startswith("/docker-entrypoint-initdb.d/")
    )
    init_script = init.read_text(encoding="utf-8")
    assert "CREATE ROLE replicator WITH REPLICATION LOGIN" in init_script
    assert "host replication replicator" in init_script
    assert (
        _mounts(replica)["/var/lib/postgresql/data"]
        != _mounts(services["db"])["/var/lib/postgresql/data"]
    )
    assert (
        replica["environment"]["REPLICATION_PASSWORD"]
        == services["db"]["environment"]["REPLICATION_PASSWORD"]
    )


# --- the nginx configuration -------------------------------------------------------------


def _nginx_tokens(text):
    text = re.sub(r"#[^\n]*", "", text)
    return re.findall(r'"[^"]*"|[{};]|[^\s{};"]+', text)


def _nginx_parse(tokens, position=0, nested=False):
    """nginx's grammar: `name args;` or `name args { block }`; a list of (name, args,
    block or None), stopping at the block's closing brace."""
    directives, words = [], []
    while position < len(tokens):
        token = tokens[position]
        position += 1
        if token == ";":
            assert words, "empty directive"
            directives.append((words[0], words[1:], None))
            words = []
        elif token == "{":
            assert words, "block without a name"
            block, position = _nginx_parse(tokens, position, nested=True)
            directives.append((words[0], words[1:], block))
            words = []
        elif token == "}":
            assert not words, f"directive {words} lacks its ';'"
            assert nested, "a '}' closes no block"
            return directives, position
        else:
            words.append(token.strip('"'))
    assert not words, f"directive {words} lacks its ';'"
    assert not nested, "a block is not closed"
    return directives, position


def _nginx_conf():
    tokens = _nginx_tokens((ROOT / "docker" / "nginx" / "odoo.conf").read_text(encoding="utf-8"))
    directives, __ = _nginx_parse(tokens)
    return directives


def _find(directives, name, *args):
    return [d for d in directives if d[0] == name and tuple(d[1][: len(args)]) == args]


def _values(block, name):
    return [args for directive, args, __ in block if directive == name]


def test_nginx_conf_parses_and_follows_odoos_proxy_setup():
    conf = _nginx_conf()
    upstreams = {args[0]: _values(block, "server") for __, args, block in _find(conf, "upstream")}
    http_upstream = [server for (server,) in upstreams["odoo"]]
    gevent_upstream = [server for (server,) in upstreams["odoochat"]]
    assert http_upstream == ["odoo-1:8069", "odoo-2:8069"]
    assert gevent_upstream == ["odoo-1:8072", "odoo-2:8072"]
    (server,) = _find(conf, "server")
    block = server[2]
    for timeout in ("proxy_read_timeout", "proxy_connect_timeout", "proxy_send_timeout"):
        (value,) = _values(block, timeout)
        assert int(value[0].rstrip("s")) >= 600, timeout  # long requests, open websockets
    locations = {args[0]: body for __, args, body in _find(block, "location")}
    websocket, root = locations["/websocket"], locations["/"]
    assert _values(websocket, "proxy_pass") == [["http://odoochat"]]
    assert _values(root, "proxy_pass") == [["http://odoo"]]
    websocket_headers = dict(_values(websocket, "proxy_set_header"))
    assert websocket_headers["Upgrade"] == "$http_upgrade"
    assert websocket_headers["Connection"] == "$connection_upgrade"
    for headers in (websocket_headers, dict(_values(root, "proxy_set_header"))):
        assert headers["X-Forwarded-Host"] == "$http_host"
        assert headers["X-Forwarded-For"] == "$proxy_add_x_forwarded_for"
        assert headers["X-Forwarded-Proto"] == "$scheme"
        assert headers["X-Real-IP"] == "$remote_addr"
    # the nodes trust those headers, and their gevent port is the upstream's
    config = (ROOT / "config" / "odoo.conf").read_text(encoding="utf-8")
    assert "proxy_mode = True" in config
    assert "gevent_port = 8072" in config


def test_nginx_parser_rejects_a_broken_conf():
    with pytest.raises(AssertionError):
        _nginx_parse(_nginx_tokens("server { listen 80 }"))
    with pytest.raises(AssertionError):
        _nginx_parse(_nginx_tokens("server { listen 80; "))
    with pytest.raises(AssertionError):
        _nginx_parse(_nginx_tokens("listen 80; }"))
    with pytest.raises(AssertionError):
        _nginx_parse(_nginx_tokens("proxy_pass http://odoo"))
