# The domain key moved into the shared block (modules/shared/kms-key). These blocks keep
# existing deployments in place when upgrading: Terraform moves the key and its alias in the
# state instead of destroying and creating them.

moved {
  from = aws_kms_key.this[0]
  to   = module.kms_key[0].aws_kms_key.this
}

moved {
  from = aws_kms_alias.this[0]
  to   = module.kms_key[0].aws_kms_alias.this
}
