"""Prince Edward Island for corengine (data only)."""
