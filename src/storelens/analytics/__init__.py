"""storelens.analytics: see DESIGN.md for what belongs here."""
