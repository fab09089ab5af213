"""Nova Scotia (Construction Safety Nova Scotia) for corengine (data only)."""
