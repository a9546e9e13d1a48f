"""Sign up, sign in, sign out, change password, switch workspace."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.views.decorators.http import require_POST

from storelens.accounts.forms import SignInForm, SignUpForm
from storelens.accounts.middleware import SESSION_KEY
from storelens.accounts.models import Membership
from storelens.accounts.signup import SignupClosed, create_account, no_users_yet, signup_open


def signup(request: HttpRequest) -> HttpResponse:
    first = no_users_yet()
    if not signup_open():
        return render(request, "accounts/signup_closed.html", status=403)
    form = SignUpForm(request.POST or None, initial={"workspace": "My store"})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            user = create_account(data["email"], data["password1"], data["workspace"], data["name"])
        except SignupClosed:
            return render(request, "accounts/signup_closed.html", status=403)
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(request, f"Welcome to Storelens. Your workspace “{data['workspace']}” is ready.")
        return redirect("dashboard:home")
    return render(request, "accounts/signup.html", {"form": form, "first_account": first})


class SignInView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = SignInForm
    redirect_authenticated_user = True

    def dispatch(self, request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
        # A fresh install has nobody to sign in as: the first visit creates the owner's account.
        if no_users_yet():
            return redirect("accounts:signup")
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs: object) -> dict[str, object]:
        context = super().get_context_data(**kwargs)
        context["signup_open"] = signup_open()
        return context


class SignOutView(auth_views.LogoutView):
    pass


class ChangePasswordView(auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("dashboard:settings")

    def form_valid(self, form: object) -> HttpResponse:
        response = super().form_valid(form)  # type: ignore[arg-type]
        messages.success(self.request, "Your password is changed.")
        return response


@login_required
@require_POST
def switch_workspace(request: HttpRequest) -> HttpResponse:
    wanted = request.POST.get("workspace", "")
    # Only a number can name a workspace: filtering by any other text raised ValueError (500, found by fuzzing).
    workspace_id = int(wanted) if wanted.isascii() and wanted.isdigit() and len(wanted) <= 18 else None
    membership = Membership.objects.filter(user=request.user, workspace_id=workspace_id).first()
    if membership is None:
        messages.error(request, "You are not a member of that workspace.")
    else:
        request.session[SESSION_KEY] = membership.workspace_id
    return redirect("dashboard:home")
