"""The main suite collects only the runner here, never suite/ itself.

suite/ holds the tests of the SageMaker project seed code. They import the sagemaker v3 SDK,
which cannot be installed into .venv (it conflicts with moto[all,server]), so they run in
.venv-seed-code: test_seed_code_suite.py starts them there as a subprocess and fails with their
output. suite/ has its own pytest.ini, so that run neither reads pyproject.toml's settings nor
loads the conftest files of tests/.
"""

collect_ignore = ["suite"]
