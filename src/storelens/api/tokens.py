"""API tokens of the current workspace: list, read, revoke. (Creating one happens on the Settings page or the CLI,
where the secret can be shown once to a person.)"""

from __future__ import annotations

from datetime import datetime

from django.http import HttpRequest
from ninja import Router, Schema, Status

from storelens.accounts.models import ApiToken
from storelens.accounts.scoping import get_workspace_object_or_404, scoped

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


@router.get("", response=list[TokenOut], summary="API tokens of this workspace")
def list_tokens(request: HttpRequest) -> list[TokenOut]:
    return [_out(t) for t in scoped(request, ApiToken).select_related("user")]


@router.get("/{token_id}", response=TokenOut, summary="One API token of this workspace")
def get_token(request: HttpRequest, token_id: int) -> TokenOut:
    return _out(get_workspace_object_or_404(request, ApiToken.objects.select_related("user"), pk=token_id))


@router.delete("/{token_id}", response={204: None}, summary="Revoke an API token of this workspace")
def revoke_token(request: HttpRequest, token_id: int) -> Status[None]:
    get_workspace_object_or_404(request, ApiToken, pk=token_id).delete()
    return Status(204, None)
