# ML Test (pre-production): the pipeline's first deployment target.
role       = "test"
account_id = "444444444444"

endpoint_network {
  vpc_id     = "vpc-0a1b2c3d4e5f60001"
  subnet_ids = ["subnet-0a1b2c3d4e5f60011", "subnet-0a1b2c3d4e5f60012"]
}

endpoint {
  instance_type          = "ml.m5.large"
  initial_instance_count = 1
}
