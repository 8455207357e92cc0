"""Environment for the pipeline trigger tests, set before the handler module is imported.

The handler validates PIPELINE_NAME at import (a misconfigured function must fail its cold
start), so the variable has to exist before any test module imports it.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

_LAMBDA_SRC = Path(__file__).resolve().parents[3] / "lambda_src"
if str(_LAMBDA_SRC) not in sys.path:
    sys.path.insert(0, str(_LAMBDA_SRC))

os.environ.setdefault("PIPELINE_NAME", "mlgov-model-deployment")
os.environ.setdefault("POWERTOOLS_SERVICE_NAME", "pipeline-trigger")
os.environ.setdefault("AWS_DEFAULT_REGION", "eu-west-1")
os.environ.setdefault("AWS_ACCESS_KEY_ID", "testing")
os.environ.setdefault("AWS_SECRET_ACCESS_KEY", "testing")
os.environ.setdefault("AWS_EC2_METADATA_DISABLED", "true")
