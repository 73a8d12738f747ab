"""Who is an admin on Slack: users named in the config, or workspace admins and owners."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable

import aiohttp
from slack_sdk.errors import SlackApiError, SlackClientError
from slack_sdk.web.async_client import AsyncWebClient

log = logging.getLogger(__name__)

# Long enough that a burst of admin commands costs one users.info call, short enough that
# a demoted admin loses their rights within minutes.
CACHE_TTL_S = 60.0


class AdminCheck:
    """Answers `is_admin(user_id)`, asking users.info at most once per user per CACHE_TTL_S."""

    def __init__(
        self,
        client: AsyncWebClient,
        configured: Iterable[str],
        ttl_s: float = CACHE_TTL_S,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._client = client
        self._configured = frozenset(configured)
        self._ttl_s = ttl_s
        self._clock = clock
        self._cache: dict[str, tuple[bool, float]] = {}

    async def is_admin(self, user_id: str) -> bool:
        if user_id in self._configured:
            return True
        cached = self._cache.get(user_id)
        if cached is not None and self._clock() - cached[1] < self._ttl_s:
            return cached[0]
        try:
            response = await self._client.users_info(user=user_id)
        except SlackApiError as exc:
            # Most often a missing users:read scope; refusing is the safe answer.
            log.warning(
                "users.info failed for %s (%s); treating as non-admin",
                user_id,
                exc.response.get("error"),
            )
            return False
        except (SlackClientError, aiohttp.ClientError, TimeoutError):
            log.warning("users.info could not be reached for %s; treating as non-admin", user_id)
            return False
        user = response.get("user") or {}
        admin = bool(user.get("is_admin") or user.get("is_owner") or user.get("is_primary_owner"))
        self._cache[user_id] = (admin, self._clock())
        return admin
