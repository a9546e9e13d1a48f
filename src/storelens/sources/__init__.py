"""storelens.sources: see DESIGN.md for what belongs here."""
