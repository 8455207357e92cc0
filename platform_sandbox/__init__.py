"""The local sandbox: the platform applied by real Terraform into a simulated multi-account AWS.

`simulator` runs moto's server (TLS, loopback, one process that outlives a command) with the
simulator gaps of `gaps` patched or seeded; `terraform` drives the real `terraform` binary with
the provider from a filesystem mirror; `organization` synthesizes the sandbox's environments and
applies, re-plans and destroys every stack in dependency order.

`lifecycle` walks one model from a dev registry to the prod endpoint on what was applied: the
team's own actions (`dev_team`), the platform's handlers, builds and CLI as the services would
run them (`runtimes`), the deployment pipeline played stage by stage (`pipeline`), and the audit
trail read back from the simulated accounts (`audit`).
"""
