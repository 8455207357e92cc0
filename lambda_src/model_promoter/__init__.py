"""Hub-side model promotion: copy an approved dev-account model package into the central registry.

The package is deployed as the root of the Lambda zip (`model_promoter.handler.lambda_handler`).
Only `handler.py` knows about Lambda; every other module takes boto3 sessions or clients as
arguments so it can be exercised in-process against moto.
"""
