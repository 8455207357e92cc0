"""Model build of a SageMaker project: the pipeline definition and the scripts its jobs run."""
