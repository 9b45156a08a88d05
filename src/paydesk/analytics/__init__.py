"""What the business runs on: per-conversation outcomes, CSAT, repeat contacts, agent work saved, and reports."""
