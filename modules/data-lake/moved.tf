# The lake key moved into the shared block (modules/shared/kms-key). These blocks keep existing
# deployments in place when upgrading: Terraform moves the key and its alias in the state
# instead of destroying and creating them. The buckets keep their addresses (same module calls,
# same resource names inside modules/shared/s3-bucket as in the former internal submodule).

moved {
  from = aws_kms_key.this
  to   = module.kms_key.aws_kms_key.this
}

moved {
  from = aws_kms_alias.this
  to   = module.kms_key.aws_kms_alias.this
}
