"""The warehouse: its layout, publishing, lock, run manifests, re-run state and catalog."""
