"""Canonical article URLs: one spelling per page, so the same article is stored once."""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, unquote_plus, urlencode, urlsplit, urlunsplit

_DEFAULT_PORTS = {"http": 80, "https": 443}
# Parameters that say who sent the reader, never which page it is.
_TRACKING_PARAMS = {
    "fbclid",
    "gclid",
    "dclid",
    "gbraid",
    "wbraid",
    "msclkid",
    "yclid",
    "twclid",
    "igshid",
    "mc_cid",
    "mc_eid",
    "ref",
    "ref_src",
    "ref_url",
    "referrer",
    "_ga",
    "_gl",
    "_hsenc",
    "_hsmi",
    "mkt_tok",
    "oly_anon_id",
    "oly_enc_id",
    "vero_id",
    "vero_conv",
    "wt_mc",
    "wt.mc_id",
    "ocid",
    "cmpid",
    "s_kwcid",
    "spm",
    "__twitter_impression",
    "ito",
    "smid",
    "icid",
    "at_medium",
    "at_campaign",
}
_TRACKING_PREFIXES = ("utm_", "pk_", "mtm_", "hmb_")


def _is_tracking(name: str) -> bool:
    lowered = name.lower()
    return lowered in _TRACKING_PARAMS or lowered.startswith(_TRACKING_PREFIXES)


def canonical_url(url: str) -> str:
    """Lowercase scheme and host, no fragment, credentials, default port or tracking params.

    The remaining query parameters are sorted. Anything that is not an http(s) URL is
    returned stripped but otherwise unchanged.
    """
    url = url.strip()
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return url
    scheme = parts.scheme.lower()
    if scheme not in _DEFAULT_PORTS or not parts.hostname:
        return url
    host = parts.hostname.rstrip(".")  # urlsplit lowercases it and drops the credentials
    if ":" in host:
        host = f"[{host}]"
    netloc = host if port in (None, _DEFAULT_PORTS[scheme]) else f"{host}:{port}"
    query = sorted(
        (k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not _is_tracking(k)
    )
    return urlunsplit((scheme, netloc, parts.path or "/", urlencode(query), ""))


# Query keys whose values open a door: never shown in a source's name, list or notice.
_SECRET_KEY = re.compile(r"token|key|secret|pass|pwd|auth|sig|session|sid|code|credential|jwt",
                         re.IGNORECASE)
# A long mix of letters and digits is a token whatever its key is called (?k=8f3a9c...).
_SECRET_VALUE = re.compile(r"^(?=.*\d)(?=.*[A-Za-z])[A-Za-z0-9_\-.~+/=%]{20,}$")
_URL_IN_TEXT = re.compile(r"https?://[^\s<>\"'`]+", re.IGNORECASE)
HIDDEN = "***"


def _redact_pairs(query: str) -> str:
    pairs = []
    for pair in query.split("&"):
        key, sep, value = pair.partition("=")
        if sep and value and (_SECRET_KEY.search(unquote_plus(key))
                              or _SECRET_VALUE.match(value)):
            pair = f"{key}={HIDDEN}"
        pairs.append(pair)
    return "&".join(pairs)


def redact_url(url: str) -> str:
    """The address with its user name, password and secret-looking query values hidden."""
    scheme, sep, rest = url.partition("://")
    if not sep:
        return url
    # By hand rather than urlsplit: a malformed address must be redacted, not passed through.
    end = min((i for i in (rest.find("/"), rest.find("?"), rest.find("#")) if i >= 0),
              default=len(rest))
    netloc, tail = rest[:end], rest[end:]
    if "@" in netloc:
        netloc = f"{HIDDEN}@{netloc.rsplit('@', 1)[1]}"
    path, qmark, query = tail.partition("?")
    query, hashmark, fragment = query.partition("#") if qmark else ("", "", "")
    if not qmark:
        path, hashmark, fragment = tail.partition("#")
    return (f"{scheme}://{netloc}{path}{qmark}{_redact_pairs(query)}"
            f"{hashmark}{_redact_pairs(fragment) if '=' in fragment else fragment}")


def redact_secrets(text: str) -> str:
    """Any text (a source's name, a message) with the secrets of the addresses in it hidden."""
    return _URL_IN_TEXT.sub(lambda m: redact_url(m.group()), text)
