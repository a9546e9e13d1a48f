"""Storelens: self-hostable, exact analytics for WooCommerce stores."""

__version__ = "0.1.0"
