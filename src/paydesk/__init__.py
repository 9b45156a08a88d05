"""paydesk: an AI customer-service agent for payment and buy-now-pay-later companies."""

__version__ = "0.1.0"
