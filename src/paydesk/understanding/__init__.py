"""Understanding: language identification, intents, slots and dialogue acts, behind one interface."""
