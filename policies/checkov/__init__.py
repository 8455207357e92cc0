"""Custom checkov policies (CKV_MLGOV_*) for the ML governance platform.

checkov only loads Python checks from directories that contain an ``__init__.py``; without
this file ``--external-checks-dir policies/checkov`` would silently load nothing.
"""
