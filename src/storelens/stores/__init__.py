"""storelens.stores: see DESIGN.md for what belongs here."""
