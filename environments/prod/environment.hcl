# ML Prod: deployed only after the governance officer approves.
role       = "prod"
account_id = "555555555555"

endpoint_network {
  vpc_id     = "vpc-0a1b2c3d4e5f60002"
  subnet_ids = ["subnet-0a1b2c3d4e5f60021", "subnet-0a1b2c3d4e5f60022", "subnet-0a1b2c3d4e5f60023"]
}

endpoint {
  instance_type          = "ml.m5.xlarge"
  initial_instance_count = 2
}

autoscaling {
  min_capacity                    = 2
  max_capacity                    = 6
  target_invocations_per_instance = 200
}
