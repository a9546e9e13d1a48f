"""The one seam through which Storelens talks to a WooCommerce store. No Django here: settings come in as arguments.

Each name has one address, its module: `client` (StoreClient, ClientConfig), `discovery` (discover, SiteInfo),
`store_details` (describe_store, StoreDetails), `auth`, `errors`, `dates`, `paging`, `retry`, `addresses` (RestRoot).
Inside Storelens, `storelens.stores.client` builds every client with the settings.

    info = await discover("example.com", allow_private=settings_allow_private)       # no keys needed
    async with StoreClient(info.home_url, rest_root=info.rest_root, credentials=Credentials(ck, cs),
                           auth_method=store.auth_method, config=ClientConfig(concurrency=4)) as client:
        details = await describe_store(client)                                         # currency, scope, routes
        async for page in client.iter_pages("/wc/v3/orders", gmt_filter(modified_after=cursor)):
            ...
        store.auth_method = client.auth_method                                        # persist what worked

Persist `info.rest_root.url` and rebuild it with `RestRoot.from_link(url)`.
"""
