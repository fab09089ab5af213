"""The plugin kit: scaffolding a new plugin package and checking a plugin's data."""
