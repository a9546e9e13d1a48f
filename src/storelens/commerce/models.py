"""Models of storelens.commerce."""
