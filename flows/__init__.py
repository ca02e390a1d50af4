"""Prefect flows: the thin layer that orders the pipeline's steps and records what happened."""
