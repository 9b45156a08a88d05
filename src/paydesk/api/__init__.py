"""The HTTP service: FastAPI app factory, customer and agent routes, authentication, streaming, metrics."""
