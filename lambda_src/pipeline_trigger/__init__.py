"""Starts the model deployment pipeline when a central model package is approved."""
