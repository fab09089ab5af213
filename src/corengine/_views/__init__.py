"""Every published document (result, plan, explanation, report, validation, standards, plugins) as data and as JSON, text, Markdown and HTML, and the JSON Schemas generated from the same classes."""
