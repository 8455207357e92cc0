# The package bucket's key (modules/shared/kms-key: rotation, alias, and a key policy that
# delegates to IAM in this account). Signer and Lambda read and write the packages with the
# caller's permissions (forward access sessions), so that delegation is the whole policy: no
# statements of this module's own.
module "kms_key" {
  source = "../shared/kms-key"

  alias_name              = "alias/${var.name}-code"
  description             = "Encrypts the unsigned and signed Lambda packages of ${var.name}."
  deletion_window_in_days = var.kms_key_deletion_window_in_days
  tags                    = local.tags
}
