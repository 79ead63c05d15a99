from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "zhengwu.accounts"
    label = "accounts"
