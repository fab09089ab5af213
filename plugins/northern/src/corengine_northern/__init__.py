"""The Northwest Territories' and Nunavut's COR program (Northern Safety Association) for corengine (data only)."""
