"""The assistant: a dialogue manager and one flow per case type, over actions, understanding and replies."""
