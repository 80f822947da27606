"""The web chat's settings: where it listens, its login, its feedback log and whether it takes
uploads. They come from the same `RAG_*` environment variables as the core settings
(`rag.Settings`), which leaves these names to this object.

>>> get_chat_settings(port=8000).port
8000
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, SecretStr, ValidationError

from rag import ConfigError, Settings

ENV_PREFIX = "RAG_"


class ChatSettings(BaseModel):
    """Typed, described settings of the web chat. Unknown keys are rejected."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    host: str = Field("127.0.0.1", description="Address the web chat binds to.")
    port: int = Field(7860, ge=1, le=65535, description="Port of the web chat.")
    feedback_path: Path = Field(Path("feedback.jsonl"), description="Feedback log (JSONL).")
    auth_user: str = Field("", description="Login user for the web chat (required off localhost).")
    auth_password: SecretStr = Field(SecretStr(""), description="Login password for the web chat.")
    upload: bool = Field(
        False,
        description="Offer an upload tab in the web chat to add programmes; off loopback it also "
        "needs the login (RAG_AUTH_USER and RAG_AUTH_PASSWORD).",
    )


def env_overrides(environ: Mapping[str, str] | None = None) -> dict[str, str]:
    """The web chat's `RAG_*` variables as field names. The core's are skipped; a variable that
    neither knows is an error (most likely a typo)."""
    environ = os.environ if environ is None else environ
    mine, core = set(ChatSettings.model_fields), set(Settings.model_fields)
    out: dict[str, str] = {}
    for key, value in environ.items():
        if not key.startswith(ENV_PREFIX):
            continue
        name = key[len(ENV_PREFIX) :].lower()
        if name in mine:
            out[name] = value
        elif name not in core:
            known = ", ".join(ENV_PREFIX + k.upper() for k in sorted(mine | core))
            raise ConfigError(f"unknown setting {key}", f"known: {known}")
    return out


def get_chat_settings(**overrides: Any) -> ChatSettings:
    """Defaults, then `RAG_*` environment variables, then keyword overrides."""
    values: dict[str, Any] = env_overrides()
    values.update({k: v for k, v in overrides.items() if v is not None})
    try:
        return ChatSettings(**values)
    except ValidationError as e:
        problems = "; ".join(
            f"{'.'.join(map(str, err['loc'])) or 'settings'}: {err['msg']}" for err in e.errors()
        )
        raise ConfigError(f"invalid settings: {problems}", "see README, Configuration") from e
