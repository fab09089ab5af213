"""Saskatchewan's COR and SECOR for corengine: data only (the SCSA and HCSAS overlays of the national base)."""
