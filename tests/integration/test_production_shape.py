"""The production shape, run natively: the processes docker-compose.yml starts (gunicorn with the
production settings, a Celery worker) against PostgreSQL and Redis, media on an S3-compatible
server (moto in server mode) and mail to an SMTP catcher; a guest then buys over HTTP."""

import contextlib
import json
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path
from urllib.parse import urlsplit

import boto3
import httpx
import psycopg
import pytest
import redis
from aiosmtpd.controller import Controller

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
DATABASE_URL = os.environ.get("DATABASE_URL", "")
REDIS_URL = os.environ.get("SMOKE_REDIS_URL", "redis://127.0.0.1:6379/15")

pytestmark = [
    pytest.mark.services,
    pytest.mark.skipif(
        not DATABASE_URL.startswith("postgres"),
        reason="needs PostgreSQL: set DATABASE_URL=postgres://... (CI does)",
    ),
]


PUBLIC_READ = {
    "Version": "2012-10-17",
    "Statement": [
        {
            "Effect": "Allow",
            "Principal": "*",
            "Action": "s3:GetObject",
            "Resource": "arn:aws:s3:::ocop-media/*",
        }
    ],
}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Inbox:
    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's API)
        self.messages.append(envelope.content.decode("utf-8", "replace"))
        return "250 OK"


@pytest.fixture(scope="module")
def services(tmp_path_factory):
    try:
        redis.Redis.from_url(REDIS_URL).flushdb()
    except redis.RedisError as error:
        pytest.fail(f"Redis is not reachable at {REDIS_URL}: {error}")

    from moto.server import ThreadedMotoServer

    s3_port = free_port()
    s3 = ThreadedMotoServer(ip_address="127.0.0.1", port=s3_port)
    s3.start()
    endpoint = f"http://127.0.0.1:{s3_port}"
    s3_client = boto3.client(
        "s3",
        endpoint_url=endpoint,
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
        region_name="us-east-1",
    )
    s3_client.create_bucket(Bucket="ocop-media")
    # Photos are public, as the compose file's `createbucket` makes them on MinIO.
    s3_client.put_bucket_policy(Bucket="ocop-media", Policy=json.dumps(PUBLIC_READ))

    inbox = Inbox()
    smtp = Controller(inbox, hostname="127.0.0.1", port=free_port())
    smtp.start()

    database = f"ocop_smoke_{uuid.uuid4().hex[:8]}"
    admin_url = DATABASE_URL.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{database}"')

    web_port = free_port()
    env = {
        **{k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"},
        "DJANGO_SETTINGS_MODULE": "shop.settings.production",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SITE_URL": f"http://127.0.0.1:{web_port}",
        "DATABASE_URL": DATABASE_URL.rsplit("/", 1)[0] + f"/{database}",
        "REDIS_URL": REDIS_URL,
        "EMAIL_URL": f"smtp://127.0.0.1:{smtp.port}",
        "AWS_STORAGE_BUCKET_NAME": "ocop-media",
        "AWS_S3_ENDPOINT_URL": endpoint,
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_S3_REGION_NAME": "us-east-1",
        "STATIC_ROOT": str(tmp_path_factory.mktemp("static")),
        "SECURE_SSL_REDIRECT": "false",
        "SECURE_COOKIES": "false",
        "VIETQR_ACCOUNT_NUMBER": "0011004455667",
    }
    manage = [sys.executable, "manage.py"]
    for command in (["migrate", "--noinput"], ["collectstatic", "--noinput"], ["load_demo_data"]):
        subprocess.run(manage + command, cwd=ROOT, env=env, check=True, capture_output=True)

    logs = tmp_path_factory.mktemp("logs")
    commands = {
        # The same commands as docker-compose.yml's web and worker services.
        "web": [BIN / "gunicorn", "shop.wsgi:application", "--bind", f"127.0.0.1:{web_port}"]
        + ["--workers", "2"],
        "worker": [BIN / "celery", "-A", "shop", "worker", "-l", "info", "--concurrency", "1"],
    }
    log_files = contextlib.ExitStack()
    processes = [
        subprocess.Popen(
            [str(part) for part in command],
            cwd=ROOT,
            env=env,
            stdout=log_files.enter_context((logs / f"{name}.log").open("w")),
            stderr=subprocess.STDOUT,
        )
        for name, command in commands.items()
    ]
    base = f"http://127.0.0.1:{web_port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            if httpx.get(base + "/", timeout=5).status_code == 200:
                break
        except httpx.TransportError:
            pass
        if time.monotonic() > deadline:
            pytest.fail("gunicorn did not answer:\n" + (logs / "web.log").read_text())
        time.sleep(0.5)

    yield {"base": base, "s3": endpoint, "inbox": inbox, "logs": logs}

    for process in processes:
        process.send_signal(signal.SIGTERM)
    for process in processes:
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
    log_files.close()
    smtp.stop()
    s3.stop()
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')


def csrf_from(response) -> str:
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', response.text).group(1)


def test_guest_buys_through_gunicorn_with_worker_s3_and_smtp(services):
    base = services["base"]
    with httpx.Client(base_url=base, timeout=20, follow_redirects=False) as browser:
        home = browser.get("/")
        assert home.status_code == 200 and "Sản phẩm OCOP" in home.text

        stylesheet = re.search(r'href="(/static/css/shop\.[0-9a-f]+\.css)"', home.text).group(1)
        assert browser.get(stylesheet).status_code == 200  # WhiteNoise, hashed name

        picture = re.search(r'<img src="([^"]+\.webp)"', home.text).group(1)
        assert urlsplit(picture).netloc == urlsplit(services["s3"]).netloc
        image = httpx.get(picture, timeout=10)
        assert image.status_code == 200 and image.content[:4] == b"RIFF"

        search = browser.get("/shop/search/", params={"q": "Miến dong"})
        product_url = re.search(
            r'href="(/shop/catalogue/mien-dong-nam-cuong-goi-500-g_\d+/)"', search.text
        ).group(1)
        product = browser.get(product_url)
        add_url = re.search(r'action="(/shop/basket/add/\d+/)"', product.text).group(1)
        added = browser.post(
            add_url,
            data={"csrfmiddlewaretoken": csrf_from(product), "quantity": "2"},
            headers={"Referer": base + product_url},
        )
        assert added.status_code == 302

        def post(path, data):
            form = browser.get(path)
            return browser.post(
                path,
                data={"csrfmiddlewaretoken": csrf_from(form), **data},
                headers={"Referer": base + path},
            )

        assert (
            post(
                "/shop/checkout/", {"username": "khach@example.com", "options": "anonymous"}
            ).status_code
            == 302
        )
        address = {
            "first_name": "Nguyễn Văn An",
            "phone_number": "0912345678",
            "province": "19",
            "commune": "01933",
            "line1": "Thôn Nà Pài",
        }
        assert post("/shop/checkout/shipping-address/", address).status_code == 302
        # The sandbox courier offers two services: the shopper picks one for the whole order.
        delivery = {"method_code": "sandbox.standard"}
        assert post("/shop/checkout/shipping-method/", delivery).status_code == 302
        assert post("/shop/checkout/payment-method/", {"payment_method": "cod"}).status_code == 302
        consent = {"action": "place_order", "privacy_consent": "on"}
        placed = post("/shop/checkout/preview/", consent)
        assert placed.status_code == 302, placed.text[:2000]
        thanks = browser.get(placed.headers["location"])
        number = re.search(r"data-order-number>(\d+)<", thanks.text).group(1)
        # 2 × 65.000 + the sandbox courier's quote for 1.04 kg within Thái Nguyên (27.000).
        assert "157.000\xa0₫" in thanks.text

    # The confirmation goes through Redis to the Celery worker, which sends it by SMTP.
    deadline = time.monotonic() + 30
    while not services["inbox"].messages and time.monotonic() < deadline:
        time.sleep(0.5)
    assert services["inbox"].messages, (services["logs"] / "worker.log").read_text()[-3000:]
    mail = services["inbox"].messages[0]
    assert "khach@example.com" in mail and number in mail
