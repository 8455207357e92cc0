output "domain_url" {
  description = "Studio URL of the team's domain."
  value       = module.ml_workspace.domain_url
}

output "source_connection_arn" {
  description = "CodeConnections connection of the team's project repositories: complete its handshake in the console."
  value       = module.ml_workspace.source_connection_arn
}
