"""Static pages: the chat widget, the agent console."""
