"""Market policies (policies/*.yaml) and the pure functions that judge an action."""
