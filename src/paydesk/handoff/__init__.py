"""The human side: agents and their sessions, the queue, the atomic claim, working a case, hand-back."""
