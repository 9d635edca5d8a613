from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "quire.accounts"
    label = "accounts"

    def ready(self) -> None:
        # allauth counts its rate limits in the "default" cache, a worker's own memory without
        # REDIS_URL, where N workers allow N times the rate: count them in the shared
        # "ratelimit" cache, as every Quire limit is (docs/architecture.md "Rate limits").
        from allauth.core.internal import ratelimit as allauth_ratelimit
        from django.core.cache import caches
        from django.utils.connection import ConnectionProxy

        allauth_ratelimit.cache = ConnectionProxy(caches, "ratelimit")
