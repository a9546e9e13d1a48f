"""A faithful fake WooCommerce store.

It imports nothing else from Storelens so that it can stand in for a real store in tests, benchmarks and the
demo without sharing code (and therefore bugs) with the client it is testing. Its behaviour is copied from a
real WordPress 6.8 + WooCommerce 9.9.5 store (`shared/woocommerce/captures`), and tests replay those captures.

Interface (other packages and tests rely on it)
-----------------------------------------------
``create_app(config, store=None) -> FakeStoreApp`` (``fakestore.app``)
    An ASGI app; ``app.state.store`` is the FakeStore. Serve it with uvicorn, or in process with
    ``httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url=config.home_url)``. The request's scheme
    decides ``is_ssl()`` (mode ``proxy-no-ssl`` forces it false), so use an ``https://`` base URL for Basic and
    query-string keys. The webhook dispatcher runs in the ASGI lifespan; without one use
    ``async with fakestore.app.running(app): ...``.

``FakeStore(config)`` (``fakestore.store``)
    ``config`` (FakeStoreConfig, modes read at request time), ``accounts`` (WordPress users and API keys),
    ``bus`` (ChangeBus: every write emits ``(resource, event, id)``), ``webhooks`` (dict id -> ``Webhook``;
    creating one emits ``("webhook", "created", id)``, updating ``("webhook", "updated", id)``), ``now()`` /
    ``set_now(ts | None)`` (UTC seconds; real time by default), and the data:

    * reads: ``order_json(id)``, ``refund_json(id, with_parent=False)``, ``customer_json``, ``product_json``,
      ``coupon_json``, ``subscription_json`` (REST JSON exactly as served, links from ``config.home_url``; None
      when missing), ``order(id)`` (the stored record, read-only), ``refund_ids_of(order_id)``;
    * orders: ``create_order(payload)`` (the REST body; emits order created), ``update_order(id, changes)``
      (bumps date_modified; emits updated), ``silent_edit_order(id, changes)`` (no date bump, no event:
      WooCommerce issue 34798), ``trash_order(id)`` (returns the pre-trash order; emits deleted),
      ``restore_order(id)`` (emits restored), ``delete_order(id)`` (permanent, no event, as WooCommerce 9.9);
    * refunds: ``create_refund(order_id, amount=None, reason="", line_items=None, api_refund=False)`` (bumps the
      parent, `refunded` when fully refunded; emits order updated), ``delete_refund(order_id, refund_id)``;
    * customers, products, coupons: ``create_customer``, ``update_customer``, ``delete_customer``,
      ``update_product``, ``create_coupon``, ``update_coupon``; webhooks: ``create_webhook``, ``update_webhook``,
      ``delete_webhook``, ``touch_webhook``.

    Writes raise ``StoreError(status, code, message)`` with WooCommerce's REST error.

Data
    ``FakeStoreConfig(seed, orders, months, currency, timezone, subscriptions, history_end)`` always generates the
    same store (``history_end`` None means "ends today", so pin it when two runs on different days must agree).
    Orders are index columns plus a lazy, deterministic build from (seed, id) and an overlay of writes
    (``books.Book``): 100k orders take about 2 s and 60 MB. ``dataset_dir`` serves the recorded lab store instead.
    What a real store showed (issue 11) is on by default: guests using registered customers' e-mails next to those
    customers' first orders and e-mails in mixed case (``shared_email_guests``, ``mixed_case_emails``; 0 turns them
    off); ``tax_profile="eu"`` makes an EU store (prices inclusive of VAT, unrounded 4-decimal line amounts).

Layout: ``store`` (state and reads; ``StoreError`` lives in ``errors``), the writes by what they change
(``order_writes``, ``order_lines``, ``refund_writes``, ``customer_writes``, ``catalog_writes``,
``webhook_registry``), ``generator``/``order_factory``/``customer_records``/``subscription_records``/
``refund_lines``/``vocabulary``/``catalog``/``people``/``pricing``/``money`` (data),
``books`` (columns + overlay), ``dataset`` (recorded store), ``serializers`` (REST JSON), ``restauth``
(WooCommerce's REST authentication), ``rest/`` (router, params, controllers), ``wordpress`` (front controller,
home page, theme 404), ``app``; the edges: ``wcauth``, ``webhooks``, ``faults``, ``admin``, ``cli``, ``mutate``.
"""
