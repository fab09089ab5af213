"""Newfoundland and Labrador (NLCSA) for corengine (data only)."""
