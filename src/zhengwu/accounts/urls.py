from django.urls import path

from . import views

app_name = "accounts"
urlpatterns = [
    path("login/", views.login_view, name="login"),
    path("login/verify/", views.login_totp_view, name="login_totp"),
    path("applicant-login/", views.applicant_login_view, name="applicant_login"),
    path("logout/", views.logout_view, name="logout"),
    path("signup/", views.signup_view, name="signup"),
    path("password-reset/", views.password_reset_view, name="password_reset"),
    path("totp/", views.totp_view, name="totp"),
    path("oidc/login/", views.oidc_login_view, name="oidc_login"),
    path("oidc/callback/", views.oidc_callback_view, name="oidc_callback"),
]
