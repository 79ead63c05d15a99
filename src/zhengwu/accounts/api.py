"""JSON endpoints for apps and kiosks: send a code, sign up, who am I."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import login as auth_login
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema, inline_serializer
from rest_framework import permissions, serializers, status
from rest_framework.authentication import SessionAuthentication
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from zhengwu.core.idempotency.drf import idempotent

from . import selectors, services
from .models import PhoneCode


class CsrfForAnonymous(permissions.BasePermission):
    """DRF checks CSRF only for logged-in session users; these endpoints also serve anonymous browsers."""

    def has_permission(self, request: Request, view: Any) -> bool:
        if request.method not in permissions.SAFE_METHODS:
            SessionAuthentication().enforce_csrf(request)
        return True


class SmsCodeIn(serializers.Serializer):
    phone = serializers.CharField(label=_("手机号"), max_length=20)
    purpose = serializers.ChoiceField(label=_("用途"), choices=PhoneCode.Purpose.choices, default="signup")


class SignupIn(serializers.Serializer):
    phone = serializers.CharField(label=_("手机号"), max_length=20)
    code = serializers.CharField(label=_("短信验证码"), max_length=6)
    password = serializers.CharField(label=_("密码"), max_length=128, trim_whitespace=False, write_only=True)
    display_name = serializers.CharField(label=_("姓名"), max_length=64, required=False, allow_blank=True)


class MeOut(serializers.Serializer):
    id = serializers.IntegerField()
    username = serializers.CharField()
    kind = serializers.CharField()
    display_name = serializers.CharField()
    phone = serializers.CharField()
    phone_verified = serializers.BooleanField()
    totp_enabled = serializers.BooleanField()
    roles = serializers.ListField(child=serializers.CharField())


DETAIL = inline_serializer("AccountsDetail", {"detail": serializers.CharField()})


class SmsCodeView(APIView):
    permission_classes = [CsrfForAnonymous]
    throttle_classes: list = []

    @extend_schema(
        summary="发送短信验证码",
        request=SmsCodeIn,
        responses={
            202: DETAIL,
            400: OpenApiResponse(description="手机号格式不正确或已注册"),
            429: OpenApiResponse(description="发送过于频繁"),
        },
    )
    def post(self, request: Request) -> Response:
        data = SmsCodeIn(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            services.phone_code_send(
                phone=data.validated_data["phone"], purpose=data.validated_data["purpose"]
            )
        except services.CodeThrottled as exc:
            return Response(
                {"detail": exc.message},
                status=status.HTTP_429_TOO_MANY_REQUESTS,
                headers={"Retry-After": str(exc.wait_seconds)},
            )
        return Response({"detail": _("验证码已发送，10 分钟内有效。")}, status=status.HTTP_202_ACCEPTED)


class SignupView(APIView):
    permission_classes = [CsrfForAnonymous]

    @extend_schema(
        summary="手机号注册（需短信验证码）", request=SignupIn, responses={201: MeOut, 400: DETAIL}
    )
    @idempotent
    def post(self, request: Request) -> Response:
        data = SignupIn(data=request.data)
        data.is_valid(raise_exception=True)
        user = services.applicant_signup(**data.validated_data)
        services.login_record(user=user, method="signup")
        auth_login(request._request, user, backend="zhengwu.accounts.backends.ZhengwuBackend")
        return Response(MeOut(selectors.me_profile(user)).data, status=status.HTTP_201_CREATED)


class MeView(APIView):
    @extend_schema(summary="当前登录账号", responses={200: MeOut})
    def get(self, request: Request) -> Response:
        return Response(MeOut(selectors.me_profile(request.user)).data)
