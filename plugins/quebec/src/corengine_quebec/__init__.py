"""Québec for corengine (data only)."""
