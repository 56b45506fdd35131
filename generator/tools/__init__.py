"""Tools beside the pipeline: scaffolding records, synthetic registries, diffs, link checks."""
