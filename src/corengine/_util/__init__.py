"""Plain helpers with no knowledge of audits: dates, text that fits a terminal, escaping for each output format. The lowest layer: imports nothing else of corengine."""
