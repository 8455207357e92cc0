"""Lake Formation on a data lake consumer account (`modules/data-lake-consumer`) in the simulator.

moto 5.2 keeps Lake Formation grants but answers a RevokePermissions that revokes nothing with
success, where Lake Formation refuses it. The Terraform provider revokes a grant until Lake
Formation says the grantee has nothing left to revoke, so against moto every destroy of an
`aws_lakeformation_permissions` resource retries until it fails. The patch here (server process
only, registered by `gaps.patch_simulator`; the gap is listed in `gaps.GAPS`) answers as Lake
Formation does.
"""

from __future__ import annotations

from typing import Any

# What Lake Formation answers (InvalidInputException) when a revoke finds nothing to revoke.
NOTHING_REVOKED = (
    "No permissions revoked. Grantee has no permissions and no grantable permissions on resource"
)


def held_permissions(
    backend: Any, catalog_id: str, principal: dict[str, str], resource: dict[str, Any]
) -> tuple[set[str], set[str]]:
    """Permissions and grantable permissions `principal` holds on exactly `resource`."""
    catalog = backend.grants.get(catalog_id)
    if catalog is None:
        return set(), set()
    for permission in catalog.permissions:
        if permission.principal == principal and permission.resource == resource:
            return set(permission.permissions), set(permission.permissions_with_grant_options)
    return set(), set()


def _patch_revoke_nothing_held() -> None:
    """RevokePermissions of permissions the grantee does not hold is an InvalidInputException."""
    from moto.lakeformation import models
    from moto.lakeformation.exceptions import InvalidInput

    backend_class = models.LakeFormationBackend
    if getattr(backend_class.revoke_permissions, "sandbox_patched", False):
        return  # registered once, whichever gaps module asked first
    original = backend_class.revoke_permissions

    def revoke_permissions(
        self: Any,
        catalog_id: str,
        principal: dict[str, str],
        resource: dict[str, Any],
        permissions_to_revoke: list[str],
        permissions_with_grant_options_to_revoke: list[str],
    ) -> None:
        held, grantable = held_permissions(self, catalog_id, principal, resource)
        revoked = set(permissions_to_revoke or []) & held
        revoked_grantable = set(permissions_with_grant_options_to_revoke or []) & grantable
        if not revoked and not revoked_grantable:
            raise InvalidInput(NOTHING_REVOKED)
        original(
            self,
            catalog_id,
            principal,
            resource,
            permissions_to_revoke,
            permissions_with_grant_options_to_revoke,
        )

    revoke_permissions.sandbox_patched = True  # type: ignore[attr-defined]
    backend_class.revoke_permissions = revoke_permissions  # type: ignore[method-assign]
