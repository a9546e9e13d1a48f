"""The Storelens side of the Storelens Connector WordPress plugin (plugin/storelens-connector): connect from wp-admin.

The plugin sends the owner to `start`, which runs WooCommerce's approval screen for Storelens (stores.connect) and then
hands the plugin a one-time code; the plugin trades it server to server for a per-store token (stored hashed here)
and the store's notice secret. With the token it polls `status` and can `disconnect`.
"""
