"""Users sign in with their e-mail; data belongs to workspaces, which users join through memberships."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta
from typing import ClassVar

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models, transaction
from django.utils import timezone

from storelens.accounts.usage import record_use


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **fields: object) -> User:
        if not email:
            raise ValueError("A user needs an e-mail address.")
        user = self.model(email=self.normalize_email(email).lower(), **fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **fields: object) -> User:
        fields.setdefault("is_staff", True)
        fields.setdefault("is_superuser", True)
        return self.create_user(email, password, **fields)

    def get_by_natural_key(self, username: str | None) -> User:
        # E-mail addresses are stored lower-cased; sign-in must not depend on how the user typed theirs.
        return self.get(email__iexact=username or "")


class User(AbstractBaseUser, PermissionsMixin):
    email = models.EmailField("e-mail address", unique=True)
    name = models.CharField(max_length=150, blank=True)
    is_active = models.BooleanField(default=True)
    is_staff = models.BooleanField(default=False)
    date_joined = models.DateTimeField(default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: ClassVar[list[str]] = []

    def __str__(self) -> str:
        return self.email

    def workspaces(self) -> models.QuerySet[Workspace]:
        return Workspace.objects.filter(memberships__user=self).order_by("pk")


class Workspace(models.Model):
    """The unit that owns data sources and everything synced from them."""

    name = models.CharField(max_length=100)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ("pk",)

    def __str__(self) -> str:
        return self.name

    @classmethod
    @transaction.atomic
    def create_with_owner(cls, name: str, owner: User) -> Workspace:
        workspace = cls.objects.create(name=name)
        Membership.objects.create(workspace=workspace, user=owner, role=Membership.Role.OWNER)
        return workspace


class Role(models.TextChoices):
    """A member's role in one workspace; what each may do is the table in `storelens.accounts.permissions`."""

    OWNER = "owner", "Owner"
    ADMIN = "admin", "Admin"
    ANALYST = "analyst", "Analyst"
    SUPPORT = "support", "Support"


class Membership(models.Model):
    Role = Role

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="memberships")
    # Analyst by default: it reads everything and changes nothing, so a forgotten --role gives no one the keys.
    role = models.CharField(max_length=16, choices=Role.choices, default=Role.ANALYST)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = (models.UniqueConstraint(fields=("user", "workspace"), name="one_membership_per_workspace"),)
        ordering = ("pk",)

    def __str__(self) -> str:
        return f"{self.user} in {self.workspace} ({self.role})"


TOKEN_PREFIX = "sl_"


def hash_token(raw: str) -> str:
    """Tokens are long random strings, so a fast hash is enough: nobody can brute-force 256 bits."""
    return hashlib.sha256(raw.encode()).hexdigest()


class ApiTokenQuerySet(models.QuerySet["ApiToken"]):
    def for_workspace(self, workspace: Workspace) -> ApiTokenQuerySet:
        return self.filter(workspace=workspace)

    def authenticate(self, raw: str) -> ApiToken | None:
        if not raw.startswith(TOKEN_PREFIX):
            return None
        token = (
            self.select_related("user", "workspace")
            .filter(token_hash=hash_token(raw), user__is_active=True, workspace__memberships__user_id=models.F("user"))
            .first()
        )
        if token is not None:
            record_use(token)  # at most once a minute, never waiting for a lock (accounts/usage.py)
        return token


class ApiToken(models.Model):
    """A Bearer token for the JSON API, acting as its user inside one workspace. Only its hash is stored."""

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="api_tokens")
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=100)
    token_hash = models.CharField(max_length=64, unique=True)
    # The first characters, shown in lists so a user can tell tokens apart without the secret.
    hint = models.CharField(max_length=16)
    created_at = models.DateTimeField(default=timezone.now)
    last_used_at = models.DateTimeField(null=True, blank=True)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        ordering = ("pk",)

    def __str__(self) -> str:
        return f"{self.name} ({self.hint}…)"

    @classmethod
    def issue(cls, user: User, workspace: Workspace, name: str = "API token") -> tuple[ApiToken, str]:
        """Create a token and return it with its secret, which is never stored and so is shown exactly once."""
        raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
        token = cls.objects.create(
            user=user, workspace=workspace, name=name or "API token", token_hash=hash_token(raw), hint=raw[:10]
        )
        return token, raw


INVITE_DAYS = 7


class Invite(models.Model):
    """A single-use link that makes whoever opens it (signed in or signing up) a member with `role`.

    Like a token, only the hash of the link's secret is stored: the link is shown once, to the person who made it.
    """

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="invites")
    role = models.CharField(max_length=16, choices=Role.choices)
    token_hash = models.CharField(max_length=64, unique=True)
    created_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")

    class Meta:
        ordering = ("pk",)

    def __str__(self) -> str:
        return f"invite to {self.workspace} as {self.role}"

    @property
    def usable(self) -> bool:
        return self.accepted_at is None and self.expires_at > timezone.now()

    @classmethod
    def issue(cls, workspace: Workspace, role: str, created_by: User | None) -> tuple[Invite, str]:
        """Create an invite and return it with its secret (for the link), which is never stored."""
        raw = secrets.token_urlsafe(32)
        invite = cls.objects.create(
            workspace=workspace,
            role=role,
            token_hash=hash_token(raw),
            created_by=created_by,
            expires_at=timezone.now() + timedelta(days=INVITE_DAYS),
        )
        return invite, raw

    @classmethod
    def find(cls, raw: str) -> Invite | None:
        return cls.objects.select_related("workspace").filter(token_hash=hash_token(raw)).first()
