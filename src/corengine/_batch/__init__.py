"""Many audits at once: the batch runner, its output formats, and the impact of a rule change."""
