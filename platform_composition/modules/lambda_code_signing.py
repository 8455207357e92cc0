"""Typed interface of `modules/lambda-code-signing`.

Generated from the module's variables.tf and outputs.tf by
`scripts/generate_module_interfaces.py`; edit the HCL, then regenerate.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TypedDict

from cdktn import TerraformProvider
from constructs import Construct

from platform_composition.hcl_module import HclModule


class LambdaCodeSigningPackagesValue(TypedDict):
    filename: str
    source_code_hash: str


class LambdaCodeSigning(HclModule):
    """Python interface of modules/lambda-code-signing (see its README.md).

    Arguments (HCL variable descriptions):
        name: Name of this signing setup: the signing profile's name prefix (hyphens become
        underscores, as Signer allows only letters, digits and underscores), the code signing
        config's description and the default bucket name.
        packages: Lambda deployment packages to sign, by name (the key names the package's S3
        prefixes): the local zip and its base64 SHA-256 (filebase64sha256). Changing a package
        uploads a new version and starts a new signing job.
        bucket_name: Name of the versioned bucket that holds the unsigned and signed packages;
        null derives <name>-code-<account>-<region>.
        signature_validity_months: How long a signature stays valid. Lambda checks it when code
        is deployed, so an old signed package cannot be redeployed once it expires; applying a
        changed package signs it again.
        untrusted_artifact_on_deployment: What Lambda does with code that is unsigned, signed by
        another profile, changed after signing or expired: Enforce blocks the deployment, Warn
        only logs it.
        additional_signing_profile_version_arns: Other Signer profile versions whose signatures
        the code signing config also accepts (for example a release pipeline's profile), besides
        this module's own profile.
        noncurrent_version_expiration_days: Days after which replaced package versions are
        deleted from the bucket.
        access_log_bucket_name: Bucket that receives S3 server access logs of the package
        bucket; null leaves access logging off (CloudTrail data events still record object
        access where enabled).
        kms_key_deletion_window_in_days: Waiting period before the package bucket's KMS key is
        deleted.
        tags: Tags for every resource that takes them.
    """

    module_name = "lambda-code-signing"

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        name: str,
        packages: Mapping[str, LambdaCodeSigningPackagesValue],
        bucket_name: str | None = None,
        signature_validity_months: int | float | None = None,
        untrusted_artifact_on_deployment: str | None = None,
        additional_signing_profile_version_arns: Sequence[str] | None = None,
        noncurrent_version_expiration_days: int | float | None = None,
        access_log_bucket_name: str | None = None,
        kms_key_deletion_window_in_days: int | float | None = None,
        tags: Mapping[str, str] | None = None,
        providers: Sequence[TerraformProvider] | None = None,
    ) -> None:
        super().__init__(
            scope,
            construct_id,
            providers=providers,
            arguments={
                "name": name,
                "packages": packages,
                "bucket_name": bucket_name,
                "signature_validity_months": signature_validity_months,
                "untrusted_artifact_on_deployment": untrusted_artifact_on_deployment,
                "additional_signing_profile_version_arns": additional_signing_profile_version_arns,
                "noncurrent_version_expiration_days": noncurrent_version_expiration_days,
                "access_log_bucket_name": access_log_bucket_name,
                "kms_key_deletion_window_in_days": kms_key_deletion_window_in_days,
                "tags": tags,
            },
        )

    @property
    def code_signing_config_arn(self) -> str:
        """
        Code signing config to set on every function whose package this module signs
        (code_signing_config_arn of aws_lambda_function).
        """
        return self.output("code_signing_config_arn")

    @property
    def signing_profile_name(self) -> str:
        """Name of the Signer profile that signs the packages."""
        return self.output("signing_profile_name")

    @property
    def signing_profile_version_arn(self) -> str:
        """
        Profile version the code signing config accepts; signatures by any other version are
        refused.
        """
        return self.output("signing_profile_version_arn")

    @property
    def bucket_name(self) -> str:
        """
        Bucket holding the unsigned (unsigned/<package>.zip) and signed (signed/<package>/<job
        id>.zip) packages.
        """
        return self.output("bucket_name")

    @property
    def kms_key_arn(self) -> str:
        """
        KMS key encrypting the package bucket; principals that deploy the functions need
        kms:Decrypt on it.
        """
        return self.output("kms_key_arn")

    @property
    def signed_packages(self) -> str:
        """
        Signed copy of each package, by package name: s3_bucket and s3_key for
        aws_lambda_function, and the signing job's id.
        """
        return self.output("signed_packages")
