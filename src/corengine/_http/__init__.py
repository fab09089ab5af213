"""The HTTP service: the Starlette app, its requests, problems and middleware, and the OpenAPI description."""
