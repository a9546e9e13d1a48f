"""API tokens of the current workspace: list, read, revoke. (Creating one happens on the Settings page or the CLI,
where the secret can be shown once to a person.)

A member sees and revokes only their own tokens; an owner or admin (`ALL_TOKENS`) every member's. Another member's
token answers 403 (it is in this workspace, so there is nothing to hide); another workspace's, 404."""

from __future__ import annotations

from datetime import datetime

from django.http import HttpRequest
from ninja import Router, Schema, Status

from storelens.accounts.models import ApiToken
from storelens.accounts.permissions import Action, allows
from storelens.accounts.scoping import get_workspace_object_or_404, scoped
from storelens.api.auth import RoleRefused
from storelens.api.range_query import ErrorOut, InvalidOut

router = Router(tags=["tokens"])


class TokenOut(Schema):
    id: int
    name: str
    hint: str
    user: str
    created_at: datetime
    last_used_at: datetime | None


def _out(token: ApiToken) -> TokenOut:
    return TokenOut(
        id=token.pk,
        name=token.name,
        hint=token.hint,
        user=token.user.email,
        created_at=token.created_at,
        last_used_at=token.last_used_at,
    )


def _sees_all(request: HttpRequest) -> bool:
    return allows(request.membership.role, Action.ALL_TOKENS)  # type: ignore[attr-defined]


def _token(request: HttpRequest, token_id: int) -> ApiToken:
    token = get_workspace_object_or_404(request, ApiToken.objects.select_related("user"), pk=token_id)
    if token.user_id != request.user.pk and not _sees_all(request):
        raise RoleRefused(request.membership.role, Action.ALL_TOKENS)  # type: ignore[attr-defined]
    return token


@router.get("", response=list[TokenOut], summary="API tokens of this workspace (only your own unless owner or admin)")
def list_tokens(request: HttpRequest) -> list[TokenOut]:
    tokens = scoped(request, ApiToken).select_related("user")
    if not _sees_all(request):
        tokens = tokens.filter(user=request.user)
    return [_out(t) for t in tokens]


@router.get(
    "/{token_id}",
    response={200: TokenOut, 404: ErrorOut, 422: InvalidOut},
    summary="One API token of this workspace",
)
def get_token(request: HttpRequest, token_id: int) -> TokenOut:
    return _out(_token(request, token_id))


@router.delete(
    "/{token_id}",
    response={204: None, 404: ErrorOut, 422: InvalidOut},
    summary="Revoke an API token of this workspace",
)
def revoke_token(request: HttpRequest, token_id: int) -> Status[None]:
    _token(request, token_id).delete()
    return Status(204, None)
