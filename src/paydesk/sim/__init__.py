"""Simulation: the scenario runner, simulated customers, load."""
