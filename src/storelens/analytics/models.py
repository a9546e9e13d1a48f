"""Models of storelens.analytics."""
