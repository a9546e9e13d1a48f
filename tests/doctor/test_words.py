"""The texts read as a store owner reads them: a headline, what happened, the one thing to do, and a help page with
steps, without developer words where the owner must act."""

from __future__ import annotations

import re

import pytest

from storelens.stores import problems

# Words that mean nothing to a store owner unless explained; none belongs in a headline or a message.
JARGON = re.compile(
    r"\b(exception|traceback|stack|null|none|undefined|errno|stderr|json|http \d{3}|401|403|5\d\d)\b", re.I
)
ISSUE_CODES = {
    "unreachable", "tls_error", "not_wordpress", "rest_disabled", "not_woocommerce", "legacy_woocommerce",
    "plain_permalinks", "waf_challenge", "auth_header_stripped", "proxy_no_ssl", "caching", "php_notices",
    "maintenance", "slow", "keys_invalid", "keys_read_only", "permission_denied", "webhooks_disabled",
    "callback_unreachable",
    "sync_failed",  # issue 11: an unexpected error in a sync pass (a bug in Storelens) is a status too
}  # fmt: skip


def test_the_catalogue_holds_exactly_the_codes_of_the_issue() -> None:
    assert set(problems.CATALOGUE) == ISSUE_CODES


@pytest.mark.parametrize("entry", list(problems.CATALOGUE.values()), ids=lambda e: e.code)
def test_each_problem_reads_as_headline_what_happened_and_what_to_do(entry: problems.Entry) -> None:
    assert len(entry.title) <= 60 and "_" not in entry.title and not entry.title.endswith(".")
    for sentence in (entry.message, entry.fix, *entry.help, *entry.steps):
        assert sentence[0].isupper() or sentence[0] in "“/", sentence
        assert sentence.rstrip("”").endswith((".", ":", ")")), sentence
        assert "`" not in sentence, sentence  # no code formatting shown as raw backticks
    for text in (entry.title, entry.message):
        assert not JARGON.search(text), text
    assert entry.severity in (problems.ERROR, problems.WARNING)
    assert entry.help and entry.steps, "every help page explains and gives steps"
    if entry.severity == problems.ERROR:
        assert entry.status or entry.code == "callback_unreachable", "an error the sync meets must set a status"


def test_the_three_woocommerce_errors_of_a_failed_key_delivery_are_quoted_on_its_help_page() -> None:
    page = " ".join(problems.CATALOGUE["callback_unreachable"].help)
    for words in (
        "Error: An error occurred in the request and at the time were unable to send the consumer data.",
        "Error: A valid URL was not provided..",
        "Error: cURL error 60: SSL certificate problem",
    ):
        assert words in page


def test_a_firewall_fix_names_the_egress_address_once() -> None:
    message, fix = problems.words_for("waf_challenge", vendor="Sucuri", egress_ip="198.51.100.7")
    assert "Sucuri" in message and fix.count("198.51.100.7") == 1
    assert problems.waf_allow_address(fix, "198.51.100.7") == fix
    assert problems.words_for("waf_challenge")[1] == problems.CATALOGUE["waf_challenge"].fix
