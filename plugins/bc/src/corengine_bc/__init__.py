"""British Columbia's COR for corengine: WorkSafeBC's program run through its certifying partners.

Large COR (20 or more FTE) and Small COR (fewer than 20), the BCCSA audit document on the structure of
the COR OHS National Audit Document, the calendar-year audit cycle and the COR incentive.
"""
