"""Is the Hugging Face hub usable right now? Decided once per process, within ~2 s, before any download.

Without this, ``from_pretrained`` on a machine with no network retries for about half a minute (printing
each retry) before failing. Loaders pass ``local_files_only=hub_offline()`` for hub names instead, so an
offline run either loads from the local cache or fails at once with one line.
"""

from __future__ import annotations

import functools
import os
import urllib.error
import urllib.request

_OFFLINE_ENV = ("HF_HUB_OFFLINE", "TRANSFORMERS_OFFLINE")
#: seconds allowed for the reachability probe (DNS failure is immediate; a silent firewall takes this long)
PROBE_TIMEOUT = 1.5


def offline_env() -> bool:
    """True when the Hugging Face offline switches are set in the environment."""
    return any(os.environ.get(k, "").strip().lower() in ("1", "true", "yes", "on") for k in _OFFLINE_ENV)


@functools.cache
def _hub_unreachable() -> bool:
    endpoint = os.environ.get("HF_ENDPOINT", "").strip() or "https://huggingface.co"
    try:  # urllib honours the *_PROXY variables, as the hub client does
        with urllib.request.urlopen(urllib.request.Request(endpoint, method="HEAD"), timeout=PROBE_TIMEOUT):
            return False
    except urllib.error.HTTPError:
        return False  # the server answered (any status): reachable
    except (OSError, ValueError):
        return True


def hub_offline() -> bool:
    """True when downloads cannot work: offline switches set, or the hub endpoint does not answer."""
    return offline_env() or _hub_unreachable()


def in_hf_cache(repo_id: str) -> bool:
    """True when ``repo_id``'s config and weights are in the local Hugging Face cache (no network)."""
    try:
        from huggingface_hub import try_to_load_from_cache
    except ImportError:
        return False
    cfg = try_to_load_from_cache(repo_id, "config.json")
    if not isinstance(cfg, str):
        return False
    return any(
        isinstance(try_to_load_from_cache(repo_id, f), str)
        for f in ("model.safetensors", "pytorch_model.bin")
    )


def offline_reason() -> str:
    """Why :func:`hub_offline` is true, for error messages."""
    if offline_env():
        return "HF_HUB_OFFLINE/TRANSFORMERS_OFFLINE is set"
    return "the Hugging Face hub is unreachable (no network)"
