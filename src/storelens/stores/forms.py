from __future__ import annotations

import re

from django import forms

KEY_RE = re.compile(r"^ck_[0-9a-f]{40}$")
SECRET_RE = re.compile(r"^cs_[0-9a-f]{40}$")


class AddStoreForm(forms.Form):
    url = forms.CharField(
        label="Store address",
        max_length=500,
        help_text="The address you open your shop at, e.g. shop.example.com. A wp-admin or wp-json link works too.",
        widget=forms.TextInput(attrs={"placeholder": "https://shop.example.com", "autocomplete": "url"}),
    )


class ConnectForm(forms.Form):
    scope = forms.ChoiceField(
        choices=[
            ("read_write", "Read and write (recommended: lets Storelens register webhooks for live updates)"),
            ("read", "Read only (no webhooks: Storelens polls your store for changes)"),
        ],
        initial="read_write",
        widget=forms.RadioSelect,
        required=False,
    )

    def clean_scope(self) -> str:
        return self.cleaned_data.get("scope") or "read_write"


class ManualKeysForm(forms.Form):
    consumer_key = forms.CharField(
        label="Consumer key",
        max_length=43,
        widget=forms.TextInput(attrs={"placeholder": "ck_…", "autocomplete": "off", "spellcheck": "false"}),
    )
    consumer_secret = forms.CharField(
        label="Consumer secret",
        max_length=43,
        widget=forms.PasswordInput(attrs={"placeholder": "cs_…", "autocomplete": "off"}),
    )

    def clean_consumer_key(self) -> str:
        value = self.cleaned_data["consumer_key"].strip()
        if not KEY_RE.match(value):
            raise forms.ValidationError(
                "A consumer key is ck_ followed by 40 letters and digits: copy it again from WooCommerce → "
                "Settings → Advanced → REST API."
            )
        return value

    def clean_consumer_secret(self) -> str:
        value = self.cleaned_data["consumer_secret"].strip()
        if not SECRET_RE.match(value):
            raise forms.ValidationError(
                "A consumer secret is cs_ followed by 40 letters and digits. WooCommerce shows it only once, "
                "right after you click Generate API key: if you lost it, generate a new key."
            )
        return value
