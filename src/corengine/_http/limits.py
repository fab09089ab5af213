"""The service's limits and the headers on every answer: body size, time, token length, and the logger
(``corengine.serve``) that writes one line per request."""

from __future__ import annotations

import logging

from corengine._io.loading import MAX_BYTES

LOG = logging.getLogger("corengine.serve")

FORM_OVERHEAD = 64 * 1024
"""Room a form's boundaries, headers and option fields take beside the file it carries."""

MAX_BODY = MAX_BYTES + FORM_OVERHEAD
"""Largest request body read: the loader's limit for one file, and the form around it."""

TIME_LIMIT = 30.0
"""Seconds a request may take, reading its body included, before it is answered 503."""

WRITE_TIMEOUT = 10.0
"""Seconds a client may go without reading while answers wait for it (the buffers full) before its connection is
closed."""

MAX_CONNECTIONS = 200
"""Connections a service worker holds open at once; one more is answered 503 and closed."""

MAX_TOKEN = 4096
"""Most characters a bearer token may have."""

SETTINGS_VARIABLE = "CORENGINE_SERVE_SETTINGS"
"""Environment variable through which ``corengine serve`` hands its options to each uvicorn worker."""

SECURITY_HEADERS = [
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-frame-options", b"DENY"),
    (b"cache-control", b"no-store"),
    (
        b"content-security-policy",
        b"default-src 'none'; style-src 'unsafe-inline'; img-src data:; form-action 'self'; "
        b"base-uri 'none'; frame-ancestors 'none'",
    ),
]
"""Sent with every response: nothing is sniffed, framed, cached or fetched, and pages load nothing but themselves
(their inline styles and SVG)."""
