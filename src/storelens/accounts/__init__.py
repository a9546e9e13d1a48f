"""Users, workspaces, memberships and API tokens, and the helpers that scope every query to a workspace."""
