"""Audit and evidence files in the formats people keep them in: the xlsx workbook, the YAML workbook form, the evidence index."""
