"""Publish new versions of the portfolio's products from a checked-out portfolio repository.

Run by the publishing pipeline's publish build (the module uploads this file; the build runs
the uploaded copy, not one from the repository), after the lint build passed:

    python publish_portfolio.py <repository root>

`PORTFOLIO_MANIFEST` (JSON, rendered by Terraform) names the bucket, its key, the Studio
templates prefix, each product's id, type and source path in the repository, and the seed code
directories. `VERSION_NAME` names the versions published by this run.

For each product the source's bytes are hashed (a directory, i.e. a Terraform product, is
packed into a deterministic tar.gz first). A product that already has a version with that
content (its description carries `sha256:<digest>`) is left alone, so a re-run publishes nothing.
Otherwise the artifact is uploaded under products/<key>/<version>/<digest>/ and added as a new
provisioning artifact: the product is never replaced, and earlier versions are marked
DEPRECATED (still usable by what was provisioned from them, hidden from new launches). Studio
templates and seed code bundles are written under their prefixes.

Stdlib and boto3 only (both are in the CodeBuild image).
"""

from __future__ import annotations

import gzip
import hashlib
import io
import json
import os
import sys
import tarfile
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import boto3

CLOUD_FORMATION = "CLOUD_FORMATION_TEMPLATE"
PRODUCT_TYPES = (CLOUD_FORMATION, "EXTERNAL", "TERRAFORM_CLOUD")
_FIXED_MTIME = 315532800
_SKIPPED_PARTS = {".git", ".terraform", "__pycache__", ".pytest_cache"}


class ManifestError(ValueError):
    """The manifest or the repository does not hold what the manifest names."""


@dataclass(frozen=True)
class Product:
    key: str
    product_id: str
    type: str
    source: str
    studio_template: bool


@dataclass(frozen=True)
class Manifest:
    bucket: str
    kms_key_arn: str
    templates_prefix: str
    products: tuple[Product, ...]
    seed_code: dict[str, str]


def load_manifest(text: str) -> Manifest:
    """Parse the manifest; every problem is reported at once."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise ManifestError(f"PORTFOLIO_MANIFEST is not JSON: {error}") from None
    problems: list[str] = []
    for key in ("bucket", "kms_key_arn", "templates_prefix", "products"):
        if key not in data:
            problems.append(f"missing {key!r}")
    products = []
    for key, body in sorted(dict(data.get("products", {})).items()):
        missing = [f for f in ("product_id", "type", "source") if f not in body]
        if missing:
            problems.append(f"products.{key}: missing {', '.join(missing)}")
            continue
        if body["type"] not in PRODUCT_TYPES:
            problems.append(f"products.{key}.type: got {body['type']!r}; expected {PRODUCT_TYPES}")
        products.append(
            Product(
                key,
                body["product_id"],
                body["type"],
                body["source"],
                bool(body.get("studio_template", False)),
            )
        )
    if problems:
        raise ManifestError("PORTFOLIO_MANIFEST: " + "; ".join(problems))
    return Manifest(
        bucket=data["bucket"],
        kms_key_arn=data["kms_key_arn"],
        templates_prefix=data["templates_prefix"],
        products=tuple(products),
        seed_code=dict(data.get("seed_code", {})),
    )


def _files(directory: Path) -> list[Path]:
    return sorted(
        p
        for p in directory.rglob("*")
        if p.is_file() and not _SKIPPED_PARTS.intersection(p.relative_to(directory).parts)
    )


def pack_directory(directory: Path) -> bytes:
    """A deterministic tar.gz of `directory` with its files at the archive's root."""
    raw = io.BytesIO()
    with tarfile.open(fileobj=raw, mode="w", format=tarfile.PAX_FORMAT) as archive:
        for path in _files(directory):
            data = path.read_bytes()
            info = tarfile.TarInfo(path.relative_to(directory).as_posix())
            info.size, info.mtime, info.mode = len(data), _FIXED_MTIME, 0o644
            archive.addfile(info, io.BytesIO(data))
    out = io.BytesIO()
    with gzip.GzipFile(fileobj=out, mode="wb", mtime=0, filename="") as stream:
        stream.write(raw.getvalue())
    return out.getvalue()


def zip_directory(directory: Path) -> bytes:
    """A deterministic zip of `directory` with its files at the archive's root."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for path in _files(directory):
            info = zipfile.ZipInfo(path.relative_to(directory).as_posix(), (1980, 1, 1, 0, 0, 0))
            info.external_attr = 0o100644 << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, path.read_bytes())
    return out.getvalue()


def artifact_of(product: Product, root: Path) -> tuple[str, bytes]:
    """(file name, bytes) of a product's artifact built from the repository."""
    source = root / product.source
    if product.type == CLOUD_FORMATION:
        if not source.is_file():
            raise ManifestError(f"products.{product.key}.source: {product.source} is not a file")
        return source.name, source.read_bytes()
    if not source.is_dir() or not any(source.glob("*.tf")):
        raise ManifestError(
            f"products.{product.key}.source: {product.source} is not a directory of .tf files"
        )
    return f"{product.key}.tar.gz", pack_directory(source)


class Publisher:
    def __init__(self, manifest: Manifest, version: str, *, session: Any = None) -> None:
        session = session or boto3.session.Session()
        self.manifest = manifest
        self.version = version
        self.s3 = session.client("s3")
        self.catalog = session.client("servicecatalog")
        region = session.region_name
        self.base_url = f"https://{manifest.bucket}.s3.{region}.amazonaws.com"

    def _put(self, key: str, body: bytes, *, tags: str | None = None) -> None:
        extra: dict[str, Any] = {"Tagging": tags} if tags else {}
        self.s3.put_object(
            Bucket=self.manifest.bucket,
            Key=key,
            Body=body,
            ServerSideEncryption="aws:kms",
            SSEKMSKeyId=self.manifest.kms_key_arn,
            **extra,
        )

    def publish_product(self, product: Product, root: Path) -> str:
        name, body = artifact_of(product, root)
        digest = hashlib.sha256(body).hexdigest()
        artifacts = self.catalog.list_provisioning_artifacts(ProductId=product.product_id)[
            "ProvisioningArtifactDetails"
        ]
        if any(f"sha256:{digest}" in (a.get("Description") or "") for a in artifacts):
            return "unchanged"
        if any(a.get("Name") == self.version for a in artifacts):
            raise ManifestError(
                f"products.{product.key}: version {self.version!r} exists with other content; "
                "publish changed content under a new version name"
            )
        key = f"products/{product.key}/{self.version}/{digest[:16]}/{name}"
        self._put(key, body)
        created = self.catalog.create_provisioning_artifact(
            ProductId=product.product_id,
            Parameters={
                "Name": self.version,
                "Description": f"Published by the portfolio pipeline (sha256:{digest}).",
                "Info": {"LoadTemplateFromURL": f"{self.base_url}/{key}"},
                "Type": product.type,
                "DisableTemplateValidation": product.type != CLOUD_FORMATION,
            },
            IdempotencyToken=f"{product.key}-{digest[:32]}"[:128],
        )
        new_id = created["ProvisioningArtifactDetail"]["Id"]
        for artifact in artifacts:
            if artifact["Id"] != new_id and artifact.get("Guidance", "DEFAULT") == "DEFAULT":
                self.catalog.update_provisioning_artifact(
                    ProductId=product.product_id,
                    ProvisioningArtifactId=artifact["Id"],
                    Guidance="DEPRECATED",
                )
        if product.studio_template:
            self._put(
                f"{self.manifest.templates_prefix}{product.key}.yaml",
                body,
                tags="sagemaker:studio-visibility=true",
            )
        return f"published {self.version}"

    def publish(self, root: Path) -> dict[str, str]:
        results = {p.key: self.publish_product(p, root) for p in self.manifest.products}
        for key, directory in sorted(self.manifest.seed_code.items()):
            source = root / directory
            if not source.is_dir():
                raise ManifestError(f"seed_code.{key}: {directory} is not a directory")
            self._put(f"seed-code/{key}.zip", zip_directory(source))
            results[f"seed-code/{key}"] = "published"
        return results


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print("usage: publish_portfolio.py <repository root>", file=sys.stderr)
        return 2
    try:
        manifest = load_manifest(os.environ.get("PORTFOLIO_MANIFEST", ""))
        version = os.environ.get("VERSION_NAME", "")
        if not version:
            raise ManifestError("VERSION_NAME is empty")
        results = Publisher(manifest, version).publish(Path(argv[1]))
    except ManifestError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    print(json.dumps(results, indent=2, sort_keys=True))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
