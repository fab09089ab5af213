"""Yukon's COR program (Northern Safety Network Yukon with the WSCB) for corengine (data only)."""
