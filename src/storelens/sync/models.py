"""Models of storelens.sync."""
