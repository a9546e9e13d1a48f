"""Deterministic people and addresses for customers and guests, non-ASCII names included."""

from __future__ import annotations

import hashlib
import random
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

SPECIAL_NAMES: list[tuple[str, str, str]] = [
    ("Zoë", "Ångström", "zoe.angstrom"),
    ("太郎", "山田", "taro.yamada"),
    ("José", "Núñez", "jose.nunez"),
    ("Łukasz", "Żółć", "lukasz.zolc"),
    ("Renée", "O'Connor", "renee.oconnor"),
    ("Ana 🌸", "Silva", "ana.silva"),
    ("Søren", "Kierkegård", "soren.k"),
]
FIRST = [
    "James",
    "Mary",
    "John",
    "Patricia",
    "Robert",
    "Jennifer",
    "Michael",
    "Linda",
    "David",
    "Elizabeth",
    "William",
    "Barbara",
    "Richard",
    "Susan",
    "Joseph",
    "Jessica",
    "Thomas",
    "Sarah",
    "Charles",
    "Karen",
    "Aisha",
    "Priya",
    "Kwame",
    "Mateo",
    "Liam",
    "Emma",
    "Olga",
    "Yuki",
    "Chloé",
    "Björn",
    "Noémie",
    "Đorđe",
]
LAST = [
    "Smith",
    "Johnson",
    "Williams",
    "Brown",
    "Jones",
    "Garcia",
    "Miller",
    "Davis",
    "Rodriguez",
    "Martinez",
    "Hernandez",
    "Lopez",
    "Gonzalez",
    "Wilson",
    "Anderson",
    "Thomas",
    "Taylor",
    "Moore",
    "Martin",
    "Perez",
    "Thompson",
    "White",
    "Harris",
    "Rossi",
    "Schmidt",
    "Kim",
    "Müller",
    "Dubois",
    "Nakamura",
    "Öztürk",
]
STREETS = ["Oak Ave", "Pine Rd", "Elm St", "Maple Dr", "Cedar Ln", "Main St"]

# country, state, cities with postcodes; weights favour the US like the lab store.
ADDRESSES: list[tuple[str, str, str, str, int]] = [
    ("US", "NY", "New York", "10001", 14),
    ("US", "CA", "San Francisco", "94103", 7),
    ("US", "CA", "Los Angeles", "90012", 6),
    ("US", "TX", "Austin", "78701", 7),
    ("US", "TX", "Houston", "77002", 6),
    ("US", "CO", "Denver", "80202", 5),
    ("US", "MA", "Boston", "02108", 5),
    ("US", "IL", "Chicago", "60601", 6),
    ("US", "WA", "Seattle", "98101", 5),
    ("DE", "", "Berlin", "10115", 4),
    ("DE", "", "München", "80331", 2),
    ("JP", "JP13", "東京", "100-0001", 3),
    ("GB", "", "London", "SW1A 1AA", 2),
    ("FR", "", "Paris", "75001", 2),
    ("CA", "ON", "Toronto", "M5H 2N2", 2),
]
_ADDRESS_WEIGHTS = [a[4] for a in ADDRESSES]
# An EU store's buyers (the `eu` tax profile): mostly German, some Austrian and French, a few from elsewhere.
EU_ADDRESSES: list[tuple[str, str, str, str, int]] = [
    ("DE", "", "Berlin", "10115", 12),
    ("DE", "", "München", "80331", 7),
    ("DE", "", "Hamburg", "20095", 6),
    ("DE", "", "Köln", "50667", 4),
    ("AT", "", "Wien", "1010", 6),
    ("AT", "", "Graz", "8010", 2),
    ("FR", "", "Paris", "75001", 3),
    ("NL", "", "Amsterdam", "1012 JS", 2),
    ("US", "NY", "New York", "10001", 1),
    ("CH", "", "Zürich", "8001", 1),
]
_EU_ADDRESS_WEIGHTS = [a[4] for a in EU_ADDRESSES]


def ascii_fold(text: str) -> str:
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    return "".join(ch for ch in folded if ch.isalnum()) or "user"


@dataclass
class Person:
    first: str
    last: str
    email: str
    phone: str
    country: str
    state: str
    city: str
    postcode: str
    address_1: str
    ship_country: str
    ship_state: str
    ship_city: str
    ship_postcode: str
    ship_address_1: str
    ship_phone: str


def _address(rng: random.Random, region: str = "us") -> tuple[str, str, str, str, str]:
    table, weights = (EU_ADDRESSES, _EU_ADDRESS_WEIGHTS) if region == "eu" else (ADDRESSES, _ADDRESS_WEIGHTS)
    country, state, city, postcode, _ = rng.choices(table, weights=weights)[0]
    return country, state, city, postcode, f"{rng.randint(1, 9999)} {rng.choice(STREETS)}"


def person(rng: random.Random, first: str, last: str, email: str, region: str = "us") -> Person:
    country, state, city, postcode, street = _address(rng, region)
    phone = f"+1-555-{rng.randint(0, 9999):04d}"
    if rng.random() < 0.2:
        s_country, s_state, s_city, s_postcode, s_street = _address(rng, region)
        s_phone = f"+1-555-{rng.randint(0, 9999):04d}"
    else:
        s_country, s_state, s_city, s_postcode, s_street, s_phone = country, state, city, postcode, street, phone
    return Person(
        first,
        last,
        email,
        phone,
        country,
        state,
        city,
        postcode,
        street,
        s_country,
        s_state,
        s_city,
        s_postcode,
        s_street,
        s_phone,
    )


@lru_cache(maxsize=65536)
def customer_identity(seed: int, customer_id: int, serial: int) -> tuple[str, str, str]:
    """(first, last, username) of a registered customer; the first few carry the hard non-ASCII names."""
    if serial < len(SPECIAL_NAMES):
        return SPECIAL_NAMES[serial]
    rng = random.Random(seed * 7_919 + customer_id)
    first, last = rng.choice(FIRST), rng.choice(LAST)
    return first, last, f"{ascii_fold(first)}.{ascii_fold(last)}.{customer_id}"


@lru_cache(maxsize=65536)
def customer_person(seed: int, customer_id: int, serial: int, region: str = "us") -> tuple[Person, str]:
    """Cached: a customer's orders all carry the same addresses (callers must not mutate the Person)."""
    first, last, username = customer_identity(seed, customer_id, serial)
    rng = random.Random(seed * 104_729 + customer_id)
    return person(rng, first, last, f"{username}@example.com", region), username


def guest_person(seed: int, order_id: int, region: str = "us") -> Person:
    rng = random.Random(seed * 15_485_863 + order_id)
    first, last = rng.choice(FIRST + [s[0] for s in SPECIAL_NAMES]), rng.choice(LAST + [s[1] for s in SPECIAL_NAMES])
    email = f"{ascii_fold(first)}.{ascii_fold(last)}.{rng.randint(1000, 9999)}@guest.example.com"
    return person(rng, first, last, email, region)


def case_variant(email: str, variant: int) -> str:
    """The same address typed in another case (WordPress and WooCommerce keep e-mails as typed): 0 capitalises each
    part, 1 shouts the domain, 2 shouts it all."""
    local, _, domain = email.partition("@")
    if variant % 3 == 0:
        return ".".join(p[:1].upper() + p[1:] for p in local.split(".")) + "@" + domain.capitalize()
    if variant % 3 == 1:
        return f"{local}@{domain.upper()}"
    return email.upper()


def gravatar(email: str) -> str:
    digest = hashlib.sha256(email.strip().lower().encode()).hexdigest()
    return f"https://secure.gravatar.com/avatar/{digest}?s=96&d=mm&r=g"
