"""Lake Formation on a data lake consumer account (`modules/data-lake-consumer`) in the simulator.

moto 5.2 keeps Lake Formation grants but answers a RevokePermissions that revokes nothing with
success, where Lake Formation refuses it. The Terraform provider revokes a grant until Lake
Formation says the grantee has nothing left to revoke, so against moto every destroy of an
`aws_lakeformation_permissions` resource retries until it fails. The patch here (server process
only, registered by `gaps.patch_simulator`; the gap is listed in `gaps.GAPS`) answers as Lake
Formation does.
"""

from __future__ import annotations

import json
from typing import Any

# What Lake Formation answers (InvalidInputException) when a revoke finds nothing to revoke.
NOTHING_REVOKED = (
    "No permissions revoked. Grantee has no permissions and no grantable permissions on resource"
)


def grants_snapshot(backend: Any, catalog_id: str) -> set[tuple[str, str, str, str]]:
    """Every grant of a catalog as text: principal, resource, permissions, grantable ones."""
    catalog = backend.grants.get(catalog_id)
    if catalog is None:
        return set()
    return {
        (
            json.dumps(permission.principal, sort_keys=True),
            json.dumps(permission.resource, sort_keys=True),
            json.dumps(sorted(permission.permissions)),
            json.dumps(sorted(permission.permissions_with_grant_options)),
        )
        for permission in catalog.permissions
    }


def _patch_revoke_nothing_held() -> None:
    """RevokePermissions that changes no grant is an InvalidInputException.

    Whether anything was revoked is judged by the grants before and after moto's revoke, so the
    check holds whatever else wraps the revoke (e.g. the canonical LF-tag resources of
    `gaps_lake_formation`) and in whichever order the wrappers were registered.
    """
    from moto.lakeformation import models
    from moto.lakeformation.exceptions import InvalidInput

    backend_class = models.LakeFormationBackend
    if getattr(backend_class.revoke_permissions, "sandbox_nothing_held", False):
        return  # registered once
    original = backend_class.revoke_permissions

    def revoke_permissions(
        self: Any,
        catalog_id: str,
        principal: dict[str, str],
        resource: dict[str, Any],
        permissions_to_revoke: list[str],
        permissions_with_grant_options_to_revoke: list[str],
    ) -> None:
        before = grants_snapshot(self, catalog_id)
        original(
            self,
            catalog_id,
            principal,
            resource,
            permissions_to_revoke,
            permissions_with_grant_options_to_revoke,
        )
        if grants_snapshot(self, catalog_id) == before:
            raise InvalidInput(NOTHING_REVOKED)

    revoke_permissions.sandbox_nothing_held = True  # type: ignore[attr-defined]
    backend_class.revoke_permissions = revoke_permissions  # type: ignore[method-assign]
