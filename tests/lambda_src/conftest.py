"""Offline AWS defaults shared by every Lambda test, set before moto or boto3 load.

Function-specific settings (a Lambda's own environment variables) live in that function's
test folder, so one function's configuration never leaks into another's tests.
"""

from __future__ import annotations

import os

for _name, _value in {
    "AWS_EC2_METADATA_DISABLED": "true",
    "AWS_ACCESS_KEY_ID": "testing",
    "AWS_SECRET_ACCESS_KEY": "testing",
    "AWS_SECURITY_TOKEN": "testing",
    "AWS_SESSION_TOKEN": "testing",
    "AWS_DEFAULT_REGION": "eu-west-1",
}.items():
    os.environ.setdefault(_name, _value)
