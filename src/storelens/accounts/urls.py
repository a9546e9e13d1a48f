from django.urls import path

from storelens.accounts import team_views, views

app_name = "accounts"

urlpatterns = [
    path("signup/", views.signup, name="signup"),
    path("login/", views.SignInView.as_view(), name="login"),
    path("logout/", views.SignOutView.as_view(), name="logout"),
    path("password/", views.ChangePasswordView.as_view(), name="password_change"),
    path("workspace/switch/", views.switch_workspace, name="switch_workspace"),
    path("team/", team_views.team_page, name="team"),
    path("team/invite/", team_views.invite, name="invite"),
    path("team/invites/<int:invite_id>/revoke/", team_views.revoke_invite, name="revoke_invite"),
    path("team/<int:membership_id>/role/", team_views.change_role, name="change_role"),
    path("team/<int:membership_id>/remove/", team_views.remove_member, name="remove_member"),
    path("team/<int:membership_id>/transfer/", team_views.transfer_ownership, name="transfer_ownership"),
    path("invite/<str:token>/", team_views.accept_invite, name="accept_invite"),
]
