# The organization's management account: the ML service control policies (what no principal of
# the ML accounts may do, whatever its IAM policies say) and the hub as Service Catalog delegated
# administrator. Apply it with a management-account role; see the README's "Guardrails".
role       = "organization"
account_id = "999999999999"

guardrails {
  # Default: the workloads OU (every dev account) and the hub, data governance, test and prod
  # accounts themselves.
  # attach_to = ["ou-ab12-11111111", "111111111111"]

  # The only role exempt from every guardrail, assumable from the management account with MFA.
  break_glass_role_name = "mlgov-break-glass"
}
