"""Removing a source: tidy up on the store (best effort), forget the keys, delete everything Storelens copied.

Webhooks Storelens registered carry the source's random `public_id` in their delivery URL, which is how they are
told apart from the store's other webhooks. The store may be unreachable or the keys revoked: removal goes on
regardless and reports what it could not do, with the place to finish it by hand.
"""

from __future__ import annotations

from dataclasses import dataclass

from storelens.stores import client
from storelens.stores.models import Store
from storelens.woocommerce.errors import StoreError

WEBHOOKS_BY_HAND = "Delete them by hand under WooCommerce → Settings → Advanced → Webhooks."
KEY_BY_HAND = (
    "Revoke Storelens's key on your store under WooCommerce → Settings → Advanced → REST API "
    "(listed as “Storelens - API (date)”)."
)


@dataclass(frozen=True)
class RemovalReport:
    name: str
    webhooks_deleted: int
    webhook_problem: str  # "" when the store was tidied up

    def lines(self) -> list[str]:
        lines = [f"Removed {self.name} and all data Storelens copied from it; its keys are forgotten."]
        if self.webhook_problem:
            lines.append(self.webhook_problem)
        elif self.webhooks_deleted:
            lines.append(f"Deleted {self.webhooks_deleted} Storelens webhook(s) on the store.")
        else:
            lines.append("Storelens had no webhooks on the store to delete.")
        lines.append(KEY_BY_HAND)
        return lines


def delete_webhooks(store: Store) -> tuple[int, str]:
    """(deleted, problem): Storelens's webhooks deleted from the store, and why not all of them when it failed."""
    if not store.consumer_key_enc:
        return 0, ""

    async def go() -> int:
        deleted = 0
        async with client.client_for(store) as store_client:
            hooks = await store_client.fetch_all("/wc/v3/webhooks", {"status": "all"})
            for hook in hooks:
                if isinstance(hook, dict) and store.public_id in str(hook.get("delivery_url", "")):
                    await store_client.delete(f"/wc/v3/webhooks/{int(hook['id'])}", {"force": "true"})
                    deleted += 1
        return deleted

    try:
        return client.run(go), ""
    except StoreError as err:
        return 0, f"Could not delete Storelens's webhooks on the store: {err.message} {WEBHOOKS_BY_HAND}"


def remove_store(store: Store) -> RemovalReport:
    name = str(store)
    deleted, problem = delete_webhooks(store)
    Store.objects.filter(pk=store.pk).delete()  # the keys go with the row, the copied data by cascade
    return RemovalReport(name, deleted, problem)
