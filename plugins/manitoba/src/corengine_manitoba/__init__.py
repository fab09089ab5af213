"""Manitoba's COR and SECOR for corengine: data only (the CSAM and MHCA overlays of the national base)."""
