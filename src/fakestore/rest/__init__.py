"""The fake store's WordPress REST server: routing, WooCommerce's `wc/v3` controllers, headers and errors."""
