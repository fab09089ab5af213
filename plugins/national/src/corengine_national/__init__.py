"""The national harmonized COR audit tool as a base standard for corengine (data only)."""
