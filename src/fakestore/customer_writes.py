"""Customer writes: registration rules (one account per email) and profile edits."""

from __future__ import annotations

import copy
import threading

from .books import Book
from .customer_records import blank_customer_addresses
from .errors import StoreError


class CustomerWrites:
    """FakeStore's customer writes (a mixin: the state lives on the store)."""

    lock: threading.RLock
    customers: Book
    customer_names: list[str]

    def create_customer(self, payload: dict) -> dict:
        with self.lock:
            email = str(payload.get("email") or "").strip()
            if not email or "@" not in email:
                raise StoreError(
                    400, "rest_invalid_param", "Invalid parameter(s): email", {"email": "Invalid email address."}
                )
            for pos in range(len(self.customers)):
                rec = self.customers.get(self.customers.ids[pos])
                if rec is not None and rec["email"].lower() == email.lower():
                    raise StoreError(
                        400,
                        "registration-error-email-exists",
                        "An account is already registered with your email address. "
                        '<a href="#" class="showlogin">Please log in.</a>',
                    )
            now = self.now()
            cid = self.customers.ids[-1] + 1
            first, last = str(payload.get("first_name", "")), str(payload.get("last_name", ""))
            username = str(payload.get("username") or email.split("@")[0])
            billing, shipping = blank_customer_addresses()
            billing.update({k: str(v) for k, v in (payload.get("billing") or {}).items() if k in billing})
            shipping.update({k: str(v) for k, v in (payload.get("shipping") or {}).items() if k in shipping})
            from .people import gravatar

            rec = {
                "id": cid,
                "date_created": now,
                "date_created_gmt": now,
                "date_modified": now,
                "date_modified_gmt": now,
                "email": email,
                "first_name": first,
                "last_name": last,
                "role": "customer",
                "username": username,
                "billing": billing,
                "shipping": shipping,
                "is_paying_customer": False,
                "avatar_url": gravatar(email),
                "meta_data": [],
            }
            self.customers.append(cid, "customer", now, now)
            self.customers.put(cid, rec)
            self.customer_names.append((f"{first} {last}").strip() or username)
            self._emit("customer", "created", cid)
            return rec

    def update_customer(self, customer_id: int, changes: dict) -> dict:
        with self.lock:
            if self.customers.get(customer_id) is None:
                raise StoreError(400, "woocommerce_rest_invalid_id", "Invalid resource ID.")
            rec = self.customers.materialize(customer_id)
            now = self.now()
            for key in ("email", "first_name", "last_name"):
                if key in changes and changes[key] is not None:
                    rec[key] = str(changes[key])
            for key in ("billing", "shipping"):
                for k, v in (changes.get(key) or {}).items():
                    if k in rec[key]:
                        rec[key][k] = "" if v is None else str(v)
            rec["date_modified"] = rec["date_modified_gmt"] = now
            pos = self.customers.position(customer_id)
            assert pos is not None
            self.customer_names[pos] = (f"{rec['first_name']} {rec['last_name']}").strip() or rec["username"]
            self.customers.set_columns(customer_id, modified=now)
            self._emit("customer", "updated", customer_id)
            return rec

    def delete_customer(self, customer_id: int) -> dict:
        with self.lock:
            rec = self.customers.get(customer_id)
            if rec is None:
                raise StoreError(400, "woocommerce_rest_invalid_id", "Invalid resource id.")
            before = copy.deepcopy(rec)
            self.customers.delete(customer_id)
            self._emit("customer", "deleted", customer_id)
            return before
