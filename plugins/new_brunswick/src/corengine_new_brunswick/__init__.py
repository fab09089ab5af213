"""New Brunswick (NBCSA) for corengine (data only)."""
