"""A faithful fake WooCommerce store.

It imports nothing else from Storelens so that it can stand in for a real store in tests, benchmarks and the
demo without sharing code (and therefore bugs) with the client it is testing.
"""
