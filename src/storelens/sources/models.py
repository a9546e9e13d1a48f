"""Models of storelens.sources."""
