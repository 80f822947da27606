"""Who may reach the web chat and who may add programmes: loopback is trusted, anywhere else
needs the login."""

from __future__ import annotations

import ipaddress

from rag import ConfigError
from ui.settings import ChatSettings


def is_loopback(host: str) -> bool:
    """Whether `host` only listens on this machine: `is_loopback("127.0.0.1") is True`."""
    host = host.strip().strip("[]").lower()
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def has_login(settings: ChatSettings) -> bool:
    """Whether both the login user and password are set."""
    return bool(settings.auth_user and settings.auth_password.get_secret_value())


def upload_available(settings: ChatSettings, host: str) -> bool:
    """Whether the app served on `host` offers the upload tab: only when uploads are enabled,
    and off loopback only with the login."""
    return settings.upload and (is_loopback(host) or has_login(settings))


def upload_permitted(settings: ChatSettings, username: str | None, client_host: str | None) -> bool:
    """Whether one request may add a programme: uploads are enabled and the person has logged in
    or is on this machine. Checked on every upload, however the app was launched."""
    return settings.upload and (bool(username) or is_loopback(client_host or ""))


def served_host(settings: ChatSettings, host: str | None = None) -> str:
    """The address to serve the web chat on (`host`, else the settings'); refuses a login set
    by halves, and an address off this machine without a login."""
    host = host or settings.host
    user, password = settings.auth_user, settings.auth_password.get_secret_value()
    if bool(user) != bool(password):
        raise ConfigError(
            "the web chat login needs both a user and a password",
            "set both RAG_AUTH_USER and RAG_AUTH_PASSWORD, or neither",
        )
    if not user and not is_loopback(host):
        raise ConfigError(
            f"refusing to serve the web chat on {host} without a login",
            "set RAG_AUTH_USER and RAG_AUTH_PASSWORD, or use --host 127.0.0.1",
        )
    return host
