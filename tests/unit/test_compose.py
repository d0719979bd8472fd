"""docker-compose.yml, the Dockerfile and .env.example agree with each other and with the settings.

No Docker engine runs here, so the files are parsed and checked against what the code reads.
"""

import ast
import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
APP_SERVICES = ("web", "worker", "beat")
# Read by Django/gunicorn themselves, not through the settings' env() calls.
PROCESS_VARIABLES = {"DJANGO_SETTINGS_MODULE", "WEB_CONCURRENCY"}


def settings_variables():
    """Names of every variable read with env(...), env.bool(...), env.db(...)... in the settings."""
    names = set()
    for path in (ROOT / "shop" / "settings").glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not (isinstance(node, ast.Call) and node.args):
                continue
            func = node.func
            called_on_env = (isinstance(func, ast.Name) and func.id == "env") or (
                isinstance(func, ast.Attribute)
                and isinstance(func.value, ast.Name)
                and func.value.id == "env"
            )
            first = node.args[0]
            if called_on_env and isinstance(first, ast.Constant) and isinstance(first.value, str):
                names.add(first.value)
    return names


@pytest.fixture(scope="module")
def services():
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text(encoding="utf-8"))["services"]


def command(service):
    cmd = service.get("command", "")
    return " ".join(cmd) if isinstance(cmd, list) else cmd


def environment(service):
    env = service.get("environment", {})
    if isinstance(env, list):
        env = dict(item.split("=", 1) for item in env)
    return {key: str(value) for key, value in env.items()}


def service_with_image(services, prefix):
    matches = [name for name, svc in services.items() if svc.get("image", "").startswith(prefix)]
    assert len(matches) == 1, f"expected one service running {prefix}, found {matches}"
    return matches[0]


def test_settings_parser_finds_the_variables():
    found = settings_variables()
    assert {"SECRET_KEY", "DATABASE_URL", "REDIS_URL", "EMAIL_URL", "SECURE_COOKIES"} <= found
    assert "BASE_DIR" not in found


def test_required_services_exist(services):
    assert set(APP_SERVICES) | {"postgres", "redis"} <= services.keys()
    assert services["postgres"]["image"].startswith("postgres:")
    assert services["redis"]["image"].startswith("redis:")
    service_with_image(services, "minio/minio")
    service_with_image(services, "axllent/mailpit")


def test_processes(services):
    web = command(services["web"])
    assert "migrate --noinput" in web
    assert web.index("migrate") < web.index("gunicorn")
    assert "gunicorn shop.wsgi:application" in web
    assert services["web"]["ports"] == ["8000:8000"]
    assert "celery -A shop worker" in command(services["worker"])
    assert "celery -A shop beat" in command(services["beat"])


def test_app_services_share_one_image(services):
    builds = [services[name]["build"] for name in APP_SERVICES]
    assert builds[0] == {"context": ".", "dockerfile": "Dockerfile"}
    assert builds.count(builds[0]) == len(builds)
    assert len({services[name].get("image") for name in APP_SERVICES}) == 1


@pytest.mark.parametrize("name", APP_SERVICES)
def test_app_services_reach_the_backing_services(services, name):
    env = environment(services[name])
    pg = environment(services["postgres"])
    database = urlsplit(env["DATABASE_URL"])
    assert database.scheme in {"postgres", "postgresql"}
    assert database.hostname == "postgres"
    assert (database.username, database.password, database.path) == (
        pg["POSTGRES_USER"],
        pg["POSTGRES_PASSWORD"],
        "/" + pg["POSTGRES_DB"],
    )
    assert urlsplit(env["REDIS_URL"]).hostname == "redis"

    s3 = service_with_image(services, "minio/minio")
    assert urlsplit(env["AWS_S3_ENDPOINT_URL"]).hostname == s3
    assert env["AWS_STORAGE_BUCKET_NAME"]
    assert env["AWS_ACCESS_KEY_ID"] == environment(services[s3])["MINIO_ROOT_USER"]
    assert env["AWS_SECRET_ACCESS_KEY"] == environment(services[s3])["MINIO_ROOT_PASSWORD"]

    mail = urlsplit(env["EMAIL_URL"])
    assert (mail.scheme, mail.hostname) == ("smtp", service_with_image(services, "axllent/mailpit"))

    assert env["DJANGO_SETTINGS_MODULE"] == "shop.settings.production"
    for backing in ("postgres", "redis"):
        assert services[name]["depends_on"][backing]["condition"] == "service_healthy"


def test_bucket_is_created_with_public_download(services):
    job = [svc for svc in services.values() if svc.get("image", "").startswith("minio/mc")]
    assert len(job) == 1
    script = command(job[0]) + " " + " ".join(job[0].get("entrypoint", []))
    bucket = re.escape(environment(services["web"])["AWS_STORAGE_BUCKET_NAME"])
    assert re.search(rf"mc mb (--\S+ )*\S+/{bucket}\b", script)
    assert re.search(rf"mc anonymous set download \S+/{bucket}\b", script)


@pytest.mark.parametrize("name", APP_SERVICES)
def test_app_environment_only_names_variables_the_settings_read(services, name):
    unknown = environment(services[name]).keys() - settings_variables() - PROCESS_VARIABLES
    assert not unknown, f"{name} sets variables no settings module reads: {sorted(unknown)}"


def test_env_example_documents_every_variable_and_sets_none():
    lines = (ROOT / ".env.example").read_text(encoding="utf-8").splitlines()
    documented = {m[1] for line in lines if (m := re.match(r"#\s*([A-Z][A-Z0-9_]*)=", line))}
    assert documented == settings_variables()
    assert all(not line.strip() or line.lstrip().startswith("#") for line in lines)


def test_dockerfile_builds_from_the_runtime_lock():
    dockerfile = (ROOT / "Dockerfile").read_text(encoding="utf-8")
    assert re.search(r"pip install .*--require-hashes -r requirements\.lock", dockerfile)
    assert "requirements-dev.lock" not in dockerfile
    assert "collectstatic --noinput" in dockerfile
    assert re.search(r"^USER (?!root\b)\w+", dockerfile, re.MULTILINE)
    assert re.search(r"^EXPOSE 8000$", dockerfile, re.MULTILINE)
    assert "gunicorn shop.wsgi:application" in dockerfile
