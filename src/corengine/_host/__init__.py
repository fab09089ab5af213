"""The host: the plugin manager, the core's own default plugin, and the Engine that drives them."""
