"""The simulated AWS: moto's server over TLS on loopback, in its own process, gaps patched.

The server runs in a child process so that it outlives one command (`mlgov sandbox up`, then
`demo`, then `down`) and so that its patches never leak into the caller. Its address, TLS
certificate and pid are recorded in `<sandbox>/simulator.json`.

    python -m platform_sandbox.simulator --cert C --key K --ready-file F   (run by `start`)
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import signal
import subprocess
import sys
import threading
import time
from collections import OrderedDict
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import boto3
from botocore.config import Config

# Credentials the simulator accepts; moto maps assumed-role credentials to the role's account.
ACCESS_KEY = "sandbox"
SECRET_KEY = "sandbox"
ADMIN_ROLE_NAME = "sandbox-admin"
STATE_FILE = "simulator.json"
_START_TIMEOUT_SECONDS = 60


class SimulatorError(RuntimeError):
    """The simulator could not be started or reached."""


@dataclass(frozen=True)
class Simulator:
    """A running simulator: where it listens and the certificate it presents."""

    endpoint_url: str
    ca_bundle: str
    pid: int

    def environment(self) -> dict[str, str]:
        """Variables that send AWS SDKs and the Terraform provider to the simulator."""
        return {
            "AWS_ENDPOINT_URL": self.endpoint_url,
            "AWS_CA_BUNDLE": self.ca_bundle,
            "AWS_ACCESS_KEY_ID": ACCESS_KEY,
            "AWS_SECRET_ACCESS_KEY": SECRET_KEY,
            "AWS_EC2_METADATA_DISABLED": "true",
        }

    def base_session(self, region: str) -> boto3.Session:
        return boto3.Session(
            aws_access_key_id=ACCESS_KEY, aws_secret_access_key=SECRET_KEY, region_name=region
        )

    def client(self, session: boto3.Session, service: str, region: str | None = None) -> Any:
        return session.client(
            service,
            region_name=region or session.region_name,
            endpoint_url=self.endpoint_url,
            verify=self.ca_bundle,
            config=Config(retries={"max_attempts": 3, "mode": "standard"}),
        )

    def session(
        self, account_id: str, region: str, role_name: str = ADMIN_ROLE_NAME
    ) -> boto3.Session:
        """A session acting in `account_id` (moto's STS returns credentials of that account)."""
        sts = self.client(self.base_session(region), "sts")
        credentials = sts.assume_role(
            RoleArn=f"arn:aws:iam::{account_id}:role/{role_name}",
            RoleSessionName="sandbox",
        )["Credentials"]
        return boto3.Session(
            aws_access_key_id=credentials["AccessKeyId"],
            aws_secret_access_key=credentials["SecretAccessKey"],
            aws_session_token=credentials["SessionToken"],
            region_name=region,
        )

    def is_alive(self) -> bool:
        try:
            os.kill(self.pid, 0)
        except OSError:
            return False
        return True

    def save(self, directory: Path) -> None:
        (directory / STATE_FILE).write_text(json.dumps(asdict(self), indent=2), encoding="utf-8")

    @classmethod
    def load(cls, directory: Path) -> Simulator | None:
        path = directory / STATE_FILE
        if not path.exists():
            return None
        return cls(**json.loads(path.read_text(encoding="utf-8")))


def _write_certificate(directory: Path) -> tuple[Path, Path]:
    """A self-signed certificate for 127.0.0.1/localhost (the SDKs and Terraform verify it)."""
    import ipaddress

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "mlgov sandbox")])
    now = datetime.datetime.now(datetime.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=30))
        .add_extension(
            x509.SubjectAlternativeName(
                [x509.DNSName("localhost"), x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]
            ),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = directory / "simulator-cert.pem", directory / "simulator-key.pem"
    cert_path.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    key_path.chmod(0o600)
    return cert_path, key_path


def start(directory: Path, *, aws_managed_policies: bool = False) -> Simulator:
    """Start the simulator in a child process; returns once it answers.

    `aws_managed_policies`: every account holds AWS's managed policies (ReadOnlyAccess, ...), as
    in AWS, so that roles can attach them. Off by default: moto then loads well over a thousand
    policies into each account it touches, which slows every first call in an account.
    """
    directory.mkdir(parents=True, exist_ok=True)
    cert, key = _write_certificate(directory)
    ready = directory / "simulator.port"
    ready.unlink(missing_ok=True)
    log = (directory / "simulator.log").open("wb")
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "platform_sandbox.simulator",
            "--cert",
            str(cert),
            "--key",
            str(key),
            "--ready-file",
            str(ready),
        ],
        stdout=log,
        stderr=subprocess.STDOUT,
        cwd=Path(__file__).resolve().parent.parent,
        env={
            **os.environ,
            "MOTO_IAM_LOAD_MANAGED_POLICIES": "true" if aws_managed_policies else "false",
        },
        start_new_session=True,
    )
    deadline = time.monotonic() + _START_TIMEOUT_SECONDS
    while not ready.exists():
        if process.poll() is not None:
            raise SimulatorError(
                f"the simulator exited with {process.returncode}; see {directory / 'simulator.log'}"
            )
        if time.monotonic() > deadline:
            process.kill()
            raise SimulatorError(f"the simulator did not start in {_START_TIMEOUT_SECONDS} s")
        time.sleep(0.1)
    port = int(ready.read_text(encoding="utf-8"))
    simulator = Simulator(f"https://127.0.0.1:{port}", str(cert), process.pid)
    simulator.save(directory)
    return simulator


def stop(simulator: Simulator) -> None:
    """Stop the simulator process (its state is in memory only and goes with it)."""
    if not simulator.is_alive():
        return
    os.killpg(simulator.pid, signal.SIGTERM)
    for _ in range(50):
        if not simulator.is_alive():
            return
        time.sleep(0.1)
    os.killpg(simulator.pid, signal.SIGKILL)


# -- the server process -----------------------------------------------------------------------


class RetriedCallReplies:
    """Answers an SDK's retry of a call that already succeeded with that call's reply.

    Under load, a connection to the simulator can break after the server has handled a request
    but before the client has read the reply; the AWS SDK then retries the same call (same
    `amz-sdk-invocation-id`, `amz-sdk-request: attempt=N`), and a create runs twice and fails
    with "already exists" (a delete with "not found"). AWS does not lose replies that way, so the
    server keeps the reply of every successful mutating call and hands it to a retry of that call
    (waiting for the first attempt if it is still running). Calls without an invocation id, reads
    and failed calls are never replayed: a retry after an error reply runs again, as in AWS.
    """

    MUTATING = frozenset({"POST", "PUT", "DELETE", "PATCH"})
    LIMIT = 20000  # replies kept (oldest dropped first)
    MAX_BODY = 1 << 20  # larger replies (object downloads) are not kept

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._done: OrderedDict[str, tuple[str, list[tuple[str, str]], bytes]] = OrderedDict()
        self._running: dict[str, threading.Event] = {}
        self.replayed = 0

    def answer(self, environ: dict[str, Any], start_response: Any, app: Any) -> Any:
        invocation = environ.get("HTTP_AMZ_SDK_INVOCATION_ID")
        if not invocation or environ.get("REQUEST_METHOD") not in self.MUTATING:
            return app(environ, start_response)
        with self._lock:
            kept = self._done.get(invocation)
            running = self._running.get(invocation)
            if kept is None and running is None:
                running = self._running[invocation] = threading.Event()
                first = True
            else:
                first = False
        if not first:
            if kept is None and running is not None:
                running.wait(timeout=300)
                with self._lock:
                    kept = self._done.get(invocation)
            if kept is not None:
                self.replayed += 1
                print(
                    f"replayed the reply of retried call {invocation}", file=sys.stderr, flush=True
                )
                status, headers, body = kept
                start_response(status, headers)
                return [body]
            return app(environ, start_response)  # the first attempt failed: run it again
        try:
            captured: dict[str, Any] = {}

            def capture(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
                captured["status"], captured["headers"] = status, headers
                return start_response(status, headers, exc_info)

            result = app(environ, capture)
            try:
                body = b"".join(result)
            finally:
                close = getattr(result, "close", None)
                if close is not None:
                    close()
            status = captured.get("status", "")
            if status.startswith("2") and len(body) <= self.MAX_BODY:
                with self._lock:
                    self._done[invocation] = (status, captured["headers"], body)
                    while len(self._done) > self.LIMIT:
                        self._done.popitem(last=False)
            return [body]
        finally:
            with self._lock:
                event = self._running.pop(invocation, None)
            if event is not None:
                event.set()


def _serve(cert: str, key: str, ready_file: Path) -> None:
    from moto.moto_server.werkzeug_app import DomainDispatcherApplication, create_backend_app
    from werkzeug.serving import make_server
    from werkzeug.wrappers import Response

    from platform_sandbox import gaps

    port_holder: dict[str, int] = {}
    gaps.patch_simulator(lambda: f"https://127.0.0.1:{port_holder['port']}")
    moto_app = DomainDispatcherApplication(create_backend_app)
    layer_prefix = "/_sandbox/ecr-layer/"

    replies = RetriedCallReplies()

    def simulated_aws(environ: dict[str, Any], start_response: Any) -> Any:
        path = environ.get("PATH_INFO", "")
        if path.startswith(layer_prefix):
            blob = gaps.LAYER_BLOBS.get(path[len(layer_prefix) :])
            response = (
                Response(blob, mimetype="application/octet-stream")
                if blob is not None
                else Response("no such layer", status=404)
            )
            return response(environ, start_response)
        return moto_app(environ, start_response)

    def application(environ: dict[str, Any], start_response: Any) -> Any:
        return replies.answer(environ, start_response, simulated_aws)

    server = make_server("127.0.0.1", 0, application, threaded=True, ssl_context=(cert, key))
    port_holder["port"] = server.server_port
    ready_file.write_text(str(server.server_port), encoding="utf-8")
    server.serve_forever()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Run the sandbox's simulated AWS.")
    parser.add_argument("--cert", required=True)
    parser.add_argument("--key", required=True)
    parser.add_argument("--ready-file", required=True, type=Path)
    args = parser.parse_args(argv)
    _serve(args.cert, args.key, args.ready_file)
    return 0


if __name__ == "__main__":
    sys.exit(main())
