"""The click command line: one module per group of verbs. The top layer: nothing else in corengine imports it."""
