output "policy_ids" {
  description = "Ids of the service control policies."
  value       = module.org_guardrails.policy_ids
}

output "policy_documents" {
  description = "The rendered SCPs."
  value       = module.org_guardrails.policy_documents
}
