"""docker-compose.yml is valid for the Compose specification and runs real commands.

No Docker engine runs here, so the file is checked, not run: against the Compose
Specification's JSON Schema (as vendored by check-jsonschema), and each service's
command against the ``navette`` CLI.
"""

from __future__ import annotations

import importlib.util
import json
from importlib import resources

import pytest
import yaml
from click.testing import CliRunner
from jsonschema import Draft7Validator

from navette.cli import main
from tests.conftest import ROOT

COMPOSE = ROOT / "docker-compose.yml"


@pytest.fixture(scope="module")
def compose() -> dict:
    return yaml.safe_load(COMPOSE.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def compose_schema() -> dict:
    vendored = resources.files("check_jsonschema.builtin_schemas.vendor") / "compose-spec.json"
    return json.loads(vendored.read_text(encoding="utf-8"))


def test_the_file_is_valid_for_the_compose_specification(compose, compose_schema):
    errors = sorted(Draft7Validator(compose_schema).iter_errors(compose), key=str)
    assert [f"{list(e.absolute_path)}: {e.message}" for e in errors] == []


def test_it_has_the_database_the_web_server_and_the_worker(compose):
    services = compose["services"]
    assert services["db"]["image"] == "postgres:16"
    assert services["web"]["command"][0] == "gunicorn"
    assert services["worker"]["command"] == ["navette", "worker"]
    assert "navette-db" in compose["volumes"]
    assert all("healthcheck" in services[name] for name in ("db", "web", "worker"))


def _navette_commands(compose):
    for name, service in compose["services"].items():
        command = service.get("command")
        if command and command[0] == "navette":
            yield name, command[1:]
        for probe in (service.get("healthcheck") or {}).get("test", [])[1:2]:
            if probe == "navette":
                yield f"{name} healthcheck", service["healthcheck"]["test"][2:]


@pytest.mark.parametrize(
    "args",
    [pytest.param(a, id=n) for n, a in _navette_commands(yaml.safe_load(COMPOSE.read_text()))],
)
def test_each_navette_command_exists_in_the_cli(args):
    words = [a for a in args if not a.startswith("/")]
    command_words = [w for w in words if not w.startswith("-")]
    result = CliRunner().invoke(main, [*command_words, "--help"])
    assert result.exit_code == 0, result.output


def test_the_web_command_serves_the_wsgi_app(compose):
    target = compose["services"]["web"]["command"][-1]
    module, _, attribute = target.partition(":")
    assert importlib.util.find_spec(module) is not None
    source = importlib.util.find_spec(module).origin
    assert f"{attribute} = " in open(source, encoding="utf-8").read()
    assert importlib.util.find_spec("gunicorn") is not None


def test_every_setting_comes_from_the_environment(compose):
    environment = compose["services"]["web"]["environment"]
    assert environment["NAVETTE_DATABASE_URL"].startswith("postgresql://")
    assert compose["services"]["worker"]["environment"] == environment


def test_a_reverse_proxy_with_timeouts_stands_in_front_of_the_web_server(compose):
    services = compose["services"]
    assert "ports" not in services["web"], "only the proxy is published"
    assert services["proxy"]["ports"] == ["8000:8080"]
    assert services["proxy"]["depends_on"]["web"]["condition"] == "service_healthy"
    site = compose["configs"]["nginx-site"]["content"]
    for directive in ("client_header_timeout", "client_body_timeout", "proxy_pass http://web:8000"):
        assert directive in site
    assert "$$host" in site, "nginx's variables are escaped from compose's interpolation"


def test_the_image_makes_the_schema_volume_writable_and_ignores_local_files(compose):
    build = compose["x-navette-image"]["build"]["dockerfile_inline"]
    assert "chown navette /schemas" in build and build.index("chown") < build.index("USER")
    assert "'.[postgres]'" in build, "the image speaks to PostgreSQL"
    ignored = (ROOT / ".dockerignore").read_text().split()
    assert {".venv", "*.db", ".git"} <= set(ignored)


def test_the_admin_credentials_come_from_the_environment(compose):
    environment = compose["services"]["web"]["environment"]
    assert {
        "NAVETTE_ADMIN_PASSWORD_HASH",
        "NAVETTE_ADMIN_TOKEN",
        "NAVETTE_SESSION_COOKIE_SECURE",
        "NAVETTE_ADMIN_SESSION_MINUTES",
    } <= set(environment)
    assert environment["NAVETTE_TRUSTED_PROXIES"] == "1", "nginx stands in front"


def test_several_worker_processes_read_no_page_ahead(compose):
    web = compose["services"]["web"]
    assert "--workers=4" in web["command"]
    assert web["environment"]["NAVETTE_READ_AHEAD"] == "off"


def test_the_web_server_and_the_proxy_are_checked_by_healthz(compose):
    for name in ("web", "proxy"):
        check = " ".join(compose["services"][name]["healthcheck"]["test"])
        assert "/healthz" in check, name


def test_the_usage_and_metrics_settings_reach_the_web_server(compose):
    environment = compose["services"]["web"]["environment"]
    assert environment["NAVETTE_USAGE_DAYS"] == "${NAVETTE_USAGE_DAYS:-90}"
    assert environment["NAVETTE_METRICS_OPEN"] == "${NAVETTE_METRICS_OPEN:-off}"


def test_the_worker_writes_the_resource_dumps_the_web_server_offers(compose):
    services = compose["services"]
    assert services["web"]["environment"]["NAVETTE_DUMP_DIR"] == "/dumps"
    assert "navette-dumps:/dumps" in services["worker"]["volumes"]
    assert "navette-dumps:/dumps:ro" in services["web"]["volumes"]
    build = compose["x-navette-image"]["build"]["dockerfile_inline"]
    assert "chown navette /schemas /dumps" in build


def test_the_database_keeps_more_than_postgresql_s_default_in_memory(compose):
    command = compose["services"]["db"]["command"]
    assert command[:2] == ["postgres", "-c"]
    assert command[2].startswith("shared_buffers=${NAVETTE_DB_SHARED_BUFFERS:-")
