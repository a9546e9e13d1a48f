"""Generated customer records: built on demand from (seed, id), plus WordPress's own admin user."""

from __future__ import annotations

from dataclasses import replace

from .books import Book
from .people import Person, case_variant, customer_person, gravatar

CUSTOMER_ADDRESS_KEYS = (
    "first_name",
    "last_name",
    "company",
    "address_1",
    "address_2",
    "city",
    "postcode",
    "country",
    "state",
    "email",
    "phone",
)


class CustomerRecords:
    """OrderFactory's customer builder (a mixin: seed and paying flags live on the factory)."""

    seed: int
    customer_serial_base: int
    customer_paying: bytearray
    mixed_case_customers: dict[int, int]  # customer id -> `case_variant` of the e-mail their account was opened with
    tax_profile: str  # "eu": the buyers live mostly in Germany and Austria

    @property
    def region(self) -> str:
        return "eu" if self.tax_profile == "eu" else "us"

    def customer_person_of(self, customer_id: int) -> tuple[Person, str]:
        """A registered customer's person and username, the e-mail as they typed it (its case kept, as WordPress
        keeps `user_email` and WooCommerce the billing e-mail)."""
        p, username = customer_person(self.seed, customer_id, customer_id - self.customer_serial_base, self.region)
        variant = self.mixed_case_customers.get(customer_id)
        if variant is not None:
            p = replace(p, email=case_variant(p.email, variant))
        return p, username

    def build_customer(self, customer_id: int, pos: int, book: Book) -> dict:
        created, modified = book.created[pos], book.modified[pos]
        if customer_id == 1:
            return admin_customer(created)
        p, username = self.customer_person_of(customer_id)
        paying = customer_id < len(self.customer_paying) and bool(self.customer_paying[customer_id])
        return {
            "id": customer_id,
            "date_created": created,
            "date_created_gmt": created,
            "date_modified": modified,
            "date_modified_gmt": modified,
            "email": p.email,
            "first_name": p.first,
            "last_name": p.last,
            "role": "customer",
            "username": username,
            "billing": {
                "first_name": p.first,
                "last_name": p.last,
                "company": "",
                "address_1": p.address_1,
                "address_2": "",
                "city": p.city,
                "postcode": p.postcode,
                "country": p.country,
                "state": p.state,
                "email": p.email,
                "phone": p.phone,
            },
            "shipping": {
                "first_name": p.first,
                "last_name": p.last,
                "company": "",
                "address_1": p.ship_address_1,
                "address_2": "",
                "city": p.ship_city,
                "postcode": p.ship_postcode,
                "country": p.ship_country,
                "state": p.ship_state,
                "phone": p.ship_phone,
            },
            "is_paying_customer": paying,
            "avatar_url": gravatar(p.email),
            "meta_data": [],
        }


def blank_customer_addresses() -> tuple[dict[str, str], dict[str, str]]:
    """A customer's empty billing and shipping addresses, keys in the order WooCommerce prints them."""
    billing = dict.fromkeys(CUSTOMER_ADDRESS_KEYS, "")
    return billing, {k: "" for k in billing if k != "email"}


def admin_customer(created: int) -> dict:
    empty_billing, empty_shipping = blank_customer_addresses()
    return {
        "id": 1,
        "date_created": created,
        "date_created_gmt": created,
        "date_modified": None,
        "date_modified_gmt": None,
        "email": "admin@example.com",
        "first_name": "",
        "last_name": "",
        "role": "administrator",
        "username": "admin",
        "billing": empty_billing,
        "shipping": empty_shipping,
        "is_paying_customer": False,
        "avatar_url": gravatar("admin@example.com"),
        "meta_data": [],
    }
