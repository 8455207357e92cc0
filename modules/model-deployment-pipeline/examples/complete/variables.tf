variable "tooling_package_path" {
  description = "Path of the tooling bundle zip (root contains `mlgov/` and `wheelhouse/`, see the module README's Tooling bundle section)."
  type        = string
  default     = "../../../../build/mlgov-tooling.zip"
}

variable "trigger_function_package_path" {
  description = "Path of the trigger Lambda zip (root contains `pipeline_trigger/`), e.g. built with `cd lambda_src && zip -r ../build/pipeline-trigger.zip pipeline_trigger`."
  type        = string
  default     = "../../../../build/pipeline-trigger.zip"
}
