output "policy_ids" {
  description = "Ids of the service control policies, by key (separation-of-duties, platform-integrity)."
  value       = { for k, p in aws_organizations_policy.this : k => p.id }
}

output "policy_documents" {
  description = "The rendered SCP documents, by key: what the bypass tests and reviewers read."
  value       = { for k, p in local.policies : k => p.content }
}

output "attachments" {
  description = "Targets each policy is attached to, by policy key."
  value       = { for k in keys(local.policies) : k => var.attach_to }
}

output "service_catalog_delegated_admin_account_id" {
  description = "The account registered as Service Catalog delegated administrator (null when not managed here)."
  value       = one(aws_organizations_delegated_administrator.service_catalog[*].account_id)
}
