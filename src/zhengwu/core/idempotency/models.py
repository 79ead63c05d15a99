from django.db import models
from django.utils.translation import gettext_lazy as _


class IdempotencyRecord(models.Model):
    """The first answer to a request carrying an Idempotency-Key, replayed for its retries."""

    user_id = models.BigIntegerField(_("用户"), default=0)  # 0 = anonymous
    key = models.CharField(_("幂等键"), max_length=128)
    scope = models.CharField(_("接口"), max_length=255)  # method + path
    fingerprint = models.CharField(_("请求摘要"), max_length=64)
    completed = models.BooleanField(_("已完成"), default=False)
    status_code = models.PositiveSmallIntegerField(_("状态码"), null=True, blank=True)
    response = models.JSONField(_("响应"), null=True, blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("幂等请求")
        verbose_name_plural = _("幂等请求")
        constraints = [models.UniqueConstraint(fields=["user_id", "key"], name="idempotency_user_key_unique")]

    def __str__(self) -> str:
        return f"{self.user_id}:{self.key}"
