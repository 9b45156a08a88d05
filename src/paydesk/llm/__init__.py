"""The optional LLM engine: an OpenAI-compatible model for understanding, grounded answers and phrasing, never
for authority over money."""
