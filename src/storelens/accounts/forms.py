"""Sign-up and sign-in forms."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import password_validation
from django.contrib.auth.forms import AuthenticationForm

from storelens.accounts.lockout import normalise_email
from storelens.accounts.models import Role, User


class SignInForm(AuthenticationForm):
    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": "This e-mail and password do not match an account. Check both and try again.",
    }
    username = forms.EmailField(
        label="E-mail", widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "email"})
    )

    def clean_username(self) -> str:
        # The spelling the lockout counts (storelens.accounts.lockout): authenticate() sees the same one.
        return normalise_email(self.cleaned_data.get("username"))


class SignUpForm(forms.Form):
    email = forms.EmailField(
        label="E-mail", widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "email"})
    )
    name = forms.CharField(label="Your name", max_length=150, required=False)
    workspace = forms.CharField(
        label="Workspace name",
        max_length=100,
        help_text="Usually your business's name. Stores you connect belong to this workspace.",
    )
    password1 = forms.CharField(
        label="Password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text="At least 10 characters; not a common password.",
    )
    password2 = forms.CharField(
        label="Password again", strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )

    def clean_email(self) -> str:
        email = self.cleaned_data["email"].strip().lower()
        if User.objects.filter(email__iexact=email).exists():
            raise forms.ValidationError("An account with this e-mail exists already: sign in instead.")
        return email

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        first, second = cleaned.get("password1"), cleaned.get("password2")
        if first and second and first != second:
            self.add_error("password2", "The two passwords differ: type the same password twice.")
        elif first:
            probe = User(email=cleaned.get("email", ""), name=cleaned.get("name", ""))
            try:
                password_validation.validate_password(first, probe)
            except forms.ValidationError as exc:
                self.add_error("password1", exc)
        return cleaned


class WorkspaceForm(forms.Form):
    prefix = "workspace"  # the settings page shows it beside NewTokenForm: field ids must differ
    name = forms.CharField(label="Workspace name", max_length=100)


class NewTokenForm(forms.Form):
    prefix = "token"
    name = forms.CharField(label="Token name", max_length=100, initial="API token")


class InviteSignUpForm(SignUpForm):
    """Sign-up through an invite link: the person joins the inviting workspace, so no workspace of their own."""

    workspace = None  # type: ignore[assignment]


class RoleForm(forms.Form):
    role = forms.ChoiceField(label="Role", choices=Role.choices)
