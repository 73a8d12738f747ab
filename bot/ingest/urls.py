"""Canonical article URLs: one spelling per page, so the same article is stored once."""

from __future__ import annotations

from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

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
