"""GET /api/v1/me: who the caller is and which workspace the request acts in."""

from __future__ import annotations

from datetime import datetime

from django.http import HttpRequest
from ninja import Router, Schema

router = Router(tags=["account"])


class WorkspaceOut(Schema):
    id: int
    name: str
    role: str


class MeOut(Schema):
    id: int
    email: str
    name: str
    date_joined: datetime
    workspace: WorkspaceOut
    workspaces: list[WorkspaceOut]


@router.get("/me", response=MeOut, summary="The signed-in user and the workspace this request acts in")
def me(request: HttpRequest) -> MeOut:
    user = request.user
    memberships = user.memberships.select_related("workspace").order_by("pk")
    workspaces = [WorkspaceOut(id=m.workspace_id, name=m.workspace.name, role=m.role) for m in memberships]
    current = next(w for w in workspaces if w.id == request.workspace.pk)  # type: ignore[attr-defined]
    return MeOut(
        id=user.pk,
        email=user.email,
        name=user.name,
        date_joined=user.date_joined,
        workspace=current,
        workspaces=workspaces,
    )
