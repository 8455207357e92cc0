# The launch form (strings only).

variable "user_profile_name" {
  description = "Name of the Studio user profile (1-63 letters, digits or '-')."
  type        = string

  validation {
    condition     = can(regex("^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}$", var.user_profile_name))
    error_message = "user_profile_name must be 1-63 letters, digits or '-', starting and ending with a letter or digit; got \"${var.user_profile_name}\"."
  }
}

variable "persona" {
  description = "The person's persona: lead_data_scientist or data_scientist (decides the execution role)."
  type        = string

  validation {
    condition     = contains(["lead_data_scientist", "data_scientist"], var.persona)
    error_message = "persona must be lead_data_scientist or data_scientist; got \"${var.persona}\"."
  }
}

variable "sso_user_name" {
  description = "The person's IAM Identity Center user name (SSO workspaces), empty for IAM workspaces."
  type        = string
  default     = ""

  validation {
    condition     = var.sso_user_name == "" || can(regex("^[\\w+=,.@-]{1,128}$", var.sso_user_name))
    error_message = "sso_user_name must be 1-128 characters of letters, digits and _+=,.@- (or empty)."
  }
}
