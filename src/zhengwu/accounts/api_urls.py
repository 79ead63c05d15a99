from django.urls import path

from . import api

urlpatterns = [
    path("sms-code/", api.SmsCodeView.as_view(), name="accounts-sms-code"),
    path("signup/", api.SignupView.as_view(), name="accounts-signup"),
    path("me/", api.MeView.as_view(), name="accounts-me"),
]
