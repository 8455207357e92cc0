# ML Shared Services (hub): central model registry, promotion hub, deployment pipeline.
role       = "shared-services"
account_id = "111111111111"
