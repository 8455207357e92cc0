# Results key, only when create_kms_key (the default): query results and the results bucket. The
# shared block (modules/shared/kms-key) turns rotation on and writes the key policy, which
# delegates to IAM in this account (the Athena role's identity policy grants its use); nothing
# outside the account is admitted, so the module adds no statement of its own.
module "kms_key" {
  source = "../shared/kms-key"
  count  = local.create_kms_key ? 1 : 0

  alias_name              = "alias/${var.name}-athena-results"
  description             = "Encrypts the ${var.name} Athena query results (${local.workgroup_name} workgroup) and their bucket."
  deletion_window_in_days = 30
  tags                    = local.tags
}
