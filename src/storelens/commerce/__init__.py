"""storelens.commerce: see DESIGN.md for what belongs here."""
