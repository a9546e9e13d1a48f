"""storelens.sync: see DESIGN.md for what belongs here."""
